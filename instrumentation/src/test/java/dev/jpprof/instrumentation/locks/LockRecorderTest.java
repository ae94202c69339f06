package dev.jpprof.instrumentation.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.instrumentation.stacks.PendingStacks;
import dev.jpprof.instrumentation.stacks.StackTable;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Go's sampling arithmetic and the tables, without hooks (no agent in this JVM). */
class LockRecorderTest {
  private static final StackTraceElement[] STACK = frames("a", "b");

  @Test
  void blockEventsAtOrAboveTheRateAreKeptAsTheyAre() {
    LockRecorder r = new LockRecorder(64, 100, n -> n - 1); // draws that never keep a short one
    r.setBlockRate(1000);
    r.block(STACK, 1000);
    r.block(STACK, 5000);
    r.block(STACK, 500); // below the rate, and the draw (999) is above its delay: dropped
    ContentionRecord rec = single(r.snapshot(false));
    assertEquals(2, rec.count());
    assertEquals(6000, rec.delayNanos());
  }

  @Test
  void keptShortBlockEventsAreUnbiasedAsGoDoes() {
    LockRecorder r = new LockRecorder(64, 100, n -> 0); // every draw keeps
    r.setBlockRate(10);
    for (int i = 0; i < 3; i++) {
      r.block(STACK, 3); // each adds count 10/3 and delay 10
    }
    ContentionRecord rec = single(r.snapshot(false));
    assertEquals(10, rec.count()); // 3 × 3.33… accumulated as a float, then truncated
    assertEquals(30, rec.delayNanos());
  }

  @Test
  void sampledBlockTotalsEstimateTheTrueOnes() {
    Random random = new Random(42);
    LockRecorder r = new LockRecorder(64, 100, n -> Math.floorMod(random.nextLong(), n));
    r.setBlockRate(1_000_000);
    int events = 100_000;
    for (int i = 0; i < events; i++) {
      r.block(STACK, 100_000 + i % 2); // ~10 % kept
    }
    ContentionRecord rec = single(r.snapshot(false));
    assertEquals(events, rec.count(), events * 0.05);
    assertEquals(events * 100_000.0, rec.delayNanos(), events * 100_000.0 * 0.05);
  }

  @Test
  void rateOneKeepsEveryEventAndZeroNone() {
    LockRecorder r =
        new LockRecorder(
            64,
            100,
            n -> {
              throw new AssertionError("rate 1 needs no draw beyond [0, 1)");
            });
    r.setBlockRate(0);
    r.block(STACK, 5);
    assertTrue(r.snapshot(false).isEmpty());
    LockRecorder every = new LockRecorder(64, 100, n -> 0);
    every.setBlockRate(1);
    every.block(STACK, 0);
    every.block(STACK, 7);
    ContentionRecord rec = single(every.snapshot(false));
    assertEquals(2, rec.count());
    assertEquals(8, rec.delayNanos()); // a 0 ns wait counts as 1, as Go's cycles do
  }

  @Test
  void mutexKeepsOneInFractionPreScaled() {
    AtomicLong calls = new AtomicLong();
    LockRecorder r = new LockRecorder(64, 100, n -> calls.getAndIncrement() % n);
    r.setMutexFraction(4);
    for (int i = 0; i < 8; i++) {
      r.mutex(STACK, 100);
    }
    ContentionRecord rec = single(r.snapshot(true));
    assertEquals(8, rec.count()); // 2 kept, each count 4
    assertEquals(800, rec.delayNanos()); // each 4 × 100
    assertTrue(r.snapshot(false).isEmpty());
    r.setMutexFraction(0);
    r.mutex(STACK, 100);
    assertEquals(8, single(r.snapshot(true)).count());
  }

  @Test
  void capSendsFurtherStacksToTheSharedOverflowRecord() {
    LockRecorder r = new LockRecorder(64, 3, n -> 0);
    r.setBlockRate(1);
    for (int i = 0; i < 10; i++) {
      r.block(frames("m" + i), 1000);
    }
    List<ContentionRecord> recs = r.snapshot(false);
    assertEquals(4, recs.size());
    assertEquals(4, r.records(false));
    ContentionRecord last = recs.get(3);
    assertTrue(last.isOverflow());
    assertEquals(StackTable.OVERFLOW_FRAME, last.frames()[0]);
    assertEquals(7, last.count());
    assertEquals(7000, last.delayNanos());
    assertEquals(7, r.overflowSamples());
    assertFalse(recs.get(0).isOverflow());
  }

  @Test
  void stacksBeyondThePendingBoundKeepTheirTotalsInTheOverflowRecord() {
    LockRecorder r = new LockRecorder(64, 100, n -> 0); // no daemon: nothing drains until read
    r.setBlockRate(1);
    int events = PendingStacks.MAX_PENDING + 76;
    for (int i = 0; i < events; i++) {
      r.block(null, 10); // the calling thread's stack, symbolized at the snapshot
    }
    assertEquals(76, r.droppedStacks());
    List<ContentionRecord> recs = r.snapshot(false);
    assertEquals(events, recs.stream().mapToLong(ContentionRecord::count).sum());
    assertEquals(events * 10L, recs.stream().mapToLong(ContentionRecord::delayNanos).sum());
    // The agent's frames (recorder, and this test's own package) are trimmed from the top.
    String leaf = recs.get(0).frames()[0].getClassName();
    assertFalse(leaf.startsWith("dev.jpprof."), leaf);
    assertTrue(recs.get(recs.size() - 1).isOverflow());
  }

  @Test
  void recorderOnlyProfilerTakesJfrEventsWithTheSameRules() {
    LockProfiler p = LockProfiler.recorderOnly(2, 100);
    p.recordBlock(STACK, 5); // off by default, as in Go
    p.setBlockRate(1);
    p.setMutexFraction(1);
    p.recordBlock(frames("x", "y", "z"), 5);
    p.recordMutex(STACK, 7);
    assertEquals(1, p.blockRecords());
    assertEquals(2, p.blockSnapshot().get(0).frames().length); // depth cap
    assertEquals(7, single(p.mutexSnapshot()).delayNanos());
    assertTrue(p.status().contains("JFR only"), p.status());
  }

  private static ContentionRecord single(List<ContentionRecord> recs) {
    assertEquals(1, recs.size(), "records: " + recs.size());
    return recs.get(0);
  }

  private static StackTraceElement[] frames(String... methods) {
    StackTraceElement[] f = new StackTraceElement[methods.length];
    for (int i = 0; i < methods.length; i++) {
      f[i] = new StackTraceElement("example.App", methods[i], "App.java", i + 1);
    }
    return f;
  }
}
