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
import java.net.BindException;
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
  private static final long RETRY_PAUSE_MILLIS = 1000;

  private AgentStart() {}

  /**
   * Both premain and agentmain return at once: the server and the allocation sampler start on a
   * daemon thread. Installing the sampler costs 0.5–1 s of CPU (Byte Buddy, rewriting the loaded
   * classes); in premain it would hold up main() by that much. Classes loaded before it is in
   * are retransformed; only a method already running then (an endless loop entered before) keeps
   * its old code until its next call.
   */
  static void start(String args, Instrumentation inst) {
    try {
      if (!started.compareAndSet(false, true)) {
        AgentLog.info("already running in this JVM; ignoring the second start");
        return;
      }
      Config config = Config.load(args);
      Thread thread = new Thread(() -> serve(config, inst), "jpprof-start");
      thread.setDaemon(true);
      thread.start();
    } catch (Throwable t) {
      AgentLog.info("not started: " + AgentLog.describe(t));
    }
  }

  private static void serve(Config config, Instrumentation inst) {
    try {
      CpuProfiler cpu =
          new CpuProfiler(config.cpuEvent(), config.cpuIntervalNanos(), config.stackDepth(), inst);
      SourceInfo sources = new SourceInfo(inst);
      AtomicReference<AllocSampler> sampler = new AtomicReference<>();
      Map<String, ProfileSource> profiles = Map.of(
          "goroutine", new GoroutineSource(sources, config.stackDepth(), CreationStacks.NONE),
          "heap", new HeapSource(false, sampler::get, sources, FrameAddresses.SHARED, config.allocRate()),
          "allocs", new HeapSource(true, sampler::get, sources, FrameAddresses.SHARED, config.allocRate()));
      InetSocketAddress bound = bind(config, () -> new PprofServer(config, cpu, profiles,
          () -> allocStatus(config, sampler.get())).start(), RETRY_PAUSE_MILLIS);
      if (bound == null) {
        return; // bind said why
      }
      String url = PprofServer.baseUrl(bound);
      System.setProperty(Attach.URL_PROPERTY, url);
      AgentLog.info("serving " + url);
      // After the server, so that it answers at once; heap and allocs are valid (empty)
      // profiles until the sampler is in.
      sampler.set(installAllocSampler(config, inst));
    } catch (Throwable t) {
      AgentLog.info("not serving: " + AgentLog.describe(t));
    }
  }

  /** Starts a server and returns the address it serves; the seam tests use. */
  interface Server {
    InetSocketAddress start() throws Exception;
  }

  /**
   * Starts the server, trying again {@code bindRetries} times when the port is in use. Returns
   * the bound address, or null after one line saying why not (with retries, a line before
   * saying it retries); the caller prints the serving line.
   */
  static InetSocketAddress bind(Config config, Server server, long pauseMillis)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return server.start();
      } catch (BindException e) {
        String inUse = "port " + config.port() + " is in use on " + config.host()
            + " (another process listens there)";
        if (attempt >= config.bindRetries()) {
          AgentLog.info("not serving: " + inUse + (config.bindRetries() > 0
              ? "; gave up after " + config.bindRetries() + " retries (bindRetries)"
              : "; set port= to another port, port=0 for any free one, or bindRetries= to retry"));
          return null;
        }
        if (attempt == 0) {
          AgentLog.info(inUse + "; retrying every second, up to " + config.bindRetries()
              + " times (bindRetries)");
        }
        Thread.sleep(pauseMillis);
      } catch (Exception e) {
        AgentLog.info("not serving: " + AgentLog.describe(e));
        return null;
      }
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
