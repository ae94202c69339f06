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
    pprofUrl = args.length > 3 ? args[3] : null;
    Thread worker = new Thread(() -> run(workload, warmupNs, measureNs, out), "worker");
    worker.start();
    worker.join();
    System.out.println("ops=" + out[0]);
    System.out.println("cpuNs=" + out[1]);
    System.out.println("wallNs=" + out[2]);
    System.out.println("allocatedBytes=" + out[3]);
    for (Map.Entry<String, Long> e : threadCpu.entrySet()) {
      System.out.println("threadCpuNs." + e.getKey() + "=" + e.getValue());
    }
    System.out.println("windowStartMs=" + windowStartMs);
    if (samples >= 0) {
      System.out.println("samples=" + samples);
    }
    if (args.length > 3) {
      // Share of the worker's bytes (since it started) that jpprof's allocs profile accounts for.
      System.out.println("coverage=" + unsampledBytes(args[3] + "allocs?debug=1") / out[4]);
    }
  }

  static String pprofUrl;

  /** CPU time in the window per thread group (from /proc/self/task), and jpprof's samples. */
  static final Map<String, Long> threadCpu = new java.util.TreeMap<>();

  static long samples = -1;

  /** JVM uptime at the window's start (to match -XX:+PrintCompilation's time stamps). */
  static long windowStartMs;

  /**
   * Waits until jpprof's index page says an allocation engine runs and is not installing (the Byte
   * Buddy engine rewriting the loaded classes deoptimizes running code, a start-up cost the window
   * must not measure as steady state) nor starting (JFR, the fallback, starts late).
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
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("allocation sampling: ([^<\\n]*)").matcher(fetch(url));
      if (!m.find()) {
        return true; // no such line: nothing to wait for
      }
      String status = m.group(1);
      return !status.startsWith("starting") && !status.contains("installing");
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
    pprofSamples(); // first use (class loading, linkage) in the warm-up, not in the window
    taskCpu();
    long warmEnd = System.nanoTime() + warmupNs;
    while (System.nanoTime() < warmEnd) {
      sum += ea ? eaBatch() : mixedBatch();
    }
    long ops = 0;
    long samples0 = pprofSamples();
    Map<String, Long> tasks0 = taskCpu();
    long bytes0 = threads.getThreadAllocatedBytes(id);
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    windowStartMs = ManagementFactory.getRuntimeMXBean().getUptime();
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
    Map<String, Long> tasks1 = taskCpu();
    for (Map.Entry<String, Long> e : tasks1.entrySet()) {
      String group = group(e.getKey().substring(e.getKey().indexOf(' ') + 1));
      long before = tasks0.getOrDefault(e.getKey(), 0L);
      threadCpu.merge(group, e.getValue() - before, Long::sum);
    }
    if (samples0 >= 0) {
      samples = pprofSamples() - samples0;
    }
    sink = sum;
  }

  private static String read(java.io.File f) throws java.io.IOException {
    return new String(
        java.nio.file.Files.readAllBytes(f.toPath()), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** "tid name" → ns on a CPU, from /proc/self/task/{tid}/schedstat; empty off Linux. */
  static Map<String, Long> taskCpu() {
    Map<String, Long> cpu = new HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return cpu;
    }
    for (java.io.File t : tasks) {
      try {
        String name = read(new java.io.File(t, "comm")).trim();
        // schedstat's first field: ns on a CPU (stat's utime + stime tick at 10 ms only)
        cpu.put(
            t.getName() + " " + name,
            Long.parseLong(read(new java.io.File(t, "schedstat")).split(" ")[0]));
      } catch (java.io.IOException | RuntimeException e) {
        // the thread ended
      }
    }
    return cpu;
  }

  static String group(String thread) {
    if (thread.equals("worker") || thread.startsWith("jpprof-heap")) {
      return thread;
    }
    if (thread.startsWith("jpprof")) {
      return "jpprof-other";
    }
    if (thread.startsWith("C1 ") || thread.startsWith("C2 ")) {
      return "jit";
    }
    if (thread.startsWith("GC ") || thread.startsWith("G1 ") || thread.equals("VM Thread")) {
      return "gc+vm";
    }
    return "other";
  }

  /** Samples jpprof's JVMTI engine has seen (index page), or -1. */
  static long pprofSamples() {
    if (pprofUrl == null) {
      return -1;
    }
    try {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("; (\\d+) samples,").matcher(fetch(pprofUrl));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (Exception e) {
      return -1;
    }
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
