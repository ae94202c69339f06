package dev.jpprof.agent.server;

import java.util.Map;
import java.util.TreeMap;

/**
 * Go's descriptions of every endpoint under /debug/pprof/, verbatim (net/http/pprof's
 * profileDescriptions), so the index page reads as Go's. An endpoint missing here gets an empty
 * description, as a custom profile does in Go.
 */
final class Descriptions {
  private Descriptions() {}

  static final Map<String, String> GO = table();

  private static Map<String, String> table() {
    Map<String, String> d = new TreeMap<>();
    d.put("allocs", "A sampling of all past memory allocations");
    d.put("block", "Stack traces that led to blocking on synchronization primitives");
    d.put("cmdline", "The command line invocation of the current program");
    d.put("goroutine", "Stack traces of all current goroutines. Use debug=2 as a query parameter"
        + " to export in the same format as an unrecovered panic.");
    d.put("heap", "A sampling of memory allocations of live objects. You can specify the gc GET"
        + " parameter to run GC before taking the heap sample.");
    d.put("mutex", "Stack traces of holders of contended mutexes");
    d.put("profile", "CPU profile. You can specify the duration in the seconds GET parameter."
        + " After you get the profile file, use the go tool pprof command to investigate the"
        + " profile.");
    d.put("symbol", "Maps given program counters to function names. Counters can be specified in"
        + " a GET raw query or POST body, multiple counters are separated by '+'.");
    d.put("threadcreate", "Stack traces that led to the creation of new OS threads");
    d.put("trace", "A trace of execution of the current program. You can specify the duration in"
        + " the seconds GET parameter. After you get the trace file, use the go tool trace"
        + " command to investigate the trace.");
    return d;
  }

  static String of(String name) {
    return GO.getOrDefault(name, "");
  }
}
