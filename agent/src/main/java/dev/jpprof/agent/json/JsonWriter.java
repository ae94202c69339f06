package dev.jpprof.agent.json;

import java.lang.reflect.Array;
import java.util.Map;

/**
 * Compact JSON of plain Java values, as Go's encoding/json writes them: maps become objects (keys
 * as strings, in the map's order; pass a sorted map for Go's sorted keys), iterables and arrays
 * become arrays, numbers, booleans and null stay, and anything else is its {@code toString()} as a
 * string. Strings are escaped as Go escapes them, HTML-safe ({@code <}, {@code >}, {@code &} as
 * {@code \u003c}…), so the output can be embedded anywhere.
 */
public final class JsonWriter {
  /** Deeper nesting is taken as a cycle (a map that contains itself). */
  private static final int MAX_DEPTH = 64;

  private JsonWriter() {}

  /**
   * The JSON text of {@code value}.
   *
   * @throws IllegalArgumentException if the value nests deeper than 64 levels (e.g. a cycle)
   */
  public static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, 0);
    return b.toString();
  }

  /** Appends the JSON text of {@code value}. */
  public static void write(StringBuilder b, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("JSON value nests deeper than " + MAX_DEPTH + " levels");
    }
    if (value == null) {
      b.append("null");
    } else if (value instanceof Boolean) {
      b.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // NaN and infinities are not JSON; Go's encoder refuses them, we write null.
      b.append(Double.isFinite(d) ? value.toString() : "null");
    } else if (value instanceof Number) {
      b.append(value); // integers, BigInteger, BigDecimal: all valid JSON numbers
    } else if (value instanceof Map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        b.append(first ? "" : ",");
        first = false;
        string(b, String.valueOf(e.getKey()));
        b.append(':');
        write(b, e.getValue(), depth + 1);
      }
      b.append('}');
    } else if (value instanceof Iterable) {
      b.append('[');
      boolean first = true;
      for (Object item : (Iterable<?>) value) {
        b.append(first ? "" : ",");
        first = false;
        write(b, item, depth + 1);
      }
      b.append(']');
    } else if (value.getClass().isArray()) {
      b.append('[');
      for (int i = 0, n = Array.getLength(value); i < n; i++) {
        b.append(i == 0 ? "" : ",");
        write(b, Array.get(value, i), depth + 1);
      }
      b.append(']');
    } else {
      string(b, value.toString());
    }
  }

  /** Appends {@code s} as a JSON string, escaped as Go's encoding/json does. */
  public static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String escape = shortEscape(c);
      if (escape != null) {
        b.append(escape);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        b.append("\\ufffd"); // a lone half of a pair is not text; Go writes U+FFFD
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  /**
   * The short backslash escape Go writes for {@code c} both in JSON (encoding/json) and in a quoted
   * string (strconv.Quote, which has \a and \v besides): {@code \" \\ \b \f \n \r \t}; null for any
   * other character.
   */
  public static String shortEscape(int c) {
    switch (c) {
      case '"':
        return "\\\"";
      case '\\':
        return "\\\\";
      case '\b':
        return "\\b";
      case '\f':
        return "\\f";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        return null;
    }
  }
}
