package dev.jpprof.agent.heap;

import dev.jpprof.agent.cpu.SourceInfo;
import dev.jpprof.agent.server.ProfileSource;
import dev.jpprof.agent.threads.FrameAddresses;
import dev.jpprof.agent.vars.MemStats;
import dev.jpprof.instrumentation.alloc.AllocSampler;
import dev.jpprof.instrumentation.alloc.HeapBucket;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.List;
import java.util.function.Supplier;

/**
 * /debug/pprof/heap and /debug/pprof/allocs: the same sampled buckets, as Go serves them; they
 * differ only in the sample type pprof shows by default (inuse_space and alloc_space). Before
 * the sampler is installed, or with {@code alloc.rate=0}, both are valid profiles with no samples.
 */
public final class HeapSource implements ProfileSource {
  private static final long GC_WAIT_MILLIS = 10_000;

  private final boolean allocs;
  private final Supplier<AllocSampler> sampler;
  private final SourceInfo sources;
  private final FrameAddresses addresses;
  private final long rate;

  /**
   * @param allocs true for /allocs (default sample type alloc_space), false for /heap
   * @param sampler the installed sampler, or null while there is none
   * @param rate the configured mean bytes between samples (the profile's period)
   */
  public HeapSource(boolean allocs, Supplier<AllocSampler> sampler, SourceInfo sources,
      FrameAddresses addresses, long rate) {
    this.allocs = allocs;
    this.sampler = sampler;
    this.sources = sources;
    this.addresses = addresses;
    this.rate = rate;
  }

  /** Go: the number of buckets, those with no live bytes included. */
  @Override
  public long count() {
    AllocSampler s = sampler.get();
    return s == null ? 0 : s.bucketCount();
  }

  @Override
  public Profile snapshot() {
    long now = System.currentTimeMillis() * 1_000_000L;
    return HeapProfile.build(now, buckets(), rate, allocs, sources.batch());
  }

  @Override
  public String text(int debug) {
    return HeapText.write(buckets(), rate, addresses, MemStats.read());
  }

  /** heap?gc=1: a full GC, then wait until the frees it caused are counted. */
  @Override
  public void collectGarbage() throws InterruptedException {
    AllocSampler s = sampler.get();
    if (s == null) {
      System.gc();
    } else {
      s.gcAndDrain(GC_WAIT_MILLIS);
    }
  }

  private List<HeapBucket> buckets() {
    AllocSampler s = sampler.get();
    return s == null ? List.of() : s.snapshot();
  }
}
