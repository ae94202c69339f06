package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexPageTest {
  /** A source whose only use here is its count. */
  private static ProfileSource counting(long count) {
    return new ProfileSource() {
      @Override
      public long count() {
        return count;
      }

      @Override
      public Profile snapshot() {
        throw new UnsupportedOperationException();
      }
    };
  }

  /** Go's page for these entries, written out from docs/protocol.md §9, plus our paragraph. */
  @Test
  void matchesGoByteForByte() {
    List<Route> rows =
        List.of(
            EndpointTable.cmdline(),
            EndpointTable.heap(counting(7), new OffLoop(Runnable::run), 600),
            EndpointTable.symbol());
    Map<String, String> config = new LinkedHashMap<>();
    config.put("host", "127.0.0.1");
    config.put("port", "6060");
    String expected =
        "<html>\n<head>\n<title>/debug/pprof/</title>\n<style>\n.profile-name{\n"
            + "\tdisplay:inline-block;\n\twidth:6rem;\n}\n</style>\n</head>\n<body>\n/debug/pprof/\n<br>\n"
            + "<p>Set debug=1 as a query parameter to export in legacy text format</p>\n<br>\n"
            + "Types of profiles available:\n<table>\n<thead><td>Count</td><td>Profile</td></thead>\n"
            + "<tr><td>0</td><td><a href='cmdline?debug=1'>cmdline</a></td></tr>\n"
            + "<tr><td>7</td><td><a href='heap?debug=1'>heap</a></td></tr>\n"
            + "<tr><td>0</td><td><a href='symbol?debug=1'>symbol</a></td></tr>\n"
            + "</table>\n<a href=\"goroutine?debug=2\">full goroutine stack dump</a>\n<br>\n<p>\n"
            + "Profile Descriptions:\n<ul>\n"
            + "<li><div class=profile-name>cmdline: </div> The command line invocation of the current program</li>\n"
            + "<li><div class=profile-name>heap: </div> A sampling of memory allocations of live objects."
            + " You can specify the gc GET parameter to run GC before taking the heap sample.</li>\n"
            + "<li><div class=profile-name>symbol: </div> Maps given program counters to function names."
            + " Counters can be specified in a GET raw query or POST body, multiple counters are"
            + " separated by &#39;+&#39;.</li>\n"
            + "</ul>\n</p>\n"
            + "<p>jpprof CPU engine: a &lt;b&gt; engine<br>\nconfiguration: host=127.0.0.1 port=6060</p>\n"
            + "</body>\n</html>";
    assertEquals(expected, IndexPage.render(rows, () -> "a <b> engine", config, false));
  }

  @Test
  void traceIsSaidToBeAJfrFile() {
    List<Route> rows = List.of(EndpointTable.trace(new OffLoop(Runnable::run), 600));
    String page = IndexPage.render(rows, () -> "e", Map.of(), false);
    assertTrue(
        page.contains("<tr><td>0</td><td><a href='trace?debug=1'>trace</a></td></tr>\n"), page);
    assertTrue(
        page.contains(
            "<li><div class=profile-name>trace: </div> A trace of execution of the"
                + " current program."),
        page);
    assertTrue(
        page.contains(
            "<br>\ntrace here is a JFR recording (trace.jfr), not a Go execution"
                + " trace: open it with JDK Mission Control or <code>jfr print trace.jfr</code>.<br>\n"),
        page);
  }

  /** Our paragraph links to the flame-graph page when the server has it, relative to the index. */
  @Test
  void linksToTheFlameGraphPage() {
    List<Route> rows = List.of(EndpointTable.trace(new OffLoop(Runnable::run), 600));
    String link = "<a href=\"ui/\">ui/</a>";
    assertTrue(IndexPage.render(rows, () -> "e", Map.of(), true).contains(link));
    assertFalse(IndexPage.render(rows, () -> "e", Map.of(), false).contains(link));
  }
}
