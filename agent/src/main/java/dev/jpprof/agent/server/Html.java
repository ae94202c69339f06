package dev.jpprof.agent.server;

/** HTML escaping as Go's html.EscapeString does it. */
final class Html {
  private Html() {}

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '&':
          sb.append("&amp;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        case '"':
          sb.append("&#34;");
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }
}
