package dev.jpprof.agent.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.ProfileValidator;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three goroutine forms of one hand-made dump, against hand-written expected output. */
class GoroutineFormatsTest {
  private static final StackTraceElement PARK =
      new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2);
  private static final StackTraceElement LOCK_SUPPORT =
      new StackTraceElement(
          "java.util.concurrent.locks.LockSupport", "park", "LockSupport.java", 371);
  private static final StackTraceElement APP =
      new StackTraceElement("com.example.App", "work", "App.java", 10);
  private static final String QUEUE =
      "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@5e2de80c";

  /** debug=2's stack of both pool threads: PARK, LOCK_SUPPORT, APP. */
  private static final String POOL_STACK =
      "jdk.internal.misc.Unsafe.park(...)\n"
          + "\t?:0\n"
          + "java.util.concurrent.locks.LockSupport.park(...)\n"
          + "\tLockSupport.java:371\n"
          + "com.example.App.work(...)\n"
          + "\tApp.java:10\n";

  private static ThreadDump dump() {
    return new ThreadDump(
        1_700_000_000_000_000_000L,
        13,
        List.of(
            new ThreadSample(
                11,
                "pool-1-thread-1",
                Thread.State.WAITING,
                false,
                QUEUE,
                new StackTraceElement[] {PARK, LOCK_SUPPORT, APP}),
            new ThreadSample(
                12,
                "pool-1-thread-2",
                Thread.State.WAITING,
                false,
                QUEUE,
                new StackTraceElement[] {PARK, LOCK_SUPPORT, APP}),
            new ThreadSample(
                13, "main", Thread.State.RUNNABLE, false, null, new StackTraceElement[] {APP})));
  }

  @Test
  void debug1IsGosCountedText() {
    ThreadDump d = dump();
    FrameAddresses addresses = new FrameAddresses();
    String text =
        GoroutineText.write(
            "goroutine",
            GoroutineGroups.of(d.threads, 128, addresses),
            d.threads.size(),
            addresses);
    assertEquals(
        "goroutine profile: total 3\n"
            + "2 @ 0x10000001 0x10010001 0x10020001\n"
            + "# labels: {\"pool\":\"pool-1\", \"state\":\"WAITING\"}\n"
            + "#\t0x10000000\tjdk.internal.misc.Unsafe.park+0x0\t\t?:0\n"
            + "#\t0x10010000\tjava.util.concurrent.locks.LockSupport.park+0x0\tLockSupport.java:371\n"
            + "#\t0x10020000\tcom.example.App.work+0x0\t\t\tApp.java:10\n"
            + "\n"
            + "1 @ 0x10020001\n"
            + "# labels: {\"state\":\"RUNNABLE\"}\n"
            + "#\t0x10020000\tcom.example.App.work+0x0\tApp.java:10\n"
            + "\n",
        text);
    assertEquals("com.example.App.work", addresses.function(0x10020000L));
    assertEquals("com.example.App.work", addresses.function(0x1002ffffL));
    assertNull(addresses.function(0x10030000L));
    assertNull(addresses.function(0x42));
  }

  @Test
  void debug2IsAPanicTraceRequesterFirst() {
    ThreadDump d = dump();
    Map<Long, String> reasons = new HashMap<>();
    d.threads.forEach(t -> reasons.put(t.id, WaitReason.of(t, t.id == d.requesterId)));
    CreationStacks creations =
        id ->
            id != 12
                ? null
                : new CreationStacks.Creation(
                    1,
                    new StackTraceElement[] {
                      new StackTraceElement("java.lang.Thread", "start", "Thread.java", 800),
                      new StackTraceElement("com.example.App", "startWorkers", "App.java", 20)
                    });
    String text = GoroutineDump.write(d, reasons, Map.of(12L, 3L), creations);
    assertEquals(
        "goroutine 13 [running, labels:{\"state\":\"RUNNABLE\", \"thread\":\"main\"}]:\n"
            + "com.example.App.work(...)\n"
            + "\tApp.java:10\n"
            + "\n"
            + "goroutine 11 [chan receive on "
            + QUEUE
            + ", labels:{\"pool\":\"pool-1\","
            + " \"state\":\"WAITING\", \"thread\":\"pool-1-thread-1\"}]:\n"
            + POOL_STACK
            + "\n"
            + "goroutine 12 [chan receive on "
            + QUEUE
            + ", 3 minutes, labels:{\"pool\":\"pool-1\","
            + " \"state\":\"WAITING\", \"thread\":\"pool-1-thread-2\"}]:\n"
            + POOL_STACK
            + "created by com.example.App.startWorkers in goroutine 1\n"
            + "\tApp.java:20\n",
        text);
  }

  @Test
  void deepStacksAreElidedAsGoElidesThem() {
    StackTraceElement[] deep = new StackTraceElement[130];
    for (int i = 0; i < deep.length; i++) {
      deep[i] = new StackTraceElement("a.B", "f" + i, "B.java", i + 1);
    }
    ThreadDump d =
        new ThreadDump(
            0, 1, List.of(new ThreadSample(1, "main", Thread.State.RUNNABLE, false, null, deep)));
    String text = GoroutineDump.write(d, Map.of(1L, "running"), Map.of(), CreationStacks.NONE);
    String[] lines = text.split("\n");
    assertEquals(1 + 50 * 2 + 1 + 50 * 2, lines.length);
    assertEquals("a.B.f49(...)", lines[99]);
    assertEquals("...30 frames elided...", lines[101]);
    assertEquals("a.B.f80(...)", lines[102]);
  }

  @Test
  void protobufIsGosGoroutineProfileInTheSameOrder() throws Exception {
    ThreadDump d = dump();
    Profile p =
        GoroutineSource.profile(
            d.timeNanos,
            GoroutineGroups.of(d.threads, 128, new FrameAddresses()),
            new SourceInfo(null).batch());
    ProfileValidator.checkGoConventions(p);
    assertEquals("goroutine", p.getStringTable((int) p.getSampleType(0).getType()));
    assertEquals("count", p.getStringTable((int) p.getSampleType(0).getUnit()));
    assertEquals("goroutine", p.getStringTable((int) p.getPeriodType().getType()));
    assertEquals(1, p.getPeriod());
    assertEquals(d.timeNanos, p.getTimeNanos());
    assertEquals(2, p.getSampleCount());
    assertEquals(2, p.getSample(0).getValue(0));
    assertEquals(3, p.getSample(0).getLocationIdCount());
    assertEquals(1, p.getSample(1).getValue(0));
    assertEquals(2, p.getSample(0).getLabelCount()); // pool and state
  }

  @Test
  void stacksAreCutAtTheDepth() {
    ThreadDump d = dump();
    List<GoroutineGroups.Group> groups = GoroutineGroups.of(d.threads, 2, new FrameAddresses());
    assertEquals(2, groups.get(0).stack.length);
  }
}
