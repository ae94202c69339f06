package dev.jpprof.agent.heap;

import dev.jpprof.instrumentation.alloc.AllocSampler;
import dev.jpprof.instrumentation.alloc.HeapBucket;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code alloc.engine=bytebuddy}: the allocation-site rewriting of the instrumentation module,
 * opt-in only since it costs what the JVM's sampler does not (BENCHMARKS.md).
 */
final class BytecodeHeap implements HeapEngine {
  private final AllocSampler sampler;
  private final BooleanSupplier installing;

  /** {@code installing} is true until the classes loaded before premain are rewritten. */
  BytecodeHeap(AllocSampler sampler, BooleanSupplier installing) {
    this.sampler = sampler;
    this.installing = installing;
  }

  AllocSampler sampler() {
    return sampler;
  }

  @Override
  public List<HeapBucket> snapshot() {
    return sampler.snapshot();
  }

  @Override
  public int bucketCount() {
    return sampler.bucketCount();
  }

  @Override
  public long rate() {
    return sampler.rate();
  }

  @Override
  public void gcAndDrain(long timeoutMillis) throws InterruptedException {
    sampler.gcAndDrain(timeoutMillis);
  }

  @Override
  public String name() {
    return "bytebuddy";
  }

  @Override
  public String status() {
    if (installing.getAsBoolean()) {
      // Until the loaded JDK classes are rewritten, their allocation is not seen and running
      // methods are being deoptimized.
      return "allocation sampling: Byte Buddy, installing (rewriting the loaded classes)";
    }
    return "allocation sampling: Byte Buddy (alloc.engine=bytebuddy, allocation sites rewritten),"
        + " rate "
        + sampler.rate()
        + " bytes, "
        + sampler.transformedClasses()
        + " classes rewritten, "
        + sampler.failedTransforms()
        + " could not be rewritten (run unsampled), "
        + sampler.bucketCount()
        + " buckets, "
        + sampler.overflowCount()
        + " samples merged into the overflow bucket (alloc.maxBuckets)";
  }
}
