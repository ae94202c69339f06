package dev.jpprof.agent.heap;

import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.instrumentation.alloc.HeapBucket;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.Labels;
import dev.jpprof.pprof.ProfileBuilder;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.List;

/**
 * Go's heap/allocs protobuf (runtime/pprof protomem.go): four sample types, period space/bytes =
 * the sampling rate, each bucket's raw counts unsampled with Go's formula, and the numeric label
 * {@code bytes} = the bucket's average object size.
 */
final class HeapProfile {
  private HeapProfile() {}

  static Profile build(
      long timeNanos,
      List<HeapBucket> buckets,
      long rate,
      boolean allocs,
      SourceInfo.Batch sources) {
    ProfileBuilder b =
        new ProfileBuilder(timeNanos, FrameAddresses.SHARED)
            .sampleType("alloc_objects", "count")
            .sampleType("alloc_space", "bytes")
            .sampleType("inuse_objects", "count")
            .sampleType("inuse_space", "bytes")
            .period("space", "bytes", rate);
    if (allocs) {
      b.defaultSampleType("alloc_space"); // heap leaves it unset: pprof then shows inuse_space
    }
    for (HeapBucket bucket : buckets) {
      StackTraceElement[] frames = bucket.frames();
      long[] locations = new long[frames.length];
      for (int i = 0; i < frames.length; i++) {
        locations[i] = b.location(sources.frame(frames[i]));
      }
      long[] alloc = scale(bucket.allocObjects(), bucket.allocBytes(), rate);
      long[] inuse = scale(bucket.inuseObjects(), bucket.inuseBytes(), rate);
      Labels labels =
          bucket.allocObjects() > 0 && bucket.allocBytes() > 0
              ? Labels.NONE.withNum("bytes", bucket.allocBytes() / bucket.allocObjects())
              : Labels.NONE;
      b.addSample(locations, new long[] {alloc[0], alloc[1], inuse[0], inuse[1]}, labels);
    }
    return b.build();
  }

  /**
   * Go's scaleHeapSample: a sampled (count, bytes) pair becomes an estimate of the real one.
   * Allocations of average size s are sampled with probability 1 − e^(−s/rate).
   */
  static long[] scale(long count, long bytes, long rate) {
    if (count == 0 || bytes == 0) {
      return new long[] {0, 0};
    }
    if (rate <= 1) {
      return new long[] {count, bytes};
    }
    double average = (double) bytes / count;
    double scale = 1 / (1 - Math.exp(-average / rate));
    return new long[] {(long) (count * scale), (long) (bytes * scale)};
  }
}
