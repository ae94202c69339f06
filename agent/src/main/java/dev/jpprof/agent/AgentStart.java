package dev.jpprof.agent;

import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.cpu.SourceInfo;
import dev.jpprof.agent.heap.HeapSource;
import dev.jpprof.agent.locks.ContentionSource;
import dev.jpprof.agent.locks.LockEngine;
import dev.jpprof.agent.server.PprofServer;
import dev.jpprof.agent.server.ProfileSource;
import dev.jpprof.agent.threads.ThreadCreateSource;
import dev.jpprof.agent.threads.FrameAddresses;
import dev.jpprof.agent.threads.GoroutineSource;
import dev.jpprof.instrumentation.alloc.AllocSampler;
import dev.jpprof.instrumentation.alloc.BootstrapHooks;
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
  /** The running agent's lock engine, for block.rate and mutex.fraction set at run time. */
  private static final AtomicReference<LockEngine> locks = new AtomicReference<>();
  /** Distinct thread-starting stacks kept; an application has few places that start threads. */
  private static final int MAX_THREAD_STACKS = 4096;
  private static final long RETRY_PAUSE_MILLIS = 1000;

  private AgentStart() {}

  /**
   * The server always starts on a daemon thread, so it never holds up main(). When the agent is
   * loaded at startup, premain registers the allocation rewriting before main(), so that every
   * application class is rewritten as it loads; the JDK classes already loaded (HashMap,
   * String, ...) and Thread.start are rewritten on the start thread, after the server. Rewriting
   * application classes later instead would hit methods already running: a loop that never
   * returns (main's, a server's event loop) keeps running obsolete code, which async-profiler
   * cannot walk, so its CPU stacks would end in "break_interpreted". Attached to a running JVM
   * there is no such choice: everything is installed after the server.
   */
  static void start(String args, Instrumentation inst, boolean atStartup) {
    try {
      if (RunTimeSettings.isRequest(args)) {
        RunTimeSettings.apply(args, started.get() ? locks.get() : null);
        return;
      }
      if (!started.compareAndSet(false, true)) {
        AgentLog.info("already running in this JVM; ignoring the second start");
        return;
      }
      Config config = Config.load(args);
      Engines engines = new Engines(new LockEngine(config.stackDepth(), config.allocMaxBuckets()));
      locks.set(engines.locks);
      if (atStartup) {
        engines.sampler.set(installAllocSampler(config, inst, false));
      }
      AgentThreadGroup.daemon(() -> serve(config, inst, engines, !atStartup), "jpprof-start").start();
    } catch (Throwable t) {
      AgentLog.info("not started: " + AgentLog.describe(t));
    }
  }

  private static void serve(Config config, Instrumentation inst, Engines engines,
      boolean attached) {
    try {
      CpuProfiler cpu =
          new CpuProfiler(config.cpuEngine(), config.cpuEvent(), config.cpuIntervalNanos(),
              config.stackDepth(), inst);
      SourceInfo sources = new SourceInfo(inst);
      AtomicReference<AllocSampler> sampler = engines.sampler;
      ThreadCreateSource threadCreate =
          new ThreadCreateSource(engines.starts::get, sources, FrameAddresses.SHARED);
      Map<String, ProfileSource> profiles = Map.of(
          "block", new ContentionSource(false, engines.locks.profiler(), sources, FrameAddresses.SHARED),
          "mutex", new ContentionSource(true, engines.locks.profiler(), sources, FrameAddresses.SHARED),
          "goroutine", new GoroutineSource(sources, config.stackDepth(), threadCreate),
          "threadcreate", threadCreate,
          "heap", new HeapSource(false, sampler::get, sources, FrameAddresses.SHARED, config.allocRate()),
          "allocs", new HeapSource(true, sampler::get, sources, FrameAddresses.SHARED, config.allocRate()));
      InetSocketAddress bound = bind(config, () -> new PprofServer(config, cpu, profiles,
          () -> allocStatus(config, sampler.get(), engines.installing.get()) + "\n"
              + engines.locks.status()).start(), RETRY_PAUSE_MILLIS);
      if (bound == null) {
        return; // bind said why
      }
      String url = PprofServer.baseUrl(bound);
      System.setProperty(Attach.URL_PROPERTY, url);
      AgentLog.info("serving " + url);
      // After the server, so that it answers at once; heap, allocs, threadcreate, block and
      // mutex are valid profiles meanwhile.
      engines.finish(config, inst, attached);
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
    if (config.allocRate() != 0 && installing) {
      // Also when premain already set the sampler up: until the loaded JDK classes are
      // rewritten, their allocation is not seen and running methods are being deoptimized.
      return "allocation sampling: installing (rewriting the loaded classes)";
    }
    if (s == null) {
      return config.allocRate() == 0 ? "allocation sampling: off (alloc.rate=0)"
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
    final LockEngine locks;

    Engines(LockEngine locks) {
      this.locks = locks;
    }

    /** Installs what premain left: everything when attached, else the loaded JDK classes. */
    void finish(Config config, Instrumentation inst, boolean attached) {
      if (attached) {
        sampler.set(installAllocSampler(config, inst, true));
      } else if (sampler.get() != null) {
        try {
          sampler.get().retransformLoaded();
        } catch (Throwable t) {
          AgentLog.info("allocation sampling: loaded JDK classes not rewritten: " + AgentLog.describe(t));
        }
      }
      starts.set(installThreadStarts(config, inst));
      // JFR and JMX are loaded here, never in premain, and only when a rate is on.
      locks.install(inst, config.blockRateNanos(), config.mutexFraction());
      installing.set(false);
    }
  }

  private static ThreadStarts installThreadStarts(Config config, Instrumentation inst) {
    try {
      // Linking ThreadStarts loads ThreadListener through the agent's loader, which must find
      // the bootstrap copy: the allocation engine defines the hooks first, unless alloc.rate=0.
      BootstrapHooks.install(inst);
      return ThreadStarts.install(inst, config.stackDepth(), MAX_THREAD_STACKS);
    } catch (Throwable t) {
      AgentLog.info("thread-start hook off (threadcreate stays empty): " + AgentLog.describe(t));
      return null;
    }
  }

  private static AllocSampler installAllocSampler(Config config, Instrumentation inst,
      boolean retransformLoaded) {
    if (config.allocRate() == 0) {
      return null; // Go's MemProfileRate = 0: heap and allocs stay empty, nothing is rewritten
    }
    try {
      return AllocSampler.install(inst, config.allocRate(), config.stackDepth(),
          config.allocMaxBuckets(), retransformLoaded);
    } catch (Throwable t) {
      AgentLog.info("allocation sampling off (heap and allocs stay empty): " + AgentLog.describe(t));
      return null;
    }
  }
}
