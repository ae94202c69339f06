package dev.jpprof.agent.cpu;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * CPU profiles for {@code /debug/pprof/profile}: a {@link Window} per request, from an engine that
 * collects the samples ({@link AsyncProfilerEngine}) and one writer that turns them into Go's
 * profile ({@link CpuProfileWriter}).
 *
 * <p>Thread-safe. {@link #open} and {@link Window#finish} block (starting the native profiler
 * takes ~200 ms the first time; parsing and building take milliseconds): call them off the Netty
 * event loop. Nothing here prints to stdout or throws anything but {@link CpuProfilerException}.
 */
public final class CpuProfiler {
  /** Restart the session on a fresh file when it grows past this while windows stay open. */
  static final long ROTATE_BYTES = 64L << 20;

  // async-profiler takes comma-separated options: an event must not smuggle in more of them.
  private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9_.:$-]+");

  private final long intervalNanos;
  private final SourceInfo sources;
  private final AsyncProfilerEngine async;

  /**
   * A profiler for {@code event} ("cpu" uses perf_events where allowed; blank means "cpu"),
   * sampling every {@code intervalNanos} (10 ms is Go's 100 Hz), keeping at most {@code
   * stackDepth} Java frames. {@code inst} may be null (unit tests); when given, it finds the class
   * loaders of classes the system class loader cannot see, for file names and first lines. Cheap:
   * starts nothing.
   *
   * @throws IllegalArgumentException if the event has characters async-profiler would misread, or
   *     the interval or depth is not positive
   */
  public CpuProfiler(String event, long intervalNanos, int stackDepth, Instrumentation inst) {
    this(event, intervalNanos, stackDepth, inst, ROTATE_BYTES);
  }

  CpuProfiler(
      String event, long intervalNanos, int stackDepth, Instrumentation inst, long rotateBytes) {
    String ev = event == null || event.isBlank() ? "cpu" : event.trim();
    if (!EVENT.matcher(ev).matches()) {
      throw new IllegalArgumentException("invalid CPU profiling event: " + event);
    }
    if (intervalNanos <= 0 || stackDepth <= 0) {
      throw new IllegalArgumentException(
          "CPU interval and stack depth must be positive: " + intervalNanos + ", " + stackDepth);
    }
    this.intervalNanos = intervalNanos;
    this.sources = new SourceInfo(inst);
    this.async = new AsyncProfilerEngine(ev, intervalNanos, stackDepth, rotateBytes);
  }

  /**
   * Opens a window collecting samples from now on. Blocking: run it off the event loop.
   *
   * @throws CpuProfilerException with a one-line user-facing message if no engine can run
   */
  public Window open() throws CpuProfilerException {
    EngineWindow samples = async.open();
    // The window starts when sampling does, after a first start's ~200 ms, as in Go.
    return new Window(samples, epochNanos(), System.nanoTime());
  }

  /**
   * One line for the index page: the engine in use, e.g. "async-profiler 4.6, event cpu via
   * perf_events, interval 10ms", or "not started yet", or the error that stopped it.
   */
  public String describe() {
    return async.describe();
  }

  /** Whether the native session is running (for tests and diagnosis). */
  boolean isRunning() {
    return async.isRunning();
  }

  /** The JFR file of the running native session, or null (for tests). */
  Path file() {
    return async.file();
  }

  /** The profile of the samples taken between {@link #open} and {@link #finish}. */
  public final class Window {
    private final EngineWindow samples;
    private final long startEpochNanos;
    private final long startNanoTime;

    private Window(EngineWindow samples, long startEpochNanos, long startNanoTime) {
      this.samples = samples;
      this.startEpochNanos = startEpochNanos;
      this.startNanoTime = startNanoTime;
    }

    /**
     * Ends the window and returns the profile of exactly the samples taken while it was open.
     * Blocking: run it off the event loop.
     *
     * @throws CpuProfilerException if the window is already closed or profiling failed
     */
    public Profile finish() throws CpuProfilerException {
      long durationNanos = System.nanoTime() - startNanoTime;
      EngineWindow.Samples taken = samples.finish();
      // Outside any engine lock: other windows may open and close while this one is built.
      try {
        return CpuProfileWriter.write(
            taken.counts, startEpochNanos, durationNanos, intervalNanos, taken.comment,
            sources.batch());
      } catch (RuntimeException e) {
        throw new CpuProfilerException("Could not build CPU profile: " + e, e);
      }
    }

    /** Ends the window without building a profile (client gone). Idempotent, never throws. */
    public void cancel() {
      samples.cancel();
    }
  }

  /** 10000000 → "10ms", as people write intervals. */
  static String formatInterval(long nanos) {
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    } else if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    } else if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
