package dev.jpprof.agent.heap;

import dev.jpprof.instrumentation.alloc.HeapBucket;
import java.util.List;

/**
 * Where heap and allocs get their samples: the JVM's JVMTI sampler ({@link JvmtiHeap}, the
 * default), JFR's allocation samples ({@link JfrHeap}, allocs only), or the opt-in bytecode
 * rewriting ({@link BytecodeHeap}). {@link HeapEngines} picks one from {@code alloc.engine}.
 */
public interface HeapEngine {
  /** The records so far, raw sampled counts unless {@link #rate()} is 1; overflow bucket last. */
  List<HeapBucket> snapshot();

  /** Records, the overflow bucket included once used (the index page's count). */
  int bucketCount();

  /**
   * The profile's period: mean bytes between samples, by which the profile unsamples (Go's
   * scaleHeapSample); 1 when the records already hold estimated totals.
   */
  long rate();

  /** heap?gc=1: a full GC, then wait (up to the timeout) until the frees it caused are counted. */
  void gcAndDrain(long timeoutMillis) throws InterruptedException;

  /** The index page's line: the engine, its rate, what it could not see. */
  String status();

  /** The engine's name, the {@code engine} label of /metrics: jvmti, jfr or bytebuddy. */
  String name();

  /** The samples the engine has taken, for /metrics; -1 where it does not count them. */
  default long samplesTaken() {
    return -1;
  }

  /** The samples it took but could not keep (dropped while behind); -1 where not counted. */
  default long samplesDropped() {
    return -1;
  }
}
