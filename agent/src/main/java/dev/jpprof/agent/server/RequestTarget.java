package dev.jpprof.agent.server;

import java.util.Locale;

/**
 * The request-target of a request line in the two forms a server must accept (RFC 9112 §3.2):
 * origin-form {@code /debug/pprof/?debug=1} and absolute-form {@code
 * http://127.0.0.1:6060/debug/pprof/}. For the absolute form, as in Go, the host it names is the
 * request's host, so the loopback guard checks it rather than the Host header.
 */
final class RequestTarget {
  /** The host (and port) of an absolute-form target, or null for origin-form. */
  final String host;

  /** Path and query, always starting with "/". */
  final String originForm;

  private RequestTarget(String host, String originForm) {
    this.host = host;
    this.originForm = originForm;
  }

  /** Null for anything else ({@code *}, a CONNECT authority, a bare word): Go's 400. */
  static RequestTarget parse(String target) {
    if (target.startsWith("/")) {
      return new RequestTarget(null, target);
    }
    String lower = target.toLowerCase(Locale.ROOT);
    int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (schemeEnd < 0) {
      return null;
    }
    int end = schemeEnd;
    while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
      end++;
    }
    String authority = target.substring(schemeEnd, end);
    String host = authority.substring(authority.lastIndexOf('@') + 1); // no user info
    if (host.isEmpty()) {
      return null;
    }
    String rest = target.substring(end);
    return new RequestTarget(host, rest.startsWith("/") ? rest : "/" + rest);
  }
}
