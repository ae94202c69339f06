package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.PyroscopeReceiver;
import dev.jpprof.testing.PyroscopeReceiver.Ingested;
import dev.jpprof.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push (push.url) from a real JVM to a loopback receiver that keeps Pyroscope's ingest contract:
 * every type arrives, decodes, passes pprof's checks and {@code go tool pprof -raw}, carries the
 * demo's frames, the app name, labels, time range, token and tenant; the index page and /metrics
 * show the state without the token. And go-zero's CPU threshold: an idle process pushes no CPU, a
 * busy one does within two intervals, and stops push.duration after it is idle again.
 */
class PushTest {
  private static final long INTERVAL_MILLIS = 1000;
  private static final long DURATION_MILLIS = 3000;
  private static final Set<String> ALL =
      Set.of("cpu", "wall", "memory", "goroutine", "block", "mutex");

  @EveryJdk
  void everyTypeArrivesAsPyroscopeReadsIt(Jdk jdk, @TempDir Path tmp) throws Exception {
    try (PyroscopeReceiver r = new PyroscopeReceiver();
        AgentJvm jvm =
            pushing(
                jdk,
                r,
                "push.app=demo,push.types=cpu;wall;allocs;goroutine;block;mutex,push.labels=env=it;jdk="
                    + jdk.feature()
                    + ",push.token=s3cret,push.tenant=team-a,block.rate=1ms,mutex.fraction=1")) {
      Waits.await(
          Duration.ofSeconds(60),
          Duration.ofMillis(200),
          // Each type with the demo's frames at least once: a first interval may hold none yet
          // (the demo's lock threads contend a moment after start).
          () -> withDemoFrames(r).containsAll(ALL),
          () -> "types with the demo's frames so far " + withDemoFrames(r) + "; " + jvm.describe());
      assertEquals(List.of(), r.violations());
      for (Ingested i : r.stored()) {
        String type = type(i);
        assertEquals("demo", i.app);
        assertEquals(Map.of("env", "it", "jdk", Integer.toString(jdk.feature())), i.labels);
        assertEquals("Bearer s3cret", i.header("Authorization"));
        assertEquals("team-a", i.header("X-Scope-OrgID"));
        assertTrue(i.from < i.until, i.from + ".." + i.until);
        long lag = i.receivedMillis / 1000 - i.until;
        assertTrue(lag >= -1 && lag <= 5, type + " sent " + lag + " s after its interval ended");
        ProfileView v = ProfileView.parse(i.profile);
        v.assertPprofAccepts();
        if (type.equals("cpu") || type.equals("wall") || type.equals("goroutine")) {
          assertTrue(hasDemoFrame(v), type + " without the demo's frames");
        }
      }
      for (Ingested i : types(r.stored()).values()) {
        assertTrue(
            r.stored().stream()
                .filter(o -> type(o).equals(type(i)))
                .anyMatch(o -> hasDemoFrame(ProfileView.parse(o.profile))),
            type(i) + ": no upload with the demo's frames");
        Path file = Files.write(tmp.resolve(type(i) + ".pb.gz"), i.profile);
        HeapChecks.assertPprofReads(file);
      }
      String index = Http.get(jvm.port(), "/debug/pprof/").text();
      assertTrue(index.contains("push: to " + r.url() + " as demo, profiling on now"), index);
      String metrics = Http.get(jvm.port(), "/metrics").text();
      assertTrue(metrics.contains("jpprof_push_active 1.0"), metrics);
      assertTrue(metrics.contains("jpprof_push_uploads_total"), metrics);
      assertFalse(index.contains("s3cret") || metrics.contains("s3cret"), "the token is shown");
      // One Java thread (by the goroutine dump: the OS name "jpprof-push" is also inherited by
      // native threads it starts, such as async-profiler's wall sampler).
      String dump = Http.get(jvm.port(), "/debug/pprof/goroutine?debug=2").text();
      assertEquals(1, dump.split("\"jpprof-push\"", -1).length - 1, dump);
      // Connection: close, so the JDK keeps no connection and starts no Keep-Alive-Timer thread.
      assertFalse(dump.contains("Keep-Alive-Timer"), dump);
    }
  }

