package dev.jpprof.agent;

/**
 * The thread group of the agent's own threads, a child of the system group. On JDK 17, creating or
 * starting a thread takes its group's monitor: in the application's {@code main} group, an
 * application that holds that monitor (it is a public object) would keep the agent from starting
 * its HTTP or worker threads, and so from answering. Our own group is one no application code
 * reaches by accident. (JDK 19+ no longer locks the group.)
 */
public final class AgentThreadGroup {
  private static final ThreadGroup GROUP = create();

  private AgentThreadGroup() {}

  public static ThreadGroup group() {
    return GROUP;
  }

  /** An unstarted daemon thread {@code name} (a jpprof-* name) in the agent's group. */
  public static Thread daemon(Runnable body, String name) {
    Thread t = new Thread(GROUP, body, name);
    t.setDaemon(true);
    return t;
  }

  private static ThreadGroup create() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    try {
      while (root.getParent() != null) {
        root = root.getParent();
      }
      return new ThreadGroup(root, "jpprof");
    } catch (SecurityException e) {
      // A security manager that forbids it: the current group, as before.
      return Thread.currentThread().getThreadGroup();
    }
  }
}
