package dev.jpprof.agent.push;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.PushConfig;
import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.profiles.ProfileSource;
import java.util.Map;
import java.util.function.LongSupplier;

/** Starts push when {@code push.url} is set; every failure is one stderr line, the app runs on. */
public final class PushStart {
  private PushStart() {}

  /**
   * The running pusher, or null when push is off or could not start (said on stderr).
   *
   * @param cpuIntervalNanos the CPU sampling period, sent as Pyroscope's sampleRate
   */
  public static Pusher start(
      PushConfig config,
      CpuProfiler cpu,
      Map<String, ProfileSource> sources,
      long cpuIntervalNanos) {
    if (!config.enabled()) {
      return null;
    }
    try {
      String app = config.app(System.getProperty("sun.java.command"));
      Ingest ingest =
          new Ingest(
              config.url(),
              Ingest.name(app, config.labels()),
              config.authorization(),
              config.tenant(),
              config.headers(),
              config.timeoutNanos(),
              Math.max(1, 1_000_000_000L / cpuIntervalNanos));
      LongSupplier processCpu = config.cpuThreshold() > 0 ? ProcessCpu.reader() : () -> -1;
      Pusher pusher =
          new Pusher(
              config.types(),
              sources,
              cpu == null ? null : windows(cpu),
              ingest,
              config.intervalNanos(),
              config.cpuThreshold(),
              config.durationNanos(),
              processCpu,
              config.shownUrl() + " as " + app);
      pusher.start();
      AgentLog.info(
          "pushing "
              + String.join(",", config.types())
              + " to "
              + config.shownUrl()
              + " as "
              + app
              + (config.cpuThreshold() > 0
                  ? " while CPU use is over " + config.cpuThreshold() + "/1000 of a CPU"
                  : ""));
      return pusher;
    } catch (Throwable t) {
      AgentLog.info("not pushing: " + AgentLog.describe(t));
      return null;
    }
  }

  private static Pusher.CpuWindows windows(CpuProfiler cpu) {
    return wall -> {
      CpuProfiler.Window w = wall ? cpu.openWall() : cpu.open();
      return w::finish;
    };
  }
}
