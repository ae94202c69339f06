package dev.jpprof.agent.server;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The endpoints under /debug/pprof/ by name: one table drives both routing and the index page,
 * as Go's pprof.go does with its profile map.
 */
final class Routes {
  private final Map<String, Endpoint> endpoints = new TreeMap<>();
  private final Endpoint index;
  private final Endpoint vars;

  Routes(Map<String, Endpoint> endpoints, Supplier<String> engine, Map<String, String> config) {
    this(endpoints, engine, config, null);
  }

  /** @param vars /debug/vars, outside /debug/pprof/ as in Go; null for none */
  Routes(Map<String, Endpoint> endpoints, Supplier<String> engine, Map<String, String> config,
      Endpoint vars) {
    this.vars = vars;
    this.endpoints.putAll(endpoints);
    this.index = ex -> ex.respond(Responses.ok(Responses.HTML,
        Responses.utf8(IndexPage.render(counts(), engine, config))));
  }

  Endpoint get(String name) {
    return endpoints.get(name);
  }

  Endpoint index() {
    return index;
  }

  /** /debug/vars, or null when not served. */
  Endpoint vars() {
    return vars;
  }

  /** Name to count for the index page; endpoints that are not profiles count 0, as in Go. */
  Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    for (Map.Entry<String, Endpoint> e : endpoints.entrySet()) {
      Endpoint endpoint = e.getValue();
      long count = endpoint instanceof NamedProfileEndpoint ? ((NamedProfileEndpoint) endpoint).count() : 0;
      counts.put(e.getKey(), count);
    }
    return Collections.unmodifiableMap(counts);
  }
}
