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
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Waits for {@code condition}; fails with {@code what} when it does not hold in time. */
  public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    if (!until(timeout, condition)) {
      throw new AssertionError("not within " + timeout + ": " + what.get());
    }
  }
}
