package dev.jpprof.agent.threads;

import dev.jpprof.agent.threads.GoroutineGroups.Group;
import java.util.List;

/**
 * The debug=1 text of Go's count profiles (runtime/pprof printCountProfile), which
 * {@code go tool pprof} parses:
 *
 * <pre>
 * goroutine profile: total 502
 * 500 @ 0x10000011 0x10010011
 * # labels: {"pool":"pool-1", "state":"WAITING"}
 * #	0x10000010	jdk.internal.misc.Unsafe.park+0x0	Unsafe.java:0
 * #	0x10010010	java.util.concurrent.locks.LockSupport.park+0x0	LockSupport.java:371
 * </pre>
 *
 * Frame lines are aligned as Go's text/tabwriter aligns them (minwidth 1, tabwidth 8, padding 1,
 * tab padding), so the output is byte for byte what Go would print for the same addresses.
 */
final class GoroutineText {
  private static final int TAB = 8;

  private GoroutineText() {}

  static String write(String name, List<Group> groups, long total, FrameAddresses addresses) {
    StringBuilder b = new StringBuilder(256 * (groups.size() + 1));
    b.append(name).append(" profile: total ").append(total).append('\n');
    for (Group g : groups) {
      b.append(g.count).append(' ').append(g.key).append('\n');
      frames(b, g, addresses);
      b.append('\n');
    }
    return b.toString();
  }

  private static void frames(StringBuilder b, Group g, FrameAddresses addresses) {
    if (g.stack.length == 0) {
      b.append("#\t0x0\n");
      return;
    }
    String[] pcs = new String[g.stack.length];
    String[] functions = new String[g.stack.length];
    int pcWidth = 0;
    int functionWidth = 0;
    for (int i = 0; i < g.stack.length; i++) {
      String name = GoroutineGroups.functionName(g.stack[i]);
      pcs[i] = "0x" + Long.toHexString(g.pcs[i]);
      functions[i] = name + "+0x" + Long.toHexString(g.pcs[i] - addresses.entry(name));
      pcWidth = Math.max(pcWidth, pcs[i].length());
      functionWidth = Math.max(functionWidth, functions[i].length());
    }
    for (int i = 0; i < g.stack.length; i++) {
      b.append('#');
      pad(b, 1, 1);
      b.append(pcs[i]);
      pad(b, pcs[i].length(), pcWidth);
      b.append(functions[i]);
      pad(b, functions[i].length(), functionWidth);
      b.append(fileLine(g.stack[i])).append('\n');
    }
  }

  /** tabwriter's padding of a cell {@code width} wide in a column whose widest is {@code max}. */
  private static void pad(StringBuilder b, int width, int max) {
    int cell = (max + 1 + TAB - 1) / TAB * TAB;
    for (int n = (cell - width + TAB - 1) / TAB; n > 0; n--) {
      b.append('\t');
    }
  }

  /** {@code File.java:12}; Go's {@code ?} for an unknown file and 0 for an unknown line. */
  static String fileLine(StackTraceElement e) {
    String file = e.getFileName() == null ? "?" : e.getFileName();
    return file + ":" + Math.max(0, e.getLineNumber());
  }
}
