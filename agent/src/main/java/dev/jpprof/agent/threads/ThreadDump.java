package dev.jpprof.agent.threads;

import dev.jpprof.agent.AgentLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** All live threads at one moment: platform threads, then (JDK 21+) virtual threads. */
final class ThreadDump {
  /** Unix epoch nanoseconds when the dump was taken. */
  final long timeNanos;

  /** The thread that asked for the dump (Go's {@code [running]} goroutine). */
  final long requesterId;

  final List<ThreadSample> threads;

  ThreadDump(long timeNanos, long requesterId, List<ThreadSample> threads) {
    this.timeNanos = timeNanos;
    this.requesterId = requesterId;
    this.threads = Collections.unmodifiableList(threads);
  }

  /**
   * Dumps every thread; blocks for the dump's safepoint (and the JSON dump on JDK 21+). If the
   * virtual threads cannot be listed, the platform threads are returned alone. Platform stacks are
   * cut at {@code maxDepth} (fewer frames to copy); the JDK's JSON dump always has them all.
   */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+, the agent runs on 11+
  static ThreadDump take(boolean withVirtual, int maxDepth) {
    long time = System.currentTimeMillis() * 1_000_000L;
    List<ThreadSample> threads = new ArrayList<>(PlatformThreads.dump(maxDepth));
    if (withVirtual && VirtualThreads.supported()) {
      Set<Long> platformIds = new HashSet<>();
      threads.forEach(t -> platformIds.add(t.id));
      try {
        threads.addAll(VirtualThreads.dump(platformIds));
      } catch (Exception | LinkageError e) {
        // The platform threads are still worth serving; the failure is told once on stderr.
        AgentLog.failure("virtual thread dump", e);
      }
    }
    return new ThreadDump(time, Thread.currentThread().getId(), threads);
  }
}
