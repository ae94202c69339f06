package dev.jpprof.agent.server;

import dev.jpprof.agent.Counters;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections across all bound addresses. Beyond {@code maxConnections} a new
 * connection is closed as soon as it is accepted: otherwise every idle socket a client leaves open
 * would hold one of the application's file descriptors until idleTimeout.
 */
final class OpenConnections {
  private final AtomicInteger count = new AtomicInteger();
  private final int max;

  OpenConnections(int max) {
    this.max = max;
  }

  /** Counts {@code ch} until it closes, or returns false (uncounted) when the cap is reached. */
  boolean admit(Channel ch) {
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      Counters.add("connections.refused", 1);
      return false;
    }
    ch.closeFuture().addListener(f -> count.decrementAndGet());
    return true;
  }
}
