package dev.jpprof.agent.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import one.profiler.AsyncProfiler;

/**
 * One running async-profiler session writing JFR to a temp file. Every command carries {@code
 * quiet,loglevel=none}: async-profiler prints "Profiling started" and its [WARN] lines to the
 * process's stdout, and each command re-opens its log with that command's own options, so one
 * command without them would let later warnings through onto the application's output.
 */
final class NativeSession {
  private static final String SILENT = ",quiet,loglevel=none";

  private static AsyncProfiler profiler; // guarded by NativeSession.class
  private static String loadError; // guarded by NativeSession.class
  private static boolean exitHook; // guarded by NativeSession.class

  /** The file of the running session, deleted at JVM exit if a window is still open then. */
  private static volatile Path current;

  private final AsyncProfiler api;
  private final long intervalNanos;
  private final int stackDepth;

  /** Wall-clock sampling period beside the CPU event, 0 when wall is not sampled. */
  final long wallNanos;

  /** The event that started, after falling back; the engine behind it comes from the JFR file. */
  final String event;

  final Path file;
  final ChunkFile chunks;

  private NativeSession(
      AsyncProfiler api,
      String event,
      long intervalNanos,
      int stackDepth,
      long wallNanos,
      Path file) {
    this.api = api;
    this.event = event;
    this.intervalNanos = intervalNanos;
    this.stackDepth = stackDepth;
    this.wallNanos = wallNanos;
    this.file = file;
    this.chunks = new ChunkFile(file);
    current = file;
  }

  /** async-profiler's version, e.g. "4.6"; loads the native library on first use. */
  static String version() throws CpuProfilerException {
    return load().getVersion();
  }

  /**
   * Starts profiling {@code event}; where that event cannot start, tries {@code itimer} and then
   * {@code ctimer}. A profiler already started by someone else is a busy error, not a reason to try
   * another event: it would only fail the same way. {@code wallNanos} > 0 also samples every
   * thread's wall-clock time at that period, in the same session and file.
   */
  static NativeSession start(String event, long intervalNanos, int stackDepth, long wallNanos)
      throws CpuProfilerException {
    AsyncProfiler api = load();
    Set<String> events = new LinkedHashSet<>(List.of(event, "itimer", "ctimer"));
    List<String> failures = new ArrayList<>();
    for (String ev : events) {
      Path file = tempFile();
      String command = startCommand(ev, intervalNanos, stackDepth, wallNanos, file);
      try {
        api.execute(command);
        return new NativeSession(api, ev, intervalNanos, stackDepth, wallNanos, file);
      } catch (IllegalStateException | IOException e) {
        deleteQuietly(file);
        if (String.valueOf(e.getMessage()).contains("already started")) {
          throw new AsyncProfilerUnavailableException(
              "Could not enable CPU profiling: async-profiler is already running in this JVM",
              true,
              e);
        }
        failures.add(ev + ": " + e.getMessage());
      } catch (RuntimeException e) {
        deleteQuietly(file);
        throw new CpuProfilerException(
            "Could not enable CPU profiling: async-profiler rejected " + command + ": " + e, e);
      }
    }
    throw new CpuProfilerException(
        "Could not enable CPU profiling: " + String.join("; ", failures));
  }

  /**
   * Starts the same session again on a fresh file, for rotating a file that grew too large, or to
   * turn wall-clock sampling on or off ({@code wallNanos}, 0 = off).
   */
  NativeSession restart(long wallNanos) throws CpuProfilerException {
    stop();
    Path fresh = tempFile();
    try {
      api.execute(startCommand(event, intervalNanos, stackDepth, wallNanos, fresh));
      return new NativeSession(api, event, intervalNanos, stackDepth, wallNanos, fresh);
    } catch (Exception e) {
      deleteQuietly(fresh);
      throw new CpuProfilerException("Could not restart CPU profiling: " + e.getMessage(), e);
    }
  }

  /** Ends the current JFR chunk, so the samples up to now can be read from the file. */
  void dump() throws CpuProfilerException {
    try {
      api.execute("dump,jfr" + SILENT);
    } catch (Exception e) {
      throw new CpuProfilerException(
          "CPU profiling failed: async-profiler dump: " + e.getMessage(), e);
    }
  }

  /** Stops profiling and deletes the file. Never throws: this runs on cleanup paths. */
  void stop() {
    try {
      api.execute("stop" + SILENT);
    } catch (Exception e) {
      // Already stopped (e.g. by someone else); the file still has to go.
    }
    try {
      chunks.close();
    } catch (IOException e) {
      // Nothing more to do with a channel that would not close.
    }
    deleteQuietly(file);
    current = null;
  }

  /** Whether async-profiler reports a running session (used by tests and for diagnosis). */
  static boolean isRunning() {
    try {
      return load().execute("status" + SILENT).startsWith("Profiling is running");
    } catch (Exception e) {
      return false;
    }
  }

  private static String startCommand(
      String event, long intervalNanos, int stackDepth, long wallNanos, Path file) {
    // Several events need JFR output, which this is; wall samples carry the thread's state.
    String wall = wallNanos > 0 ? ",wall=" + wallNanos : "";
    return "start,event="
        + event
        + ",interval="
        + intervalNanos
        + wall
        + ",jstackdepth="
        + stackDepth
        + ",jfr,file="
        + file
        + SILENT;
  }

  private static synchronized AsyncProfiler load() throws CpuProfilerException {
    if (profiler != null) {
      return profiler;
    }
    if (loadError == null) {
      try {
        // Reuses a library already loaded with -agentpath; otherwise extracts and loads its own.
        profiler = AsyncProfiler.getInstance();
        return profiler;
      } catch (Exception | LinkageError e) {
        loadError = "async-profiler failed to load: " + e;
      }
    }
    throw new CpuProfilerException("Could not enable CPU profiling: " + loadError);
  }

  private static Path tempFile() throws CpuProfilerException {
    deleteAtExit();
    try {
      Path file = Files.createTempFile("jpprof-cpu-", ".jfr");
      // async-profiler splits its arguments at commas.
      if (file.toString().indexOf(',') >= 0) {
        deleteQuietly(file);
        throw new CpuProfilerException(
            "Could not enable CPU profiling: temp directory path contains a comma: " + file);
      }
      return file;
    } catch (IOException | SecurityException e) {
      throw new CpuProfilerException("Could not enable CPU profiling: no temp file: " + e, e);
    }
  }

  /**
   * One hook for the whole process rather than File.deleteOnExit, whose list would grow by one
   * entry per session. Unlinking works even if async-profiler writes its last chunk afterwards, at
   * VM death: it writes through the descriptor it already holds.
   */
  private static synchronized void deleteAtExit() {
    if (exitHook) {
      return;
    }
    exitHook = true;
    try {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    Path file = current;
                    if (file != null) {
                      deleteQuietly(file);
                    }
                  },
                  "jpprof-cpu-cleanup"));
    } catch (IllegalStateException | SecurityException e) {
      // Shutting down already, or not allowed: the file may outlive the JVM, nothing worse.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException | SecurityException e) {
      // A leftover temp file is harmless; failing the caller over it is not.
    }
  }
}
