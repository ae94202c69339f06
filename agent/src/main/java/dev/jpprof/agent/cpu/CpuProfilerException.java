package dev.jpprof.agent.cpu;

/**
 * CPU profiling could not be started or its profile could not be built. The message is one line
 * meant for the user (the server sends it back as the error body), e.g. {@code Could not enable CPU
 * profiling: async-profiler failed to load: ...}.
 */
public class CpuProfilerException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An error with a user-facing one-line message. */
  public CpuProfilerException(String message) {
    super(oneLine(message));
  }

  /** An error with a user-facing one-line message and the failure behind it. */
  public CpuProfilerException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  // Native and JDK messages sometimes span lines; an HTTP error body and an index page want one.
  private static String oneLine(String message) {
    return message == null ? null : message.trim().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
