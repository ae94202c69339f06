package dev.jpprof.agent.server;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may ask. A server bound to loopback only answers requests whose Host header names loopback,
 * so a web page cannot reach it through DNS rebinding; when a token is configured, every request
 * must carry it as {@code Authorization: Bearer <token>}, compared in constant time.
 */
final class Access {
  private static final Set<String> LOOPBACK_HOSTS =
      Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final byte[] tokenDigest; // null: no token required
  private final boolean loopbackOnly;

  Access(String token, boolean loopbackOnly) {
    this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
    this.loopbackOnly = loopbackOnly;
  }

  /** Access for tests and for a loopback server without a token. */
  static Access loopbackOnly() {
    return new Access("", true);
  }

  /**
   * Returns null when the request may proceed, else the response that refuses it. {@code
   * targetHost} is the host of an absolute-form request-target, which is the request's host (as in
   * Go) even when the Host header names another; null for the usual origin-form.
   */
  FullHttpResponse check(FullHttpRequest request, String targetHost) {
    List<String> hosts = request.headers().getAll("Host");
    if (hosts.isEmpty() && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      return Responses.serverError(HttpResponseStatus.BAD_REQUEST, "missing required Host header");
    }
    if (hosts.size() > 1) {
      // Two Host headers could let "Host: 127.0.0.1" vouch for a rebound name behind a proxy.
      return Responses.serverError(HttpResponseStatus.BAD_REQUEST, "too many Host headers");
    }
    String host = targetHost != null ? targetHost : hosts.isEmpty() ? null : hosts.get(0);
    if (loopbackOnly && host != null && !LOOPBACK_HOSTS.contains(hostName(host))) {
      return Responses.error(
          HttpResponseStatus.FORBIDDEN,
          "Forbidden: this profiler answers only requests to localhost (Host header was not a"
              + " loopback name)");
    }
    if (tokenDigest != null && !MessageDigest.isEqual(tokenDigest, sha256(bearer(request)))) {
      FullHttpResponse r =
          Responses.error(
              HttpResponseStatus.UNAUTHORIZED,
              "Unauthorized: send the configured token as \"Authorization: Bearer <token>\"");
      r.headers().set("WWW-Authenticate", "Bearer realm=\"jpprof\"");
      return r;
    }
    return null;
  }

  /**
   * The host part of a Host header, lower case, without the port: {@code [::1]:6060} → {@code
   * [::1]}.
   */
  static String hostName(String header) {
    String h = header.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static String bearer(FullHttpRequest request) {
    String auth = request.headers().get("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "";
    }
    return auth.substring(7).trim();
  }

  /** Digests make the comparison constant-time whatever the lengths. */
  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
