package dev.jpprof.instrumentation.threads;

import dev.jpprof.bootstrap.AgentThreads;
import dev.jpprof.bootstrap.ThreadListener;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records thread starts: a count per starting stack (threadcreate) and, while a thread lives, who
 * started it (goroutine's "created by"). Both are bounded: distinct stacks by a cap with one
 * overflow record, creations by the live threads (entries go when their thread is collected).
 */
public final class ThreadRecorder implements ThreadListener {
  /** The overflow record's one frame. */
  static final StackTraceElement OVERFLOW =
      new StackTraceElement("jpprof", "threadStackOverflow", null, 0);

  private final int stackDepth;
  private final int maxStacks;
  private final Map<List<StackTraceElement>, long[]> counts = new LinkedHashMap<>(); // guarded
  private final long[] overflow = new long[1]; // guarded by counts
  private final Map<Long, Creation> creations = new ConcurrentHashMap<>();
  private final ReferenceQueue<Thread> dead = new ReferenceQueue<>();
  private volatile long total;

  ThreadRecorder(int stackDepth, int maxStacks) {
    this.stackDepth = stackDepth;
    this.maxStacks = maxStacks;
  }

  @Override
  public void onStart(Thread started) {
    if (AgentThreads.isAgentThread(started)) {
      return; // the agent's own threads (server workers): not the application's
    }
    StackTraceElement[] stack = startingStack(new Throwable().getStackTrace());
    Thread parent = Thread.currentThread();
    creations.put(started.getId(), new Creation(parent.getId(), stack, started, dead));
    for (Reference<? extends Thread> r; (r = dead.poll()) != null; ) {
      creations.remove(((Creation) r).threadId, r);
    }
    synchronized (counts) {
      total++;
      long[] n = counts.get(Arrays.asList(stack));
      if (n != null) {
        n[0]++;
      } else if (counts.size() < maxStacks) {
        counts.put(Arrays.asList(stack), new long[] {1});
      } else {
        overflow[0]++;
      }
    }
  }

  /** Drops the hook's own frames: the stack starts at {@code Thread.start}, capped in depth. */
  private StackTraceElement[] startingStack(StackTraceElement[] raw) {
    int from = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i].getClassName().equals("java.lang.Thread")
          && raw[i].getMethodName().equals("start")) {
        from = i;
        break;
      }
    }
    return Arrays.copyOfRange(raw, from, Math.min(raw.length, from + stackDepth));
  }

  List<Record> snapshot() {
    List<Record> out = new ArrayList<>();
    synchronized (counts) {
      for (Map.Entry<List<StackTraceElement>, long[]> e : counts.entrySet()) {
        out.add(new Record(e.getKey().toArray(new StackTraceElement[0]), e.getValue()[0]));
      }
      if (overflow[0] > 0) {
        out.add(new Record(new StackTraceElement[] {OVERFLOW}, overflow[0]));
      }
    }
    return out;
  }

  long total() {
    return total;
  }

  Creation creation(long threadId) {
    return creations.get(threadId);
  }

  /** A starting stack and how many threads it started. */
  public static final class Record {
    public final StackTraceElement[] stack;
    public final long count;

    Record(StackTraceElement[] stack, long count) {
      this.stack = stack;
      this.count = count;
    }
  }

  /** Who started a live thread; weakly tied to it so that the entry goes with the thread. */
  public static final class Creation extends WeakReference<Thread> {
    public final long parentId;
    public final StackTraceElement[] stack;
    final long threadId;

    Creation(long parentId, StackTraceElement[] stack, Thread thread, ReferenceQueue<Thread> q) {
      super(thread, q);
      this.parentId = parentId;
      this.stack = stack;
      this.threadId = thread.getId();
    }
  }
}
