package dev.jpprof.agent;

import dev.jpprof.agent.locks.LockEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys a running agent can change: {@code java -jar profiler.jar attach <pid>
 * block.rate=1ms,mutex.fraction=5} on a JVM where the agent already serves loads the agent again
 * with {@link #args}; its agentmain sees the agent running and calls {@link #apply}, which sets the
 * keys and leaves what changed in {@link #RESULT_PROPERTY} for the attach command to print. The
 * attach API is local to the machine and the user, so this is loopback-only by nature.
 */
final class RunTimeSettings {
  static final String PREFIX = "jpprof.set:";

  /**
   * nonce, newline, then one line per key; the nonce tells this attach's answer from an old one.
   */
  static final String RESULT_PROPERTY = "dev.jpprof.applied";

  /** The keys declared run-time changeable, for the message about the others. */
  private static final String RUN_TIME_KEYS =
      Config.KEYS.stream()
          .filter(k -> k.runTime)
          .map(k -> k.name)
          .collect(Collectors.joining(" and "));

  private RunTimeSettings() {}

  /** The agent arguments that ask a running agent to apply {@code options}. */
  static String args(String nonce, String options) {
    return PREFIX + nonce + ":" + options;
  }

  static boolean isRequest(String args) {
    return args != null && args.startsWith(PREFIX);
  }

  /** Applies a request made by {@link #args}; never throws. */
  static void apply(String args, LockEngine locks) {
    String rest = args.substring(PREFIX.length());
    int colon = rest.indexOf(':');
    String nonce = colon < 0 ? rest : rest.substring(0, colon);
    List<String> lines = new ArrayList<>();
    try {
      lines.addAll(changes(colon < 0 ? "" : rest.substring(colon + 1), locks));
    } catch (RuntimeException e) {
      lines.add("error: " + e.getMessage());
    }
    System.setProperty(RESULT_PROPERTY, nonce + "\n" + String.join("\n", lines));
    for (String line : lines) {
      AgentLog.info("attach: " + line);
    }
  }

  private static List<String> changes(String options, LockEngine locks) {
    // Config's own rules validate every value (a bad one throws with the key and value named).
    Config parsed = Config.parse(options, Map.of(), Map.of());
    Set<String> given = Config.argSettings(options).keySet();
    List<String> lines = new ArrayList<>();
    for (String key : given) {
      if (!Config.key(key).runTime) {
        lines.add(
            key
                + " cannot be changed at run time (only "
                + RUN_TIME_KEYS
                + " can);"
                + " restart the JVM with it");
      }
    }
    Long blockRate = given.contains(Config.BLOCK_RATE.name) ? parsed.blockRateNanos() : null;
    Integer mutexFraction =
        given.contains(Config.MUTEX_FRACTION.name) ? parsed.mutexFraction() : null;
    if (locks == null) {
      lines.add("error: the running agent did not start its lock engine (see its stderr)");
    } else if (blockRate != null || mutexFraction != null) {
      lines.addAll(0, locks.apply(blockRate, mutexFraction));
    }
    return lines;
  }
}
