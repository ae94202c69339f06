package dev.jpprof.agent.server;

import dev.jpprof.agent.metrics.MetricsPage;

/**
 * /metrics for Prometheus. Built on a worker thread: the first request loads the Prometheus client
 * and registers the JVM metrics, and every scrape reads MXBeans.
 */
final class MetricsEndpoint implements Endpoint {
  private final OffLoop offLoop;
  private final MetricsPage page;

  MetricsEndpoint(OffLoop offLoop, MetricsPage page) {
    this.offLoop = offLoop;
    this.page = page;
  }

  @Override
  public void serve(Exchange exchange) {
    offLoop.answer(
        exchange,
        "metrics",
        OffLoop.saysWhy("failed to collect metrics: "),
        () -> Responses.ok(MetricsPage.CONTENT_TYPE, page.render()));
  }
}
