package dev.jpprof.agent.heap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Go's scaleHeapSample, checked against values computed by Go's formula by hand. */
class HeapProfileTest {
  @Test
  void unsamplesAsGo() {
    // 1 sample of 1 MiB at 512 KiB: p = 1 - e^-2 = 0.8647, scale 1.1565
    assertArrayEquals(new long[] {1, 1_212_696}, HeapProfile.scale(1, 1 << 20, 512 * 1024));
    // 10 samples of 64 B at 512 KiB: p = 1 - e^-(64/524288), scale ≈ 8192.5
    assertArrayEquals(new long[] {81_925, 5_243_200}, HeapProfile.scale(10, 640, 512 * 1024));
  }

  @Test
  void zeroAndRateOneAreUnchanged() {
    assertArrayEquals(new long[] {0, 0}, HeapProfile.scale(0, 100, 512));
    assertArrayEquals(new long[] {0, 0}, HeapProfile.scale(3, 0, 512));
    assertArrayEquals(new long[] {3, 300}, HeapProfile.scale(3, 300, 1));
  }
}
