package dev.jpprof.agent.push;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.AgentThreadGroup;
import dev.jpprof.agent.Counters;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.pprof.ProfileMerge;
import dev.jpprof.pprof.Profiles;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Continuous profiling by push, as Pyroscope's SDKs and go-zero do: every interval, one upload per
 * profile type (CPU as the interval's own profiler window, cumulative profiles as the interval's
 * delta), sent to Pyroscope's ingest API. Everything runs on one daemon thread, {@code
 * jpprof-push}: it takes the snapshots, then sends the queue; a slow or dead server only delays
 * that thread (the open CPU window simply grows), never the application.
 *
 * <p>The queue is bounded ({@link #QUEUE_BOUND} uploads): when full, the oldest is dropped and
 * counted ({@code push.dropped}). No answer, 429 and 5xx are retried with jittered exponential
 * backoff, oldest first; any other 4xx is dropped at once ({@code push.rejected}). At JVM exit the
 * interval so far is sent if it can be within {@link #EXIT_MILLIS}.
 */
public final class Pusher {
  /** Uploads kept while the server is away: with 3 types every 15 s, 2.5 minutes' worth. */
  static final int QUEUE_BOUND = 32;

  /** How long the JVM's exit waits for the last interval to be sent. */
  static final long EXIT_MILLIS = 2000;

  private static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;

  /** CPU and wall windows; an interface so that tests need not run a profiler. */
  public interface CpuWindows {
    /** Opens a window of {@code wall} or CPU samples; finish() gives exactly its own samples. */
    CpuWindow open(boolean wall) throws Exception;
  }

  /** An open CPU window. */
  public interface CpuWindow {
    Profile finish() throws Exception;
  }

  private final List<PushType> types = new ArrayList<>();
  private final Map<String, ProfileSource> sources;
  private final CpuWindows cpu;
  private final Ingest ingest;
  private final long intervalNanos;
  private final long maxBackoffNanos;
  private final Trigger trigger;
  private final int threshold;
  private final LongSupplier processCpu;
  private final PushState state;
  private final Object lock = new Object();
  private boolean stopping; // guarded by lock

  // Touched by the push thread only.
  private final ArrayDeque<Upload> queue = new ArrayDeque<>();
  private final Map<PushType, Profile> bases = new HashMap<>();
  private final Map<PushType, CpuWindow> windows = new HashMap<>();
  private boolean on;
  private long lastTickNanos;
  private long lastTickSeconds;
  private long lastCpuNanos = -1;
  private Thread thread;

  /**
   * @param typeNames push.types, as PushConfig parsed them
   * @param sources the named profile sources (allocs, goroutine, block, mutex)
   * @param cpu CPU and wall windows (may be null when neither is among the types)
   * @param processCpu the process's CPU time in ns, -1 if unknown (read only with a threshold)
   * @param target where profiles go, as shown (no credentials)
   */
  Pusher(
      List<String> typeNames,
      Map<String, ProfileSource> sources,
      CpuWindows cpu,
      Ingest ingest,
      long intervalNanos,
      int threshold,
      long durationNanos,
      LongSupplier processCpu,
      String target) {
    for (String name : typeNames) {
      types.add(PushType.named(name));
    }
    this.sources = sources;
    this.cpu = cpu;
    this.ingest = ingest;
    this.intervalNanos = intervalNanos;
    this.maxBackoffNanos = Math.max(FIRST_BACKOFF_NANOS, intervalNanos);
    this.threshold = threshold;
    this.trigger = new Trigger(threshold, durationNanos);
    this.processCpu = processCpu;
    this.state = new PushState(target, QUEUE_BOUND);
  }

  public PushState state() {
    return state;
  }

  /** Starts the push thread and the exit hook that sends the last interval. */
  public synchronized void start() {
    thread = AgentThreadGroup.daemon(this::run, "jpprof-push");
    thread.start();
    Runtime.getRuntime()
        .addShutdownHook(AgentThreadGroup.daemon(() -> stop(EXIT_MILLIS), "jpprof-push-exit"));
  }

  /** Stops the thread after it sent what it can within {@code millis}; waits that long at most. */
  void stop(long millis) {
    synchronized (lock) {
      stopping = true;
      lock.notifyAll();
    }
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(millis + 500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      long nextTick = System.nanoTime();
      while (!stopping()) {
        if (System.nanoTime() - nextTick >= 0) {
          tick(false);
          nextTick += intervalNanos;
          if (System.nanoTime() - nextTick >= 0) {
            nextTick = System.nanoTime() + intervalNanos; // behind (a slow server): skip ahead
          }
        }
        Upload head = queue.peek();
        if (head != null && System.nanoTime() - head.notBefore >= 0) {
          attempt(head, ingest.timeoutMillis());
          continue;
        }
        long wake = head == null || nextTick - head.notBefore < 0 ? nextTick : head.notBefore;
        sleepUntil(wake);
      }
      exit(System.nanoTime() + EXIT_MILLIS * 1_000_000);
    } catch (Throwable t) {
      AgentLog.failure("push", t); // the thread ends; the application runs on
    }
  }

  /** At exit: the interval so far, then one try each while the deadline allows. */
  private void exit(long deadline) {
    tick(true);
    Upload u;
    while ((u = queue.peek()) != null) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      attempt(u, (int) Math.min(left, ingest.timeoutMillis()));
      if (queue.peek() == u) {
        break; // it failed: no retries at exit
      }
    }
  }

  private boolean stopping() {
    synchronized (lock) {
      return stopping;
    }
  }

  private void sleepUntil(long wake) throws InterruptedException {
    synchronized (lock) {
      long left = wake - System.nanoTime();
      if (!stopping && left > 0) {
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /**
   * Ends the interval: sends what it profiled if profiling was on, then decides (threshold) whether
   * the next one is profiled and opens it. {@code last}: the JVM exits, nothing is opened.
   */
  private void tick(boolean last) {
    long now = System.nanoTime();
    long seconds = System.currentTimeMillis() / 1000;
    boolean wasOn = on;
    on = !last && decide(now);
    state.active(on);
    for (PushType t : types) {
      if (t.window()) {
        window(t, seconds);
      }
    }
    for (PushType t : types) {
      if (!t.window() && (wasOn || on)) {
        snapshot(t, wasOn, seconds);
      }
    }
    lastTickNanos = now;
    lastTickSeconds = seconds;
  }

  /** Sends the window that ends now, if one was open, and opens the next if profiling is on. */
  private void window(PushType t, long seconds) {
    CpuWindow ended = windows.remove(t);
    if (ended != null) {
      try {
        Profile p = ended.finish();
        enqueue(t, t == PushType.WALL ? WallNames.forPyroscope(p) : p, seconds);
      } catch (Exception e) {
        AgentLog.failure("push " + t.name, e);
      }
    }
    if (on && cpu != null) {
      try {
        windows.put(t, cpu.open(t == PushType.WALL));
      } catch (Exception e) {
        AgentLog.failure("push " + t.name, e);
      }
    }
  }

  /** Whether the coming interval is profiled: always without a threshold, else by CPU use. */
  private boolean decide(long now) {
    if (threshold == 0) {
      return true;
    }
    long cpuNow = processCpu.getAsLong();
    long used = cpuNow < 0 ? -1 : lastCpuNanos < 0 ? 0 : cpuNow - lastCpuNanos;
    boolean first = lastCpuNanos < 0 && cpuNow >= 0;
    lastCpuNanos = cpuNow;
    if (first) {
      return false; // no interval measured yet
    }
    return trigger.update(now, used, now - lastTickNanos);
  }

  private void snapshot(PushType t, boolean send, long seconds) {
    try {
      ProfileSource source = sources.get(t.source);
      if (source == null) {
        return;
      }
      Profile now = source.snapshot();
      Profile base = bases.remove(t);
      if (send) {
        if (!t.cumulative()) {
          enqueue(t, now, seconds);
        } else if (base != null) {
          enqueue(t, ProfileMerge.delta(base, now, t.current), seconds);
        }
      }
      if (on && t.cumulative()) {
        bases.put(t, now);
      }
    } catch (Exception e) {
      AgentLog.failure("push " + t.name, e);
    }
  }

  /** Queues a profile of the interval ending at {@code seconds}; an empty one is not sent. */
  private void enqueue(PushType t, Profile p, long seconds) {
    if (p.getSampleCount() == 0) {
      return;
    }
    queue.addLast(new Upload(t, lastTickSeconds, Math.max(seconds, lastTickSeconds + 1), gzip(p)));
    while (queue.size() > QUEUE_BOUND) {
      queue.removeFirst();
      Counters.add("push.dropped", 1);
    }
    state.queued(queue.size());
  }

  private static byte[] gzip(Profile p) {
    long start = System.nanoTime();
    byte[] body = Profiles.gzip(p);
    Counters.add("profiles.encoded", 1);
    Counters.add("profiles.encodeNanos", System.nanoTime() - start);
    Counters.add("profiles.bytes", body.length);
    return body;
  }

  private void attempt(Upload u, int timeoutMillis) {
    Ingest.Outcome o = ingest.send(u, timeoutMillis);
    if (o.ok()) {
      queue.remove(u);
      Counters.add("push.uploads", 1);
      state.succeeded();
    } else {
      String error = u.type.name + ": " + o.error;
      state.failed(error);
      AgentLog.failure("push to " + state.target(), new Exception(error));
      if (o.retry()) {
        u.attempts++;
        u.notBefore = System.nanoTime() + backoff(u.attempts);
        Counters.add("push.retries", 1);
      } else {
        queue.remove(u);
        Counters.add("push.rejected", 1);
      }
    }
    state.queued(queue.size());
  }

  /** 1 s, 2 s, 4 s ... up to the interval, each times a random 0.5–1 so clients spread out. */
  private long backoff(int attempts) {
    long b = FIRST_BACKOFF_NANOS << Math.min(attempts - 1, 20);
    b = Math.min(b, maxBackoffNanos);
    return (long) (b * (0.5 + ThreadLocalRandom.current().nextDouble() / 2));
  }
}
