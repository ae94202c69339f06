package dev.jpprof.agent.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PackedStacksTest {
  @Test
  void findsASliceBySizeAndFrames() {
    PackedStacks<String> p = new PackedStacks<>(16);
    long[] a = {9, 1L << 32 | 10, 2L << 32 | 20, 3L << 32 | 30, 9};
    p.put(a, 1, 3, 24, "abc/24");
    assertSame("abc/24", p.get(new long[] {1L << 32 | 10, 2L << 32 | 20, 3L << 32 | 30}, 0, 3, 24));
    assertNull(p.get(a, 1, 3, 32), "another size");
    assertNull(p.get(a, 1, 2, 24), "a prefix");
    assertNull(p.get(a, 2, 3, 24), "shifted");
    a[2] = 2L << 32 | 21; // the caller's array is not kept
    assertNull(p.get(a, 1, 3, 24), "another line");
    assertSame("abc/24", p.get(new long[] {1L << 32 | 10, 2L << 32 | 20, 3L << 32 | 30}, 0, 3, 24));
    p.put(new long[0], 0, 0, 16, "empty/16");
    assertSame("empty/16", p.get(new long[] {7}, 1, 0, 16));
  }

  @Test
  void boundedAndFilledAgainOnDemand() {
    PackedStacks<Integer> p = new PackedStacks<>(100);
    for (int i = 0; i < 100; i++) {
      p.put(new long[] {i, i + 1}, 0, 2, 8, i);
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(i, p.get(new long[] {i, i + 1}, 0, 2, 8));
    }
    p.put(new long[] {1000}, 0, 1, 8, 1000); // full: emptied first
    assertEquals(1, p.size());
    assertNull(p.get(new long[] {5, 6}, 0, 2, 8));
    assertEquals(1000, p.get(new long[] {1000}, 0, 1, 8));
  }
}
