package dev.jpprof.agent.locks;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which sampled owner stack a monitor wait is charged to. */
class MonitorOwnersTest {
  private static final Instant T = Instant.parse("2026-11-22T20:00:00Z");
  private static final StackTraceElement[] EARLY = {new StackTraceElement("A", "early", null, 1)};
  private static final StackTraceElement[] INSIDE = {new StackTraceElement("A", "inside", null, 2)};
  private static final StackTraceElement[] OTHER = {new StackTraceElement("A", "other", null, 3)};

  @Test
  void aSampleDuringTheWaitWins() {
    MonitorOwners owners = new MonitorOwners(8);
    owners.add(7, T.minusMillis(30), "java.lang.Object", EARLY);
    owners.add(7, T.plusMillis(5), "java.lang.Object", INSIDE);
    owners.add(7, T.plusMillis(6), "com.example.Other", OTHER);
    assertSame(INSIDE, owners.holder(7, "java.lang.Object", T, T.plusMillis(9)));
  }

  @Test
  void otherwiseTheNearestOfTheSameOwnerAndMonitorClassWithin100Ms() {
    MonitorOwners owners = new MonitorOwners(8);
    owners.add(7, T.minusMillis(90), "java.lang.Object", OTHER);
    owners.add(7, T.minusMillis(30), "java.lang.Object", EARLY);
    owners.add(7, T.plusMillis(12), "com.example.Other", OTHER);
    owners.add(8, T.plusMillis(5), "java.lang.Object", OTHER);
    assertSame(EARLY, owners.holder(7, "java.lang.Object", T, T.plusMillis(9)));
  }

  @Test
  void noSampleCloseEnoughIsLost() {
    MonitorOwners owners = new MonitorOwners(8);
    owners.add(7, T.minusMillis(150), "java.lang.Object", EARLY);
    owners.add(7, T.plusMillis(5), "com.example.Other", OTHER);
    assertSame(MonitorOwners.LOST, owners.holder(7, "java.lang.Object", T, T.plusMillis(9)));
    assertSame(MonitorOwners.LOST, owners.holder(9, "java.lang.Object", T, T.plusMillis(9)));
  }
}
