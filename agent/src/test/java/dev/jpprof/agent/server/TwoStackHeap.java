package dev.jpprof.agent.server;

import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.Labels;
import dev.jpprof.pprof.ProfileBuilder;
import dev.jpprof.pprof.ProfileBuilder.Frame;
import dev.jpprof.pprof.proto.ProfileProto.Profile;

/**
 * A heap whose two stacks keep allocating (stack "a" 10 objects per snapshot, "b" only at the
 * first) while "a" holds 3 objects in use and "b" 1; gc=1 is counted. Push's tests use it too.
 */
public final class TwoStackHeap implements ProfileSource {
  public volatile int snapshots;
  int gcs;

  @Override
  public long count() {
    return 2;
  }

  @Override
  public synchronized Profile snapshot() {
    snapshots++;
    ProfileBuilder b =
        new ProfileBuilder(snapshots * 1_000_000_000L, FrameAddresses.SHARED)
            .sampleType("alloc_objects", "count")
            .sampleType("alloc_space", "bytes")
            .sampleType("inuse_objects", "count")
            .sampleType("inuse_space", "bytes")
            .period("space", "bytes", 512 * 1024);
    long a = b.location(new Frame("x.A.alloc", "A.java", 1, 2));
    long bee = b.location(new Frame("x.B.alloc", "B.java", 1, 2));
    b.addSample(new long[] {a}, new long[] {10L * snapshots, 160L * snapshots, 3, 48}, bytes());
    b.addSample(new long[] {bee}, new long[] {1, 16, 1, 16}, bytes());
    return b.build();
  }

  @Override
  public void collectGarbage() {
    gcs++;
  }

  private static Labels bytes() {
    return Labels.NONE.withNum("bytes", 16);
  }
}
