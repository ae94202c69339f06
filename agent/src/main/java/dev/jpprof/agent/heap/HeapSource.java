package dev.jpprof.agent.heap;

import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.agent.vars.MemStats;
import dev.jpprof.instrumentation.alloc.HeapBucket;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.List;
import java.util.function.Supplier;

/**
 * /debug/pprof/heap and /debug/pprof/allocs: the same sampled buckets, as Go serves them; they
 * differ only in the sample type pprof shows by default (inuse_space and alloc_space). Before the
 * engine has started, or with {@code alloc.rate=0}, both are valid profiles with no samples.
 */
public final class HeapSource implements ProfileSource {
  private static final long GC_WAIT_MILLIS = 10_000;

  private final boolean allocs;
  private final Supplier<HeapEngine> engine;
  private final SourceInfo sources;
  private final FrameAddresses addresses;
  private final long rate;

  /**
   * /heap: default sample type inuse_space.
   *
   * @param engine the running heap engine, or null while there is none
   * @param rate the configured mean bytes between samples (the period while there is no engine)
   */
  public static HeapSource heap(
      Supplier<HeapEngine> engine, SourceInfo sources, FrameAddresses addresses, long rate) {
    return new HeapSource(false, engine, sources, addresses, rate);
  }

  /** /allocs: the same buckets, default sample type alloc_space; as {@link #heap}. */
  public static HeapSource allocs(
      Supplier<HeapEngine> engine, SourceInfo sources, FrameAddresses addresses, long rate) {
    return new HeapSource(true, engine, sources, addresses, rate);
  }

  private HeapSource(
      boolean allocs,
      Supplier<HeapEngine> engine,
      SourceInfo sources,
      FrameAddresses addresses,
      long rate) {
    this.allocs = allocs;
    this.engine = engine;
    this.sources = sources;
    this.addresses = addresses;
    this.rate = rate;
  }

  /** Go: the number of buckets, those with no live bytes included. */
  @Override
  public long count() {
    HeapEngine e = engine.get();
    return e == null ? 0 : e.bucketCount();
  }

  @Override
  public Profile snapshot() {
    long now = System.currentTimeMillis() * 1_000_000L;
    HeapEngine e = engine.get();
    return HeapProfile.build(now, buckets(e), rate(e), allocs, sources.batch());
  }

  @Override
  public String text(int debug) {
    HeapEngine e = engine.get();
    return HeapText.write(buckets(e), rate(e), addresses, MemStats.read());
  }

  /** heap?gc=1: a full GC, then wait until the frees it caused are counted. */
  @Override
  public void collectGarbage() throws InterruptedException {
    HeapEngine e = engine.get();
    if (e == null) {
      System.gc();
    } else {
      e.gcAndDrain(GC_WAIT_MILLIS);
    }
  }

  private static List<HeapBucket> buckets(HeapEngine e) {
    return e == null ? List.of() : e.snapshot();
  }

  private long rate(HeapEngine e) {
    return e == null ? rate : e.rate();
  }
}
