package dev.jpprof.agent;

import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.server.PprofServer;
import java.lang.instrument.Instrumentation;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
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
      bind(config, () -> new PprofServer(config, cpu, Map.of()).start(), RETRY_PAUSE_MILLIS);
    } catch (Throwable t) {
      AgentLog.info("not serving: " + AgentLog.describe(t));
    }
  }

  /** Starts a server and returns the address it serves; the seam tests use. */
  interface Server {
    InetSocketAddress start() throws Exception;
  }

  /**
   * Starts the server, trying again {@code bindRetries} times when the port is in use. Prints
   * the serving line, or one line saying why not (and, with retries, one saying it retries).
   * Returns the bound address, or null when not serving.
   */
  static InetSocketAddress bind(Config config, Server server, long pauseMillis)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        InetSocketAddress bound = server.start();
        AgentLog.info("serving " + PprofServer.baseUrl(bound));
        return bound;
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
}
