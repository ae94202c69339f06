package dev.jpprof.agent.frames;

/**
 * Parses {@link StackTraceElement#toString()} text back into an element, for thread dumps that only
 * exist as text. The form is {@code [loader/][module[@version]/]Class.method(Source)} where Source
 * is {@code File.java:12}, {@code File.java}, {@code Native Method} or {@code Unknown Source}; a
 * hidden class's name itself contains a slash ({@code A$$Lambda/0x1}).
 */
public final class StackLines {
  private StackLines() {}

  public static StackTraceElement parse(String line) {
    int open = line.lastIndexOf('(');
    int close = line.endsWith(")") ? line.length() - 1 : line.length();
    String where = open < 0 ? line : line.substring(0, open);
    String source = open < 0 ? "" : line.substring(open + 1, close);
    int slash = where.lastIndexOf('/');
    if (slash >= 0 && where.startsWith("0x", slash + 1)) {
      slash = where.lastIndexOf('/', slash - 1); // a hidden class: keep "A$$Lambda/0x1"
    }
    String qualified = where.substring(slash + 1);
    int dot = qualified.lastIndexOf('.');
    String className = dot < 0 ? "" : qualified.substring(0, dot);
    String method = qualified.substring(dot + 1);
    String file = null;
    int lineNumber = -1;
    if (source.equals("Native Method")) {
      lineNumber = -2;
    } else if (!source.equals("Unknown Source") && !source.isEmpty()) {
      int colon = source.lastIndexOf(':');
      file = colon < 0 ? source : source.substring(0, colon);
      if (colon >= 0) {
        try {
          lineNumber = Integer.parseInt(source.substring(colon + 1));
        } catch (NumberFormatException e) {
          file = source;
        }
      }
    }
    return new StackTraceElement(className, method, file, lineNumber);
  }
}
