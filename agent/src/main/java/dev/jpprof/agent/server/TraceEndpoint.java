package dev.jpprof.agent.server;

import dev.jpprof.agent.trace.JfrTrace;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * /debug/pprof/trace?seconds=N: a JFR recording of the next N seconds, sent as {@code trace.jfr}
 * when the window ends (nothing is written before, as Go). Starting and finishing a recording
 * block, so they run on the worker executor; the wait is a task scheduled on the event loop. A
 * client that disconnects stops and deletes its recording.
 */
final class TraceEndpoint implements Endpoint {
  private static final long DEFAULT_NANOS = 1_000_000_000L;

  /** The decimal forms of Go's strconv.ParseFloat (hex floats and underscores are not taken). */
  private static final Pattern GO_FLOAT =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(?i:inf|infinity|nan)");

  private final OffLoop offLoop;
  private final long maxSeconds;

  TraceEndpoint(OffLoop offLoop, long maxSeconds) {
    this.offLoop = offLoop;
    this.maxSeconds = maxSeconds;
  }

  @Override
  public void serve(Exchange exchange) {
    long nanos = windowNanos(exchange.param("seconds"));
    // The agent's cap, as for /profile: without it seconds=1e9 holds a recording for 31 years.
    if (nanos > TimeUnit.SECONDS.toNanos(maxSeconds)) {
      exchange.respond(Responses.secondsOverLimit(maxSeconds));
      return;
    }
    offLoop.answer(
        exchange,
        "trace start",
        OffLoop.saysWhy("Could not enable tracing: "),
        () -> {
          if (!exchange.isOpen()) {
            return null;
          }
          JfrTrace trace = JfrTrace.start();
          offLoop.afterWindow(
              exchange,
              nanos,
              trace::cancel,
              "trace",
              OffLoop.saysWhy("Could not collect trace: "),
              () -> finish(exchange, trace));
          return null;
        });
  }

  /**
   * Go: {@code seconds} is a float; missing, unparsable or ≤ 0 means 1 s. A value Go turns into an
   * out-of-range duration (NaN, ±Inf, beyond ~292 years) ends the window at once, as Go's
   * conversion then gives a negative duration on amd64.
   */
  static long windowNanos(String seconds) {
    if (!GO_FLOAT.matcher(seconds).matches()) {
      return DEFAULT_NANOS;
    }
    String s = seconds.toLowerCase();
    double value =
        s.endsWith("nan")
            ? Double.NaN
            : s.endsWith("inf") || s.endsWith("infinity")
                ? (s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : Double.parseDouble(s);
    if (value <= 0) {
      return DEFAULT_NANOS;
    }
    double nanos = value * 1e9;
    return Double.isNaN(nanos) || nanos >= 0x1p63 ? 0 : (long) nanos;
  }

  private static FullHttpResponse finish(Exchange exchange, JfrTrace trace) throws Exception {
    if (!exchange.isOpen()) {
      trace.cancel();
      return null;
    }
    return Responses.attachment("trace.jfr", trace.finish());
  }
}
