package dev.jpprof.agent.threads;

import dev.jpprof.agent.json.JsonWriter;
import dev.jpprof.pprof.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Go's {@code %q} (strconv.Quote) for the label text of goroutine dumps. */
final class GoQuote {
  private GoQuote() {}

  /** Go's labelMap.String: {@code {"k1":"v1", "k2":"v2"}}, entries sorted. */
  static String labels(Labels labels) {
    List<String> entries = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      String value = labels.isNumeric(i) ? Long.toString(labels.num(i)) : labels.str(i);
      entries.add(quote(labels.key(i)) + ":" + quote(value));
    }
    Collections.sort(entries);
    return "{" + String.join(", ", entries) + "}";
  }

  /** A double-quoted Go string literal; printable characters stay, others are escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      String escape = c == 7 ? "\\a" : c == 11 ? "\\v" : JsonWriter.shortEscape(c);
      if (escape != null) {
        b.append(escape);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", c));
      } else if (Character.isSurrogate((char) c) || !printable(c)) {
        b.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    }
    return b.append('"').toString();
  }

  private static boolean printable(int c) {
    int type = Character.getType(c);
    return type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.UNASSIGNED
        && type != Character.PRIVATE_USE
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && (c == ' ' || !Character.isSpaceChar(c));
  }
}
