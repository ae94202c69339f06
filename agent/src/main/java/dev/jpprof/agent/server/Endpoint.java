package dev.jpprof.agent.server;

/** One path under /debug/pprof/: answers an exchange, at once or later. */
interface Endpoint {
  void serve(Exchange exchange);
}
