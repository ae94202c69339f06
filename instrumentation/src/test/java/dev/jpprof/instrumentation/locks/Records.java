package dev.jpprof.instrumentation.locks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import example.locks.Contention;
import java.util.Arrays;
import java.util.List;

/** Finding the records of a scenario: stacks through a {@link Contention} method. */
final class Records {
  private Records() {}

  static long delayThrough(List<ContentionRecord> records, String method) {
    return records.stream()
        .filter(r -> has(r, method))
        .mapToLong(ContentionRecord::delayNanos)
        .sum();
  }

  /** (The holder's latch countDown, for the test thread waiting on it, is contention too.) */
  static long delayThrough(List<ContentionRecord> records, String method, String callee) {
    return records.stream()
        .filter(r -> callee.equals(callee(r, method)))
        .mapToLong(ContentionRecord::delayNanos)
        .sum();
  }

  /** The one record whose stack has Contention.method calling {@code callee}. */
  static ContentionRecord only(List<ContentionRecord> records, String method, String callee) {
    return only(records, method, callee, null);
  }

  /** The same, and the called frame's class is {@code calleeClass} (unless null). */
  static ContentionRecord only(
      List<ContentionRecord> records, String method, String callee, String calleeClass) {
    ContentionRecord found = null;
    for (ContentionRecord r : records) {
      if (callee.equals(callee(r, method))
          && (calleeClass == null || calleeClass.equals(calleeClass(r, method)))) {
        assertTrue(found == null, "two records through " + method + ": " + dump(records));
        found = r;
      }
    }
    assertTrue(
        found != null, "no record with " + method + " calling " + callee + " in " + dump(records));
    return found;
  }

  static boolean has(ContentionRecord r, String method) {
    return Arrays.stream(r.frames()).anyMatch(f -> isScenario(f, method));
  }

  private static boolean isScenario(StackTraceElement f, String method) {
    return f.getClassName().equals(Contention.class.getName()) && f.getMethodName().equals(method);
  }

  /** The class of the frame the scenario method called. */
  static String calleeClass(ContentionRecord r, String method) {
    StackTraceElement[] f = r.frames();
    for (int i = 1; i < f.length; i++) {
      if (isScenario(f[i], method)) {
        return f[i - 1].getClassName();
      }
    }
    return null;
  }

  /** The method name of the frame the scenario method called. */
  static String callee(ContentionRecord r, String method) {
    StackTraceElement[] f = r.frames();
    for (int i = 1; i < f.length; i++) {
      if (isScenario(f[i], method)) {
        return f[i - 1].getMethodName();
      }
    }
    return null;
  }

  static String dump(List<ContentionRecord> records) {
    StringBuilder b = new StringBuilder();
    for (ContentionRecord r : records) {
      b.append("\n")
          .append(r.count())
          .append(" ")
          .append(r.delayNanos())
          .append(" ")
          .append(Arrays.toString(r.frames()));
    }
    return b.toString();
  }
}
