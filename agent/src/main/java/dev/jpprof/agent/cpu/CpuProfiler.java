package dev.jpprof.agent.cpu;

import dev.jpprof.agent.Config;
import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CPU profiles for {@code /debug/pprof/profile}: a {@link Window} per request, from an engine that
 * collects the samples and one writer that turns them into Go's profile ({@link CpuProfileWriter}).
 * Engines: async-profiler ({@link AsyncProfilerEngine}) and, where it cannot run, the JDK's Flight
 * Recorder ({@link JfrEngine}). With {@code auto}, a native library that cannot load or a session
 * that cannot start switches this and every later window to JFR; an async-profiler that someone
 * else is running switches only the window that found it busy.
 *
 * <p>Thread-safe. {@link #open} and {@link Window#finish} block (starting the native profiler takes
 * ~200 ms the first time; parsing and building take milliseconds): call them off the Netty event
 * loop. Nothing here prints to stdout or throws anything but {@link CpuProfilerException}.
 */
public final class CpuProfiler {
  /**
   * Restart the session on a fresh file when it grows past this, or when one window's chunk grows
   * past an eighth of it ({@link Recording#rotates}). The session outlives windows that keep
   * arriving (cpu.idleTimeout), so this is what bounds its file: ~17 minutes of the demo's samples.
   * A restart is what per-window sessions paid every window; once per this many bytes it costs
   * nothing measurable.
   */
  static final long ROTATE_BYTES = 8L << 20;

  /**
   * Wall-clock sampling period ({@code wall.interval}): async-profiler's default for {@code wall},
   * 20 Hz. Each period signals every thread not found idle, so it is coarser than CPU's 100 Hz.
   */
  public static final long DEFAULT_WALL_INTERVAL = 50_000_000L;

  /** {@code cpu.engine}: async-profiler, falling back to JFR where it cannot run. */
  public static final String AUTO = "auto";

  /** {@code cpu.engine}: async-profiler only; a window fails if it cannot run. */
  public static final String ASYNC_PROFILER = "async-profiler";

  /** {@code cpu.engine}: JFR execution samples only; the native library is never loaded. */
  public static final String JFR = "jfr";

  /** The values {@code cpu.engine} accepts. */
  public static final List<String> ENGINES = List.of(AUTO, ASYNC_PROFILER, JFR);

  private static final String PREFIX = "Could not enable CPU profiling: ";

  // async-profiler takes comma-separated options: an event must not smuggle in more of them.
  private static final Pattern EVENT = Pattern.compile(Config.CPU_EVENT_PATTERN);

  private final String engine;
  private final long intervalNanos;
  private final SourceInfo sources;
  private final AsyncProfilerEngine async;
  private final JfrEngine jfr;
  private final DumpWallEngine dumps;
  private volatile long wallNanos = DEFAULT_WALL_INTERVAL;

  /** Why async-profiler cannot run, once auto has found out; JFR serves every window then. */
  private volatile String asyncUnavailable;

  /** After the describe line of JFR when the last window used it, else null. */
  private volatile String jfrNote;

  /** Why the last open failed when JFR could not start either, else null. */
  private volatile String failure;

  /**
   * A profiler for {@code event} ("cpu" uses perf_events where allowed; blank means "cpu"),
   * sampling every {@code intervalNanos} (10 ms is Go's 100 Hz), keeping at most {@code stackDepth}
   * Java frames. {@code inst} may be null (unit tests); when given, it finds the class loaders of
   * classes the system class loader cannot see, for file names and first lines. Cheap: starts
   * nothing.
   *
   * @throws IllegalArgumentException if the event has characters async-profiler would misread, or
   *     the interval or depth is not positive
   */
  public CpuProfiler(String event, long intervalNanos, int stackDepth, Instrumentation inst) {
    this(AUTO, event, intervalNanos, stackDepth, inst);
  }

  /**
   * As above, with the engine: one of {@link #ENGINES}.
   *
   * @throws IllegalArgumentException also for an unknown engine
   */
  public CpuProfiler(
      String engine, String event, long intervalNanos, int stackDepth, Instrumentation inst) {
    this(engine, event, intervalNanos, stackDepth, new SourceInfo(inst), ROTATE_BYTES);
  }

  /** As above, naming frames with the agent's one shared {@code sources}. */
  public static CpuProfiler naming(
      SourceInfo sources, String engine, String event, long intervalNanos, int stackDepth) {
    return new CpuProfiler(engine, event, intervalNanos, stackDepth, sources, ROTATE_BYTES);
  }

  CpuProfiler(
      String engine,
      String event,
      long intervalNanos,
      int stackDepth,
      Instrumentation inst,
      long rotateBytes) {
    this(engine, event, intervalNanos, stackDepth, new SourceInfo(inst), rotateBytes);
  }

  private CpuProfiler(
      String engine,
      String event,
      long intervalNanos,
      int stackDepth,
      SourceInfo sources,
      long rotateBytes) {
    if (!ENGINES.contains(engine)) {
      throw new IllegalArgumentException(
          "invalid CPU engine: " + engine + " (one of " + String.join(", ", ENGINES) + ")");
    }
    String ev = event == null || event.isBlank() ? "cpu" : event.trim();
    if (!EVENT.matcher(ev).matches()) {
      throw new IllegalArgumentException("invalid CPU profiling event: " + event);
    }
    if (intervalNanos <= 0 || stackDepth <= 0) {
      throw new IllegalArgumentException(
          "CPU interval and stack depth must be positive: " + intervalNanos + ", " + stackDepth);
    }
    this.engine = engine;
    this.intervalNanos = intervalNanos;
    this.sources = sources;
    this.async = new AsyncProfilerEngine(ev, intervalNanos, stackDepth, rotateBytes);
    this.jfr = new JfrEngine(intervalNanos);
    this.dumps = new DumpWallEngine(stackDepth);
    this.jfrNote = engine.equals(JFR) ? "" : null;
  }

