package dev.jpprof.agent.threads;

/**
 * Where a thread was started, for debug=2's {@code created by} line. The threadcreate engine
 * (a hook on {@code Thread.start}) will record these; until it exists, {@link #NONE} knows none
 * and dumps print no {@code created by} lines, as Go prints none for its main goroutine.
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
