package dev.jpprof.agent.server;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * speedscope's release files, served from inside profiler.jar (the build unpacks the pinned npm
 * tarball into {@code ui/speedscope/} beside this class). Only plain file names of that one folder
 * are looked up: anything else, and a file that is not there, is a 404, never another page.
 */
final class UiAssets {
  /** The jar folder of the files, relative to this class's package. */
  private static final String FOLDER = "ui/speedscope/";

  /** What may be asked for: one file name of the folder (no "/", "\", "..", no leading dot). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /**
   * esbuild's content-hashed names ({@code speedscope-Y2522XSH.js}): a new content is a new name,
   * so such a file can be cached for good.
   */
  private static final Pattern HASHED = Pattern.compile(".+-[A-Z0-9]{8}\\.[a-z0-9]+");

  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** Revalidate every time: index.html names the hashed files of this jar's release. */
  static final String NO_CACHE = "no-cache";

  /**
   * speedscope's page: its own script, styles (inline ones too: it injects them), font, icons and
   * WebAssembly (its JFR importer); fetches only from this origin.
   */
  private static final String VIEWER_POLICY =
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data: blob:; font-src 'self' data:; frame-ancestors 'none'";

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", Responses.HTML),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", Responses.JSON),
          Map.entry("txt", Responses.TEXT),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("wasm", "application/wasm"));

  private UiAssets() {}

  /** Answers the file {@code name} ("" is index.html), read off the event loop. */
  static void serve(Exchange ex, String name, OffLoop offLoop) {
    String file = name.isEmpty() ? "index.html" : name;
    if (!NAME.matcher(file).matches()) {
      ex.respond(notFound());
      return;
    }
    offLoop.answer(ex, "ui file", OffLoop.says("failed to read " + file), () -> read(file));
  }

  private static FullHttpResponse read(String file) throws IOException {
    byte[] body;
    try (InputStream in = UiAssets.class.getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        return notFound();
      }
      body = in.readAllBytes();
    }
    FullHttpResponse r = Responses.ok(contentType(file), body);
    r.headers().set("Cache-Control", HASHED.matcher(file).matches() ? IMMUTABLE : NO_CACHE);
    if (file.endsWith(".html")) {
      r.headers().set("Content-Security-Policy", VIEWER_POLICY);
    }
    return r;
  }

  /** By extension; a file without one (LICENSE) is text. */
  static String contentType(String file) {
    int dot = file.lastIndexOf('.');
    if (dot < 0) {
      return Responses.TEXT;
    }
    return TYPES.getOrDefault(file.substring(dot + 1).toLowerCase(Locale.ROOT), Responses.BINARY);
  }

  private static FullHttpResponse notFound() {
    return Responses.plainError(HttpResponseStatus.NOT_FOUND, "404 page not found");
  }
}
