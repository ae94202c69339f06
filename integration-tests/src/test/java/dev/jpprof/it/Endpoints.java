package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every endpoint the agent serves, as the index page lists them, with the parameters that pick each
 * of its forms: for tests that must see the agent do all it does (and so load all it loads) before
 * the application does something that earlier agent work could break.
 */
final class Endpoints {
  private static final Pattern LISTED = Pattern.compile("<a href='([a-z]+)\\?debug=1'>");

  private Endpoints() {}

  /**
   * The request targets: the index, cmdline, symbol (GET and a lookup), 1 s windows of profile,
   * wall and trace, /debug/vars, /metrics, the flame-graph page and its viewer's page, and each
   * named profile plain, with debug=1, with seconds=1 (delta), and goroutine with debug=2.
   */
  static List<String> all(int port) {
    List<String> targets =
        new ArrayList<>(
            List.of(
                "/debug/pprof/",
                "/debug/pprof/cmdline",
                "/debug/pprof/symbol",
                "/debug/pprof/symbol?0x1",
                "/debug/pprof/profile?seconds=1",
                "/debug/pprof/wall?seconds=1",
                "/debug/pprof/trace?seconds=1",
                "/debug/vars",
                "/metrics",
                "/debug/pprof/ui/",
                "/debug/pprof/ui/speedscope/index.html",
                "/debug/pprof/goroutine?debug=2"));
    Matcher m = LISTED.matcher(Http.get(port, "/debug/pprof/").text());
    while (m.find()) {
      String name = m.group(1);
      // Windows without seconds= take 30 s (profile, wall) or are not profiles.
      if (List.of("profile", "wall", "trace", "cmdline", "symbol").contains(name)) {
        continue;
      }
      targets.add("/debug/pprof/" + name);
      targets.add("/debug/pprof/" + name + "?debug=1");
      targets.add("/debug/pprof/" + name + "?seconds=1");
    }
    return targets;
  }

  /** Requests every target, each must answer 200; returns how many were made. */
  static int requestAll(AgentJvm jvm) {
    List<String> targets = all(jvm.port());
    for (String target : targets) {
      Http.Response r = Http.get(jvm.port(), target);
      assertEquals(200, r.status(), () -> target + ": " + r.text());
    }
    return targets.size();
  }
}
