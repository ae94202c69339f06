package dev.jpprof.agent.server;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * /debug/pprof/ui/ and everything under it: the page that lists the profiles ({@link UiPage}) and
 * the viewer's files ({@link UiAssets}). The access rules are the server's, checked before any
 * route, so the page and its files are answered exactly where the profiles are.
 */
final class UiEndpoint implements Endpoint {
  static final String PATH = Route.ROOT + "ui/";

  /** Where speedscope's release files are served. */
  static final String VIEWER = PATH + "speedscope/";

  private final List<Route> rows;
  private final OffLoop offLoop;
  private final long maxSeconds;

  /**
   * @param rows the endpoint table's other rows: the page lists the profiles among them
   */
  UiEndpoint(List<Route> rows, OffLoop offLoop, long maxSeconds) {
    this.rows = List.copyOf(rows);
    this.offLoop = offLoop;
    this.maxSeconds = maxSeconds;
  }

  @Override
  public void serve(Exchange ex) {
    String path = ex.uri.path();
    if (path.equals(PATH)) {
      FullHttpResponse r =
          Responses.ok(Responses.HTML, Responses.utf8(UiPage.render(rows, maxSeconds)));
      // Links only: the page runs no script and embeds nothing, and no other site may frame it.
      r.headers()
          .set("Cache-Control", UiAssets.NO_CACHE)
          .set(
              "Content-Security-Policy",
              "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
      ex.respond(r);
    } else if (path.startsWith(VIEWER)) {
      UiAssets.serve(ex, path.substring(VIEWER.length()), offLoop);
    } else {
      ex.respond(Responses.plainError(HttpResponseStatus.NOT_FOUND, "404 page not found"));
    }
  }
}
