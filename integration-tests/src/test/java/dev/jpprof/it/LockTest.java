package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * No agent thread holds an application lock, and the application never waits for an agent lock.
 * First, under a load of requests (four clients), repeated thread dumps show no application thread
 * waiting for a lock a jpprof- thread holds. Then the application takes and keeps the monitors of
 * objects a profiler touches (its Thread objects, System.out and System.err, its classes, its
 * ThreadGroup, the Runtime; see LockHolder): every endpoint must still answer within its timeout,
 * and no jpprof- thread may be waiting for a lock.
 */
class LockTest {
  private static final List<String> LOAD =
      List.of(
          "/debug/pprof/goroutine?debug=2",
          "/debug/pprof/goroutine",
          "/debug/pprof/heap",
          "/debug/pprof/allocs",
          "/debug/vars",
          "/debug/pprof/threadcreate",
          "/debug/pprof/profile?seconds=1",
          "/debug/pprof/goroutine?debug=1");

  @EveryJdk
  void agentAndApplicationNeverWaitForEachOther(Jdk jdk) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk).agent("port=0").main("dev.jpprof.demo.LockHolder").start()) {
      AtomicInteger served = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      List<Future<?>> load = new ArrayList<>();
      long until = System.nanoTime() + 5_000_000_000L;
      for (int c = 0; c < 4; c++) {
        int first = c;
        load.add(
            clients.submit(
                () -> {
                  for (int i = first; System.nanoTime() < until; i++) {
                    String target = LOAD.get(i % LOAD.size());
                    Http.Response r = Http.get(jvm.port(), target);
                    assertTrue(r.status() == 200 || r.status() == 503, target + ": " + r.status());
                    served.incrementAndGet();
                  }
                  return null;
                }));
      }
      List<ThreadDumpLocks.Wait> appWaitsForAgent = new ArrayList<>();
      int dumps = 0;
      while (System.nanoTime() < until) {
        appWaitsForAgent.addAll(
            ThreadDumpLocks.waits(jvm.jcmd("Thread.print", "-l")).stream()
                .filter(w -> !w.waiter.startsWith("jpprof-") && w.owner.startsWith("jpprof-"))
                .collect(Collectors.toList()));
        dumps++;
      }
      for (Future<?> f : load) {
        f.get(60, TimeUnit.SECONDS);
      }
      clients.shutdown();
      System.out.printf(
          "LockTest %s: %d requests under load, %d thread dumps%n", jdk, served.get(), dumps);
      assertEquals(List.of(), appWaitsForAgent, "application threads waiting for agent locks");

      jvm.send("hold");
      Waits.until(
          java.time.Duration.ofSeconds(10),
          () -> new String(jvm.stdout(), UTF_8).contains("held 8\n"));
      assertEquals("held 8\n", new String(jvm.stdout(), UTF_8), jvm.describe());

      List<String> all = new ArrayList<>(LOAD);
      all.addAll(
          List.of(
              "/debug/pprof/",
              "/debug/pprof/cmdline",
              "/debug/pprof/trace?seconds=1",
              "/debug/pprof/heap?debug=1",
              "/debug/pprof/threadcreate?debug=1"));
      for (String target : all) {
        long t0 = System.nanoTime();
        Http.Response r = Http.get(jvm.port(), target); // fails after 20 s without an answer
        assertEquals(200, r.status(), target);
        System.out.printf(
            "LockTest %s: %s in %d ms with the monitors held%n",
            jdk, target, (System.nanoTime() - t0) / 1_000_000);
      }
      String dump = jvm.jcmd("Thread.print", "-l");
      List<ThreadDumpLocks.Wait> agentWaits =
          ThreadDumpLocks.waits(dump).stream()
              .filter(w -> w.waiter.startsWith("jpprof-"))
              .collect(Collectors.toList());
      assertEquals(List.of(), agentWaits, "agent threads waiting for locks");
      long holders = ThreadDumpLocks.waits(dump).size();
      assertTrue(dump.contains("\"hold-stderr\""), "the holders are alive: " + holders);
      Http.Response goroutines = Http.get(jvm.port(), "/debug/pprof/goroutine?debug=2");
      assertTrue(goroutines.text().contains("hold-thread-group"), goroutines.text());
    }
  }
}
