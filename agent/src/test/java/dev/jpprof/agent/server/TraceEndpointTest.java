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

  @Test
  void aWindowOverMaxSecondsIs400() {
    io.netty.channel.embedded.EmbeddedChannel ch =
        new io.netty.channel.embedded.EmbeddedChannel(
            new PprofHandler(
                new Routes(
                    java.util.List.of(EndpointTable.trace(new OffLoop(Runnable::run), 600)),
                    () -> "e",
                    java.util.Map.of()),
                Access.loopbackOnly(),
                new InFlight(16)));
    ch.writeInbound(
        new io.netty.handler.codec.http.DefaultFullHttpRequest(
            io.netty.handler.codec.http.HttpVersion.HTTP_1_0,
            io.netty.handler.codec.http.HttpMethod.GET,
            "/debug/pprof/trace?seconds=600.5"));
    io.netty.handler.codec.http.FullHttpResponse r = ch.readOutbound();
    assertEquals(400, r.status().code());
    assertEquals(
        "\"seconds\" must not exceed 600 (the agent's maxSeconds)\n",
        r.content().toString(java.nio.charset.StandardCharsets.UTF_8));
  }
}
