package dev.jpprof.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload with known memory behaviour for the heap and allocs tests. Thread {@code alloc} loops:
 * {@link #allocA} allocates 3 bytes for every 1 that {@link #allocB} allocates, and {@link
 * #growMap} grows a HashMap (JDK-internal allocation on the application's behalf). On stdin, {@code
 * retain N} keeps N MiB live from {@link #retain} and answers {@code retained} on stderr; {@code
 * release} drops them and answers {@code released}. Prints nothing on stdout. Argument: seconds to
 * run (default 600).
 */
public final class AllocWorkload {
  static volatile Object sink;
  private static final List<byte[]> retained = new ArrayList<>();

  private AllocWorkload() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 600;
    Thread alloc = new Thread(AllocWorkload::allocLoop, "alloc");
    alloc.setDaemon(true);
    alloc.start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long end = System.currentTimeMillis() + seconds * 1000;
    while (System.currentTimeMillis() < end) {
      String line = in.readLine();
      if (line == null) {
        Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
        return;
      }
      if (line.startsWith("retain ")) {
        retain(Integer.parseInt(line.substring(7).trim()));
        System.err.println("retained");
      } else if (line.equals("release")) {
        synchronized (retained) {
          retained.clear();
        }
        System.err.println("released");
      }
    }
  }

  /** About 40 MB/s with a short sleep per round, so the machine stays usable. */
  private static void allocLoop() {
    try {
      while (true) {
        for (int i = 0; i < 200; i++) {
          allocA();
          allocB();
        }
        growMap();
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      // Only the JVM's exit ends this daemon.
    }
  }

  static void allocA() {
    sink = new byte[3000];
  }

  static void allocB() {
    sink = new byte[1000];
  }

  static void growMap() {
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < 64; i++) {
      m.put(i, i);
    }
    sink = m;
  }

  static void retain(int mebibytes) {
    synchronized (retained) {
      for (int i = 0; i < mebibytes; i++) {
        retained.add(new byte[1 << 20]);
      }
    }
  }
}
