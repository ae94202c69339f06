package dev.jpprof.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent:profiler.jar} (premain) and the attach API (agentmain). Both
 * share one fail-safe start; nothing here may throw into the application or print on stdout.
 */
public final class Agent {
  private Agent() {}

  public static void premain(String args, Instrumentation inst) {
    AgentStart.start(args, inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    AgentStart.start(args, inst);
  }

  /** {@code java -jar profiler.jar attach <pid> [key=value,...]}. */
  public static void main(String[] args) {
    System.exit(Attach.run(args, System.out, System.err));
  }
}
