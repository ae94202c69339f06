package dev.jpprof.agent;

import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.agent.heap.HeapEngine;
import dev.jpprof.agent.heap.HeapEngines;
import dev.jpprof.agent.heap.HeapSource;
import dev.jpprof.agent.locks.ContentionSource;
import dev.jpprof.agent.locks.LockEngine;
import dev.jpprof.agent.metrics.MetricsPage;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.agent.server.EndpointTable;
import dev.jpprof.agent.server.PprofServer;
import dev.jpprof.agent.threads.GoroutineSource;
import dev.jpprof.agent.threads.ThreadCreateSource;
import dev.jpprof.instrumentation.boot.BootstrapHooks;
import dev.jpprof.instrumentation.threads.ThreadStarts;
import dev.jpprof.pprof.FrameAddresses;
import java.lang.instrument.Instrumentation;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

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
   * The server always starts on a daemon thread, so it never holds up main(). Two things happen in
   * premain: the heap engine starts (libjpprof loads in milliseconds and rewrites nothing), so that
   * sampling covers the whole run, see {@link HeapEngines}; and Thread.start gets its hook (plain
   * ASM, one method), because rewriting Thread once threads run would leave their Thread.run frames
   * on a class version async-profiler cannot walk. Everything else is installed on the start
   * thread, after the server.
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
      Engines engines =
          new Engines(
              new LockEngine(config.stackDepth(), config.allocMaxBuckets()),
              new HeapEngines(config));
      locks.set(engines.locks);
      defineBootstrapHooks(inst);
      engines.heap.early(inst, atStartup);
      if (atStartup) {
        engines.starts.set(installThreadStarts(config, inst));
      }
      AgentThreadGroup.daemon(
              new Runnable() { // not a lambda: the first one costs premain time
                @Override
                public void run() {
                  serve(config, inst, engines, !atStartup);
                }
              },
              "jpprof-start")
          .start();
    } catch (Throwable t) {
      AgentLog.info("not started: " + AgentLog.describe(t));
    }
  }

  private static void serve(
      Config config, Instrumentation inst, Engines engines, boolean attached) {
    try {
      // One SourceInfo names the frames of every profile (CPU, threads, heap, locks, symbol).
      SourceInfo sources = new SourceInfo(inst);
      CpuProfiler cpu =
          CpuProfiler.naming(
              sources,
              config.cpuEngine(),
              config.cpuEvent(),
              config.cpuIntervalNanos(),
              config.stackDepth());
      cpu.idleTimeout(config.cpuIdleTimeoutNanos());
      cpu.wallInterval(config.wallIntervalNanos());
      HeapEngines heap = engines.heap;
      ThreadCreateSource threadCreate =
          new ThreadCreateSource(engines.starts::get, sources, FrameAddresses.SHARED);
      Map<String, ProfileSource> profiles =
          Map.of(
              EndpointTable.BLOCK,
                  ContentionSource.block(engines.locks.profiler(), sources, FrameAddresses.SHARED),
              EndpointTable.MUTEX,
                  ContentionSource.mutex(engines.locks.profiler(), sources, FrameAddresses.SHARED),
              EndpointTable.GOROUTINE,
                  new GoroutineSource(sources, config.stackDepth(), threadCreate),
              EndpointTable.THREADCREATE, threadCreate,
              EndpointTable.HEAP,
                  HeapSource.heap(heap::get, sources, FrameAddresses.SHARED, config.allocRate()),
              EndpointTable.ALLOCS,
                  HeapSource.allocs(heap::get, sources, FrameAddresses.SHARED, config.allocRate()));
      InetSocketAddress bound =
          bind(
              config,
              () ->
                  new PprofServer(
                          config,
                          cpu,
                          profiles,
                          () -> heap.status() + "\n" + engines.locks.status(),
                          new MetricsPage(cpu::engineName, () -> allocEngine(heap)))
                      .start(),
              RETRY_PAUSE_MILLIS);
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

  /** The allocation sampler as /metrics shows it. */
  private static MetricsPage.AllocEngine allocEngine(HeapEngines heap) {
    HeapEngine e = heap.get();
    return e == null
        ? MetricsPage.AllocEngine.OFF
        : new MetricsPage.AllocEngine(e.name(), e.samplesTaken(), e.samplesDropped());
  }

  /** Starts a server and returns the address it serves; the seam tests use. */
  interface Server {
    InetSocketAddress start() throws Exception;
  }

  /**
   * Starts the server, trying again {@code bindRetries} times when the port is in use. Returns the
   * bound address, or null after one line saying why not (with retries, a line before saying it
   * retries); the caller prints the serving line.
   */
  static InetSocketAddress bind(Config config, Server server, long pauseMillis)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return server.start();
      } catch (BindException e) {
        String inUse =
            "port "
                + config.port()
                + " is in use on "
                + config.host()
                + " (another process listens there)";
        if (attempt >= config.bindRetries()) {
          AgentLog.info(
              "not serving: "
                  + inUse
                  + (config.bindRetries() > 0
                      ? "; gave up after " + config.bindRetries() + " retries (bindRetries)"
                      : "; set port= to another port, port=0 for any free one, or bindRetries= to retry"));
          return null;
        }
        if (attempt == 0) {
          AgentLog.info(
              inUse
                  + "; retrying every second, up to "
                  + config.bindRetries()
                  + " times (bindRetries)");
        }
        Thread.sleep(pauseMillis);
      } catch (Exception e) {
        AgentLog.info("not serving: " + AgentLog.describe(e));
        return null;
      }
    }
  }

  /** The engines, filled in once installed (null when off or failed). */
  private static final class Engines {
    final AtomicReference<ThreadStarts> starts = new AtomicReference<>();
    final LockEngine locks;
    final HeapEngines heap;

    Engines(LockEngine locks, HeapEngines heap) {
      this.locks = locks;
      this.heap = heap;
    }

    /** Installs what premain left, after the server. */
    void finish(Config config, Instrumentation inst, boolean attached) {
      heap.late(inst, attached);
      if (attached) {
        // Threads already run Thread.run; after this their CPU stacks end in break_interpreted
        // (async-profiler cannot walk the old class version). Only attach has no earlier moment.
        starts.set(installThreadStarts(config, inst));
      }
      // JFR and JMX are loaded here, never in premain, and only when a rate is on.
      locks.install(inst, config.blockRateNanos(), config.mutexFraction());
    }
  }

  /**
   * The one install step before any engine: the dev.jpprof.bootstrap hook classes go into the
   * bootstrap loader before any agent class names them (linking ThreadStarts, LockProfiler or
   * AllocSampler loads their listeners through the agent's loader, which must find the bootstrap
   * copy). A failure is not reported here: each engine that needs the hooks checks them again when
   * it installs and says it is off.
   */
  private static void defineBootstrapHooks(Instrumentation inst) {
    try {
      BootstrapHooks.install(inst);
    } catch (Throwable t) {
      // reported by the engines that need the hooks
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
}
