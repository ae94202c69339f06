package dev.jpprof.agent;

import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.cpu.SourceInfo;
import dev.jpprof.agent.heap.HeapSource;
import dev.jpprof.agent.server.PprofServer;
import dev.jpprof.agent.server.ProfileSource;
import dev.jpprof.agent.threads.CreationStacks;
import dev.jpprof.agent.threads.FrameAddresses;
import dev.jpprof.agent.threads.GoroutineSource;
import dev.jpprof.instrumentation.alloc.AllocSampler;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The start shared by premain and agentmain: read the configuration, then start the server on a
 * daemon thread so that premain returns at once and the application's start is not delayed by
 * Netty's class loading. Every failure ends as one stderr line; the application runs on.
 */
final class AgentStart {
  private static final AtomicBoolean started = new AtomicBoolean();

  private AgentStart() {}

  /**
   * @param atStartup true from premain: the allocation sampler is installed before main() runs,
   *     so every application class is rewritten as it loads (code that is already running when
   *     classes are retransformed keeps its old version until its next call, e.g. a loop in
   *     main); false from agentmain, where the application already runs.
   */
  static void start(String args, Instrumentation inst, boolean atStartup) {
    try {
      if (!started.compareAndSet(false, true)) {
        AgentLog.info("already running in this JVM; ignoring the second start");
        return;
      }
      Config config = Config.load(args);
      AtomicReference<AllocSampler> sampler = new AtomicReference<>();
      if (atStartup) {
        sampler.set(installAllocSampler(config, inst));
      }
      Thread thread = new Thread(() -> serve(config, inst, sampler, !atStartup), "jpprof-start");
      thread.setDaemon(true);
      thread.start();
    } catch (Throwable t) {
      AgentLog.info("not started: " + AgentLog.describe(t));
    }
  }

  private static void serve(Config config, Instrumentation inst,
      AtomicReference<AllocSampler> sampler, boolean installSampler) {
    try {
      CpuProfiler cpu =
          new CpuProfiler(config.cpuEvent(), config.cpuIntervalNanos(), config.stackDepth(), inst);
      SourceInfo sources = new SourceInfo(inst);
      Map<String, ProfileSource> profiles = Map.of(
          "goroutine", new GoroutineSource(sources, config.stackDepth(), CreationStacks.NONE),
          "heap", new HeapSource(false, sampler::get, sources, FrameAddresses.SHARED, config.allocRate()),
          "allocs", new HeapSource(true, sampler::get, sources, FrameAddresses.SHARED, config.allocRate()));
      InetSocketAddress bound =
          new PprofServer(config, cpu, profiles, () -> allocStatus(config, sampler.get())).start();
      String url = PprofServer.baseUrl(bound);
      System.setProperty(Attach.URL_PROPERTY, url);
      AgentLog.info("serving " + url);
      if (installSampler) {
        // Attached to a running JVM: after the server, since rewriting the loaded classes takes
        // about a second; heap and allocs are valid (empty) profiles until then.
        sampler.set(installAllocSampler(config, inst));
      }
    } catch (Throwable t) {
      AgentLog.info("not serving: " + AgentLog.describe(t));
    }
  }

  /** The index page's line on the allocation engine: what runs and what it could not cover. */
  private static String allocStatus(Config config, AllocSampler s) {
    if (s == null) {
      return config.allocRate() == 0 ? "allocation sampling: off (alloc.rate=0)"
          : "allocation sampling: not installed (see stderr)";
    }
    return "allocation sampling: Byte Buddy, rate " + s.rate() + " bytes, "
        + s.transformedClasses() + " classes rewritten, " + s.failedTransforms()
        + " could not be rewritten (run unsampled), " + s.bucketCount() + " buckets, "
        + s.overflowCount() + " samples merged into the overflow bucket (alloc.maxBuckets)";
  }

  private static AllocSampler installAllocSampler(Config config, Instrumentation inst) {
    if (config.allocRate() == 0) {
      return null; // Go's MemProfileRate = 0: heap and allocs stay empty, nothing is rewritten
    }
    try {
      return AllocSampler.install(inst, config.allocRate(), config.stackDepth(), config.allocMaxBuckets());
    } catch (Throwable t) {
      AgentLog.info("allocation sampling off (heap and allocs stay empty): " + AgentLog.describe(t));
      return null;
    }
  }
}
