package dev.jpprof.agent;

/**
 * Parses Go-style durations such as {@code 10ms}, {@code 1s}, {@code 2m}, {@code 250us}, {@code
 * 500ns}.
 */
final class Durations {
  private Durations() {}

  /** Returns the duration in nanoseconds; the error names {@code key} and the bad value. */
  static long parseNanos(String key, String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return 0; // as Go's time.ParseDuration: the one duration that needs no unit
    }
    int unitAt = 0;
    while (unitAt < s.length()
        && (Character.isDigit(s.charAt(unitAt)) || s.charAt(unitAt) == '.')) {
      unitAt++;
    }
    long scale;
    switch (s.substring(unitAt)) {
      case "ns":
        scale = 1L;
        break;
      case "us":
      case "µs":
        scale = 1_000L;
        break;
      case "ms":
        scale = 1_000_000L;
        break;
      case "s":
        scale = 1_000_000_000L;
        break;
      case "m":
        scale = 60_000_000_000L;
        break;
      case "h":
        scale = 3_600_000_000_000L;
        break;
      default:
        throw new IllegalArgumentException(
            "bad value \""
                + text
                + "\" for configuration key \""
                + key
                + "\": a duration needs a unit: ns, us, ms, s, m or h (e.g. 10ms)");
    }
    try {
      double value = Double.parseDouble(s.substring(0, unitAt));
      return Math.round(value * scale);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bad value \"" + text + "\" for configuration key \"" + key + "\": not a duration");
    }
  }
}
