package dev.jpprof.agent;

import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.server.PprofServer;
import java.lang.instrument.Instrumentation;
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
          new CpuProfiler(
              config.cpuEngine(),
              config.cpuEvent(),
              config.cpuIntervalNanos(),
              config.stackDepth(),
              inst);
      InetSocketAddress bound = new PprofServer(config, cpu, Map.of()).start();
      String url = PprofServer.baseUrl(bound);
      System.setProperty(Attach.URL_PROPERTY, url);
      AgentLog.info("serving " + url);
    } catch (Throwable t) {
      AgentLog.info("not serving: " + AgentLog.describe(t));
    }
  }
}
