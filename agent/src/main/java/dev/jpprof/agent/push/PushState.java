package dev.jpprof.agent.push;

import dev.jpprof.agent.Counters;

/**
 * What the index page and /metrics show of push: where it goes (without credentials), whether the
 * threshold has profiling on, the queue, the last success and the last error. The counts of
 * uploads, failures, retries and drops are {@link Counters} ({@code push.*}), as every agent count.
 */
public final class PushState {
  private final String target;
  private final int queueBound;
  private volatile boolean active;
  private volatile int queued;
  private volatile long lastSuccessMillis; // 0: never
  private volatile long lastErrorMillis; // 0: never
  private volatile String lastError = "";

  PushState(String target, int queueBound) {
    this.target = target;
    this.queueBound = queueBound;
  }

  /** Where profiles go, without credentials. */
  public String target() {
    return target;
  }

  /** Whether profiling is on now (always, without a threshold). */
  public boolean active() {
    return active;
  }

  /** Uploads waiting to be sent. */
  public int queued() {
    return queued;
  }

  /** Epoch milliseconds of the last accepted upload, 0 if none yet. */
  public long lastSuccessMillis() {
    return lastSuccessMillis;
  }

  /** Epoch milliseconds of the last failed attempt, 0 if none yet. */
  public long lastErrorMillis() {
    return lastErrorMillis;
  }

  /** The last failed attempt, one line without credentials; "" if none yet. */
  public String lastError() {
    return lastError;
  }

  /** One line for the index page. */
  public String describe() {
    return "push: to "
        + target
        + (active ? ", profiling on now" : ", profiling off now (below push.cpuThreshold)")
        + ", queued "
        + queued
        + " of "
        + queueBound
        + ", dropped "
        + Counters.snapshot().getOrDefault("push.dropped", 0L)
        + ", last success "
        + (lastSuccessMillis == 0 ? "never" : java.time.Instant.ofEpochMilli(lastSuccessMillis))
        + (lastErrorMillis == 0
            ? ""
            : ", last error " + java.time.Instant.ofEpochMilli(lastErrorMillis) + " " + lastError);
  }

  void active(boolean on) {
    active = on;
  }

  void queued(int n) {
    queued = n;
  }

  void succeeded() {
    lastSuccessMillis = System.currentTimeMillis();
  }

  void failed(String error) {
    lastError = error;
    lastErrorMillis = System.currentTimeMillis();
  }
}
