package dev.jpprof.agent.server;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Routing by the endpoint table, as Go's ServeMux routes pprof's patterns (docs/protocol.md §2): an
 * exact path is its row; anything else under /debug/pprof/ is the index's (Go's subtree pattern),
 * which answers "Unknown profile" for a name it does not have; anything else is 404.
 */
final class Routes {
  private static final String ROOT = Route.ROOT;
  private static final String ROOT_NO_SLASH = "/debug/pprof";

  private final Map<String, Route> byPath = new HashMap<>();

  /** Rows that also answer every path under theirs (the UI and its files). */
  private final List<Route> subtrees = new ArrayList<>();

  /** The rows the index page lists, sorted by name (byte order) as Go sorts them. */
  private final List<Route> listed = new ArrayList<>();

  private final Route index;

  /**
   * @param engine the CPU engine line, then one line per other engine, for the index page
   * @param config the effective configuration, for the index page
   */
  Routes(List<Route> rows, Supplier<String> engine, Map<String, String> config) {
    for (Route row : rows) {
      byPath.put(row.path, row);
      if (row.subtree) {
        subtrees.add(row);
      }
      if (row.listed()) {
        listed.add(row);
      }
    }
    listed.sort(Comparator.comparing(r -> r.name));
    this.index =
        Route.page(
            "",
            "",
            Route.Methods.READ,
            ex -> {
              String name = ex.uri.path().substring(ROOT.length());
              if (!name.isEmpty()) {
                ex.respond(Responses.error(HttpResponseStatus.NOT_FOUND, "Unknown profile"));
                return;
              }
              ex.respond(
                  Responses.ok(
                      Responses.HTML,
                      Responses.utf8(
                          IndexPage.render(
                              listed, engine, config, byPath.containsKey(UiEndpoint.PATH)))));
            });
  }

  /** Answers a request for {@code path} (clean, %-decoded). */
  void route(Exchange ex, String path) {
    Route row = byPath.get(path);
    for (int i = 0; row == null && i < subtrees.size(); i++) {
      Route tree = subtrees.get(i);
      row = path.startsWith(tree.path) || path.equals(noSlash(tree.path)) ? tree : null;
    }
    if (row == null) {
      if (!path.startsWith(ROOT) && !path.equals(ROOT_NO_SLASH)) {
        ex.respond(Responses.plainError(HttpResponseStatus.NOT_FOUND, "404 page not found"));
        return;
      }
      row = index;
    }
    ex.endpoint(row.path);
    if (!row.methods.accepts(ex.request.method())) {
      ex.respond(Responses.methodNotAllowed(row.methods.allow()));
      return;
    }
    if (path.equals(ROOT_NO_SLASH) || path.equals(noSlash(row.path))) {
      // Go's mux redirects a subtree pattern's path without its slash.
      String to = path + "/";
      String query = ex.uri.rawQuery();
      ex.respond(Responses.movedPermanently(query.isEmpty() ? to : to + "?" + query));
      return;
    }
    row.handler.serve(ex);
  }

  /** A subtree's path without its final slash ("" for a row that is not a subtree). */
  private static String noSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : "";
  }

  /** The listed rows, for tests. */
  List<Route> listed() {
    return listed;
  }
}