  /**
   * Opens a window collecting samples from now on. Blocking: run it off the event loop.
   *
   * @throws CpuProfilerException with a one-line user-facing message if no engine can run
   */
  public Window open() throws CpuProfilerException {
    EngineWindow samples = openEngine();
    // The window starts when sampling does, after a first start's ~200 ms, as in Go.
    return new Window(samples, false, epochNanos(), System.nanoTime());
  }

  /**
   * Opens a wall-clock window (fgprof): every Java thread sampled every {@link #wallInterval}, on
   * CPU or off, from async-profiler's {@code wall} engine running beside the CPU event in the same
   * session; where async-profiler cannot run, from thread dumps ({@link DumpWallEngine}). Blocking:
   * run it off the event loop.
   *
   * @throws CpuProfilerException with a one-line user-facing message if wall-clock sampling cannot
   *     run
   */
  public Window openWall() throws CpuProfilerException {
    EngineWindow samples = openWallEngine();
    return new Window(samples, true, epochNanos(), System.nanoTime());
  }

  /** Sets the wall-clock sampling period ({@code wall.interval}) of windows opened from now on. */
  public void wallInterval(long nanos) {
    if (nanos <= 0) {
      throw new IllegalArgumentException("wall interval must be positive: " + nanos);
    }
    wallNanos = nanos;
  }

  /**
   * One line for the index page: the engine in use, e.g. "async-profiler 4.6, event cpu via
   * perf_events, interval 10ms", "JFR execution samples, interval 10ms (async-profiler unavailable:
   * ...)", "not started yet", or the error that stopped it.
   */
  public String describe() {
    String failed = failure;
    if (failed != null) {
      return "error: " + failed;
    }
    String note = jfrNote;
    return note != null ? jfr.describe(note) : async.describe();
  }

  /**
   * The engine's name for /metrics: "jfr" once JFR serves the windows (configured, or
   * async-profiler found unavailable), "none" when the last open failed on both, else
   * "async-profiler" (also before the first window: what the first one will try).
   */
  public String engineName() {
    if (failure != null) {
      return "none";
    }
    return jfrNote != null ? JFR : ASYNC_PROFILER;
  }

  private EngineWindow openEngine() throws CpuProfilerException {
    if (engine.equals(JFR)) {
      return openJfr(null);
    }
    String unavailable = asyncUnavailable;
    if (unavailable == null) {
      try {
        EngineWindow window = async.open(0);
        jfrNote = null;
        failure = null;
        return window;
      } catch (AsyncProfilerUnavailableException e) {
        if (engine.equals(ASYNC_PROFILER)) {
          throw e;
        }
        if (e.busy) {
          return openJfr("async-profiler busy: " + reason(e)); // this window only: it may end
        }
        asyncUnavailable = unavailable = reason(e);
      }
    }
    return openJfr("async-profiler unavailable: " + unavailable);
  }

  private EngineWindow openWallEngine() throws CpuProfilerException {
    String unavailable = engine.equals(JFR) ? "cpu.engine=jfr" : asyncUnavailable;
    if (unavailable == null) {
      try {
        return async.open(wallNanos);
      } catch (AsyncProfilerUnavailableException e) {
        if (engine.equals(ASYNC_PROFILER)) {
          throw e;
        }
        if (!e.busy) {
          asyncUnavailable = reason(e);
        }
        unavailable = reason(e);
      }
    }
    return dumps.open(wallNanos, "async-profiler unavailable: " + unavailable);
  }

  /** A JFR window; {@code why} says why not async-profiler, null when JFR was asked for. */
  private EngineWindow openJfr(String why) throws CpuProfilerException {
    try {
      EngineWindow window = jfr.open();
      jfrNote = why == null ? "" : " (" + why + ")";
      failure = null;
      return window;
    } catch (CpuProfilerException e) {
      CpuProfilerException both =
          why == null ? e : new CpuProfilerException(PREFIX + why + "; " + reason(e), e);
      failure = both.getMessage();
      throw both;
    }
  }

  /** The exception's message without the prefix every start failure carries. */
  private static String reason(CpuProfilerException e) {
    String m = e.getMessage();
    return m.startsWith(PREFIX) ? m.substring(PREFIX.length()) : m;
  }

  /**
   * How long the native session runs on after its last window closed ({@code cpu.idleTimeout}):
   * scrapers ask for windows back to back, and each restart of async-profiler costs the application
   * (BENCHMARKS.md). 0, the default here, stops it with the last window.
   */
  public void idleTimeout(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("negative idle timeout: " + nanos);
    }
    async.idleTimeout(nanos);
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
    private final boolean wall;
    private final long startEpochNanos;
    private final long startNanoTime;

    private Window(EngineWindow samples, boolean wall, long startEpochNanos, long startNanoTime) {
      this.samples = samples;
      this.wall = wall;
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
            wall ? CpuProfileWriter.Kind.WALL : CpuProfileWriter.Kind.CPU,
            taken.counts,
            startEpochNanos,
            durationNanos,
            wall ? wallNanos : intervalNanos,
            taken.comment,
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
