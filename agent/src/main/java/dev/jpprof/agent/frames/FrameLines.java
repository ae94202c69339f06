package dev.jpprof.agent.frames;

import dev.jpprof.pprof.FrameAddresses;

/**
 * The stack part of Go's legacy text profiles (debug=1 of goroutine, threadcreate, heap, allocs,
 * block, mutex), which {@code go tool pprof} parses: the {@code @} line of return addresses and one
 * {@code #} line per frame,
 *
 * <pre>
 * 3 @ 0x10000011 0x10010011
 * #	0x10000010	com.example.App.work+0x0	App.java:12
 * #	0x10010010	com.example.App.main+0x0	App.java:5
 * </pre>
 *
 * aligned as Go's text/tabwriter aligns them (minwidth 1, tabwidth 8, padding 1, tab padding), so
 * the output is byte for byte what Go prints for the same addresses. Java has no PCs; the addresses
 * are {@link FrameAddresses}'.
 */
public final class FrameLines {
  private static final int TAB = 8;

  private FrameLines() {}

  /** The made-up PC of every frame, leaf first. */
  public static long[] pcs(StackTraceElement[] stack, FrameAddresses addresses) {
    long[] pcs = new long[stack.length];
    for (int i = 0; i < stack.length; i++) {
      pcs[i] = addresses.pc(functionName(stack[i]), stack[i].getLineNumber());
    }
    return pcs;
  }

  /** {@code @ 0x… 0x…}: return addresses (PC + 1), as Go prints them after the counts. */
  public static String at(long[] pcs) {
    StringBuilder b = new StringBuilder("@");
    for (long pc : pcs) {
      b.append(" 0x").append(Long.toHexString(pc + 1));
    }
    return b.toString();
  }

  /** Appends the {@code #} lines of one record; an empty stack is Go's {@code #\t0x0}. */
  public static void write(
      StringBuilder b, StackTraceElement[] stack, long[] pcs, FrameAddresses addresses) {
    if (stack.length == 0) {
      b.append("#\t0x0\n");
      return;
    }
    String[] pcText = new String[stack.length];
    String[] functions = new String[stack.length];
    int pcWidth = 0;
    int functionWidth = 0;
    for (int i = 0; i < stack.length; i++) {
      String name = functionName(stack[i]);
      pcText[i] = "0x" + Long.toHexString(pcs[i]);
      long entry = addresses.entry(name); // 0 for an address hashed past the table's bound
      functions[i] = name + "+0x" + Long.toHexString(entry == 0 ? 0 : pcs[i] - entry);
      pcWidth = Math.max(pcWidth, pcText[i].length());
      functionWidth = Math.max(functionWidth, functions[i].length());
    }
    for (int i = 0; i < stack.length; i++) {
      b.append('#');
      pad(b, 1, 1);
      b.append(pcText[i]);
      pad(b, pcText[i].length(), pcWidth);
      b.append(functions[i]);
      pad(b, functions[i].length(), functionWidth);
      b.append(fileLine(stack[i])).append('\n');
    }
  }

  /** {@code package.Class.method}, the function name every jpprof profile uses. */
  public static String functionName(StackTraceElement e) {
    return e.getClassName() + "." + e.getMethodName();
  }

  /** {@code File.java:12}; Go's {@code ?} for an unknown file and 0 for an unknown line. */
  public static String fileLine(StackTraceElement e) {
    String file = e.getFileName() == null ? "?" : e.getFileName();
    return file + ":" + Math.max(0, e.getLineNumber());
  }

  /** tabwriter's padding of a cell {@code width} wide in a column whose widest is {@code max}. */
  private static void pad(StringBuilder b, int width, int max) {
    int cell = (max + 1 + TAB - 1) / TAB * TAB;
    for (int n = (cell - width + TAB - 1) / TAB; n > 0; n--) {
      b.append('\t');
    }
  }
}
