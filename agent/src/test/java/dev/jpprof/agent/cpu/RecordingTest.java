package dev.jpprof.agent.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecordingTest {
  private static final long ROTATE = 8L << 20;

  @Test
  void rotatesWhenTheFileOrOneChunkGrowsTooLarge() {
    // The demo's windows: ~80 KiB chunks in a file of a few MiB.
    assertFalse(Recording.rotates(3L << 20, 80 << 10, ROTATE));
    // The file past its bound, whatever its chunks.
    assertTrue(Recording.rotates(ROTATE + 1, 80 << 10, ROTATE));
    // One window's chunk past an eighth: its constant pool carries the session's every stack.
    assertTrue(Recording.rotates(2L << 20, (1L << 20) + 1, ROTATE));
    // A cut that completed no chunk says nothing about chunk size.
    assertFalse(Recording.rotates(2L << 20, 0, ROTATE));
  }
}
