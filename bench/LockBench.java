import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock workload for bench/locks.py: {@code LockBench <workload> <warmupSeconds>
 * <measureSeconds>} runs it, then prints {@code ops_per_cpu_second <n>} on stdout: operations
 * during the measured window divided by the whole process's CPU time in it (so a profiler's own
 * threads count against it). Workloads: sync (uncontended synchronized, 1 thread), lock
 * (uncontended ReentrantLock, 1 thread), queue (producer/consumer on an ArrayBlockingQueue),
 * syncpair (two threads contending on one monitor).
 */
public final class LockBench {
  private static final AtomicBoolean stop = new AtomicBoolean();
  private static final LongAdder ops = new LongAdder();
  private static long sink;

  public static void main(String[] args) throws Exception {
    String workload = args[0];
    long warmup = Long.parseLong(args[1]);
    long measure = Long.parseLong(args[2]);
    switch (workload) {
      case "sync":
        start(LockBench::sync);
        break;
      case "lock":
        start(LockBench::lock);
        break;
      case "queue":
        BlockingQueue<Integer> q = new ArrayBlockingQueue<>(64);
        start(() -> produce(q));
        start(() -> consume(q));
        break;
      case "syncpair":
        Object monitor = new Object();
        start(() -> pair(monitor));
        start(() -> pair(monitor));
        break;
      default:
        throw new IllegalArgumentException(workload);
    }
    if (args.length > 3 && args[3].equals("agent")) {
      awaitAgent();
    }
    Thread.sleep(warmup * 1000);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long ops0 = ops.sum();
    Thread.sleep(measure * 1000);
    long n = ops.sum() - ops0;
    long cpu = os.getProcessCpuTime() - cpu0;
    stop.set(true);
    System.out.println("ops_per_cpu_second " + (long) (n / (cpu / 1e9)));
    System.exit(0);
  }

  /**
   * Waits until the jpprof agent serves and its index no longer says an engine is installing, so
   * the measured window sees its steady state, not its start (which takes seconds under load).
   */
  private static void awaitAgent() throws Exception {
    String url;
    while ((url = System.getProperty("dev.jpprof.url")) == null) {
      Thread.sleep(100);
    }
    while (true) {
      java.net.HttpURLConnection c =
          (java.net.HttpURLConnection) new java.net.URL(url).openConnection();
      String index = new String(c.getInputStream().readAllBytes(), "UTF-8");
      if (!index.contains("allocation sampling: installing")
          && !index.contains("block and mutex: not installed yet")) {
        return;
      }
      Thread.sleep(200);
    }
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
  }

  private static void sync() {
    Object monitor = new Object();
    long x = 0;
    while (!stop.get()) {
      for (int i = 0; i < 10_000; i++) {
        synchronized (monitor) {
          x += i;
        }
      }
      ops.add(10_000);
    }
    sink = x;
  }

  private static void lock() {
    ReentrantLock lock = new ReentrantLock();
    long x = 0;
    while (!stop.get()) {
      for (int i = 0; i < 10_000; i++) {
        lock.lock();
        try {
          x += i;
        } finally {
          lock.unlock();
        }
      }
      ops.add(10_000);
    }
    sink = x;
  }

  private static void produce(BlockingQueue<Integer> q) {
    try {
      while (!stop.get()) {
        q.put(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void consume(BlockingQueue<Integer> q) {
    try {
      while (!stop.get()) {
        q.take();
        ops.increment();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Both threads take the monitor for a short critical section, back to back. */
  private static void pair(Object monitor) {
    long x = 0;
    while (!stop.get()) {
      for (int i = 0; i < 1000; i++) {
        synchronized (monitor) {
          for (int j = 0; j < 50; j++) {
            x += j * i;
          }
        }
      }
      ops.add(1000);
    }
    sink += x;
  }
}
