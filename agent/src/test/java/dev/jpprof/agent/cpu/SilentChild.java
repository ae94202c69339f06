package dev.jpprof.agent.cpu;

import java.nio.file.Files;
import java.nio.file.Path;
import one.profiler.AsyncProfiler;

/**
 * The child JVM of {@link StdoutSilenceTest}. "jpprof" profiles itself the way the server will;
 * "exit-open" exits while a window is open; "control" drives async-profiler unquieted, which must
 * show up on stdout, or the test could not tell silence from a harness that does not see native
 * writes.
 */
public final class SilentChild {
  static volatile long sink;

  private SilentChild() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("control")) {
      Path file = Files.createTempFile("jpprof-control-", ".jfr");
      AsyncProfiler ap = AsyncProfiler.getInstance();
      ap.execute("start,event=cpu,lines,jfr,file=" + file); // "[WARN] Unknown argument: lines"
      ap.execute("stop");
      Files.delete(file);
      System.err.println("CONTROL DONE");
      return;
    }
    CpuProfiler profiler = new CpuProfiler("cpu", 10_000_000L, 128, null);
    if (args.length > 0 && args[0].equals("exit-open")) {
      profiler.open();
      burn(100);
      System.err.println("FILE " + profiler.file());
      System.exit(0); // with the window still open, as when the application ends mid-profile
    }
    CpuProfiler.Window a = profiler.open();
    burn(300);
    CpuProfiler.Window b = profiler.open();
    // Threads that come and go while perf_events is on: async-profiler opens and closes a perf fd
    // for each, the path where it has warned about races.
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> burn(20));
      t.start();
      t.join();
    }
    long inB = ProfileChecks.totalSamples(b.finish());
    burn(200);
    long inA = ProfileChecks.totalSamples(a.finish());
    CpuProfiler fallback = new CpuProfiler("nosuchevent", 10_000_000L, 128, null);
    CpuProfiler.Window c = fallback.open();
    burn(100);
    c.cancel();
    System.err.println("OK a=" + inA + " b=" + inB + " " + profiler.describe());
  }

  private static void burn(long millis) {
    long s = 0;
    for (long end = System.nanoTime() + millis * 1_000_000L; System.nanoTime() < end; ) {
      s = s * 31 + (s >>> 3) + 1;
    }
    sink += s;
  }
}
