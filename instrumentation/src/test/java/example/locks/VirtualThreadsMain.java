package example.locks;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Child-JVM check on JDK 21+: virtual threads contending on a ReentrantLock park through the same
 * hooks. Prints "ok block=<ns> mutex=<ns> waited=<ns> run=<ns>" (delays of the records through the
 * task lambda, the tasks' own clock, the run's wall time) or throws; with the argument {@code off}
 * the profiles stay off (to compare run times). Virtual threads are created by reflection: the
 * module compiles for Java 11.
 */
public final class VirtualThreadsMain {
  private VirtualThreadsMain() {}

  public static void main(String[] args) throws Exception {
    Instrumentation inst =
        (Instrumentation)
            Class.forName("net.bytebuddy.agent.ByteBuddyAgent").getMethod("install").invoke(null);
    Class<?> profilerClass = Class.forName("dev.jpprof.instrumentation.locks.LockProfiler");
    Object profiler =
        profilerClass
            .getMethod("install", Instrumentation.class, int.class, int.class)
            .invoke(null, inst, 64, 1000);
    int on = args.length > 0 && args[0].equals("off") ? 0 : 1;
    profilerClass.getMethod("setBlockRate", long.class).invoke(profiler, (long) on);
    profilerClass.getMethod("setMutexFraction", int.class).invoke(profiler, on);
    long start = System.nanoTime();
    ReentrantLock lock = new ReentrantLock();
    long[] waited = new long[1];
    ExecutorService vts =
        (ExecutorService)
            java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        done.add(
            vts.submit(
                () -> {
                  long t0 = System.nanoTime();
                  lock.lock();
                  long w = System.nanoTime() - t0;
                  try {
                    synchronized (waited) {
                      waited[0] += w;
                    }
                    critical();
                  } finally {
                    lock.unlock();
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      vts.shutdownNow();
    }
    long end = System.nanoTime();
    long block = sum(profiler, "blockSnapshot", "lambda$main$0");
    long mutex = sum(profiler, "mutexSnapshot", "lambda$main$0");
    if (on == 1 && (block <= 0 || mutex <= 0)) {
      throw new AssertionError("block=" + block + " mutex=" + mutex);
    }
    System.out.println(
        "ok block=" + block + " mutex=" + mutex + " waited=" + waited[0] + " run=" + (end - start));
  }

  static void critical() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Total delay of the records whose stack has a frame of {@code method} in this class. */
  private static long sum(Object profiler, String snapshot, String method) throws Exception {
    long total = 0;
    for (Object r : (List<?>) profiler.getClass().getMethod(snapshot).invoke(profiler)) {
      StackTraceElement[] frames = (StackTraceElement[]) r.getClass().getMethod("frames").invoke(r);
      for (StackTraceElement f : frames) {
        if (f.getClassName().equals(VirtualThreadsMain.class.getName())
            && f.getMethodName().equals(method)) {
          total += (Long) r.getClass().getMethod("delayNanos").invoke(r);
          break;
        }
      }
    }
    return total;
  }
}
