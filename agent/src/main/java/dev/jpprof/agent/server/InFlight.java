package dev.jpprof.agent.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests being served across all connections, so a burst of slow profile requests cannot
 * pile up work without bound: beyond the limit a request gets 503 at once.
 */
final class InFlight {
  private final AtomicInteger count = new AtomicInteger();
  private final int max;

  InFlight(int max) {
    this.max = max;
  }

  /** Takes a slot, or returns false when all {@code max} are taken. */
  boolean enter() {
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      return false;
    }
    return true;
  }

  void leave() {
    count.decrementAndGet();
  }

  int max() {
    return max;
  }

  int current() {
    return count.get();
  }
}
