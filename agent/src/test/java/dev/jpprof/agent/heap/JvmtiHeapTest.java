package dev.jpprof.agent.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.instrumentation.alloc.HeapBucket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVMTI engine in this JVM: libjpprof loaded from the native module, sampling started on a live
 * JVM (as an attach does), a retained allocation seen in use at its own method and line, then freed
 * once released. The end-to-end tests check the same through the agent's endpoints.
 */
class JvmtiHeapTest {
  private static final int RATE = 4096;
  private static volatile List<byte[]> retained;

  @Test
  void classNamesFromSignatures() {
    assertEquals("java.util.HashMap", JvmtiHeap.className("Ljava/util/HashMap;"));
    assertEquals("Demo$$Lambda", JvmtiHeap.className("LDemo$$Lambda.0x0000000800c01234;"));
    assertEquals("Demo$$Lambda", JvmtiHeap.className("LDemo$$Lambda/0x0000000800c01234;"));
    assertEquals("[I", JvmtiHeap.className("[I"));
  }

  @Test
  void startCodesInWords() {
    assertTrue(NativeHeap.describe(98).contains("another agent"));
    assertTrue(NativeHeap.describe(1001).contains("JDK 11"));
    assertEquals("JVMTI error 112", NativeHeap.describe(112));
  }

  @Test
  void retainedThenFreedAtTheAllocatingLine() throws InterruptedException {
    JvmtiHeap heap = JvmtiHeap.start(RATE, 64, 10_000, 65_536, 0);
    int line = retain(); // 16 MiB in 1 KiB arrays
    HeapBucket held = only(heap.snapshot(), line);
    assertEquals("JvmtiHeapTest.java", held.frames()[0].getFileName());
    // Unscaled: each sample is one 1 KiB array, and the JVM samples about every 4 KiB of the
    // thread's allocation: about 4 000 samples of the 16 384 arrays.
    assertTrue(
        held.allocObjects() > 2_000 && held.allocObjects() < 8_000,
        "samples " + held.allocObjects());
    assertEquals(held.allocObjects(), held.inuseObjects(), "all still reachable");

    retained = null;
    heap.gcAndDrain(5_000);
    HeapBucket freed = only(heap.snapshot(), line);
    assertEquals(held.allocObjects(), freed.allocObjects());
    assertTrue(
        freed.inuseObjects() <= freed.allocObjects() / 100, "in use " + freed.inuseObjects());
    assertTrue(heap.status().contains("JVMTI"), heap.status());
  }

  @Test
  void weightIsOneAtTheRateAndExactOnAverageAboveIt() {
    assertEquals(1, JvmtiHeap.weight(1000, 4096, 4096, 0.99));
    assertEquals(1, JvmtiHeap.weight(1000, 4096, 0, 0.99), "every allocation: interval 0");
    // Small objects: the probability is nearly proportional to 1/interval: 8x the rate, ~8 each.
    assertEquals(7, JvmtiHeap.weight(16, 524_288, 8 * 524_288, 0.999999));
    assertEquals(8, JvmtiHeap.weight(16, 524_288, 8 * 524_288, 0.0));
    // A large object is sampled almost surely at either interval: counts about once.
    assertEquals(1, JvmtiHeap.weight(64L << 20, 524_288, 4 << 20, 0.5));
    // The mean over the random rounding is Go's probability ratio, for every size.
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (long size : new long[] {16, 3000, 200_000, 1 << 20, 8 << 20}) {
      double expected =
          -Math.expm1(-(double) size / 524_288) / -Math.expm1(-(double) size / (16 << 20));
      long sum = 0;
      int n = 200_000;
      for (int i = 0; i < n; i++) {
        sum += JvmtiHeap.weight(size, 524_288, 16 << 20, r.nextDouble());
      }
      assertEquals(expected, (double) sum / n, expected * 0.01, "size " + size);
    }
  }

  @Test
  void throttleDoublesUntilUnderTheCapAndComesBackWithHysteresis() {
    long rate = 524_288;
    // 2 GB/s seen at the rate: ~3 800 samples/s; a cap of 300 needs 16x.
    assertEquals(16 * rate, JvmtiHeap.nextInterval(rate, rate, 3_815, 1.0, 300));
    // Already there, and the same rate: kept.
    assertEquals(16 * rate, JvmtiHeap.nextInterval(rate, 16 * rate, 238, 1.0, 300));
    // The application slows to 1/8: the interval comes down only as far as stays under 150/s.
    assertEquals(4 * rate, JvmtiHeap.nextInterval(rate, 16 * rate, 30, 1.0, 300));
    // Under half the cap at the rate itself: back to the rate, never below it.
    assertEquals(rate, JvmtiHeap.nextInterval(rate, 16 * rate, 2, 1.0, 300));
    // Between half the cap and the cap one level down: no flapping, kept.
    assertEquals(16 * rate, JvmtiHeap.nextInterval(rate, 16 * rate, 100, 1.0, 300));
    // No cap: never changes.
    assertEquals(rate, JvmtiHeap.nextInterval(rate, rate, 1_000_000, 1.0, 0));
    // Rate 0 is sampling off: nothing to throttle (and no endless doubling of 0).
    assertEquals(7, JvmtiHeap.nextInterval(0, 7, 100, 1.0, 1));
    // Bounded: the JVM's interval is an int.
    assertEquals(JvmtiHeap.MAX_INTERVAL, JvmtiHeap.nextInterval(1, 1, Long.MAX_VALUE / 4, 1.0, 1));
  }

  @Test
  void pollIsRareAtTheCapAndFastWhenSamplesPourIn() {
    int capacity = JvmtiHeap.MAX_PENDING;
    // Nothing taken, or the default cap's ~6 samples in 20 ms: the longest sleep.
    assertEquals(200, JvmtiHeap.nextPoll(20, 0, capacity));
    assertEquals(200, JvmtiHeap.nextPoll(20, 6, capacity));
    // 2 048 samples (an eighth of the list) in 200 ms: as long again.
    assertEquals(200, JvmtiHeap.nextPoll(200, 2_048, capacity));
    // Twice that pace: half the sleep, so the list stays an eighth full.
    assertEquals(100, JvmtiHeap.nextPoll(200, 4_096, capacity));
    // Every allocation sampled: never below the shortest sleep.
    assertEquals(20, JvmtiHeap.nextPoll(20, 16_000, capacity));
  }

  /** Returns the line of the allocation. */
  private static int retain() {
    List<byte[]> list = new ArrayList<>();
    int line = new Throwable().getStackTrace()[0].getLineNumber() + 2;
    for (int i = 0; i < 16 * 1024; i++) {
      list.add(new byte[1000]);
    }
    retained = list;
    return line;
  }

  /** The one record whose innermost frame is {@link #retain}'s allocation line. */
  private static HeapBucket only(List<HeapBucket> buckets, int line) {
    HeapBucket found = null;
    for (HeapBucket b : buckets) {
      StackTraceElement top = b.frames().length == 0 ? null : b.frames()[0];
      if (top != null
          && top.getMethodName().equals("retain")
          && top.getLineNumber() == line
          && top.getClassName().equals(JvmtiHeapTest.class.getName())) {
        assertEquals(null, found, "one record for the line");
        found = b;
      }
    }
    assertTrue(found != null, "no record at retain() in " + buckets.size() + " buckets");
    return found;
  }
}
