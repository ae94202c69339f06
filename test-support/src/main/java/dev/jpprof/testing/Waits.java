package dev.jpprof.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition, polled, instead of sleeping a fixed time and hoping. */
public final class Waits {
  private static final long POLL_MILLIS = 20;

  private Waits() {}

  /** Whether {@code condition} held within {@code timeout}. */
  public static boolean until(Duration timeout, BooleanSupplier condition) {
    return until(timeout, Duration.ofMillis(POLL_MILLIS), condition);
  }

  /**
   * Whether {@code condition} held within {@code timeout}, tested every {@code every}: for a
   * condition that costs something to test (a profile fetched, a full GC, a jcmd).
   */
  public static boolean until(Duration timeout, Duration every, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end >= 0) {
        return false;
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Waits for {@code condition}; fails with {@code what} when it does not hold in time. */
  public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    await(timeout, Duration.ofMillis(POLL_MILLIS), condition, what);
  }

  /** {@link #await} with the condition tested every {@code every}. */
  public static void await(
      Duration timeout, Duration every, BooleanSupplier condition, Supplier<String> what) {
    if (!until(timeout, every, condition)) {
      throw new AssertionError("not within " + timeout + ": " + what.get());
    }
  }
}
