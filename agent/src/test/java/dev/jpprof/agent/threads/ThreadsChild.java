package dev.jpprof.agent.threads;

import dev.jpprof.Vars;
import dev.jpprof.agent.Agent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link GoroutineChildTest}: starts the agent on a free port, then parks {@code
 * args[0]} platform threads in {@link #parkHere} and, where the JDK has them, {@code args[1]}
 * virtual threads in {@link #blockVirtual}, and with {@code args[2]} = burn a thread spinning in
 * {@link #burnHere}; prints READY on stderr and exits when its stdin closes.
 */
public final class ThreadsChild {
  private static final CountDownLatch never = new CountDownLatch(1);
  static volatile long sink;

  private ThreadsChild() {}

  public static void main(String[] args) throws Exception {
    Agent.premain("port=0", null);
    Vars.publish("child.answer", () -> 42);
    int platform = Integer.parseInt(args[0]);
    int virtual = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    CountDownLatch started = startBlocked(platform, virtual);
    if (args.length > 2 && args[2].equals("burn")) {
      Thread burner = new Thread(ThreadsChild::burnHere, "burner");
      burner.setDaemon(true);
      burner.start();
    }
    started.await();
    Thread.sleep(200); // let the last ones reach their park
    System.err.println("READY");
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
  }

  /**
   * Starts {@code platform} daemon threads "parked-<i>" that park in {@link #parkHere} and {@code
   * virtual} virtual threads that block in {@link #blockVirtual}; the latch opens once all have
   * started.
   */
  static CountDownLatch startBlocked(int platform, int virtual) throws Exception {
    CountDownLatch started = new CountDownLatch(platform + virtual);
    for (int i = 0; i < platform; i++) {
      Thread t = new Thread(() -> parkHere(started), "parked-" + i);
      t.setDaemon(true);
      t.start();
    }
    if (virtual > 0) {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
      for (int i = 0; i < virtual; i++) {
        start.invoke(builder, (Runnable) () -> blockVirtual(started));
      }
    }
    return started;
  }

  static void parkHere(CountDownLatch started) {
    started.countDown();
    while (true) {
      LockSupport.park(never);
    }
  }

  /** Keeps a CPU busy, so that a JFR window has execution samples to show. */
  static void burnHere() {
    long s = 0;
    while (true) {
      s = s * 31 + (s >>> 3) + 1;
      sink = s;
    }
  }

  static void blockVirtual(CountDownLatch started) {
    started.countDown();
    try {
      never.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
