package dev.jpprof.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread {@code busy-work} that keeps about half a core busy with ordinary Java work (string
 * building and hashing through calls the JIT cannot fold into one loop), so every CPU engine, JDK
 * 17's JFR sampler included, lands samples in it: JFR misses bare arithmetic loops such as {@link
 * Demo}'s. {@link #rounds()} is its throughput, for tests that check the application keeps working.
 * As a program it runs that thread until stdin closes and answers the line {@code rounds} with
 * {@code rounds N} on stderr.
 */
public final class Busy {
  private static final AtomicLong rounds = new AtomicLong();
  private static volatile int sink;

  private Busy() {}

  public static void main(String[] args) throws IOException {
    start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      answer(line);
    }
  }

  /** Answers {@code rounds}; other lines are left to the caller. */
  static void answer(String line) {
    if (line.equals("rounds")) {
      System.err.println("rounds " + rounds());
    }
  }

  /** Starts the daemon thread {@code busy-work} and returns it. */
  public static Thread start() {
    Thread t = new Thread(Busy::run, "busy-work");
    t.setDaemon(true);
    t.start();
    return t;
  }

  public static long rounds() {
    return rounds.get();
  }

  private static void run() {
    while (true) {
      sink += work();
      rounds.incrementAndGet();
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  static int work() {
    Map<String, Integer> counts = new HashMap<>();
    int h = 0;
    for (int i = 0; i < 20_000; i++) {
      String key = Integer.toString(i % 997) + "-" + (i & 7);
      h += counts.merge(key, 1, Integer::sum) + key.hashCode();
    }
    return h;
  }
}
