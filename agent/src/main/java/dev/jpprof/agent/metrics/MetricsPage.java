package dev.jpprof.agent.metrics;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.push.PushState;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The /metrics document. Made at server start but empty until the first request: only then are the
 * Prometheus client's classes loaded, the registry created and the JVM metrics registered ({@link
 * Scrape}), so an application that never asks for /metrics never runs any of it, and one that does
 * has set up its own JMX and logging long before.
 */
public final class MetricsPage {
  /** Prometheus' text exposition format 0.0.4 (what Prometheus asks for first). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Supplier<String> cpuEngine;
  private final Supplier<AllocEngine> allocEngine;
  private final Supplier<PushState> push;
  private Scrape scrape; // guarded by this; made at the first render
  private Throwable broken; // guarded by this; why the registry could not be built

  /**
   * @param cpuEngine the CPU engine's name
   * @param allocEngine the allocation sampler's name and counts
   */
  public MetricsPage(Supplier<String> cpuEngine, Supplier<AllocEngine> allocEngine) {
    this(cpuEngine, allocEngine, () -> null);
  }

  /**
   * @param push push's state, or null while push is off
   */
  public MetricsPage(
      Supplier<String> cpuEngine, Supplier<AllocEngine> allocEngine, Supplier<PushState> push) {
    this.cpuEngine = cpuEngine;
    this.allocEngine = allocEngine;
    this.push = push;
  }

  /**
   * The exposition. The first call builds the registry. Every failure comes out as an IOException
   * with the reason (the caller answers 500 and reports it once). A failure while building is kept
   * and answered again, never retried: a half-built registry may have left a GC listener behind,
   * and retrying at every scrape would add one each time.
   */
  public synchronized byte[] render() throws IOException {
    if (broken != null) {
      throw new IOException(AgentLog.describe(broken), broken);
    }
    try {
      if (scrape == null) {
        try {
          // Scrape is the first class here to name a Prometheus type: they load now, not before.
          scrape = new Scrape(new AgentCollector.Sources(cpuEngine, allocEngine, push));
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
          broken = e;
          throw e;
        }
      }
      return scrape.write();
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      throw new IOException(AgentLog.describe(e), e);
    }
  }

  /** The allocation sampler as /metrics shows it: its name and its sample counts (-1: unknown). */
  public static final class AllocEngine {
    /** No allocation sampler: off, not started yet, or failed. */
    public static final AllocEngine OFF = new AllocEngine("off", -1, -1);

    final String name;
    final long taken;
    final long dropped;

    public AllocEngine(String name, long taken, long dropped) {
      this.name = name;
      this.taken = taken;
      this.dropped = dropped;
    }
  }
}
