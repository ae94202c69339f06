package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.metrics.MetricsPage;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.agent.server.NamedProfileEndpointTest.Growing;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /debug/pprof/ui/: the page, speedscope's files with their types and caching, 404s that are not
 * the page, no way out of the files' folder, and the server's access rules.
 */
class UiEndpointTest {
  private static final String VIEWER = "/debug/pprof/ui/speedscope/";

  private Access access = Access.loopbackOnly();

  private EmbeddedChannel channel() {
    Map<String, ProfileSource> profiles = new HashMap<>();
    for (String name : List.of("allocs", "block", "goroutine", "heap", "mutex", "threadcreate")) {
      profiles.put(name, new Growing());
    }
    MetricsPage metrics = new MetricsPage(() -> "none", () -> MetricsPage.AllocEngine.OFF);
    List<Route> rows = EndpointTable.rows(null, profiles, metrics, new OffLoop(Runnable::run), 600);
    return new EmbeddedChannel(
        new PprofHandler(new Routes(rows, () -> "e", Map.of()), access, new InFlight(16)));
  }

  private FullHttpResponse get(HttpMethod method, String uri, String host) {
    EmbeddedChannel ch = channel();
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    r.headers().set("Host", host);
    ch.writeInbound(r);
    ch.runPendingTasks();
    return ch.readOutbound();
  }

  private FullHttpResponse get(String uri) {
    return get(HttpMethod.GET, uri, "127.0.0.1:6060");
  }

  private static String body(FullHttpResponse r) {
    return r.content().toString(StandardCharsets.UTF_8);
  }

  @Test
  void pageListsEveryProfileWithItsSampleTypesAndIsNeverCached() {
    FullHttpResponse r = get("/debug/pprof/ui/");
    assertEquals(200, r.status().code());
    assertEquals("text/html; charset=utf-8", r.headers().get("Content-Type"));
    assertEquals("no-cache", r.headers().get("Cache-Control"));
    assertTrue(r.headers().get("Content-Security-Policy").startsWith("default-src 'none'"));
    String page = body(r);
    for (String name : List.of("allocs", "block", "goroutine", "heap", "mutex", "threadcreate")) {
      assertTrue(page.contains("<tr id=\"" + name + "\">"), name);
    }
    // No CPU profiler here: no CPU row, as the index leaves out what the server lacks.
    assertFalse(page.contains("<tr id=\"CPU\">"), page);
    assertFalse(page.contains("<script"), page);
    // heap inuse_space: speedscope's fragment, with the profile's URL relative to the viewer.
    assertTrue(
        page.contains(
            "<a href=\"speedscope/index.html#profileURL=..%2F..%2F..%2F..%2Fdebug%2Fpprof%2Fheap"
                + "%3Fsample_index%3Dinuse_space&amp;title=heap%20inuse_space&amp;view=left-heavy\">"
                + "inuse_space</a>"),
        page);
    // Growth over a window only for sample types that only grow.
    assertTrue(page.contains("allocs%3Fsample_index%3Dalloc_space%26seconds%3D30"), page);
    assertFalse(page.contains("heap%3Fsample_index%3Dinuse_space%26seconds"), page);
    assertFalse(page.contains("goroutine%3Fseconds"), page);
    assertTrue(
        page.contains("threadcreate%3Fseconds%3D30&amp;title=threadcreate%20%2B30%20s"), page);
  }

  /** As Go's mux does for a subtree pattern. */
  @Test
  void pathWithoutItsSlashIsRedirected() {
    FullHttpResponse r = get("/debug/pprof/ui?x=1");
    assertEquals(301, r.status().code());
    assertEquals("/debug/pprof/ui/?x=1", r.headers().get("Location"));
  }

  @Test
  void indexPageLinksToIt() {
    assertTrue(body(get("/debug/pprof/")).contains("<a href=\"ui/\">ui/</a>"));
  }

