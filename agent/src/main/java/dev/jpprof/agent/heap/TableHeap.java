package dev.jpprof.agent.heap;

import dev.jpprof.instrumentation.alloc.HeapBucket;
import dev.jpprof.instrumentation.alloc.HeapCounts;
import dev.jpprof.instrumentation.stacks.StackTable;
import java.util.List;

/**
 * A heap engine that keeps its records itself, in a table of {@link HeapCounts} under one lock
 * (JVMTI's and JFR's; the bytecode engine's are the instrumentation module's).
 */
abstract class TableHeap implements HeapEngine {
  final Object lock = new Object();
  final StackTable<HeapCounts> buckets; // guarded by lock

  TableHeap(int maxBuckets) {
    this.buckets = HeapCounts.table(maxBuckets);
  }

  /** Under the lock, before a snapshot: counts what the engine has taken but not counted yet. */
  void catchUpLocked() {}

  @Override
  public List<HeapBucket> snapshot() {
    synchronized (lock) {
      catchUpLocked();
      return HeapCounts.snapshot(buckets);
    }
  }

  @Override
  public int bucketCount() {
    synchronized (lock) {
      return buckets.size();
    }
  }
}
