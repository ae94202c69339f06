package dev.jpprof.agent.cpu;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CPU samples from one async-profiler session shared by all windows. The session runs only while
 * at least one window is open and writes JFR to a temp file. Each window boundary ({@link #open},
 * {@link EngineWindow#finish}) ends the current JFR chunk with a {@code dump}, so chunk boundaries
 * are window boundaries and a window's samples are exactly the chunks written while it was open.
 * Overlapping windows therefore each get their own samples (Parca asks {@code seconds=10} every
 * 10 s while a person asks for 30 s). Each chunk is parsed once and kept only while an open window
 * still needs it.
 *
 * <p>Thread-safe; {@link #open} and finish block (starting the native profiler takes ~200 ms the
 * first time; parsing takes milliseconds).
 */
final class AsyncProfilerEngine {
  private final String event;
  private final long intervalNanos;
  private final int stackDepth;
  private final long rotateBytes;

  private final Object lock = new Object();
  // All fields below are guarded by lock.
  private Recording recording; // null while no window is open
  private final Set<NativeWindow> windows = new HashSet<>();
  private String version = "";
  private volatile String description = "not started yet";

  AsyncProfilerEngine(String event, long intervalNanos, int stackDepth, long rotateBytes) {
    this.event = event;
    this.intervalNanos = intervalNanos;
    this.stackDepth = stackDepth;
    this.rotateBytes = rotateBytes;
  }

  /**
   * Opens a window collecting samples from now on; the first open window starts the native
   * session.
   *
   * @throws AsyncProfilerUnavailableException if the native session could not load or start
   * @throws CpuProfilerException if the running session failed
   */
  EngineWindow open() throws CpuProfilerException {
    synchronized (lock) {
      long first = 0;
      if (recording == null) {
        try {
          version = NativeSession.version();
          recording = Recording.start(event, intervalNanos, stackDepth, rotateBytes);
          description = running();
        } catch (CpuProfilerException | RuntimeException e) {
          throw AsyncProfilerUnavailableException.of(fail(e));
        }
      } else {
        try {
          first = recording.cut(firstNeeded());
        } catch (CpuProfilerException | RuntimeException e) {
          throw fail(e);
        }
      }
      NativeWindow window = new NativeWindow(first);
      windows.add(window);
      return window;
    }
  }

  /** e.g. "async-profiler 4.6, event cpu via perf_events, interval 10ms", or the last error. */
  String describe() {
    return description;
  }

  boolean isRunning() {
    synchronized (lock) {
      return recording != null;
    }
  }

  Path file() {
    synchronized (lock) {
      return recording == null ? null : recording.file();
    }
  }

  private final class NativeWindow implements EngineWindow {
    private final long firstChunk;
    private boolean closed; // guarded by lock
    private String failure; // guarded by lock: why the session died under this window

    NativeWindow(long firstChunk) {
      this.firstChunk = firstChunk;
    }

    @Override
    public Samples finish() throws CpuProfilerException {
      List<ChunkSamples> chunks;
      String comment;
      synchronized (lock) {
        if (closed) {
          throw new CpuProfilerException(
              failure != null ? failure : "CPU profile window is already closed");
        }
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
      // Outside the lock: other windows may open and close while this one is merged.
      return new Samples(ChunkSamples.merge(chunks), comment);
    }

    @Override
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

  private void close(NativeWindow window) {
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
    for (NativeWindow w : windows) {
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
    for (NativeWindow w : windows) {
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
        + CpuProfiler.formatInterval(intervalNanos);
  }

  private String comment() {
    String engine = recording.engine();
    return "jpprof cpu: async-profiler " + version + " event=" + recording.event() + " engine="
        + (engine.isEmpty() ? "unknown" : engine) + " interval="
        + CpuProfiler.formatInterval(intervalNanos);
  }
}
