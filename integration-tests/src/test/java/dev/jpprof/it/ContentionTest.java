package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.testing.GoPprof;
import dev.jpprof.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;

/**
 * block and mutex on one child JVM per JDK running every contention scenario of {@code
 * dev.jpprof.demo.Contention} at once: turned on at start (JDK 25) or by the attach command (JDK
 * 17), then each scenario's waiting method must carry the wait the demo measured itself (within 20
 * %), the holders' methods must be in mutex, the uncontended loop in neither, {@code go tool pprof}
 * must read both (URL, delta, debug=1, both sample indexes), and the attach command must turn them
 * off again.
 */
class ContentionTest {
  private static final String DEMO = "dev.jpprof.demo.Contention.";
  private static final long RUN_SECONDS = 5;

  /** Each scenario's waiting method: its block delay must match the demo's own measurement. */
  private static final List<String> WAITERS =
      List.of(
          "monitorLoop",
          "reentrantLoop",
          "readLoop",
          "semaphoreLoop",
          "latchLoop",
          "consumeLoop",
          "waitLoop");

  @EveryJdk
  void everyScenarioWithItsWaitAndHolder(Jdk jdk, @TempDir Path dir) throws Exception {
    // Both ways of turning them on: at start (JDK 25) and at run time by attach (JDK 17).
    boolean atStart = jdk.feature() >= 21;
    String rates = "block.rate=100us,mutex.fraction=1";
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(List.of("-XX:+EnableDynamicAgentLoading"))
            .agent(atStart ? "port=0," + rates : "port=0")
            .main("dev.jpprof.demo.Contention", "300")
            .start()) {
      String index = Http.get(jvm.port(), "/debug/pprof/").text();
      if (atStart) {
        assertTrue(index.contains("block.rate 100000 ns, mutex.fraction 1; "), index);
        assertTrue(index.contains("synchronized and Object.wait: JFR jdk.JavaMonitorEnter"), index);
      } else {
        assertTrue(index.contains("block.rate 0 ns (off), mutex.fraction 0 (off)"), index);
        AttachTest.Result on = AttachTest.attach(jdk, jvm.pid(), rates + ",port=1");
        assertEquals(0, on.code, on.text);
        assertTrue(on.text.contains("block.rate 0ns -> 100000ns"), on.text);
        assertTrue(on.text.contains("mutex.fraction 0 -> 1"), on.text);
        assertTrue(on.text.contains("port cannot be changed at run time"), on.text);
      }

      jvm.send("run " + RUN_SECONDS);
      // Delta windows inside the run, read by go tool pprof straight from the URL.
      CompletableFuture<GoPprof.Result> delta =
          CompletableFuture.supplyAsync(
              () ->
                  GoPprof.run(
                      Duration.ofSeconds(60), "-raw", jvm.url("/debug/pprof/block?seconds=2")));
      CompletableFuture<GoPprof.Result> mutexDelta =
          CompletableFuture.supplyAsync(
              () ->
                  GoPprof.run(
                      Duration.ofSeconds(60), "-raw", jvm.url("/debug/pprof/mutex?seconds=2")));
      Map<String, Long> measured = awaitDone(jvm);
      GoPprof.Result raw = delta.get();
      assertEquals(0, raw.exitCode, raw::toString);
      assertTrue(raw.stdout.contains(DEMO + "reentrantLoop"), raw::toString);
      GoPprof.Result mutexRaw = mutexDelta.get();
      assertEquals(0, mutexRaw.exitCode, mutexRaw::toString);
      assertTrue(mutexRaw.stdout.contains(DEMO + "reentrantRelease"), mutexRaw::toString);

      // JFR hands monitor events over about once a second: the profiles are read every 1.5 s
      // until two reads in a row agree (the run's last events are in; at most 30 s), then checked.
      ProfileView[] views = new ProfileView[2];
      List<List<Long>> reads = new ArrayList<>();
      Waits.until(
          Duration.ofSeconds(30),
          Duration.ofMillis(1500),
          () -> {
            views[0] = profile(jvm, "block");
            views[1] = profile(jvm, "mutex");
            reads.add(checked(views[0], views[1]));
            int n = reads.size();
            return n >= 2 && reads.get(n - 1).equals(reads.get(n - 2));
          });
      String failures = failures(views[0], views[1], measured);
      assertTrue(failures.isEmpty(), failures + "\n" + jvm.describe());

      for (String name : List.of("block", "mutex")) {
        checkWithGoPprof(jvm, name, dir);
      }

      AttachTest.Result off = AttachTest.attach(jdk, jvm.pid(), "block.rate=0,mutex.fraction=0");
      assertEquals(0, off.code, off.text);
      assertTrue(off.text.contains("block.rate 100000ns -> 0ns"), off.text);
      index = Http.get(jvm.port(), "/debug/pprof/").text();
      assertTrue(index.contains("block.rate 0 ns (off), mutex.fraction 0 (off)"), index);
      assertTrue(index.contains("synchronized and Object.wait: off."), index);
      AttachTest.Result bad = AttachTest.attach(jdk, jvm.pid(), "mutex.fraction=-2");
      assertEquals(1, bad.code, bad.text);
      assertTrue(
          bad.text.contains("bad value \"-2\" for configuration key \"mutex.fraction\""), bad.text);
      assertEquals(0, jvm.stdout().length, "nothing on stdout");
    }
  }

  /** The demo's own measurements, after its "contention done" line. */
  private static Map<String, Long> awaitDone(AgentJvm jvm) throws InterruptedException {
    Waits.await(
        java.time.Duration.ofSeconds(60),
        () -> jvm.stderrLines().contains("contention done"),
        jvm::describe);
    Map<String, Long> waited = new HashMap<>();
    for (String line : jvm.stderrLines()) {
      if (line.startsWith("waited ")) {
        String[] parts = line.split(" ");
        waited.put(parts[1], Long.parseLong(parts[2]));
      }
    }
    assertTrue(waited.keySet().containsAll(WAITERS), waited::toString);
    return waited;
  }

  /** The values the checks read, to see when JFR has handed over the last of them. */
  private static List<Long> checked(ProfileView block, ProfileView mutex) {
    List<Long> values = new ArrayList<>();
    for (String waiter : WAITERS) {
      values.add(block.sumWhereStackContains(DEMO + waiter, 1));
    }
    for (String function : List.of("reentrantRelease", "monitorHeld", "writeRelease")) {
      values.add(mutex.sumWhereStackContains(DEMO + function, 1));
    }
    return values;
  }

  /**
   * What {@code block} and {@code mutex} get wrong against the demo's own measurements, one line
   * each; empty when nothing.
   */
  private static String failures(ProfileView block, ProfileView mutex, Map<String, Long> measured) {
    StringBuilder failures = new StringBuilder();
    for (String waiter : WAITERS) {
      long want = measured.get(waiter);
      long got = block.sumWhereStackContains(DEMO + waiter, 1);
      if (Math.abs(got - want) > want / 5) {
        failures
            .append(waiter)
            .append(": block delay ")
            .append(got)
            .append(" ns, measured ")
            .append(want)
            .append(" ns\n");
      }
    }
    long reentrant = mutex.sumWhereStackContains(DEMO + "reentrantRelease", 1);
    if (Math.abs(reentrant - measured.get("reentrantLoop")) > measured.get("reentrantLoop") / 5) {
      failures.append("reentrantRelease: mutex delay ").append(reentrant).append('\n');
    }
    // synchronized: the holder's stack sampled every 10 ms while threads are BLOCKED, from the
    // first JFR batch on (about a second in); the rest is MonitorHolderNotSampled.
    long held = mutex.sumWhereStackContains(DEMO + "monitorHeld", 1);
    if (held < measured.get("monitorLoop") * 3 / 10) {
      failures.append("monitorHeld: mutex delay ").append(held).append('\n');
    }
    if (mutex.sumWhereStackContains(DEMO + "writeRelease", 1) == 0) {
      failures.append("writeRelease: not in mutex\n");
    }
    for (ProfileView v : List.of(block, mutex)) {
      if (v.sumWhereStackContains(DEMO + "uncontendedLoop", 0) != 0) {
        failures.append("uncontendedLoop is in a profile\n");
      }
    }
    return failures.toString();
  }

  private static ProfileView profile(AgentJvm jvm, String name) {
    Http.Response r = Http.get(jvm.port(), "/debug/pprof/" + name);
    assertEquals(200, r.status(), r::text);
    ProfileView v = ProfileView.parse(r.body());
    v.assertGoConventions();
    assertEquals(List.of("contentions/count", "delay/nanoseconds"), v.sampleTypes());
    assertEquals("contentions", v.string(v.profile.getPeriodType().getType()));
    assertEquals(1, v.profile.getPeriod());
    long last = Long.MAX_VALUE;
    for (Sample s : v.profile.getSampleList()) {
      assertTrue(s.getValue(1) <= last, "sorted by delay, descending");
      assertEquals(0, s.getLabelCount(), "no labels");
      last = s.getValue(1);
    }
    return v;
  }

  private static void checkWithGoPprof(AgentJvm jvm, String name, Path dir) throws Exception {
    Http.Response r = Http.get(jvm.port(), "/debug/pprof/" + name);
    Path file = dir.resolve(name + ".pb.gz");
    Files.write(file, r.body());
    for (String index : List.of("contentions", "delay")) {
      GoPprof.Result top =
          GoPprof.run(Duration.ofSeconds(60), "-top", "-sample_index=" + index, file.toString());
      assertEquals(0, top.exitCode, top::toString);
      assertTrue(top.stdout.contains(DEMO), top::toString);
    }
    GoPprof.Result url =
        GoPprof.run(Duration.ofSeconds(60), "-top", jvm.url("/debug/pprof/" + name));
    assertEquals(0, url.exitCode, url::toString);
    assertTrue(url.stdout.contains(DEMO), url::toString);

    String text = Http.get(jvm.port(), "/debug/pprof/" + name + "?debug=1").text();
    String header =
        name.equals("mutex")
            ? "--- mutex:\ncycles/second=1000000000\nsampling period=1\n"
            : "--- contention:\ncycles/second=1000000000\n";
    assertTrue(text.startsWith(header), text);
    GoPprof.Result raw =
        GoPprof.run(Duration.ofSeconds(60), "-raw", jvm.url("/debug/pprof/" + name + "?debug=1"));
    assertEquals(0, raw.exitCode, raw::toString);
    assertTrue(raw.stdout.contains(DEMO), raw::toString);

    long records = ProfileView.parse(r.body()).profile.getSampleCount();
    String row = "</td><td><a href='" + name + "?debug=1'>";
    String index = Http.get(jvm.port(), "/debug/pprof/").text();
    int at = index.indexOf(row);
    long count = Long.parseLong(index.substring(index.lastIndexOf("<td>", at) + 4, at));
    assertTrue(
        count > 0 && Math.abs(count - records) <= records / 10 + 2,
        "index count " + count + " vs " + records + " records");
  }
}
