package dev.jpprof.agent;

import java.util.List;
import java.util.function.Predicate;

/**
 * One configuration key, declared once in {@link Config}: its name, default, parser (with its
 * check), whether a running agent can change it, and one line of documentation. README's
 * configuration table lists the same keys and defaults (ConfigTableTest checks it).
 *
 * @param <T> the parsed value's type
 */
final class Key<T> {
  /** Text to value; throws {@link IllegalArgumentException} naming key and value. */
  interface Parser<T> {
    T parse(String key, String text);

    /** This parser, then {@code ok} on the value, else an error saying {@code why}. */
    default Parser<T> check(Predicate<T> ok, String why) {
      return (key, text) -> {
        T value = parse(key, text);
        if (!ok.test(value)) {
          throw bad(key, text, why);
        }
        return value;
      };
    }
  }

  final String name;
  final String defaultText;
  final Parser<T> parser;

  /** Whether {@code attach <pid> key=value} changes it in a running agent (RunTimeSettings). */
  final boolean runTime;

  final String doc;

  private Key(String name, String defaultText, Parser<T> parser, boolean runTime, String doc) {
    this.name = name;
    this.defaultText = defaultText;
    this.parser = parser;
    this.runTime = runTime;
    this.doc = doc;
  }

  /** A key fixed at start. */
  static <T> Key<T> of(String name, String defaultText, Parser<T> parser, String doc) {
    return new Key<>(name, defaultText, parser, false, doc);
  }

  /** A key a running agent can change (attach). */
  static <T> Key<T> runTime(String name, String defaultText, Parser<T> parser, String doc) {
    return new Key<>(name, defaultText, parser, true, doc);
  }

  T parse(String text) {
    return parser.parse(name, text);
  }

  static IllegalArgumentException bad(String key, String text, String why) {
    return new IllegalArgumentException(
        "bad value \"" + text + "\" for configuration key \"" + key + "\": " + why);
  }

  // The parsers the keys use.

  static Parser<String> text() {
    return (key, text) -> text;
  }

  static Parser<Integer> integer() {
    return (key, text) -> {
      try {
        return Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw bad(key, text, "must be an integer");
      }
    };
  }

  /** A long; {@code what} says which integer in the error. */
  static Parser<Long> longInteger(String what) {
    return (key, text) -> {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw bad(key, text, "must be an integer " + what);
      }
    };
  }

  static Parser<Integer> integer(int min, int max, String why) {
    return integer().check(v -> v >= min && v <= max, why);
  }

  /** A Go-style duration ({@code 10ms}, {@code 1s}), in nanoseconds. */
  static Parser<Long> nanos() {
    return Durations::parseNanos;
  }

  /** A duration, or a bare number of nanoseconds (block.rate, as Go's rate is in ns). */
  static Parser<Long> nanosOrDuration() {
    return (key, text) -> {
      if (text.trim().matches("\\d+")) {
        try {
          return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
          // too large: let Durations name the problem
        }
      }
      return Durations.parseNanos(key, text);
    };
  }

  static Parser<Boolean> bool() {
    return (key, text) -> {
      if (!text.equals("true") && !text.equals("false")) {
        throw bad(key, text, "must be true or false");
      }
      return text.equals("true");
    };
  }

  static Parser<String> oneOf(List<String> values) {
    return Key.<String>text()
        .check(values::contains, "must be one of " + String.join(", ", values));
  }
}
