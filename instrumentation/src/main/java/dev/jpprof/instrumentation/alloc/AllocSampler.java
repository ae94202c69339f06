package dev.jpprof.instrumentation.alloc;

import dev.jpprof.instrumentation.boot.BootstrapHooks;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * The allocation sampling engine behind the {@code heap} and {@code allocs} profiles: rewrites
 * allocation sites, samples them Go's way (on average one sample per {@code rate} bytes), and keeps
 * per-stack buckets of sampled allocations and frees.
 *
 * <pre>{@code
 * AllocSampler sampler = AllocSampler.install(inst, 512 * 1024, 128, 20_000);
 * sampler.gcAndDrain(5_000);                 // heap?gc=1
 * for (HeapBucket b : sampler.snapshot()) { ... }
 * }</pre>
 */
public final class AllocSampler implements AutoCloseable {
  private final AllocRecorder recorder;
  private final AllocTransformer transformer;
  private final ObjectSizes sizes;
  private final long rate;

  private AllocSampler(
      AllocRecorder recorder, AllocTransformer transformer, ObjectSizes sizes, long rate) {
    this.recorder = recorder;
    this.transformer = transformer;
    this.sizes = sizes;
    this.rate = rate;
  }

  /**
   * Defines the hooks in the bootstrap class loader, rewrites the application's classes (those
   * already loaded too) and the declared JDK classes, and starts sampling.
   *
   * @param rate mean bytes between samples (Go's {@code MemProfileRate}); 1 = every allocation, 0 =
   *     rewrite but never sample
   * @param stackDepth the most frames kept per stack (leaf first)
   * @param maxBuckets the most distinct (stack, size) buckets; further samples go to one overflow
   *     bucket and are counted by {@link #overflowCount()}
   * @throws IllegalStateException if the hooks cannot be put in the bootstrap class loader
   * @throws RuntimeException if Byte Buddy cannot install the transformer (nothing is left running
   *     then)
   */
  public static AllocSampler install(
      Instrumentation inst, long rate, int stackDepth, int maxBuckets) {
    return install(inst, rate, stackDepth, maxBuckets, true);
  }

  /**
   * {@link #install(Instrumentation, long, int, int)}, but with {@code retransformLoaded} false the
   * classes already loaded are left for {@link #retransformLoaded()}: for premain, where they are
   * JDK classes and main() should not wait for them.
   */
  public static AllocSampler install(
      Instrumentation inst, long rate, int stackDepth, int maxBuckets, boolean retransformLoaded) {
    if (rate < 0 || stackDepth < 1 || maxBuckets < 1) {
      throw new IllegalArgumentException(
          "rate=" + rate + " stackDepth=" + stackDepth + " maxBuckets=" + maxBuckets);
    }
    // First, before any class of ours that names a hook class is loaded.
    BootstrapHooks.install(inst);
    ObjectSizes sizes = ObjectSizes.calibrate(inst);
    AllocRecorder recorder = new AllocRecorder(inst, stackDepth, maxBuckets);
    try {
      AllocTransformer transformer =
          AllocTransformer.install(inst, sizes, recorder, rate, retransformLoaded);
      return new AllocSampler(recorder, transformer, sizes, rate);
    } catch (RuntimeException | Error e) {
      // Leave nothing running behind a failed install: no listener, no drain thread.
      recorder.close();
      throw e;
    }
  }

  /** Rewrites the target classes loaded before a deferred install; see install(..., false). */
  public void retransformLoaded() {
    transformer.retransformLoaded();
  }

  /** The buckets recorded so far (raw sampled counts); the overflow bucket last, if any. */
  public List<HeapBucket> snapshot() {
    return recorder.snapshot();
  }

  /** The number of buckets, the overflow bucket included once used. */
  public int bucketCount() {
    return recorder.bucketCount();
  }

  /** Samples merged into the overflow bucket because the bucket cap was reached. */
  public long overflowCount() {
    return recorder.overflowCount();
  }

  /** Classes that could not be rewritten and run unchanged (not sampled). */
  public long failedTransforms() {
    return transformer.failed();
  }

  /** Classes rewritten so far. */
  public long transformedClasses() {
    return transformer.transformed();
  }

  /**
   * Stops sampling the calling thread for good: for the agent's own threads (HTTP server, profile
   * encoding), whose allocations in rewritten JDK classes are not the application's.
   */
  public void ignoreCurrentThread() {
    recorder.ignoreCurrentThread();
  }

  /** The mean sampling interval in bytes this sampler was installed with. */
  public long rate() {
    return rate;
  }

  /** The object layout in use, as calibrated against the JVM (for the index page and tests). */
  public String layout() {
    return sizes.toString();
  }

  /**
   * For {@code heap?gc=1}: runs a full GC, then waits until the frees it caused are counted.
   *
   * @return false if the frees did not settle within {@code timeoutMillis}
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean gcAndDrain(long timeoutMillis) throws InterruptedException {
    return recorder.gcAndDrain(timeoutMillis);
  }

  /**
   * Stops sampling and restores the original classes. The hooks stay in the bootstrap loader
   * (classes cannot be unloaded from it), idle.
   */
  @Override
  public void close() {
    transformer.close();
    recorder.close();
  }
}
