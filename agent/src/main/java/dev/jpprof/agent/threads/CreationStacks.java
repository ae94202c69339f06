package dev.jpprof.agent.threads;

/**
 * Where a thread was started, for debug=2's {@code created by} line. {@link ThreadCreateSource}
 * answers from the {@code Thread.start} hook; a thread started before the hook was in, or when it
 * is off, has none, and the dump prints no {@code created by} line for it, as Go prints none for
 * its main goroutine. {@link #NONE} knows no thread (tests, measurements).
 */
public interface CreationStacks {
  /** Knows no thread's creation. */
  CreationStacks NONE = threadId -> null;

  /** How the thread with this id was started, or null when it was not recorded. */
  Creation find(long threadId);

  /** One recorded thread start. */
  final class Creation {
    /** The id of the thread that called {@code Thread.start}. */
    public final long parentId;

    /** The starting thread's stack at {@code Thread.start}, leaf first. */
    public final StackTraceElement[] stack;

    /** A recorded start. */
    public Creation(long parentId, StackTraceElement[] stack) {
      this.parentId = parentId;
      this.stack = stack.clone();
    }
  }
}
