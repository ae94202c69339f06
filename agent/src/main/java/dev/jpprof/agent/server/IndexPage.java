package dev.jpprof.agent.server;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The page at /debug/pprof/, byte for byte Go's (net/http/pprof indexTmplExecute) for the endpoints
 * that exist, with paragraphs of our own before {@code </body>}: what the trace file is, which CPU
 * engine runs, a link to the flame graphs (ui/) and the effective configuration, since a JVM has
 * choices a Go binary does not.
 */
final class IndexPage {
  private IndexPage() {}

  /**
   * @param rows the endpoints to list, sorted by name (byte order) as Go sorts them
   * @param engine the CPU engine line, then one line per other engine, computed when the page is
   *     served
   * @param ui whether the server has the flame-graph page, which our paragraph then links to
   */
  static String render(
      List<Route> rows, Supplier<String> engine, Map<String, String> config, boolean ui) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<html>\n<head>\n<title>/debug/pprof/</title>\n<style>\n.profile-name{\n")
        .append("\tdisplay:inline-block;\n\twidth:6rem;\n}\n</style>\n</head>\n<body>\n")
        .append("/debug/pprof/\n<br>\n")
        .append("<p>Set debug=1 as a query parameter to export in legacy text format</p>\n")
        .append("<br>\nTypes of profiles available:\n<table>\n")
        .append("<thead><td>Count</td><td>Profile</td></thead>\n");
    boolean trace = false;
    for (Route row : rows) {
      String name = Html.escape(row.name);
      trace |= row.name.equals("trace");
      b.append("<tr><td>")
          .append(row.count.getAsLong())
          .append("</td><td><a href='")
          .append(name)
          .append("?debug=1'>")
          .append(name)
          .append("</a></td></tr>\n");
    }
    b.append("</table>\n<a href=\"goroutine?debug=2\">full goroutine stack dump</a>\n<br>\n")
        .append("<p>\nProfile Descriptions:\n<ul>\n");
    for (Route row : rows) {
      b.append("<li><div class=profile-name>")
          .append(Html.escape(row.name))
          .append(": </div> ")
          .append(Html.escape(row.description))
          .append("</li>\n");
    }
    b.append("</ul>\n</p>\n");
    // One paragraph of ours: one line per engine, the CPU engine first, then notes.
    b.append("<p>jpprof CPU engine: ");
    for (String line : engine.get().split("\n")) {
      b.append(Html.escape(line)).append("<br>\n");
    }
    if (trace) {
      // Go's description promises "go tool trace"; ours is a JFR file, which that cannot read.
      b.append("trace here is a JFR recording (trace.jfr), not a Go execution trace: open it")
          .append(" with JDK Mission Control or <code>jfr print trace.jfr</code>.<br>\n");
    }
    if (ui) {
      b.append("Flame graphs of these profiles, in this browser: <a href=\"ui/\">ui/</a><br>\n");
    }
    b.append("configuration:");
    for (Map.Entry<String, String> e : config.entrySet()) {
      b.append(' ').append(Html.escape(e.getKey())).append('=').append(Html.escape(e.getValue()));
    }
    b.append("</p>\n</body>\n</html>");
    return b.toString();
  }
}
