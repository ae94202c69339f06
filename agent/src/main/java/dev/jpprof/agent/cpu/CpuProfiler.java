package dev.jpprof.agent.cpu;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CPU profiles for {@code /debug/pprof/profile}, from one async-profiler session shared by all
 * requests. The session runs only while at least one {@link Window} is open and writes JFR to a
 * temp file. Each window boundary ({@link #open}, {@link Window#finish}) ends the current JFR
 * chunk with a {@code dump}, so chunk boundaries are window boundaries and a window's profile is
 * exactly the chunks written while it was open. Overlapping windows therefore each get their own
 * samples (Parca asks {@code seconds=10} every 10 s while a person asks for 30 s). Each chunk is
 * parsed once and kept only while an open window still needs it.
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

  private final String event;
  private final long intervalNanos;
  private final int stackDepth;
  private final long rotateBytes;
  private final SourceInfo sources;

  private final Object lock = new Object();
  // All fields below are guarded by lock.
  private Recording recording; // null while no window is open
  private final Set<Window> windows = new HashSet<>();
  private String version = "";
  private volatile String description = "not started yet";

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
    this.event = ev;
    this.intervalNanos = intervalNanos;
    this.stackDepth = stackDepth;
    this.rotateBytes = rotateBytes;
    this.sources = new SourceInfo(inst);
  }

  /**
   * Opens a window collecting samples from now on; the first open window starts the native
   * session. Blocking: run it off the event loop.
   *
   * @throws CpuProfilerException with a one-line user-facing message if no engine can run
   */
  public Window open() throws CpuProfilerException {
    synchronized (lock) {
      long first = 0;
      try {
        if (recording == null) {
          version = NativeSession.version();
          recording = Recording.start(event, intervalNanos, stackDepth, rotateBytes);
          description = running();
        } else {
          first = recording.cut(firstNeeded());
        }
      } catch (CpuProfilerException | RuntimeException e) {
        throw fail(e);
      }
      // The window starts when sampling does, after a first start's ~200 ms, as in Go.
      Window window = new Window(first, epochNanos(), System.nanoTime());
      windows.add(window);
      return window;
    }
  }

  /**
   * One line for the index page: the engine in use, e.g. "async-profiler 4.6, event cpu via
   * perf_events, interval 10ms", or "not started yet", or the error that stopped it.
   */
  public String describe() {
    return description;
  }

  /** Whether the native session is running (for tests and diagnosis). */
  boolean isRunning() {
    synchronized (lock) {
      return recording != null;
    }
  }

  /** The JFR file of the running session, or null (for tests). */
  Path file() {
    synchronized (lock) {
      return recording == null ? null : recording.file();
    }
  }

  /** The profile of the samples taken between {@link #open} and {@link #finish}. */
  public final class Window {
    private final long firstChunk;
    private final long startEpochNanos;
    private final long startNanoTime;
    private boolean closed; // guarded by lock
    private String failure; // guarded by lock: why the session died under this window

    private Window(long firstChunk, long startEpochNanos, long startNanoTime) {
      this.firstChunk = firstChunk;
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
      List<ChunkSamples> chunks;
      long durationNanos;
      String comment;
      synchronized (lock) {
        if (closed) {
          throw new CpuProfilerException(
              failure != null ? failure : "CPU profile window is already closed");
        }
        durationNanos = System.nanoTime() - startNanoTime;
        try {
          long end = recording.cut(firstNeeded());
          recording.parse(firstNeeded());
          chunks = recording.chunks(firstChunk, end);
          comment = comment();
          close(this);
        } catch (CpuProfilerException | RuntimeException e) {
          throw fail(e);
        }
      }
      // Outside the lock: other windows may open and close while this one is being built.
      try {
        return CpuProfileWriter.write(
            merge(chunks), startEpochNanos, durationNanos, intervalNanos, comment, sources.batch());
      } catch (RuntimeException e) {
        throw new CpuProfilerException("Could not build CPU profile: " + e, e);
      }
    }

    /** Ends the window without building a profile (client gone). Idempotent, never throws. */
    public void cancel() {
      synchronized (lock) {
        try {
          if (!closed) {
            close(this);
          }
        } catch (RuntimeException e) {
          fail(e); // a bug here must not reach the server's cleanup path, nor leave profiling on
        }
      }
    }
  }

  // Everything below runs with lock held.

  private void close(Window window) {
    window.closed = true;
    windows.remove(window);
    if (windows.isEmpty()) {
      description = running() + ", idle";
      stopRecording();
    } else {
      recording.forgetBefore(firstNeeded());
    }
  }

  /**
   * The session is unusable: stop it, fail every open window with the same message, and return
   * the exception for the caller to throw.
   */
  private CpuProfilerException fail(Exception cause) {
    CpuProfilerException e =
        cause instanceof CpuProfilerException
            ? (CpuProfilerException) cause
            : new CpuProfilerException("CPU profiling failed: " + cause, cause);
    for (Window w : windows) {
      w.closed = true;
      w.failure = e.getMessage();
    }
    windows.clear();
    try {
      stopRecording();
    } catch (RuntimeException ignored) {
      recording = null; // stop() already swallows native errors; never fail the failure path
    }
    description = "error: " + e.getMessage();
    return e;
  }

  private void stopRecording() {
    if (recording != null) {
      recording.stop();
      recording = null;
    }
  }

  private long firstNeeded() {
    long first = Long.MAX_VALUE;
    for (Window w : windows) {
      first = Math.min(first, w.firstChunk);
    }
    return first;
  }

  private String running() {
    String used = recording.event();
    String fellBack = used.equals(event) ? "" : " (" + event + " unavailable)";
    String engine = recording.engine();
    String via = engine.isEmpty() ? "" : " via " + engine;
    return "async-profiler " + version + ", event " + used + fellBack + via + ", interval "
        + formatInterval(intervalNanos);
  }

  private String comment() {
    String engine = recording.engine();
    return "jpprof cpu: async-profiler " + version + " event=" + recording.event() + " engine="
        + (engine.isEmpty() ? "unknown" : engine) + " interval=" + formatInterval(intervalNanos);
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

  private static Map<Stack, Long> merge(List<ChunkSamples> chunks) {
    if (chunks.size() == 1) {
      return chunks.get(0).counts;
    }
    Map<Stack, Long> total = new HashMap<>();
    for (ChunkSamples chunk : chunks) {
      chunk.counts.forEach((stack, n) -> total.merge(stack, n, Long::sum));
    }
    return total;
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