  @EveryJdk
  void theCpuThresholdPushesOnlyWhileBusy(Jdk jdk) throws Exception {
    try (PyroscopeReceiver r = new PyroscopeReceiver();
        AgentJvm jvm =
            pushing(
                jdk,
                r,
                "push.types=cpu,push.cpuThreshold=250,push.duration=3s",
                "--stdin",
                "--idle")) {
      // 25 %: a burning thread passes it even on a loaded shared machine, an idle demo (~1 %)
      // never. Start-up (class loading, the JIT) may pass it too: wait until that run is over.
      long started = System.currentTimeMillis();
      Waits.await(
          Duration.ofSeconds(40),
          Duration.ofMillis(200),
          () -> System.currentTimeMillis() - Math.max(started, last(r)) > 4000,
          () -> r.stored().size() + " CPU profiles, still arriving while idle");
      int idle = r.stored().size();
      Thread.sleep(3000);
      assertEquals(idle, r.stored().size(), "an idle process pushed CPU profiles");
      assertTrue(Http.get(jvm.port(), "/metrics").text().contains("jpprof_push_active 0.0"));

      long busy = System.currentTimeMillis();
      jvm.send("early 5000"); // one thread burning a whole CPU for 5 s
      Waits.await(
          Duration.ofSeconds(10),
          Duration.ofMillis(50),
          () -> r.stored().stream().skip(idle).anyMatch(PushTest::burns),
          () -> "no CPU profile with Demo.early: " + uploads(r, idle) + "; " + jvm.describe());
      long first =
          r.stored().stream().skip(idle).filter(PushTest::burns).findFirst().get().receivedMillis;
      // Two intervals, and the time an upload takes to be built and sent on a shared machine.
      assertTrue(
          first - busy <= 2 * INTERVAL_MILLIS + 1500, "first after " + (first - busy) + " ms");

      // Off push.duration after the last interval over the threshold, as go-zero's trigger. The
      // process may still pass it on its own after the burn (a CI run on JDK 25: C2 compiling for
      // seconds after it, 27-48 % of a CPU in single intervals), so each upload is checked against
      // the busy intervals the uploads themselves show: none comes later than push.duration after
      // the last one over the threshold (plus the interval that measures, the one that sends, and
      // slack for a loaded machine); pushing does end; and the demo's burn is never in an upload
      // after it ended.
      long quiet = busy + 5000;
      long gap = DURATION_MILLIS + 2 * INTERVAL_MILLIS + 1500;
      Waits.await(
          Duration.ofSeconds(40),
          Duration.ofMillis(200),
          () -> System.currentTimeMillis() - last(r) > gap,
          () -> "pushing never stopped after the busy phase: " + uploads(r, idle));
      long lastBusy = busy;
      for (Ingested u : r.stored().subList(idle, r.stored().size())) {
        long since = u.receivedMillis - lastBusy;
        assertTrue(
            since <= gap,
            "pushed " + since + " ms after the last busy interval: " + uploads(r, idle));
        assertTrue(
            !burns(u) || u.receivedMillis <= quiet + 2 * INTERVAL_MILLIS + 1500,
            "the burn pushed after it ended: " + uploads(r, idle));
        if (overThreshold(u)) {
          lastBusy = u.receivedMillis;
        }
      }
      assertTrue(
          last(r) > quiet + 1000,
          "pushing did not go on after the busy phase: " + (last(r) - quiet) + " ms");
      assertEquals(List.of(), r.violations());
    }
  }

