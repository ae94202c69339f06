package dev.jpprof.agent.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The page at /debug/pprof/ui/: one row per profile of the endpoint table, each a set of links that
 * open it in speedscope as a flame graph. Plain links, no script: the viewer reads the profile from
 * this agent (same origin) through its {@code #profileURL=} fragment. Everything shown that comes
 * from elsewhere (descriptions, names) is HTML-escaped.
 */
final class UiPage {
  /** The windows offered for CPU and wall profiles, in seconds. */
  private static final long[] WINDOWS = {5, 10, 30, 60};

  /** The window over which the growth of a cumulative profile is offered. */
  private static final long GROWTH = 30;

  /**
   * Rows taken over a window (their {@code seconds=} is the window), by path, as the page names
   * them.
   */
  private static final Map<String, String> WINDOWED =
      Map.of(Route.ROOT + "profile", "CPU", Route.ROOT + "wall", "wall");

  /** Shorter than the index's descriptions, which speak of go tool pprof and parameters. */
  private static final Map<String, String> WINDOWED_TEXT =
      Map.of(
          "CPU", "Where threads ran on a CPU.",
          "wall", "Where threads spent wall-clock time, on and off CPU (fgprof).");

  /** From the viewer's folder (/debug/pprof/ui/speedscope/) back to the root. */
  private static final String TO_ROOT = "../../../../";

  private UiPage() {}

  static String render(List<Route> rows, long maxSeconds) {
    StringBuilder b = new StringBuilder(8192);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>jpprof: flame graphs</title>\n<style>\n")
        .append("body{font:14px sans-serif;margin:1.5em;max-width:70em}\n")
        .append("th,td{padding:.35em .8em;text-align:left;vertical-align:top}\n")
        .append("td a{margin-right:.7em} .what{color:#555}\n</style>\n</head>\n<body>\n")
        .append("<h1>Flame graphs</h1>\n")
        .append("<p>Each link takes a profile from this agent and opens it as a flame graph in")
        .append(" speedscope, which the agent serves itself (nothing is fetched from elsewhere).")
        .append(" There: scroll to zoom, drag to pan, double-click a frame to zoom to it,")
        .append(" Ctrl+F to search, hover for values; Sandwich lists the functions.")
        .append(" A window of N seconds answers after N seconds.</p>\n")
        .append("<table>\n<tr><th>profile</th><th>open</th><th>what</th></tr>\n");
    for (Route row : rows) {
      String label = WINDOWED.get(row.path);
      if (label != null) {
        windowed(b, row, label, maxSeconds);
      }
    }
    for (Route row : rows) {
      if (!row.sampleTypes.isEmpty()) {
        named(b, row, maxSeconds);
      }
    }
    b.append("</table>\n")
        .append("<p>The same profiles for <code>go tool pprof</code>: <a href=\"../\">")
        .append("/debug/pprof/</a>. The viewer is speedscope (MIT License: ")
        .append("<a href=\"speedscope/LICENSE\">LICENSE</a>).</p>\n</body>\n</html>\n");
    return b.toString();
  }

  private static void windowed(StringBuilder b, Route row, String label, long maxSeconds) {
    String text = WINDOWED_TEXT.get(label);
    b.append("<tr id=\"").append(Html.escape(label)).append("\"><td>").append(label);
    b.append("</td><td>over ");
    for (long s : WINDOWS) {
      if (s <= maxSeconds) {
        String url = row.path + "?seconds=" + s;
        link(b, url, label + " " + s + " s", s + " s");
      }
    }
    b.append("</td><td class=\"what\">").append(Html.escape(text)).append("</td></tr>\n");
  }

  private static void named(StringBuilder b, Route row, long maxSeconds) {
    String name = Html.escape(row.name);
    b.append("<tr id=\"").append(name).append("\"><td>").append(name).append("</td><td>");
    boolean one = row.sampleTypes.size() == 1;
    b.append(one ? "" : "now: ");
    for (String type : row.sampleTypes) {
      String title = one ? row.name : row.name + " " + type;
      link(b, typed(row.path, type, one, ""), title, one ? "now" : type);
    }
    List<String> growing = new ArrayList<>();
    for (String type : row.sampleTypes) {
      if (cumulative(type)) {
        growing.add(type);
      }
    }
    if (row.seconds == Route.Seconds.DELTA && GROWTH <= maxSeconds && !growing.isEmpty()) {
      String window = "seconds=" + GROWTH;
      b.append("<br>growth over the next ").append(GROWTH).append(" s: ");
      for (String type : growing) {
        String title = (one ? row.name : row.name + " " + type) + " +" + GROWTH + " s";
        link(b, typed(row.path, type, one, window), title, one ? "+" + GROWTH + " s" : type);
      }
    }
    b.append("</td><td class=\"what\">")
        .append(Html.escape(row.description))
        .append("</td></tr>\n");
  }

  /**
   * Whether a sample type only grows, so that its growth over a window is what a flame graph can
   * draw; in-use memory and live threads shrink too, and speedscope cannot draw a negative value.
   */
  private static boolean cumulative(String type) {
    return !EndpointTable.HEAP_CURRENT.contains(type) && !type.equals(EndpointTable.GOROUTINE);
  }

  /** A profile's path with {@code sample_index} (unless it has one type) and more query. */
  private static String typed(String path, String type, boolean one, String more) {
    String query = one ? more : "sample_index=" + type + (more.isEmpty() ? "" : "&" + more);
    return query.isEmpty() ? path : path + "?" + query;
  }

  /** A link that opens {@code profile} (a path and query of this agent) in speedscope. */
  private static void link(StringBuilder b, String profile, String title, String text) {
    String href =
        "speedscope/index.html#profileURL="
            + component(TO_ROOT + profile.substring(1))
            + "&title="
            + component(title)
            + "&view=left-heavy";
    b.append("<a href=\"")
        .append(Html.escape(href))
        .append("\">")
        .append(Html.escape(text))
        .append("</a>");
  }

  /** JavaScript's encodeURIComponent, which speedscope's decodeURIComponent reverses. */
  private static String component(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
