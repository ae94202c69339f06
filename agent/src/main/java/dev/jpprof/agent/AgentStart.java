package dev.jpprof.agent;

import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.cpu.SourceInfo;
import dev.jpprof.agent.heap.HeapSource;
import dev.jpprof.agent.server.PprofServer;
import dev.jpprof.agent.server.ProfileSource;
import dev.jpprof.agent.threads.ThreadCreateSource;
import dev.jpprof.agent.threads.FrameAddresses;
import dev.jpprof.agent.threads.GoroutineSource;
import dev.jpprof.instrumentation.alloc.AllocSampler;
import dev.jpprof.instrumentation.threads.ThreadStarts;
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
  /** Distinct thread-starting stacks kept; an application has few places that start threads. */
  private static final int MAX_THREAD_STACKS = 4096;
  private static final long RETRY_PAUSE_MILLIS = 1000;

  private AgentStart() {}

  /**
   * The server always starts on a daemon thread, so it never holds up main(). The bytecode
   * engines (allocation sampling, the Thread.start hook) are installed here, before main(), when
   * the agent is loaded at startup: every application class is then rewritten as it loads.
   * Retransforming classes later is worse for the application than the 0.5–1 s this costs:
   * a method already running when its class is retransformed (main's loop, a server's event
   * loop) keeps running the old, now obsolete code, which async-profiler cannot walk through,
   * so its CPU stacks end in "break_interpreted" for as long as that loop runs. When attached
   * to a running JVM there is no such choice; the engines are installed after the server.
   */
  static void start(String args, Instrumentation inst, boolean atStartup) {
    try {
      if (!started.compareAndSet(false, true)) {
        AgentLog.info("already running in this JVM; ignoring the second start");
        return;
      }
      Config config = Config.load(args);
      Engines engines = new Engines();
      if (atStartup) {
        engines.install(config, inst);
      }
      Thread thread = new Thread(() -> serve(config, inst, engines, !atStartup), "jpprof-start");
      thread.setDaemon(true);
      thread.start();
    } catch (Throwable t) {
      AgentLog.info("not started: " + AgentLog.describe(t));
    }
  }

  private static void serve(Config config, Instrumentation inst, Engines engines,
      boolean installEngines) {
    try {
      CpuProfiler cpu =
          new CpuProfiler(config.cpuEngine(), config.cpuEvent(), config.cpuIntervalNanos(),
              config.stackDepth(), inst);
      SourceInfo sources = new SourceInfo(inst);
      AtomicReference<AllocSampler> sampler = engines.sampler;
      ThreadCreateSource threadCreate =
          new ThreadCreateSource(engines.starts::get, sources, FrameAddresses.SHARED);
      Map<String, ProfileSource> profiles = Map.of(
          "goroutine", new GoroutineSource(sources, config.stackDepth(), threadCreate),
          "threadcreate", threadCreate,
          "heap", new HeapSource(false, sampler::get, sources, FrameAddresses.SHARED, config.allocRate()),
          "allocs", new HeapSource(true, sampler::get, sources, FrameAddresses.SHARED, config.allocRate()));
      InetSocketAddress bound = bind(config, () -> new PprofServer(config, cpu, profiles,
          () -> allocStatus(config, sampler.get(), engines.installing.get())).start(), RETRY_PAUSE_MILLIS);
      if (bound == null) {
        return; // bind said why
      }
      String url = PprofServer.baseUrl(bound);
      System.setProperty(Attach.URL_PROPERTY, url);
      AgentLog.info("serving " + url);
      if (installEngines) {
        // Attached: after the server, so that it answers at once; heap, allocs and
        // threadcreate are valid (empty) profiles until the engines are in.
        engines.install(config, inst);
      }
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
  private static String allocStatus(Config config, AllocSampler s, boolean installing) {
    if (s == null) {
      return config.allocRate() == 0 ? "allocation sampling: off (alloc.rate=0)"
          : installing ? "allocation sampling: installing (rewriting the loaded classes)"
          : "allocation sampling: not installed (see stderr)";
    }
    return "allocation sampling: Byte Buddy, rate " + s.rate() + " bytes, "
        + s.transformedClasses() + " classes rewritten, " + s.failedTransforms()
        + " could not be rewritten (run unsampled), " + s.bucketCount() + " buckets, "
        + s.overflowCount() + " samples merged into the overflow bucket (alloc.maxBuckets)";
  }

  /** The bytecode engines, filled in once installed (null when off or failed). */
  private static final class Engines {
    final AtomicReference<AllocSampler> sampler = new AtomicReference<>();
    final AtomicReference<ThreadStarts> starts = new AtomicReference<>();
    final AtomicBoolean installing = new AtomicBoolean(true);

    void install(Config config, Instrumentation inst) {
      sampler.set(installAllocSampler(config, inst));
      starts.set(installThreadStarts(config, inst));
      installing.set(false);
    }
  }

  private static ThreadStarts installThreadStarts(Config config, Instrumentation inst) {
    try {
      return ThreadStarts.install(inst, config.stackDepth(), MAX_THREAD_STACKS);
    } catch (Throwable t) {
      AgentLog.info("thread-start hook off (threadcreate stays empty): " + AgentLog.describe(t));
      return null;
    }
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
