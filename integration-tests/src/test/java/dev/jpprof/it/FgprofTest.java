package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.testing.GoPprof;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /debug/fgprof?seconds=N} (Alloy's optional fgprof target) and its index row {@code
 * /debug/pprof/wall}: a wall-clock profile of every Java thread of the demo, on CPU and off, with
 * fgprof's sample types, {@code thread} and {@code state} labels; taken while a CPU profile is
 * open, which keeps its own CPU samples; read by the real {@code go tool pprof}; and from thread
 * dumps when async-profiler does not run ({@code cpu.engine=jfr}).
 */
class FgprofTest {
  private static final int SECONDS = 3;
  private static final long PERIOD = 50_000_000L;
  private static final String DEMO = "dev.jpprof.demo.Demo.";
  private static final Duration TIMEOUT = Duration.ofSeconds(SECONDS + 60);

  @EveryJdk
  void wallProfileBesideACpuProfile(Jdk jdk, @TempDir Path tmp) throws Exception {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo().start()) {
      CompletableFuture<Http.Response> cpu =
          CompletableFuture.supplyAsync(
              () -> get(jvm, "/debug/pprof/profile?seconds=" + (SECONDS + 1)));
      Http.Response r = get(jvm, "/debug/fgprof?seconds=" + SECONDS);
      assertEquals(200, r.status(), r::text);
      assertEquals("application/octet-stream", r.header("Content-Type"));
      assertEquals("attachment; filename=\"wall\"", r.header("Content-Disposition"));
      ProfileView wall = ProfileView.parse(r.body());
      assertWallProfile(wall);

      // Every Java thread of the demo is in it for about the whole window, on CPU or off.
      Map<String, Long> nanos = byThread(wall);
      long window = SECONDS * 1_000_000_000L;
      for (String t : List.of("main", "demo-cpu", "demo-lock-1", "demo-lock-2", "demo-alloc")) {
        long n = nanos.getOrDefault(t, 0L);
        assertTrue(n > window / 2 && n < window * 2, t + ": " + n + " ns of " + window + nanos);
      }
      assertTrue(stateNanos(wall, "demo-cpu", "runnable") > window / 2, "demo-cpu runs");
      assertTrue(stateNanos(wall, "main", "sleeping") > window / 2, "main sleeps");
      assertTrue(inFunction(wall, "main", DEMO + "main") > window / 2, "main is in Demo.main");
      long hot = inFunction(wall, "demo-cpu", DEMO + "hot");
      long cold = inFunction(wall, "demo-cpu", DEMO + "cold");
      assertTrue(hot > cold && cold > 0, "hot " + hot + ", cold " + cold);

      // The CPU profile open across the switch has CPU samples only.
      Http.Response c = cpu.get();
      assertEquals(200, c.status(), c::text);
      ProfileView cpuView = ProfileView.parse(c.body());
      cpuView.assertGoConventions();
      for (Sample s : cpuView.profile.getSampleList()) {
        assertTrue(cpuView.stringLabels(s, "state").isEmpty(), "a wall sample in a CPU profile");
        assertTrue(!cpuView.stringLabels(s, "thread").contains("main"), "main sleeps: not CPU");
      }

      Path file = tmp.resolve("wall.pb.gz");
      Files.write(file, r.body());
      GoPprof.Result top = GoPprof.run(TIMEOUT, "-top", file.toString());
      assertEquals(0, top.exitCode, top::toString);
      assertTrue(top.stdout.contains("Type: time"), top::toString);
      GoPprof.Result raw = GoPprof.run(TIMEOUT, "-raw", file.toString());
      assertEquals(0, raw.exitCode, raw::toString);
      assertTrue(raw.stdout.contains("samples/count time/nanoseconds"), raw::toString);
      assertTrue(!raw.stdout.contains(": 0x0 "), "a location with address 0: " + raw.stdout);
      GoPprof.Result tags = GoPprof.run(TIMEOUT, "-tags", file.toString());
      assertEquals(0, tags.exitCode, tags::toString);
      assertTrue(tags.stdout.contains("state:"), tags::toString);
      assertTrue(tags.stdout.contains("sleeping"), tags::toString);
      assertTrue(tags.stdout.contains("runnable"), tags::toString);

      // The index row, its path, and fgprof's refusals.
      String index = get(jvm, "/debug/pprof/").text();
      assertTrue(index.contains("<a href='wall?debug=1'>wall</a>"), index);
      assertTrue(index.contains("fgprof"), index);
      Http.Response listed = get(jvm, "/debug/pprof/wall?seconds=1");
      assertEquals(200, listed.status(), listed::text);
      assertWallProfile(ProfileView.parse(listed.body()));
      Http.Response bad = get(jvm, "/debug/fgprof?seconds=abc");
      assertEquals(400, bad.status(), bad::text);
      assertTrue(bad.text().startsWith("bad seconds: abc"), bad::text);
      Http.Response folded = get(jvm, "/debug/fgprof?seconds=1&format=folded");
      assertEquals(400, folded.status(), folded::text);
    }
  }

  @EveryJdk
  void threadDumpsWhereAsyncProfilerDoesNotRun(Jdk jdk) throws Exception {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo().agent("port=0,cpu.engine=jfr").start()) {
      Http.Response r = get(jvm, "/debug/fgprof?seconds=" + SECONDS);
      assertEquals(200, r.status(), r::text);
      ProfileView wall = ProfileView.parse(r.body());
      assertWallProfile(wall);
      Profile p = wall.profile;
      assertTrue(
          wall.string(p.getComment(0)).contains("thread dumps"), wall.string(p.getComment(0)));
      long window = SECONDS * 1_000_000_000L;
      assertTrue(stateNanos(wall, "main", "timed_waiting") > window / 2, "" + byThread(wall));
      assertTrue(stateNanos(wall, "demo-cpu", "runnable") > window / 2, "" + byThread(wall));
      assertTrue(inFunction(wall, "main", DEMO + "main") > window / 2, "main is in Demo.main");
    }
  }

  private static Http.Response get(AgentJvm jvm, String target) {
    return Http.request(jvm.port(), "GET", target, null, TIMEOUT);
  }

  /** Go's conventions and fgprof's header. */
  private static void assertWallProfile(ProfileView v) {
    v.assertGoConventions();
    Profile p = v.profile;
    assertEquals("samples", v.string(p.getSampleType(0).getType()));
    assertEquals("count", v.string(p.getSampleType(0).getUnit()));
    assertEquals("time", v.string(p.getSampleType(1).getType()));
    assertEquals("nanoseconds", v.string(p.getSampleType(1).getUnit()));
    assertEquals("wallclock", v.string(p.getPeriodType().getType()));
    assertEquals(PERIOD, p.getPeriod());
    assertTrue(p.getSampleCount() > 0);
    for (Sample s : p.getSampleList()) {
      assertEquals(s.getValue(0) * PERIOD, s.getValue(1), "time = samples x period");
      assertEquals(1, v.stringLabels(s, "thread").size(), "thread label");
      assertEquals(1, v.stringLabels(s, "state").size(), "state label");
    }
  }

  private static Map<String, Long> byThread(ProfileView v) {
    Map<String, Long> nanos = new HashMap<>();
    for (Sample s : v.profile.getSampleList()) {
      nanos.merge(v.stringLabels(s, "thread").get(0), s.getValue(1), Long::sum);
    }
    return nanos;
  }

  private static long stateNanos(ProfileView v, String thread, String state) {
    long n = 0;
    for (Sample s : v.profile.getSampleList()) {
      if (v.stringLabels(s, "thread").contains(thread)
          && v.stringLabels(s, "state").contains(state)) {
        n += s.getValue(1);
      }
    }
    return n;
  }

  private static long inFunction(ProfileView v, String thread, String function) {
    long n = 0;
    for (Sample s : v.profile.getSampleList()) {
      if (v.stringLabels(s, "thread").contains(thread) && v.stack(s).contains(function)) {
        n += s.getValue(1);
      }
    }
    return n;
  }
}
