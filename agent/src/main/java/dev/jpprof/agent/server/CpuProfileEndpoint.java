package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.Counters;
import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.cpu.CpuProfilerException;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.TimeUnit;

/**
 * /debug/pprof/profile?seconds=N: opens a window on the shared CPU profiler, answers when the
 * window ends, and writes nothing before (as Go). Opening and finishing a window block (native
 * start, JFR parsing), so they run on the worker executor; the wait itself is a task scheduled on
 * the event loop, never a sleeping thread. A client that disconnects closes its window.
 */
final class CpuProfileEndpoint implements Endpoint {
  private static final long DEFAULT_SECONDS = 30;

  private final CpuProfiler cpu;
  private final OffLoop offLoop;
  private final long maxSeconds;

  CpuProfileEndpoint(CpuProfiler cpu, OffLoop offLoop, long maxSeconds) {
    this.cpu = cpu;
    this.offLoop = offLoop;
    this.maxSeconds = maxSeconds;
  }

  @Override
  public void serve(Exchange exchange) {
    long asked = asked(exchange.param("seconds"));
    if (asked > maxSeconds) {
      exchange.respond(Responses.secondsOverLimit(maxSeconds));
      return;
    }
    // Go's default of 30 s, shortened when the limit is lower: nobody asked for 30 explicitly.
    long seconds = asked > 0 ? asked : Math.min(DEFAULT_SECONDS, maxSeconds);
    offLoop.answer(
        exchange,
        "CPU profile",
        OffLoop.saysWhy("Could not collect CPU profile: "),
        () -> open(exchange, seconds));
  }

  /** Go's error text: the engine's messages may already carry Go's prefix; never twice. */
  static String goText(String prefix, String message) {
    return message.startsWith(prefix) ? message : prefix + message;
  }

  /**
   * The window asked for, or 0 when Go would use its default: a missing, unparsable or non-positive
   * value. An explicit {@code seconds=30} is a request like any other and is checked against
   * maxSeconds (it used to be trimmed silently, as the default is).
   */
  static long asked(String value) {
    try {
      return Math.max(0, Long.parseLong(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Opens the window; a refusal (another profiler, no engine) is Go's answer, not a failure. */
  private FullHttpResponse open(Exchange exchange, long seconds) {
    if (!exchange.isOpen()) {
      return null;
    }
    CpuProfiler.Window window;
    try {
      window = cpu.open();
    } catch (CpuProfilerException | RuntimeException e) {
      return Responses.error(
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          goText("Could not enable CPU profiling: ", AgentLog.describe(e)));
    }
    offLoop.afterWindow(
        exchange,
        TimeUnit.SECONDS.toNanos(seconds),
        window::cancel,
        "CPU profile",
        OffLoop.saysWhy("Could not collect CPU profile: "),
        () -> finish(exchange, window));
    return null;
  }

  private FullHttpResponse finish(Exchange exchange, CpuProfiler.Window window)
      throws CpuProfilerException {
    if (!exchange.isOpen()) {
      window.cancel();
      return null;
    }
    Profile profile = window.finish();
    long samples = 0;
    for (Sample s : profile.getSampleList()) {
      samples += s.getValue(0);
    }
    Counters.add("cpu.samples", samples);
    return Responses.profile("profile", profile);
  }
}
