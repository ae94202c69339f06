package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.vars.VarsPage;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * /debug/vars, Go's expvar handler: the vars as one JSON document. Built on a worker thread,
 * since it reads JMX (initialised on the first request, never in premain) and calls the
 * application's suppliers.
 */
final class VarsEndpoint implements Endpoint {
  private final Executor workers;
  private final List<String> cmdline = Cmdline.arguments();

  VarsEndpoint(Executor workers) {
    this.workers = workers;
  }

  @Override
  public void serve(Exchange exchange) {
    workers.execute(() -> {
      try {
        exchange.respond(Responses.json(Responses.utf8(VarsPage.render(cmdline))));
      } catch (RuntimeException | LinkageError e) {
        AgentLog.failure("vars", e);
        exchange.respond(Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "failed to collect vars: " + AgentLog.describe(e)));
      }
    });
  }
}
