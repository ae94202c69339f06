package dev.jpprof.agent.server;

import java.util.ArrayDeque;
import java.util.Deque;

/** Go's ServeMux path cleaning: the canonical form a request is redirected to. */
final class Paths {
  private Paths() {}

  /**
   * Resolves "." and ".." segments and repeated slashes as Go's path.Clean does, rooted at "/",
   * keeping a trailing slash as Go's mux does.
   */
  static String clean(String path) {
    if (path.isEmpty()) {
      return "/";
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(seg);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String p : parts) {
      sb.append('/').append(p);
    }
    if (sb.length() == 0) {
      return "/";
    }
    if (path.endsWith("/")) {
      sb.append('/');
    }
    return sb.toString();
  }
}
