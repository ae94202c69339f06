package dev.jpprof.agent.metrics;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The /metrics document. Made at server start but empty until the first request: only then are
 * the Prometheus client's classes loaded, the registry created and the JVM metrics registered
 * ({@link Scrape}), so an application that never asks for /metrics never runs any of it, and one
 * that does has set up its own JMX and logging long before.
 */
public final class MetricsPage {
  /** Prometheus' text exposition format 0.0.4 (what Prometheus asks for first). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Supplier<String> cpuEngine;
  private final Supplier<AllocEngine> allocEngine;
  private Scrape scrape; // guarded by this; made at the first render

  /**
   * @param cpuEngine the CPU engine's name
   * @param allocEngine the allocation sampler's name and counts
   */
  public MetricsPage(Supplier<String> cpuEngine, Supplier<AllocEngine> allocEngine) {
    this.cpuEngine = cpuEngine;
    this.allocEngine = allocEngine;
  }

  /**
   * The exposition. The first call builds the registry; a failure there is thrown (the caller
   * answers 500 and reports it) and the next request tries again.
   */
  public synchronized byte[] render() throws IOException {
    if (scrape == null) {
      // Scrape is the first class here to name a Prometheus type: it loads them, and only now.
      scrape = new Scrape(new AgentCollector.Sources(cpuEngine, allocEngine));
    }
    return scrape.write();
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
