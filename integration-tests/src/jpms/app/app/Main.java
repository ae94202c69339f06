package app;

import java.util.ArrayList;
import java.util.List;

/**
 * A modular application (module {@code app}) for ModularAppTest: a thread {@code app-work} that
 * computes and allocates (string building and lists, so both the CPU and the allocation engines see
 * it), and a thread {@code app-spawner} that starts a short-lived thread every 50 ms (for
 * threadcreate). Prints "app ready <module name>" on stdout, then runs until killed.
 */
public final class Main {
  private static volatile Object sink;

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    Thread work = new Thread(Main::work, "app-work");
    work.start();
    Thread spawner = new Thread(Main::spawn, "app-spawner");
    spawner.setDaemon(true);
    spawner.start();
    System.out.println("app ready " + Main.class.getModule().getName());
    System.out.flush();
    work.join();
  }

  private static void work() {
    while (true) {
      sink = build();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  static List<String> build() {
    // An allocation of the module's own code, large enough to be sampled often.
    long[] scratch = new long[4096];
    scratch[7] = System.nanoTime();
    sink = scratch;
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      parts.add(Integer.toString(i * 31) + "-" + (i % 13));
    }
    return parts;
  }

  private static void spawn() {
    while (true) {
      Thread t = new Thread(() -> sink = new int[64], "app-short");
      t.start();
      try {
        t.join();
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
