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
    JvmtiHeap heap = JvmtiHeap.start(RATE, 64, 10_000, 65_536);
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
