package dev.jpprof.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only output: single lines on stderr, prefixed {@code jpprof:}. Stdout belongs to the
 * application. A failure that can repeat is reported once per kind, so a broken piece never floods
 * the application's logs while the rest keeps working.
 */
public final class AgentLog {
  private static final Set<String> reported = ConcurrentHashMap.newKeySet();

  private AgentLog() {}

  /** Prints {@code jpprof: message} on stderr. */
  public static void info(String message) {
    System.err.println("jpprof: " + message);
  }

  /**
   * Prints the failure the first time this {@code kind} fails; later ones are silent but counted
   * ({@code errors} in /debug/vars).
   */
  public static void failure(String kind, Throwable t) {
    Counters.add("errors", 1);
    if (reported.add(kind)) {
      info(kind + " failed: " + describe(t));
    }
  }

  /** A one-line description of a throwable, without a stack trace. */
  public static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isEmpty() ? t.getClass().getName() : message;
  }
}
