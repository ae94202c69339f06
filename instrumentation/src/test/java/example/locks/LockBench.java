package example.locks;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rough cost of the lock hooks (not a test): {@code LockBench <hooks> <workload> <seconds>} runs a
 * workload for 2 s of warm-up, then measures for the given seconds and prints one line: operations,
 * wall ns/op and process CPU ns/op.
 *
 * <ul>
 *   <li>hooks: {@code none} (no agent), {@code off} (hooks installed, both profiles off), {@code
 *       every} (block rate 1, mutex fraction 1), {@code sampled} (block rate 1 ms, mutex fraction
 *       100: few events kept, so mostly the hooks' own cost).
 *   <li>workload: {@code uncontended} (one thread, ReentrantLock lock/unlock around a counter),
 *       {@code queue} (one producer, one consumer, ArrayBlockingQueue of 16: they park often).
 * </ul>
 *
 * The hooks are installed through the engine's own API by reflection, after a self-attach, so that
 * {@code none} loads none of the agent's classes.
 */
public final class LockBench {
  private static volatile boolean stop;
  private static long counter;

  private LockBench() {}

  public static void main(String[] args) throws Exception {
    String hooks = args[0];
    String workload = args[1];
    long seconds = Long.parseLong(args[2]);
    Object profiler = hooks.equals("none") ? null : install(hooks);
    long[] ops = new long[1];
    Thread[] workers = workload.equals("queue") ? queue(ops) : uncontended(ops);
    Thread.sleep(2000);
    long ops0 = ops[0];
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000);
    long n = ops[0] - ops0;
    long wall = System.nanoTime() - t0;
    long cpu = cpuNanos() - cpu0;
    stop = true;
    for (Thread w : workers) {
      w.interrupt();
    }
    System.out.printf(
        "%s %s ops=%d wall_ns_per_op=%.2f cpu_ns_per_op=%.2f%s%n",
        hooks, workload, n, (double) wall / n, (double) cpu / n, events(profiler));
  }

  /** The events recorded over the whole run (warm-up included): block and mutex counts. */
  private static String events(Object profiler) throws Exception {
    if (profiler == null) {
      return "";
    }
    long[] counts = new long[2];
    String[] snapshots = {"blockSnapshot", "mutexSnapshot"};
    for (int i = 0; i < 2; i++) {
      for (Object r :
          (java.util.List<?>) profiler.getClass().getMethod(snapshots[i]).invoke(profiler)) {
        counts[i] += (Long) r.getClass().getMethod("count").invoke(r);
      }
    }
    return " block_events=" + counts[0] + " mutex_events=" + counts[1];
  }

  private static Object install(String hooks) throws Exception {
    Object inst =
        Class.forName("net.bytebuddy.agent.ByteBuddyAgent").getMethod("install").invoke(null);
    Class<?> profiler = Class.forName("dev.jpprof.instrumentation.locks.LockProfiler");
    Object p =
        profiler
            .getMethod("install", java.lang.instrument.Instrumentation.class, int.class, int.class)
            .invoke(null, inst, 64, 20_000);
    long rate = hooks.equals("every") ? 1 : hooks.equals("sampled") ? 1_000_000 : 0;
    int fraction = hooks.equals("every") ? 1 : hooks.equals("sampled") ? 100 : 0;
    profiler.getMethod("setBlockRate", long.class).invoke(p, rate);
    profiler.getMethod("setMutexFraction", int.class).invoke(p, fraction);
    return p;
  }

  private static Thread[] uncontended(long[] ops) {
    ReentrantLock lock = new ReentrantLock();
    Thread t =
        new Thread(
            () -> {
              while (!stop) {
                for (int i = 0; i < 1000; i++) {
                  lock.lock();
                  try {
                    counter++;
                  } finally {
                    lock.unlock();
                  }
                }
                ops[0] += 1000; // one writer; the main thread reads it racily, which is fine here
              }
            });
    t.setDaemon(true);
    t.start();
    return new Thread[] {t};
  }

  private static Thread[] queue(long[] ops) {
    ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(16);
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int i = 0; !stop; i++) {
                  q.put(i & 1023);
                }
              } catch (InterruptedException e) {
                // done
              }
            });
    Thread consumer =
        new Thread(
            () -> {
              try {
                while (!stop) {
                  q.take();
                  ops[0]++;
                }
              } catch (InterruptedException e) {
                // done
              }
            });
    producer.setDaemon(true);
    consumer.setDaemon(true);
    producer.start();
    consumer.start();
    return new Thread[] {producer, consumer};
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
