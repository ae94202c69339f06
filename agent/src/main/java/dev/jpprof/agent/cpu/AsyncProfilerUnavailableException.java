package dev.jpprof.agent.cpu;

/**
 * async-profiler could not load or start its session: the cue for {@code cpu.engine=auto} to use
 * JFR instead. {@link #busy} means someone else (the application, another agent) runs it right now,
 * which may end; anything else (no native library, no temp file, no event that starts) is taken as
 * lasting.
 */
final class AsyncProfilerUnavailableException extends CpuProfilerException {
  private static final long serialVersionUID = 1L;

  final boolean busy;

  AsyncProfilerUnavailableException(String message, boolean busy, Throwable cause) {
    super(message, cause);
    this.busy = busy;
  }

  /** The start failure {@code e} as unavailability, busy if the session said so. */
  static AsyncProfilerUnavailableException of(CpuProfilerException e) {
    if (e instanceof AsyncProfilerUnavailableException) {
      return (AsyncProfilerUnavailableException) e;
    }
    return new AsyncProfilerUnavailableException(e.getMessage(), false, e);
  }
}
