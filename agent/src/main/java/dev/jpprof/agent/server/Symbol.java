package dev.jpprof.agent.server;

/**
 * /debug/pprof/symbol. pprof calls it only for locations without function names; jpprof names
 * every frame (has_functions), and Java frames have no program counters, so no counter ever
 * resolves. The answer is what Go gives for unknown counters: just the symbol-count line, which
 * tells the client the endpoint exists. GET and POST are both accepted.
 */
final class Symbol implements Endpoint {
  private static final byte[] BODY = Responses.utf8("num_symbols: 1\n");

  @Override
  public void serve(Exchange exchange) {
    exchange.respond(Responses.ok(Responses.TEXT, BODY));
  }
}