  @org.junit.jupiter.api.Test
  void aBadValueIsOneLineNamingTheKeyAndTheApplicationRunsOn() throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(Jdk.all().get(0))
            .agent("port=0,push.url=http://127.0.0.1:1,push.types=cpu;trace")
            .main(AgentJvm.DEMO, AgentJvm.DEMO_SECONDS, "--stdin")
            .launch()) {
      String line = jvm.awaitRefusal();
      assertTrue(line.contains("configuration key \"push.types\""), line);
      jvm.awaitDemoWorking(jvm::describe);
      assertEquals(
          1,
          jvm.stderrLines().stream().filter(l -> l.startsWith("jpprof:")).count(),
          jvm::describe);
    }
    // A token file that cannot be read: the server runs, push does not, one line says why.
    try (AgentJvm jvm =
        AgentJvm.on(Jdk.all().get(0))
            .agent("port=0,push.url=http://127.0.0.1:1,push.tokenFile=/nonexistent/token")
            .main(AgentJvm.DEMO, AgentJvm.DEMO_SECONDS, "--stdin")
            .start()) {
      String line = jvm.awaitLine(0, "jpprof: not pushing", Duration.ofSeconds(10));
      assertTrue(line.contains("/nonexistent/token"), line);
      jvm.awaitDemoWorking(jvm::describe);
      assertEquals(200, Http.get(jvm.port(), "/debug/pprof/").status());
    }
  }

  /** The demo with {@code demoArgs}, pushing to {@code r} every second with {@code push} keys. */
  private static AgentJvm pushing(Jdk jdk, PyroscopeReceiver r, String push, String... demoArgs) {
    List<String> args = new java.util.ArrayList<>(List.of(AgentJvm.DEMO_SECONDS));
    args.addAll(List.of(demoArgs));
    return AgentJvm.on(jdk)
        .agent("port=0,push.url=" + r.url() + ",push.interval=1s," + push)
        .main(AgentJvm.DEMO, args.toArray(new String[0]))
        .start();
  }

  /** What arrived after the first {@code skip}: arrival and the functions with most samples. */
  private static String uploads(PyroscopeReceiver r, int skip) {
    StringBuilder b = new StringBuilder();
    for (Ingested i : r.stored().subList(Math.min(skip, r.stored().size()), r.stored().size())) {
      ProfileView v = ProfileView.parse(i.profile);
      b.append("\n  at ")
          .append(i.receivedMillis)
          .append(' ')
          .append(i.from)
          .append("..")
          .append(i.until)
          .append(": ")
          .append(v.total(0))
          .append(" samples, leaves ");
      v.profile.getSampleList().stream()
          .limit(5)
          .forEach(s -> b.append(v.stack(s).get(0)).append(' '));
    }
    return b.toString();
  }

  /**
   * Whether an upload's window was busy enough to have kept profiling on: 10 samples a second at
   * 100 Hz is 10 % of a CPU, well under the test's 25 % threshold (the profile and the trigger
   * measure the process's CPU differently) and well over an idle demo's 1-4.
   */
  private static boolean overThreshold(Ingested i) {
    long seconds = Math.max(1, i.until - i.from);
    return ProfileView.parse(i.profile).total(0) >= 10 * seconds;
  }

  /** A CPU profile with samples in the demo's burning method. */
  private static boolean burns(Ingested i) {
    ProfileView v = ProfileView.parse(i.profile);
    return v.sumWhereStackContains("dev.jpprof.demo.Demo.early", 0) > 0;
  }

  private static long last(PyroscopeReceiver r) {
    return r.stored().stream().mapToLong(i -> i.receivedMillis).max().orElse(0);
  }

  /** The last upload of each type (as Pyroscope names it from the sample types and config). */
  private static Map<String, Ingested> types(List<Ingested> stored) {
    Map<String, Ingested> out = new HashMap<>();
    for (Ingested i : stored) {
      out.put(type(i), i);
    }
    return out;
  }

  private static String type(Ingested i) {
    List<String> types = ProfileView.parse(i.profile).sampleTypes();
    String first = types.get(0);
    if (types.contains("wall/nanoseconds")) {
      return "wall"; // Pyroscope's name for it, which it files under wall
    } else if (first.startsWith("samples")) {
      return "cpu";
    } else if (first.startsWith("alloc_objects")) {
      return "memory";
    } else if (first.startsWith("goroutine")) {
      return "goroutine";
    }
    return i.sampleTypeConfig.contains("block_count") ? "block" : "mutex";
  }

  private static boolean hasDemoFrame(ProfileView v) {
    return v.profile.getSampleList().stream()
        .anyMatch(s -> v.stack(s).stream().anyMatch(f -> f.startsWith("dev.jpprof.demo.")));
  }

  /** The types of which some upload has the demo's frames. */
  private static Set<String> withDemoFrames(PyroscopeReceiver r) {
    Set<String> types = new HashSet<>();
    for (Ingested i : r.stored()) {
      if (hasDemoFrame(ProfileView.parse(i.profile))) {
        types.add(type(i));
      }
    }
    return types;
  }
}