  @Test
  void everyViewerFileHasItsTypeAndCaching() throws Exception {
    File folder = new File(UiAssets.class.getResource("ui/speedscope/").toURI());
    Map<String, String> types =
        Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "wasm", "application/wasm",
            "woff2", "font/woff2",
            "png", "image/png",
            "ico", "image/x-icon");
    int checked = 0;
    for (File f : folder.listFiles()) {
      FullHttpResponse r = get(VIEWER + f.getName());
      assertEquals(200, r.status().code(), f.getName());
      assertEquals(Files.size(f.toPath()), r.content().readableBytes(), f.getName());
      assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
      String ext = f.getName().substring(f.getName().lastIndexOf('.') + 1);
      if (types.containsKey(ext)) {
        assertEquals(types.get(ext), r.headers().get("Content-Type"), f.getName());
        checked++;
      }
      boolean hashed = f.getName().matches(".+-[A-Z0-9]{8}\\.[a-z0-9]+");
      assertEquals(
          hashed ? "public, max-age=31536000, immutable" : "no-cache",
          r.headers().get("Cache-Control"),
          f.getName());
    }
    assertTrue(checked >= 8, "files of every type: " + checked);
  }

  @Test
  void viewerPageNamesItsHashedFilesAndIsRevalidated() {
    FullHttpResponse r = get(VIEWER + "index.html");
    assertEquals(200, r.status().code());
    assertEquals("no-cache", r.headers().get("Cache-Control"));
    assertTrue(r.headers().get("Content-Security-Policy").contains("script-src 'self'"));
    Matcher js = Pattern.compile("src=\"(speedscope-[A-Z0-9]{8}\\.js)\"").matcher(body(r));
    assertTrue(js.find(), body(r));
    FullHttpResponse script = get(VIEWER + js.group(1));
    assertEquals(200, script.status().code());
    assertEquals("public, max-age=31536000, immutable", script.headers().get("Cache-Control"));
    // The folder itself is its index.html.
    assertEquals(body(r), body(get(VIEWER)));
  }

  @Test
  void licenseIsShipped() {
    FullHttpResponse r = get(VIEWER + "LICENSE");
    assertEquals(200, r.status().code());
    assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
    assertTrue(body(r).startsWith("MIT License"), body(r));
  }

  @Test
  void headAnswersTheLengthWithoutTheBody() {
    FullHttpResponse r = get(HttpMethod.HEAD, VIEWER + "LICENSE", "localhost:6060");
    assertEquals(200, r.status().code());
    assertEquals(0, r.content().readableBytes());
    assertTrue(Integer.parseInt(r.headers().get("Content-Length")) > 0);
  }

  @Test
  void missingFileIs404TextNotAPage() {
    for (String path :
        List.of(
            VIEWER + "nope.js",
            VIEWER + "speedscope-AAAAAAAA.js",
            VIEWER + "UiAssets.class", // a class beside the folder is not in it
            "/debug/pprof/ui/nope",
            "/debug/pprof/ui/index.html")) {
      FullHttpResponse r = get(path);
      assertEquals(404, r.status().code(), path);
      assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"), path);
      assertEquals("404 page not found\n", body(r), path);
    }
  }

  /**
   * Dot segments, plain or %-encoded, are cleaned by the server before routing (Go's mux: a 301 to
   * the clean path, which is then routed as any other and never reaches the files); any name that
   * is not a plain file name of the folder is a 404.
   */
  @Test
  void noWayOutOfTheFolder() {
    for (String path :
        List.of(
            VIEWER + "..%5c..%5cUiAssets.class",
            VIEWER + "..%5cLICENSE",
            VIEWER + ".hidden",
            VIEWER + "index.html%00",
            VIEWER + "%00index.html",
            VIEWER + "sub%2findex.html",
            VIEWER + "%c0%ae%c0%ae%2fLICENSE")) {
      FullHttpResponse r = get(path);
      assertEquals(404, r.status().code(), path);
      assertEquals("404 page not found\n", body(r), path);
    }
    Map<String, String> cleaned =
        Map.of(
            VIEWER + "../../../../etc/passwd", "/etc/passwd",
            VIEWER + "..%2f..%2f..%2f..%2fetc%2fpasswd", "/etc/passwd",
            VIEWER + "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
            VIEWER + "./LICENSE", VIEWER + "LICENSE");
    cleaned.forEach(
        (path, location) -> {
          FullHttpResponse r = get(path);
          assertEquals(301, r.status().code(), path);
          assertEquals(location, r.headers().get("Location"), path);
        });
    assertEquals(404, get("/etc/passwd").status().code());
  }

  @Test
  void sameAccessRulesAsEveryEndpoint() {
    FullHttpResponse rebound = get(HttpMethod.GET, "/debug/pprof/ui/", "evil.example:6060");
    assertEquals(403, rebound.status().code());
    assertEquals(403, get(HttpMethod.GET, VIEWER + "LICENSE", "evil.example").status().code());
    assertEquals(405, get(HttpMethod.POST, "/debug/pprof/ui/", "localhost").status().code());
    access = new Access("secret", true);
    FullHttpResponse noToken = get(VIEWER + "index.html");
    assertEquals(401, noToken.status().code());
    assertEquals(401, get("/debug/pprof/ui/").status().code());
  }
}
