package dev.jpprof.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Workloads for the heap engine's crash and soak tests. {@code HeapStress MODE COUNT SECONDS} runs
 * one on a daemon thread, bounded by both COUNT and SECONDS, says {@code started MODE} and then
 * {@code done MODE ...} on stderr; main returns on {@code exit} (or the end of stdin). A failure
 * prints {@code FAILED} and its stack trace on stderr. Nothing is printed on stdout.
 *
 * <ul>
 *   <li>{@code churn}: COUNT class loaders, each defining {@link HeapPayload} anew and allocating
 *       with it; the last 8 loaders' objects stay alive, older ones are dropped with their loader,
 *       and a GC every 50 loaders unloads their classes.
 *   <li>{@code redefine}: COUNT redefinitions and retransformations of {@link HeapPayload} while
 *       two threads allocate in it (needs {@link Redefiner}).
 *   <li>{@code threads}: COUNT platform threads, 1000 alive at a time, each allocating.
 *   <li>{@code vthreads}: COUNT virtual threads (JDK 21+), each allocating.
 *   <li>{@code soak}: COUNT threads allocating mixed sizes into rings of live objects.
 * </ul>
 */
public final class HeapStress {
  private static final String PAYLOAD = HeapPayload.class.getName();
  static volatile Object sink;

  private HeapStress() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int count = Integer.parseInt(args[1]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
    Thread work = new Thread(() -> run(mode, count, deadline), "stress-" + mode);
    work.setDaemon(true);
    work.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
      // Only "exit" is a command.
    }
  }

  private static void run(String mode, int count, long deadline) {
    try {
      System.err.println("started " + mode);
      String done;
      switch (mode) {
        case "churn":
          done = churn(count, deadline);
          break;
        case "redefine":
          done = redefine(count, deadline);
          break;
        case "threads":
          done = threads(count, deadline);
          break;
        case "vthreads":
          done = virtualThreads(count, deadline);
          break;
        case "soak":
          done = soak(count, deadline);
          break;
        default:
          throw new IllegalArgumentException("no mode " + mode);
      }
      System.err.println("done " + mode + " " + done);
    } catch (Throwable t) {
      System.err.println("FAILED " + mode);
      t.printStackTrace();
    }
  }

  private static boolean before(long deadline) {
    return System.nanoTime() < deadline;
  }

  private static String churn(int loaders, long deadline) throws Exception {
    byte[] bytes = payloadBytes();
    ArrayDeque<Object[]> window = new ArrayDeque<>();
    int n = 0;
    for (; n < loaders && before(deadline); n++) {
      Class<?> c = new PayloadLoader(bytes).loadClass(PAYLOAD);
      @SuppressWarnings("unchecked")
      IntFunction<Object> f = (IntFunction<Object>) c.getDeclaredConstructor().newInstance();
      window.addLast(new Object[] {f, f.apply(200), f.apply(100)});
      if (window.size() > 8) {
        window.removeFirst(); // the loader, its class and its objects become garbage together
      }
      if (n % 50 == 49) {
        System.gc();
        System.err.println("churn " + (n + 1));
      }
    }
    window.clear();
    System.gc();
    long unloaded = ManagementFactory.getClassLoadingMXBean().getUnloadedClassCount();
    return "loaders=" + n + " unloaded=" + unloaded;
  }

  /** Defines {@link HeapPayload} itself instead of asking its parent. */
  private static final class PayloadLoader extends ClassLoader {
    private final byte[] bytes;

    PayloadLoader(byte[] bytes) {
      super(HeapStress.class.getClassLoader());
      this.bytes = bytes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(PAYLOAD)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        return c != null ? c : defineClass(name, bytes, 0, bytes.length);
      }
    }
  }

  private static byte[] payloadBytes() throws IOException {
    try (InputStream in = HeapStress.class.getResourceAsStream("HeapPayload.class")) {
      return in.readAllBytes();
    }
  }

  private static String redefine(int rounds, long deadline) throws Exception {
    Instrumentation inst = Redefiner.instrumentation();
    ClassFileTransformer same = new ClassFileTransformer() {}; // retransformation with no change
    inst.addTransformer(same, true);
    ClassDefinition definition = new ClassDefinition(HeapPayload.class, payloadBytes());
    List<Thread> allocators = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      allocators.add(
          start(
              "stress-payload-" + i,
              () -> {
                HeapPayload p = new HeapPayload();
                while (!Thread.currentThread().isInterrupted()) {
                  sink = p.apply(100);
                }
              }));
    }
    int n = 0;
    for (; n < rounds && before(deadline); n++) {
      if (n % 2 == 0) {
        inst.redefineClasses(definition);
      } else {
        inst.retransformClasses(HeapPayload.class);
      }
      Thread.sleep(10);
    }
    for (Thread t : allocators) {
      t.interrupt();
      t.join();
    }
    inst.removeTransformer(same);
    return "rounds=" + n;
  }

  /**
   * Platform threads in waves of at most 1000 alive at once (the JVM's thread list is copied on
   * every start and exit, so 10 000 at once would cost seconds on their own).
   */
  private static String threads(int count, long deadline) throws InterruptedException {
    int started = 0;
    boolean allAllocated = true;
    while (started < count && before(deadline)) {
      int wave = Math.min(1000, count - started);
      CountDownLatch allocated = new CountDownLatch(wave);
      CountDownLatch release = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < wave; i++) {
        threads.add(
            start(
                "stress-" + (started + i),
                () -> {
                  sink = HeapPayload.chain(5);
                  allocated.countDown();
                  try {
                    release.await(); // the whole wave alive at once
                  } catch (InterruptedException e) {
                    return;
                  }
                  sink = HeapPayload.chain(5);
                }));
      }
      allAllocated &=
          allocated.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      release.countDown();
      for (Thread t : threads) {
        t.join();
      }
      started += wave;
    }
    return "threads=" + started + " allocatedInTime=" + allAllocated;
  }

  /** Virtual threads through reflection: the demo compiles for Java 11. */
  private static String virtualThreads(int count, long deadline) throws Exception {
    ExecutorService pool =
        (ExecutorService)
            java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
    int n = 0;
    try {
      for (; n < count && before(deadline); n++) {
        pool.execute(
            () -> {
              sink = HeapPayload.chain(10);
              Thread.yield(); // unmount and mount again, on another carrier perhaps
              sink = HeapPayload.chain(10);
            });
      }
    } finally {
      pool.shutdown();
    }
    boolean finished =
        pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    return "vthreads=" + n + " finished=" + finished;
  }

  /** Each thread keeps a ring of 2048 objects of 16 B to 16 KiB, replacing one at a time. */
  private static String soak(int count, long deadline) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    long[] allocated = new long[count];
    for (int i = 0; i < count; i++) {
      int me = i;
      threads.add(
          start(
              "stress-soak-" + i,
              () -> {
                Object[] ring = new Object[2048];
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (long k = 0; before(deadline); k++) {
                  int size = 16 << r.nextInt(11);
                  ring[(int) (k % ring.length)] =
                      r.nextBoolean() ? new byte[size] : new long[size / 8];
                  allocated[me] += size;
                  if (k % 4096 == 0) {
                    sink = HeapPayload.chain(50);
                  }
                }
              }));
    }
    long total = 0;
    for (int i = 0; i < count; i++) {
      threads.get(i).join();
      total += allocated[i];
    }
    return "threads=" + count + " bytes=" + total;
  }

  private static Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
