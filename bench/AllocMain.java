import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The application of bench/alloc.py: one worker thread runs a workload, warms up, then for a fixed
 * wall time counts ops, the process's CPU time (agent threads, JIT and GC included, so the
 * profiler's whole cost shows) and the worker's allocated bytes (ThreadMXBean). Prints key=value
 * lines only. Usage: AllocMain ea|mixed warmupSeconds measureSeconds [pprofUrl]
 */
public final class AllocMain {
  /** Keeps results alive, so the JIT cannot drop the work. */
  static volatile long sink;

  private AllocMain() {}

  public static void main(String[] args) throws Exception {
    String workload = args[0];
    long warmupNs = (long) (Double.parseDouble(args[1]) * 1e9);
    long measureNs = (long) (Double.parseDouble(args[2]) * 1e9);
    if (args.length > 3) {
      awaitInstalled(args[3]);
    }
    long[] out = new long[5];
    Thread worker = new Thread(() -> run(workload, warmupNs, measureNs, out), "worker");
    worker.start();
    worker.join();
    System.out.println("ops=" + out[0]);
    System.out.println("cpuNs=" + out[1]);
    System.out.println("wallNs=" + out[2]);
    System.out.println("allocatedBytes=" + out[3]);
    if (args.length > 3) {
      // Share of the worker's bytes (since it started) that jpprof's allocs profile accounts for.
      System.out.println("coverage=" + unsampledBytes(args[3] + "allocs?debug=1") / out[4]);
    }
  }

  /**
   * Waits until jpprof's index page no longer says it is rewriting the loaded classes: that
   * deoptimizes running code, a start-up cost the window must not measure as steady state.
   */
  static void awaitInstalled(String url) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!installed(url)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("jpprof still installing after 60 s");
      }
      Thread.sleep(50);
    }
  }

  private static boolean installed(String url) throws Exception {
    try {
      return !fetch(url).contains("allocation sampling: installing");
    } catch (java.net.ConnectException e) {
      return false; // the agent's server starts on its own thread, after main() may have begun
    }
  }

  static String fetch(String url) throws Exception {
    try (java.io.InputStream in = new java.net.URL(url).openStream()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * Total alloc_space of a debug=1 heap text, each record unsampled Go's way (pprof's
   * scaleHeapSample); the header's rate is twice alloc.rate, as in Go.
   */
  static double unsampledBytes(String url) throws Exception {
    String text = fetch(url);
    java.util.regex.Matcher header = java.util.regex.Pattern.compile("@ heap/(\\d+)").matcher(text);
    if (!header.find()) {
      throw new IllegalStateException("no heap profile header in " + url);
    }
    double rate = Long.parseLong(header.group(1)) / 2.0;
    java.util.regex.Matcher record =
        java.util.regex.Pattern.compile("(?m)^\\d+: \\d+ \\[(\\d+): (\\d+)\\] @").matcher(text);
    double total = 0;
    while (record.find()) {
      double n = Double.parseDouble(record.group(1));
      double bytes = Double.parseDouble(record.group(2));
      if (n > 0) {
        total += bytes / (1 - Math.exp(-(bytes / n) / rate));
      }
    }
    return total;
  }

  @SuppressWarnings("deprecation") // Thread.getId: the non-deprecated threadId() is JDK 19+
  private static void run(String workload, long warmupNs, long measureNs, long[] out) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long id = Thread.currentThread().getId();
    boolean ea = workload.equals("ea");
    if (!ea && !workload.equals("mixed")) {
      throw new IllegalArgumentException("workload is ea or mixed: " + workload);
    }
    long sum = 0;
    long warmEnd = System.nanoTime() + warmupNs;
    while (System.nanoTime() < warmEnd) {
      sum += ea ? eaBatch() : mixedBatch();
    }
    long ops = 0;
    long bytes0 = threads.getThreadAllocatedBytes(id);
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    long end = t0 + measureNs;
    long now;
    do {
      sum += ea ? eaBatch() : mixedBatch();
      ops += ea ? EA_BATCH : MIXED_BATCH;
      now = System.nanoTime();
    } while (now < end);
    out[0] = ops;
    out[1] = os.getProcessCpuTime() - cpu0;
    out[2] = now - t0;
    out[4] = threads.getThreadAllocatedBytes(id);
    out[3] = out[4] - bytes0;
    sink = sum;
  }

  static final int EA_BATCH = 100_000;
  static final int MIXED_BATCH = 256;

  /** Objects that never escape: C2 scalar-replaces them, so no bytes are allocated. */
  private static long eaBatch() {
    long sum = 0;
    for (int i = 0; i < EA_BATCH; i++) {
      Point p = new Point(i, i + 1L);
      sum += p.x + p.y;
    }
    return sum;
  }

  private static long mixedBatch() {
    long sum = 0;
    for (int i = 0; i < MIXED_BATCH; i++) {
      sum += mixed(i);
    }
    return sum;
  }

  /**
   * Typical service code: map and list growth, string concatenation and builders, boxing beyond the
   * Integer cache, array copies. Most bytes are allocated inside JDK classes.
   */
  static long mixed(int i) {
    Map<String, List<Integer>> m = new HashMap<>();
    for (int j = 0; j < 8; j++) {
      m.computeIfAbsent("k" + (j & 3), k -> new ArrayList<>()).add(i * 1000 + j);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<Integer>> e : m.entrySet()) {
      sb.append(e.getKey()).append('=').append(e.getValue()).append(';');
    }
    List<Long> boxed = new ArrayList<>();
    for (int j = 0; j < 24; j++) {
      boxed.add((long) i * 1_000_003L + j);
    }
    int[] a = new int[16 + (i & 15)];
    for (int j = 0; j < a.length; j++) {
      a[j] = i ^ j;
    }
    int[] b = Arrays.copyOf(a, a.length * 2);
    int[] c = b.clone();
    String s = sb.toString();
    return s.length() + s.substring(1, 4).hashCode() + c[a.length - 1] + boxed.get(7);
  }

  static final class Point {
    final int x;
    final long y;

    Point(int x, long y) {
      this.x = x;
      this.y = y;
    }
  }
}
