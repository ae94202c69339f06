package dev.jpprof.agent.cpu;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import one.profiler.AsyncProfiler;
import one.profiler.Counter;

/**
 * The child JVM of {@link CpuFallbackTest}: one window of about 1 s with the engine named by the
 * first argument, reported on stderr as COMMENT, SAMPLES, DESCRIBE or ERROR lines. With
 * "app-started", the application starts async-profiler itself first, as an application or another
 * agent that ships it would, and reports afterwards whether its own session survived the window.
 */
public final class FallbackChild {
  static volatile long sink;

  private FallbackChild() {}

  public static void main(String[] args) throws Exception {
    AsyncProfiler app = null;
    if (args.length > 1 && args[1].equals("app-started")) {
      app = AsyncProfiler.getInstance();
      app.execute("start,event=cpu,interval=10ms,quiet,loglevel=none");
    }
    CpuProfiler profiler = new CpuProfiler(args[0], "cpu", 10_000_000L, 128, null);
    try {
      CpuProfiler.Window window = profiler.open();
      if (profiler.describe().startsWith("JFR")) {
        // JDK 17's sampler may land only a few samples a second under load: burn until 5 did.
        try (LandedSamples landed = new LandedSamples()) {
          sink += landed.burn("burn", 5, 10, () -> burn(100_000_000L));
        }
      } else {
        sink += burn(1_000_000_000L);
      }
      Profile p = window.finish();
      ProfileChecks.assertValidCpuProfile(p, 10_000_000L);
      System.err.println("COMMENT " + ProfileChecks.str(p, p.getComment(0)));
      System.err.println(
          "SAMPLES " + ProfileChecks.samplesIn(p, FallbackChild.class.getName() + ".burn"));
    } catch (CpuProfilerException e) {
      System.err.println("ERROR " + e.getMessage());
    }
    System.err.println("DESCRIBE " + profiler.describe());
    if (app != null) {
      boolean running =
          app.execute("status,quiet,loglevel=none").startsWith("Profiling is running");
      boolean sampled = app.dumpCollapsed(Counter.SAMPLES).contains("FallbackChild.burn");
      app.execute("stop,quiet,loglevel=none");
      System.err.println("APP running=" + running + " sampled=" + sampled);
    }
  }

  /** Burns {@code cpuNanos} of this thread's CPU (JDK 17's JFR misses bare arithmetic loops). */
  private static long burn(long cpuNanos) {
    return CpuProfilerTest.burnB(cpuNanos);
  }
}
