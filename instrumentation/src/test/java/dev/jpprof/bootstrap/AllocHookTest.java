package dev.jpprof.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The countdown and the slow path, without any agent (the hooks load in the app loader here). */
class AllocHookTest {
  @AfterEach
  void reset() {
    AllocHook.setListener(null);
    AllocHook.setRate(0);
  }

  @Test
  void intervalsAreExponentialWithTheRateAsMean() {
    for (long rate : new long[] {512 * 1024, 4096}) {
      int n = 200_000;
      double sum = 0;
      double sumSq = 0;
      for (int i = 0; i < n; i++) {
        long x = AllocHook.nextInterval(rate);
        sum += x;
        sumSq += (double) x * x;
      }
      double mean = sum / n;
      double sd = Math.sqrt(sumSq / n - mean * mean);
      assertEquals(rate, mean, rate * 0.10, "mean of draws at rate " + rate);
      // An exponential's standard deviation equals its mean; a fixed interval would give 0.
      assertEquals(rate, sd, rate * 0.10, "sd of draws at rate " + rate);
    }
  }

  @Test
  void sampledBytesMatchTheRate() {
    long rate = 4096;
    AllocHook.setRate(rate);
    long total = 0;
    int samples = 0;
    for (int i = 0; i < 4_000_000; i++) {
      total += 48;
      if (AllocHook.sample(48)) {
        samples++;
      }
    }
    double bytesPerSample = (double) total / samples;
    assertEquals(rate, bytesPerSample, rate * 0.10, samples + " samples");
  }

  @Test
  void rateOneSamplesEveryAllocationAndZeroNone() {
    AllocHook.setRate(1);
    for (int i = 0; i < 1000; i++) {
      assertTrue(AllocHook.sample(16));
    }
    AllocHook.setRate(0);
    for (int i = 0; i < 1000; i++) {
      assertTrue(!AllocHook.sample(1 << 30));
    }
  }

  @Test
  void arraySizesUseTheLayout() {
    AllocHook.setArrayLayout(
        new int[] {16, 16, 16, 16, 16, 16, 16, 16, 16}, new int[] {0, 0, 1, 1, 2, 2, 3, 3, 2}, 8);
    assertEquals(16, AllocHook.arraySize(0, AllocHook.BYTE));
    assertEquals(24, AllocHook.arraySize(1, AllocHook.LONG));
    assertEquals(1040, AllocHook.arraySize(1024, AllocHook.BYTE));
    assertEquals(56, AllocHook.arraySize(10, AllocHook.REFERENCE));
  }

  @Test
  void listenerIsNotReenteredAndItsFailuresStayInside() {
    List<Object> seen = new ArrayList<>();
    AllocHook.setListener(
        (obj, size) -> {
          seen.add(obj);
          AllocHook.sampled("nested", 24); // an allocation inside the recorder: ignored
          throw new IllegalStateException("recorder bug");
        });
    AllocHook.sampled("outer", 24);
    AllocHook.sampled("second", 24);
    assertEquals(List.of("outer", "second"), seen);
  }

  @Test
  void ignoredThreadIsNeverSampled() throws InterruptedException {
    List<Object> seen = new ArrayList<>();
    AllocHook.setListener((obj, size) -> seen.add(obj));
    Thread t =
        new Thread(
            () -> {
              AllocHook.ignoreCurrentThread();
              AllocHook.sampled("agent", 24);
            });
    t.start();
    t.join();
    AllocHook.sampled("app", 24);
    assertEquals(List.of("app"), seen);
  }
}
