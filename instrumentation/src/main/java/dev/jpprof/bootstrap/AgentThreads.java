package dev.jpprof.bootstrap;

/** Which threads are the agent's own, so that no profile records them. */
public final class AgentThreads {
  /** Every agent thread's name starts with this (server, workers, recorder daemons). */
  public static final String PREFIX = "jpprof-";

  private AgentThreads() {}

  /** True for the agent's own threads, whose waits, allocations and starts are not the app's. */
  public static boolean isAgentThread(Thread t) {
    return t.getName().startsWith(PREFIX);
  }
}
