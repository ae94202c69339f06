package dev.jpprof.agent.server;

import dev.jpprof.agent.vars.VarsPage;
import java.util.List;

/**
 * /debug/vars, Go's expvar handler: the vars as one JSON document. Built on a worker thread, since
 * it reads JMX (initialised on the first request, never in premain) and calls the application's
 * suppliers.
 */
final class VarsEndpoint implements Endpoint {
  private final OffLoop offLoop;
  private final List<String> cmdline = Cmdline.arguments();

  VarsEndpoint(OffLoop offLoop) {
    this.offLoop = offLoop;
  }

  @Override
  public void serve(Exchange exchange) {
    offLoop.answer(
        exchange,
        "vars",
        OffLoop.saysWhy("failed to collect vars: "),
        () -> Responses.json(Responses.utf8(VarsPage.render(cmdline))));
  }
}
