package dev.jpprof.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds and who waits for which lock, read from {@code jcmd <pid> Thread.print -l}: monitors
 * ("- locked", "- waiting to lock") and java.util.concurrent locks ("Locked ownable synchronizers",
 * "- parking to wait for").
 */
final class ThreadDumpLocks {
  private static final Pattern THREAD = Pattern.compile("^\"(.*?)\" .*");
  private static final Pattern ADDRESS = Pattern.compile("<(0x[0-9a-f]+)>");

  /** One thread waiting for a lock that another thread holds. */
  static final class Wait {
    final String waiter;
    final String owner;
    final String line;

    Wait(String waiter, String owner, String line) {
      this.waiter = waiter;
      this.owner = owner;
      this.line = line;
    }

    @Override
    public String toString() {
      return waiter + " waits for " + owner + ": " + line.trim();
    }
  }

  private ThreadDumpLocks() {}

  /** Every wait in the dump whose lock's owner the dump shows. */
  static List<Wait> waits(String dump) {
    Map<String, String> owners = new HashMap<>();
    List<String[]> waiting = new ArrayList<>(); // thread, address, line
    String thread = null;
    boolean ownable = false;
    for (String line : dump.split("\n")) {
      Matcher t = THREAD.matcher(line);
      if (t.matches()) {
        thread = t.group(1);
        ownable = false;
        continue;
      }
      if (thread == null) {
        continue;
      }
      if (line.trim().startsWith("Locked ownable synchronizers:")) {
        ownable = true;
        continue;
      }
      Matcher a = ADDRESS.matcher(line);
      if (!a.find()) {
        continue;
      }
      String address = a.group(1);
      String trimmed = line.trim();
      if (trimmed.startsWith("- locked") || (ownable && trimmed.startsWith("- <"))) {
        owners.put(address, thread);
      } else if (trimmed.startsWith("- waiting to lock")
          || trimmed.startsWith("- parking to wait for")) {
        waiting.add(new String[] {thread, address, line});
      }
    }
    List<Wait> waits = new ArrayList<>();
    for (String[] w : waiting) {
      String owner = owners.get(w[1]);
      if (owner != null) {
        waits.add(new Wait(w[0], owner, w[2]));
      }
    }
    return waits;
  }
}
