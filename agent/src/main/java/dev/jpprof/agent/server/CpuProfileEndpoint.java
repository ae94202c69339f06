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
 * /debug/pprof/profile?seconds=N (CPU) and /debug/fgprof?seconds=N (wall clock, also at
 * /debug/pprof/wall): opens a window on the shared profiler, answers when the window ends, and
 * writes nothing before (as Go). Opening and finishing a window block (native start, JFR parsing),
 * so they run on the worker executor; the wait itself is a task scheduled on the event loop, never
 * a sleeping thread. A client that disconnects closes its window.
 */
final class CpuProfileEndpoint implements Endpoint {
  private static final long DEFAULT_SECONDS = 30;

  /** What a window samples, and the words its answers use. */
  enum Clock {
    CPU("profile", "CPU profile", "CPU profiling", "cpu.samples"),
    /** Go's fgprof: every thread, on CPU or off. */
    WALL("wall", "wall-clock profile", "wall-clock profiling", "wall.samples");

    final String filename;
    final String what;
    final String enabling;
    final String counter;

    Clock(String filename, String what, String enabling, String counter) {
      this.filename = filename;
      this.what = what;
      this.enabling = enabling;
      this.counter = counter;
    }

    String collectFailure() {
      return "Could not collect " + what + ": ";
    }

    String enableFailure() {
      return "Could not enable " + enabling + ": ";
    }
  }

  private final CpuProfiler cpu;
  private final Clock clock;
  private final OffLoop offLoop;
  private final long maxSeconds;

  CpuProfileEndpoint(CpuProfiler cpu, OffLoop offLoop, long maxSeconds) {
    this(cpu, Clock.CPU, offLoop, maxSeconds);
  }

  CpuProfileEndpoint(CpuProfiler cpu, Clock clock, OffLoop offLoop, long maxSeconds) {
    this.cpu = cpu;
    this.clock = clock;
    this.offLoop = offLoop;
    this.maxSeconds = maxSeconds;
  }

  @Override
  public void serve(Exchange exchange) {
    String value = exchange.param("seconds");
    long asked = asked(value);
    if (clock == Clock.WALL && !value.isEmpty() && asked <= 0) {
      // fgprof's handler, unlike pprof's, refuses a bad duration instead of using its default;
      // a missing or empty one is its default, 30 s.
      exchange.respond(
          Responses.error(
              HttpResponseStatus.BAD_REQUEST,
              "bad seconds: " + value + ": must be a positive whole number of seconds"));
      return;
    }
    String format = exchange.param("format");
    if (clock == Clock.WALL && !format.isEmpty() && !format.equals("pprof")) {
      exchange.respond(
          Responses.error(
              HttpResponseStatus.BAD_REQUEST,
              "unsupported format: " + format + " (this agent serves fgprof's pprof format)"));
      return;
    }
    if (asked > maxSeconds) {
      exchange.respond(Responses.secondsOverLimit(maxSeconds));
      return;
    }
    // Go's default of 30 s, shortened when the limit is lower: nobody asked for 30 explicitly.
    long seconds = asked > 0 ? asked : Math.min(DEFAULT_SECONDS, maxSeconds);
    offLoop.answer(
        exchange,
        clock.what,
        OffLoop.saysWhy(clock.collectFailure()),
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
      window = clock == Clock.WALL ? cpu.openWall() : cpu.open();
    } catch (CpuProfilerException | RuntimeException e) {
      return Responses.error(
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          goText(clock.enableFailure(), AgentLog.describe(e)));
    }
    offLoop.afterWindow(
        exchange,
        TimeUnit.SECONDS.toNanos(seconds),
        window::cancel,
        clock.what,
        OffLoop.saysWhy(clock.collectFailure()),
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
    Counters.add(clock.counter, samples);
    return Responses.profile(clock.filename, profile);
  }
}
