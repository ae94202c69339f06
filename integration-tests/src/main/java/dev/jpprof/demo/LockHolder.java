package dev.jpprof.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * An application that, on the stdin line {@code hold}, takes the monitors of objects a profiler
 * might touch and keeps them: its worker {@link Thread} object, {@code System.out}, {@code
 * System.err}, its own classes, its {@link ThreadGroup} and {@code Runtime.getRuntime()}, each in a
 * thread {@code hold-<what>} that sleeps inside the {@code synchronized} block until the JVM ends.
 * It then writes {@code held N} straight to file descriptor 1 (System.out's monitor is taken).
 * Meanwhile {@link Busy} keeps working, so there is something to profile.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Thread worker = Busy.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("hold")) {
        hold(worker);
      } else {
        Busy.answer(line);
      }
    }
  }

  private static void hold(Thread worker) throws IOException, InterruptedException {
    Map<String, Object> monitors = new LinkedHashMap<>();
    monitors.put("thread", worker);
    monitors.put("main-thread", Thread.currentThread());
    monitors.put("stdout", System.out);
    monitors.put("stderr", System.err);
    monitors.put("class", LockHolder.class);
    monitors.put("busy-class", Busy.class);
    monitors.put("thread-group", Thread.currentThread().getThreadGroup());
    monitors.put("runtime", Runtime.getRuntime());
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch taken = new CountDownLatch(monitors.size());
    List<Thread> holders = new ArrayList<>();
    // No monitor is taken until every holder has started: starting a thread takes its group's
    // monitor (JDK 17), so a holder of the group's monitor would block the next start for good.
    monitors.forEach(
        (what, monitor) -> {
          Thread t =
              new Thread(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    synchronized (monitor) {
                      taken.countDown();
                      try {
                        Thread.sleep(Long.MAX_VALUE);
                      } catch (InterruptedException e) {
                        // End of the test.
                      }
                    }
                  },
                  "hold-" + what);
          t.setDaemon(true);
          holders.add(t);
        });
    for (Thread t : holders) {
      t.start();
    }
    go.countDown();
    taken.await();
    FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
    fd1.write(("held " + monitors.size() + "\n").getBytes(UTF_8));
    fd1.flush();
  }
}
