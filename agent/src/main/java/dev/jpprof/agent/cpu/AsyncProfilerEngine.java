package dev.jpprof.agent.cpu;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.AgentThreadGroup;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CPU samples from one async-profiler session shared by all windows. The session starts with the
 * first window and runs while windows keep arriving: it stops once no window has been open for the
 * idle timeout ({@code cpu.idleTimeout}; 0 stops it as the last window closes), so an agent nobody
 * asks costs nothing, while a scraper's back-to-back windows do not restart the native profiler
 * every time (see BENCHMARKS.md, "Continuous CPU profiling"). It writes JFR to a temp file. Each
 * window boundary ({@link #open}, {@link EngineWindow#finish}) ends the current JFR chunk with a
 * {@code dump}, so chunk boundaries are window boundaries and a window's samples are exactly the
 * chunks written while it was open. Overlapping windows therefore each get their own samples (Parca
 * asks {@code seconds=10} every 10 s while a person asks for 30 s). Each chunk is parsed once and
 * kept only while an open window still needs it.
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
  private long idleTimeoutNanos;
  private long idleSince; // System.nanoTime() when the last window closed
  private long wallIdleSince; // System.nanoTime() when the last wall window closed
  private Recording watched; // the session a jpprof-cpu-idle thread watches, if any
  private volatile String description = "not started yet";

  AsyncProfilerEngine(String event, long intervalNanos, int stackDepth, long rotateBytes) {
    this.event = event;
    this.intervalNanos = intervalNanos;
    this.stackDepth = stackDepth;
    this.rotateBytes = rotateBytes;
  }

  /**
   * Opens a window collecting CPU samples (wallNanos 0), or wall-clock samples of every thread
   * every {@code wallNanos}, from now on. The first open window starts the native session; the
   * first wall window restarts it with wall-clock sampling beside the CPU event, which stays on
   * until no wall window has been open for the idle timeout (it costs a signal per thread per
   * period, so only while asked for).
   *
   * @throws AsyncProfilerUnavailableException if the native session could not load or start
   * @throws CpuProfilerException if the running session failed
   */
  EngineWindow open(long wallNanos) throws CpuProfilerException {
    boolean wall = wallNanos > 0;
    synchronized (lock) {
      long first = 0;
      if (recording == null) {
        try {
          version = NativeSession.version();
          recording = Recording.start(event, intervalNanos, stackDepth, wallNanos, rotateBytes);
          description = running();
          startIdleWatch(recording);
        } catch (CpuProfilerException | RuntimeException e) {
          throw AsyncProfilerUnavailableException.of(fail(e));
        }
      } else {
        try {
          first =
              wall && !recording.samplesWall()
                  ? recording.sampleWall(wallNanos, firstNeeded())
                  : recording.cut(firstNeeded());
        } catch (CpuProfilerException | RuntimeException e) {
          throw fail(e);
        }
      }
      NativeWindow window = new NativeWindow(first, wall);
      windows.add(window);
      description = running();
      return window;
    }
  }

  /**
   * How long the session may run with no window open before it stops; 0 stops it as the last window
   * closes. Applies to a session idle now too.
   */
  void idleTimeout(long nanos) {
    synchronized (lock) {
      idleTimeoutNanos = nanos;
      if (recording != null && windows.isEmpty() && nanos == 0) {
        stopRecording();
      }
      lock.notifyAll();
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
    private final boolean wall;
    private boolean closed; // guarded by lock
    private String failure; // guarded by lock: why the session died under this window

    NativeWindow(long firstChunk, boolean wall) {
      this.firstChunk = firstChunk;
      this.wall = wall;
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
          comment = comment(wall);
          close(this);
        } catch (CpuProfilerException | RuntimeException e) {
          throw fail(e);
        }
      }
      // Outside the lock: other windows may open and close while this one is merged.
      return new Samples(ChunkSamples.merge(chunks, wall), comment);
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
    if (window.wall && !wallOpen()) {
      wallIdleSince = System.nanoTime();
      lock.notifyAll(); // the idle watch times wall sampling from now
      if ((idleTimeoutNanos == 0 || watched != recording) && !windows.isEmpty()) {
        stopWall(); // no idle watch will do it later
        if (recording == null) {
          return; // the restart failed: fail() has closed the other windows and stopped it
        }
      }
    }
    if (windows.isEmpty()) {
      description = running() + ", idle";
      recording.forgetBefore(Long.MAX_VALUE);
      if (idleTimeoutNanos == 0 || watched != recording) {
        stopRecording();
      } else {
        idleSince = System.nanoTime();
        lock.notifyAll();
      }
    } else {
      recording.forgetBefore(firstNeeded());
    }
  }

  /**
   * The session is unusable: stop it, fail every open window with the same message, and return the
   * exception for the caller to throw.
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

  /** Whether a wall window is open. */
  private boolean wallOpen() {
    for (NativeWindow w : windows) {
      if (w.wall) {
        return true;
      }
    }
    return false;
  }

  /**
   * Restarts the session without wall-clock sampling, for the CPU windows still open. A failure
   * fails them (and stops the session), but is not thrown: the window closing has its samples.
   */
  private void stopWall() {
    try {
      recording.sampleWall(0, firstNeeded());
      description = running();
    } catch (CpuProfilerException | RuntimeException e) {
      fail(e);
    }
  }

  /**
   * One daemon thread per native session: it stops the session once no window has been open for the
   * idle timeout, turns wall-clock sampling off once no wall window has been open for as long, and
   * ends with the session.
   */
  private void startIdleWatch(Recording session) {
    try {
      AgentThreadGroup.daemon(() -> watchIdle(session), "jpprof-cpu-idle").start();
      watched = session;
    } catch (RuntimeException | OutOfMemoryError e) {
      // No thread: this session stops with its last window instead (see close).
      AgentLog.failure("CPU session idle watch", e);
    }
  }

  private void watchIdle(Recording session) {
    synchronized (lock) {
      try {
        while (recording == session) {
          long now = System.nanoTime();
          if (windows.isEmpty()) {
            long left = idleSince + idleTimeoutNanos - now;
            if (left <= 0) {
              stopRecording();
            } else {
              lock.wait(Math.max(1, left / 1_000_000));
            }
          } else if (session.samplesWall() && !wallOpen()) {
            long left = wallIdleSince + idleTimeoutNanos - now;
            if (left <= 0) {
              stopWall();
            } else {
              lock.wait(Math.max(1, left / 1_000_000));
            }
          } else {
            lock.wait();
          }
        }
      } catch (InterruptedException e) {
        // Only the JVM's end interrupts agent threads; the exit hook removes the file.
      } finally {
        if (watched == session) {
          watched = null;
        }
      }
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
    String wall =
        recording.samplesWall()
            ? ", wall " + CpuProfiler.formatInterval(recording.wallNanos())
            : "";
    return "async-profiler "
        + version
        + ", event "
        + used
        + fellBack
        + via
        + ", interval "
        + CpuProfiler.formatInterval(intervalNanos)
        + wall;
  }

  private String comment(boolean wall) {
    if (wall) {
      return "jpprof wall: async-profiler "
          + version
          + " wall="
          + CpuProfiler.formatInterval(recording.wallNanos());
    }
    String engine = recording.engine();
    return "jpprof cpu: async-profiler "
        + version
        + " event="
        + recording.event()
        + " engine="
        + (engine.isEmpty() ? "unknown" : engine)
        + " interval="
        + CpuProfiler.formatInterval(intervalNanos);
  }
}
