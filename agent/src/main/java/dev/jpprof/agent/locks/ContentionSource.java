package dev.jpprof.agent.locks;

import dev.jpprof.agent.frames.FrameLines;
import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.instrumentation.locks.ContentionRecord;
import dev.jpprof.instrumentation.locks.LockProfiler;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.Labels;
import dev.jpprof.pprof.ProfileBuilder;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * /debug/pprof/block and /debug/pprof/mutex (runtime/pprof's printCountCycleProfile): records of
 * contentions/count and delay/nanoseconds, cumulative, sorted by delay descending, no labels.
 * Before the lock engine is installed both are valid profiles without samples, as Go's are with
 * their rates at 0.
 */
public final class ContentionSource implements ProfileSource {
  /** We record nanoseconds, so Go's "cycles" are nanoseconds and a second has 1e9 of them. */
  static final long CYCLES_PER_SECOND = 1_000_000_000L;

  private final boolean mutex;
  private final Supplier<LockProfiler> profiler;
  private final SourceInfo sources;
  private final FrameAddresses addresses;

  /**
   * /block: the waiters' stacks.
   *
   * @param profiler the installed engine, or null while there is none
   */
  public static ContentionSource block(
      Supplier<LockProfiler> profiler, SourceInfo sources, FrameAddresses addresses) {
    return new ContentionSource(false, profiler, sources, addresses);
  }

  /** /mutex: the holders' stacks; as {@link #block}. */
  public static ContentionSource mutex(
      Supplier<LockProfiler> profiler, SourceInfo sources, FrameAddresses addresses) {
    return new ContentionSource(true, profiler, sources, addresses);
  }

  private ContentionSource(
      boolean mutex,
      Supplier<LockProfiler> profiler,
      SourceInfo sources,
      FrameAddresses addresses) {
    this.mutex = mutex;
    this.profiler = profiler;
    this.sources = sources;
    this.addresses = addresses;
  }

  /** Go: the number of records. */
  @Override
  public long count() {
    LockProfiler p = profiler.get();
    return p == null ? 0 : mutex ? p.mutexRecords() : p.blockRecords();
  }

  @Override
  public Profile snapshot() {
    ProfileBuilder b =
        new ProfileBuilder(System.currentTimeMillis() * 1_000_000L, addresses)
            .sampleType("contentions", "count")
            .sampleType("delay", "nanoseconds")
            .period("contentions", "count", 1);
    SourceInfo.Batch batch = sources.batch();
    for (ContentionRecord r : records()) {
      StackTraceElement[] frames = r.frames();
      long[] locations = new long[frames.length];
      for (int i = 0; i < frames.length; i++) {
        locations[i] = b.location(batch.frame(frames[i]));
      }
      b.addSample(locations, new long[] {r.count(), r.delayNanos()}, Labels.NONE);
    }
    return b.build();
  }

  /**
   * Go's debug=1 text: a header, then {@code <cycles> <count> @ 0x…} and the frame lines per
   * record. A negative debug gets the protobuf, as in Go.
   */
  @Override
  public String text(int debug) {
    if (debug < 0) {
      return null;
    }
    List<ContentionRecord> records = records();
    StringBuilder b = new StringBuilder(256 * (records.size() + 1));
    b.append(mutex ? "--- mutex:\n" : "--- contention:\n");
    b.append("cycles/second=").append(CYCLES_PER_SECOND).append('\n');
    if (mutex) {
      LockProfiler p = profiler.get();
      b.append("sampling period=").append(p == null ? 0 : p.mutexFraction()).append('\n');
    }
    for (ContentionRecord r : records) {
      long[] pcs = FrameLines.pcs(r.frames(), addresses);
      b.append(r.delayNanos())
          .append(' ')
          .append(r.count())
          .append(' ')
          .append(FrameLines.at(pcs))
          .append('\n');
      FrameLines.write(b, r.frames(), pcs, addresses);
      b.append('\n');
    }
    return b.toString();
  }

  /** The records, by delay descending as Go sorts them. */
  private List<ContentionRecord> records() {
    LockProfiler p = profiler.get();
    List<ContentionRecord> records =
        new ArrayList<>(p == null ? List.of() : mutex ? p.mutexSnapshot() : p.blockSnapshot());
    records.sort((x, y) -> Long.compare(y.delayNanos(), x.delayNanos()));
    return records;
  }
}
