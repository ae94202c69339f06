package dev.jpprof.agent.threads;

/**
 * One live thread as a thread dump saw it: a platform thread from ThreadMXBean or a virtual thread
 * from the JDK's JSON thread dump. Immutable.
 */
final class ThreadSample {
  final long id;

  /** The thread's name; "" for unnamed virtual threads. */
  final String name;

  /** The thread's state, or null where the dump does not say (JDK 21–24 JSON dumps). */
  final Thread.State state;

  final boolean virtual;

  /**
   * The object the thread is blocked on, waits on, or is parked on, as {@code class@hash} ({@link
   * java.lang.management.ThreadInfo#getLockName()}); null when none or unknown.
   */
  final String lock;

  /** Leaf first. */
  final StackTraceElement[] stack;

  ThreadSample(
      long id,
      String name,
      Thread.State state,
      boolean virtual,
      String lock,
      StackTraceElement[] stack) {
    this.id = id;
    this.name = name == null ? "" : name;
    this.state = state;
    this.virtual = virtual;
    this.lock = lock;
    this.stack = stack;
  }
}
