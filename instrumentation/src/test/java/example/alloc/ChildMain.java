package example.alloc;

import dev.jpprof.instrumentation.alloc.AllocSampler;
import dev.jpprof.instrumentation.alloc.HeapBucket;
import dev.jpprof.instrumentation.alloc.TestPremain;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The application of the child-JVM tests and measurements; prints key=value lines only. */
public final class ChildMain {
  private ChildMain() {}

  /** {@code scenario}, {@code inuse}, {@code ea}, {@code small}, {@code mixed} or {@code noop}. */
  @SuppressWarnings("deprecation")
  public static void main(String[] args) throws Exception {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated0 = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
    switch (args[0]) {
      case "scenario":
        scenario();
        break;
      case "ea":
        measure("ea", ChildMain::eaLoop, 2_000_000);
        break;
      case "inuse":
        inuse();
        break;
      case "small":
        measure("small", ChildMain::small, 1_000_000);
        break;
      case "mixed":
        measure("mixed", ChildMain::mixed, 20_000);
        break;
      default:
        break;
    }
    if (TestPremain.sampler != null) {
      System.out.println("installMillis=" + TestPremain.installMillis);
      System.out.println("installCpuMillis=" + TestPremain.installCpuMillis);
      System.out.println("failedTransforms=" + TestPremain.sampler.failedTransforms());
      System.out.println("transformedClasses=" + TestPremain.sampler.transformedClasses());
      // Share of the bytes this thread really allocated that the samples account for.
      long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocated0;
      System.out.println("coverage=" + estimatedBytes(TestPremain.sampler) / allocated);
      long samples = 0;
      for (HeapBucket b : TestPremain.sampler.snapshot()) {
        samples += b.allocObjects();
      }
      System.out.println("samples=" + samples);
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("jpprof-heap")) {
          System.out.println("drainCpuMillis=" + mx.getThreadCpuTime(t.getId()) / 1_000_000);
        }
      }
    }
  }

  /** All sampled bytes scaled up Go's way (pprof's unsampling of alloc_space). */
  private static double estimatedBytes(AllocSampler s) {
    double total = 0;
    for (HeapBucket b : s.snapshot()) {
      double avg = (double) b.allocBytes() / b.allocObjects();
      total += b.allocBytes() / (1 - Math.exp(-avg / s.rate()));
    }
    return total;
  }

  /** Retains 64 MiB, reports sampled in-use bytes scaled up, releases, reports again. */
  private static void inuse() throws Exception {
    AllocSampler s = TestPremain.sampler;
    Workload.retain(16 * 1024);
    s.gcAndDrain(10_000);
    long each = TestPremain.inst.getObjectSize(Workload.RETAINED.get(0));
    System.out.println("retainedBytes=" + 16 * 1024 * each);
    System.out.println("inuseRetained=" + (long) inuseBytes(s, "retain"));
    Workload.RETAINED.clear();
    s.gcAndDrain(10_000);
    System.out.println("inuseReleased=" + (long) inuseBytes(s, "retain"));
  }

  /** In-use bytes of the buckets allocated in {@code method}, scaled up Go's way. */
  private static double inuseBytes(AllocSampler s, String method) {
    double total = 0;
    for (HeapBucket b : s.snapshot()) {
      if (b.frames().length > 0
          && b.frames()[0].getMethodName().equals(method)
          && b.inuseObjects() > 0) {
        double avg = (double) b.inuseBytes() / b.inuseObjects();
        total += b.inuseBytes() / (1 - Math.exp(-avg / s.rate()));
      }
    }
    return total;
  }

  private static void scenario() throws Exception {
    AllocSampler s = TestPremain.sampler;
    for (int i = 0; i < 100; i++) {
      Workload.allocA(3 * 1024);
      Workload.allocB(1024);
    }
    Workload.growMap(200_000);
    long a = 0;
    long b = 0;
    boolean mapUnderApp = false;
    for (HeapBucket bucket : s.snapshot()) {
      StackTraceElement[] f = bucket.frames();
      if (f.length == 0) {
        continue;
      }
      if (f[0].getMethodName().equals("allocA")) {
        a += bucket.allocBytes();
      } else if (f[0].getMethodName().equals("allocB")) {
        b += bucket.allocBytes();
      } else if (f[0].getClassName().equals("java.util.HashMap")) {
        for (StackTraceElement e : f) {
          mapUnderApp |= e.getMethodName().equals("growMap");
        }
      }
    }
    System.out.println("shareA=" + (100.0 * a / (a + b)));
    System.out.println("mapUnderApp=" + mapUnderApp);
    System.out.println("layout=" + s.layout().replace(' ', '_'));
  }

  private static long eaLoop(int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      Workload.Point p = new Workload.Point(i, i + 1L);
      sum += p.x + p.y;
    }
    return sum;
  }

  private static long small(int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      Workload.Point p = new Workload.Point(i, i + 1L);
      Workload.sink = p;
      sum += p.x;
    }
    return sum;
  }

  private static long mixed(int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      Map<String, List<Integer>> m = new HashMap<>();
      for (int j = 0; j < 8; j++) {
        m.computeIfAbsent("k" + (j & 3), k -> new ArrayList<>()).add(i + j);
      }
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, List<Integer>> e : m.entrySet()) {
        sb.append(e.getKey()).append('=').append(e.getValue());
      }
      sum += sb.toString().length();
    }
    return sum;
  }

  interface Loop {
    long run(int n);
  }

  /** Warms up, then reports bytes allocated per op (ThreadMXBean), wall and CPU ns per op. */
  @SuppressWarnings("deprecation")
  private static void measure(String name, Loop loop, int n) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long sink = 0;
    // Warm up for 3 s: long enough for C2 to finish, also with the agent's own code queued.
    long warmEnd = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      sink += loop.run(n);
    }
    long bytes0 = mx.getThreadAllocatedBytes(id);
    long t0 = System.nanoTime();
    long cpu0 = mx.getCurrentThreadCpuTime();
    int rounds = 50;
    for (int i = 0; i < rounds; i++) {
      sink += loop.run(n);
    }
    long ns = System.nanoTime() - t0;
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    long bytes = mx.getThreadAllocatedBytes(id) - bytes0;
    System.out.println(name + "BytesPerOp=" + (double) bytes / ((long) rounds * n));
    System.out.println(name + "NsPerOp=" + (double) ns / ((long) rounds * n));
    System.out.println(name + "CpuNsPerOp=" + (double) cpu / ((long) rounds * n));
    System.out.println("sink=" + (sink & 1));
  }
}
