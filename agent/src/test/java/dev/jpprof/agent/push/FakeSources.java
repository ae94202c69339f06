package dev.jpprof.agent.push;

import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.Labels;
import dev.jpprof.pprof.ProfileBuilder;
import dev.jpprof.pprof.ProfileBuilder.Frame;
import dev.jpprof.pprof.proto.ProfileProto.Profile;

/** Profile sources with known values, so that what arrives can be checked number by number. */
final class FakeSources {
  private FakeSources() {}

  /** goroutine: two threads parked in the same place. */
  static final class Threads implements ProfileSource {
    @Override
    public long count() {
      return 2;
    }

    @Override
    public Profile snapshot() {
      ProfileBuilder b =
          new ProfileBuilder(System.currentTimeMillis() * 1_000_000L, FrameAddresses.SHARED)
              .sampleType("goroutine", "count")
              .period("goroutine", "count", 1);
      long p = b.location(new Frame("x.Worker.park", "Worker.java", 5, 7));
      b.addSample(new long[] {p}, new long[] {2}, Labels.NONE);
      return b.build();
    }
  }

  /** A CPU window: 3 samples of x.Busy.spin, whatever its length. */
  static Pusher.CpuWindow cpuWindow() {
    return () -> {
      ProfileBuilder b =
          new ProfileBuilder(System.currentTimeMillis() * 1_000_000L, FrameAddresses.SHARED)
              .sampleType("samples", "count")
              .sampleType("cpu", "nanoseconds")
              .period("cpu", "nanoseconds", 10_000_000);
      long s = b.location(new Frame("x.Busy.spin", "Busy.java", 1, 3));
      b.addSample(new long[] {s}, new long[] {3, 30_000_000}, Labels.NONE);
      return b.build();
    };
  }
}
