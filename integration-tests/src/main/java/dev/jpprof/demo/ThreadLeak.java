package dev.jpprof.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread leak for the threadcreate test: on stdin {@code leak N} starts N threads from {@link
 * #leakThreads} that park for good, then answers {@code leaked} on stderr. Prints nothing on
 * stdout. Argument: seconds to run (default 600).
 */
public final class ThreadLeak {
  private ThreadLeak() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 600;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long end = System.currentTimeMillis() + seconds * 1000;
    for (String line; System.currentTimeMillis() < end && (line = in.readLine()) != null; ) {
      if (line.startsWith("leak ")) {
        leakThreads(Integer.parseInt(line.substring(5).trim()));
        System.err.println("leaked");
      }
    }
  }

  static void leakThreads(int n) {
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(LockSupport::park, "leaked-" + i);
      t.setDaemon(true);
      t.start();
    }
  }
}
