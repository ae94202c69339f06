package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Go's parsing of trace's {@code seconds}: strconv.ParseFloat, and 1 s when ≤ 0 or invalid. */
class TraceEndpointTest {
  @Test
  void floatsAsGoParsesThem() {
    assertEquals(1_000_000_000L, TraceEndpoint.windowNanos(""));
    assertEquals(1_000_000_000L, TraceEndpoint.windowNanos("abc"));
    assertEquals(1_000_000_000L, TraceEndpoint.windowNanos("0"));
    assertEquals(1_000_000_000L, TraceEndpoint.windowNanos("-3"));
    assertEquals(1_000_000_000L, TraceEndpoint.windowNanos("-inf"));
    assertEquals(1_000_000_000L, TraceEndpoint.windowNanos("1.5d")); // Java would take it
    assertEquals(1_000_000_000L, TraceEndpoint.windowNanos(" 2"));
    assertEquals(500_000_000L, TraceEndpoint.windowNanos("0.5"));
    assertEquals(500_000_000L, TraceEndpoint.windowNanos(".5"));
    assertEquals(2_000_000_000L, TraceEndpoint.windowNanos("2"));
    assertEquals(20_000_000_000L, TraceEndpoint.windowNanos("2e1"));
    assertEquals(0, TraceEndpoint.windowNanos("+Inf"));
    assertEquals(0, TraceEndpoint.windowNanos("NaN"));
    assertEquals(0, TraceEndpoint.windowNanos("1e300"));
  }
}
