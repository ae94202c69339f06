package dev.jpprof.agent.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitClockTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final StackTraceElement A = new StackTraceElement("a.B", "c", "B.java", 1);
  private static final StackTraceElement D = new StackTraceElement("a.B", "d", "B.java", 2);

  private static ThreadSample t(long id, StackTraceElement... stack) {
    return new ThreadSample(id, "", Thread.State.WAITING, false, null, stack);
  }

  @Test
  void minutesCountFromTheFirstDumpThatSawTheWait() {
    WaitClock clock = new WaitClock();
    Map<Long, String> reasons = Map.of(1L, "chan receive", 2L, "chan receive", 3L, "runnable");
    List<ThreadSample> first = List.of(t(1, A), t(2, A), t(3, A));
    assertEquals(0L, clock.minutes(first, reasons, 0).get(1L));
    Map<Long, Long> later =
        clock.minutes(List.of(t(1, A), t(2, D), t(3, A)), reasons, 2 * MINUTE + 5);
    assertEquals(2L, later.get(1L), "same place: waiting since the first dump");
    assertEquals(0L, later.get(2L), "moved: a new wait");
    assertFalse(later.containsKey(3L), "running threads have no minutes");
    Map<Long, Long> gone = clock.minutes(List.of(t(2, D)), reasons, 3 * MINUTE);
    assertEquals(Map.of(2L, 0L), gone, "thread 2 moved at 2 min, so less than a minute");
  }
}
