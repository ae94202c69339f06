package dev.jpprof.agent;

import java.lang.instrument.Instrumentation;

/** Entry point for -javaagent (premain) and the attach API (agentmain). */
public final class Agent {
  private Agent() {}

  public static void premain(String args, Instrumentation inst) {}

  public static void agentmain(String args, Instrumentation inst) {}
}
