package dev.jpprof.agent.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.instrumentation.locks.LockProfiler;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.ProfileValidator;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import org.junit.jupiter.api.Test;

/** Go's block and mutex formats from recorded contention: protobuf header and debug=1 text. */
class ContentionSourceTest {
  private static final StackTraceElement[] SHORT = {
    new StackTraceElement("com.example.App", "take", "App.java", 12)
  };
  private static final StackTraceElement[] LONG = {
    new StackTraceElement("com.example.App", "lock", "App.java", 20),
    new StackTraceElement("com.example.App", "main", "App.java", 5)
  };

  private static LockProfiler recorded() {
    LockProfiler p = LockProfiler.recorderOnly(16, 64);
    p.setBlockRate(1);
    p.setMutexFraction(1);
    p.recordBlock(SHORT, 1_000);
    p.recordBlock(LONG, 5_000_000);
    p.recordMutex(LONG, 7_000);
    return p;
  }

  @Test
  void blockTextIsGosContentionFormatSortedByDelay() {
    LockProfiler p = recorded();
    ContentionSource block =
        ContentionSource.block(() -> p, new SourceInfo(null), new FrameAddresses());
    assertEquals(
        "--- contention:\ncycles/second=1000000000\n"
            + "5000000 1 @ 0x10000001 0x10010001\n"
            + "#\t0x10000000\tcom.example.App.lock+0x0\tApp.java:20\n"
            + "#\t0x10010000\tcom.example.App.main+0x0\tApp.java:5\n\n"
            + "1000 1 @ 0x10020001\n"
            + "#\t0x10020000\tcom.example.App.take+0x0\tApp.java:12\n\n",
        block.text(1));
    assertEquals(2, block.count());
  }

  @Test
  void mutexTextNamesTheSamplingPeriod() {
    LockProfiler p = recorded();
    p.setMutexFraction(5);
    ContentionSource mutex =
        ContentionSource.mutex(() -> p, new SourceInfo(null), new FrameAddresses());
    String text = mutex.text(1);
    assertEquals(
        "--- mutex:\ncycles/second=1000000000\nsampling period=5\n",
        text.substring(0, text.indexOf("7000 1 @")));
  }

  @Test
  void protobufHasGosTypesPeriodAndOrder() throws Exception {
    LockProfiler p = recorded();
    Profile profile =
        ContentionSource.block(() -> p, new SourceInfo(null), new FrameAddresses()).snapshot();
    ProfileValidator.checkGoConventions(profile);
    assertEquals("contentions", profile.getStringTable((int) profile.getSampleType(0).getType()));
    assertEquals("count", profile.getStringTable((int) profile.getSampleType(0).getUnit()));
    assertEquals("delay", profile.getStringTable((int) profile.getSampleType(1).getType()));
    assertEquals("nanoseconds", profile.getStringTable((int) profile.getSampleType(1).getUnit()));
    assertEquals("contentions", profile.getStringTable((int) profile.getPeriodType().getType()));
    assertEquals(1, profile.getPeriod());
    assertEquals(5_000_000, profile.getSample(0).getValue(1));
    assertEquals(1_000, profile.getSample(1).getValue(1));
  }

  @Test
  void withoutAnEngineBothAreValidAndEmpty() throws Exception {
    ContentionSource none =
        ContentionSource.mutex(() -> null, new SourceInfo(null), new FrameAddresses());
    assertEquals(0, none.count());
    assertEquals("--- mutex:\ncycles/second=1000000000\nsampling period=0\n", none.text(1));
    assertEquals(0, none.snapshot().getSampleCount());
  }
}
