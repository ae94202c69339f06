package dev.jpprof.agent.server;

import dev.jpprof.agent.Counters;
import dev.jpprof.pprof.Profiles;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The few response shapes Go's net/http/pprof writes, with its exact headers and bodies. Header
 * names are spelled as Go writes them (canonical case), not Netty's lower-case constants.
 */
final class Responses {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String HTML = "text/html; charset=utf-8";
  static final String BINARY = "application/octet-stream";
  static final String JSON = "application/json; charset=utf-8";

  private Responses() {}

  /** A successful response; every pprof handler sends {@code X-Content-Type-Options: nosniff}. */
  static FullHttpResponse ok(String contentType, byte[] body) {
    return of(HttpResponseStatus.OK, contentType, body);
  }

  /** A profile file, offered as a download named {@code filename} as Go does. */
  static FullHttpResponse attachment(String filename, byte[] body) {
    FullHttpResponse r = ok(BINARY, body);
    r.headers().set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    return r;
  }

  /**
   * A profile as Go sends it: gzipped protobuf, offered as {@code filename}. Counts the encodes,
   * their bytes and time for /debug/vars.
   */
  static FullHttpResponse profile(String filename, Profile profile) {
    long start = System.nanoTime();
    byte[] body = Profiles.gzip(profile);
    Counters.add("profiles.encoded", 1);
    Counters.add("profiles.encodeNanos", System.nanoTime() - start);
    Counters.add("profiles.bytes", body.length);
    return attachment(filename, body);
  }

  /** Go's expvar handler: JSON with a Content-Type and no other header (not even nosniff). */
  static FullHttpResponse json(byte[] body) {
    FullHttpResponse r = ok(JSON, body);
    r.headers().remove("X-Content-Type-Options");
    return r;
  }

  /**
   * Go's serveError: text/plain, {@code X-Go-Pprof: 1} (which makes the pprof client print the
   * body), no Content-Disposition, the message and a newline.
   */
  static FullHttpResponse error(HttpResponseStatus status, String message) {
    FullHttpResponse r = of(status, TEXT, utf8(message + "\n"));
    r.headers().set("X-Go-Pprof", "1");
    return r;
  }

  /** What Go's http.Error writes (used by its ServeMux for 404 and 405): no X-Go-Pprof. */
  static FullHttpResponse plainError(HttpResponseStatus status, String message) {
    return of(status, TEXT, utf8(message + "\n"));
  }

  /**
   * What Go's server itself answers to a request it cannot parse: {@code 400 Bad Request} with no
   * newline, then it closes the connection.
   */
  static FullHttpResponse badRequest() {
    return serverError(HttpResponseStatus.BAD_REQUEST, null);
  }

  /**
   * An error written by Go's HTTP server rather than a handler ({@code 431 Request Header Fields
   * Too Large}, {@code 400 Bad Request: missing required Host header}): status text, an optional
   * detail, no newline, and the connection closes.
   */
  static FullHttpResponse serverError(HttpResponseStatus status, String detail) {
    String text =
        status.code() + " " + status.reasonPhrase() + (detail == null ? "" : ": " + detail);
    FullHttpResponse r = of(status, TEXT, utf8(text));
    r.headers().set("Connection", "close");
    return r;
  }

  /** Whether the response says the connection ends after it. */
  static boolean closes(FullHttpResponse response) {
    return "close".equalsIgnoreCase(response.headers().get("Connection"));
  }

  /** A window longer than the agent allows (Go has no limit; a production agent needs one). */
  static FullHttpResponse secondsOverLimit(long maxSeconds) {
    return error(
        HttpResponseStatus.BAD_REQUEST,
        "\"seconds\" must not exceed " + maxSeconds + " (the agent's maxSeconds)");
  }

  /** Go's 405 from its mux (Go 1.23+), naming the methods the route has. */
  static FullHttpResponse methodNotAllowed(String allow) {
    FullHttpResponse r = plainError(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
    r.headers().set("Allow", allow);
    return r;
  }

  /** Go's http.Redirect with 301: a small HTML body naming the target. */
  static FullHttpResponse movedPermanently(String location) {
    String body = "<a href=\"" + Html.escape(location) + "\">Moved Permanently</a>.\n\n";
    FullHttpResponse r = of(HttpResponseStatus.MOVED_PERMANENTLY, HTML, utf8(body));
    r.headers().set("Location", location);
    return r;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static FullHttpResponse of(HttpResponseStatus status, String contentType, byte[] body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers()
        .set("Content-Type", contentType)
        .set("X-Content-Type-Options", "nosniff")
        .setInt("Content-Length", body.length);
    return r;
  }
}
