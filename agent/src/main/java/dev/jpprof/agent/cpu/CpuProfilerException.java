package dev.jpprof.agent.cpu;

/** A CPU profile could not be started or built; the message is shown to the user. */
public class CpuProfilerException extends Exception {
  public CpuProfilerException(String message) {
    super(message);
  }
}
