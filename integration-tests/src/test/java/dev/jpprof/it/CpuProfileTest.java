package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.testing.GoPprof;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /debug/pprof/profile?seconds=N} on the demo workload, on each JDK: one child JVM and one
 * 4-second profile per JDK, checked from several sides, then read by the real {@code go tool
 * pprof}, from a file and from the live URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpuProfileTest {
  private static final int SECONDS = 4;
  private static final long PERIOD = 10_000_000L;
  private static final String DEMO = "dev.jpprof.demo.Demo.";
  private static final String HOT = DEMO + "hot";
  private static final String COLD = DEMO + "cold";
  private static final String UNIT = DEMO + "unit";
  private static final Duration GO_TIMEOUT = Duration.ofSeconds(60);

  private final DemoJvms jvms = new DemoJvms();
  private final Map<Jdk, Fetched> profiles = new HashMap<>();

  /** One profile response with the wall-clock interval around the request. */
  private static final class Fetched {
    final Http.Response response;
    final long beforeNanos;
    final long afterNanos;

    Fetched(Http.Response response, long beforeNanos, long afterNanos) {
      this.response = response;
      this.beforeNanos = beforeNanos;
      this.afterNanos = afterNanos;
    }

    ProfileView view() {
      return ProfileView.parse(response.body());
    }
  }

  private AgentJvm jvm(Jdk jdk) {
    return jvms.get(jdk);
  }

  private synchronized Fetched fetched(Jdk jdk) {
    Fetched f = profiles.get(jdk);
    if (f == null) {
      AgentJvm jvm = jvm(jdk);
      long before = wallNanos();
      Http.Response r =
          Http.request(
              jvm.port(),
              "GET",
              "/debug/pprof/profile?seconds=" + SECONDS,
              null,
              Duration.ofSeconds(SECONDS + 30));
      f = new Fetched(r, before, wallNanos());
      profiles.put(jdk, f);
    }
    Http.Response r = f.response;
    assertEquals("HTTP/1.1 200 OK", r.statusLine(), r::text);
    return f;
  }

  @AfterAll
  void closeJvms() {
    jvms.close();
  }

  private static long wallNanos() {
    java.time.Instant now = java.time.Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }

  @EveryJdk
  void responseHeaders(Jdk jdk) {
    Http.Response r = fetched(jdk).response;
    byte[] body = r.body();
    assertAll(
        () -> assertEquals("application/octet-stream", r.header("Content-Type")),
        () -> assertEquals("attachment; filename=\"profile\"", r.header("Content-Disposition")),
        () -> assertEquals("nosniff", r.header("X-Content-Type-Options")),
        () -> assertNull(r.header("X-Go-Pprof"), "X-Go-Pprof is only for errors"),
        () -> assertNull(r.header("Content-Encoding"), "the body is gzip, not Content-Encoding"),
        () -> assertNull(r.header("Cache-Control")),
        () ->
            assertTrue(
                body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b,
                "body is not gzip"));
  }

  @EveryJdk
  void decodesAndPassesPprofChecks(Jdk jdk) {
    ProfileView v = fetched(jdk).view();
    v.assertPprofAccepts();
    v.assertGoConventions();
    assertTrue(v.profile.getSampleCount() > 0, "no samples");
  }

  @EveryJdk
  void headerFieldsAreGoCpuProfiles(Jdk jdk) {
    Fetched f = fetched(jdk);
    ProfileView v = f.view();
    Profile p = v.profile;
    assertAll(
        () -> assertEquals(Arrays.asList("samples/count", "cpu/nanoseconds"), v.sampleTypes()),
        () -> assertEquals("cpu/nanoseconds", v.periodType()),
        () -> assertEquals(PERIOD, p.getPeriod()),
        () -> assertEquals(0, p.getDefaultSampleType(), "Go leaves default_sample_type unset"),
        () ->
            assertTrue(
                p.getTimeNanos() >= f.beforeNanos - 1_000_000_000L
                    && p.getTimeNanos() <= f.afterNanos,
                "time_nanos " + p.getTimeNanos() + " is not within the request"),
        () ->
            assertTrue(
                p.getDurationNanos() >= SECONDS * 900_000_000L
                    && p.getDurationNanos() <= f.afterNanos - f.beforeNanos + 1_000_000_000L,
                "duration_nanos " + p.getDurationNanos() + " for seconds=" + SECONDS),
        () ->
            assertTrue(
                v.comments().stream()
                    .anyMatch(c -> c.matches("(?is).*(async-profiler|jfr|flight recorder).*")),
                "no comment names the CPU engine: " + v.comments()));
  }

  @EveryJdk
  void valuesAreTicksAndNanoseconds(Jdk jdk) {
    Profile p = fetched(jdk).view().profile;
    for (Sample s : p.getSampleList()) {
      assertTrue(s.getValue(0) > 0, "sample with count " + s.getValue(0));
      assertEquals(s.getValue(0) * PERIOD, s.getValue(1), "cpu value must be count × period");
    }
  }

  /** The demo spends 3 units in hot() for each unit in cold(), on one thread. */
  @EveryJdk
  void hotColdSplitIs75To25(Jdk jdk) {
    ProfileView v = fetched(jdk).view();
    long hot = v.sumWhereStackContains(HOT, 0);
    long cold = v.sumWhereStackContains(COLD, 0);
    double share = hot / (double) (hot + cold);
    System.out.printf("%s: hot %d, cold %d samples: hot share %.3f%n", jdk, hot, cold, share);
    assertTrue(hot + cold >= 50, "too few demo samples for a split: hot " + hot + " cold " + cold);
    assertEquals(0.75, share, 0.10, "hot share; hot " + hot + " cold " + cold);
  }

  @EveryJdk
  void demoFramesHaveFileStartLineAndLines(Jdk jdk) {
    ProfileView v = fetched(jdk).view();
    DemoSource src = DemoSource.load();
    Map<String, DemoSource.Method> methods = new HashMap<>();
    for (String m : Arrays.asList("hot", "cold", "unit", "cpuLoop")) {
      methods.put(DEMO + m, src.method(m));
    }
    List<Integer> hotCalls = src.linesContaining(src.method("hot"), "unit(");
    List<Integer> coldCalls = src.linesContaining(src.method("cold"), "unit(");
    int checked = 0;
    for (Sample s : v.profile.getSampleList()) {
      for (ProfileView.Frame f : v.frames(s)) {
        if (!f.function.startsWith(DEMO)) {
          continue;
        }
        assertEquals("Demo.java", f.file, f.toString());
        assertTrue(f.startLine > 0 && f.line > 0, f.toString());
        assertTrue(f.line >= f.startLine, "line before start_line: " + f);
        DemoSource.Method m = methods.get(f.function);
        if (m != null) {
          assertTrue(m.containsBody(f.startLine), "start_line outside " + m + ": " + f);
          assertTrue(m.containsBody(f.line), "line outside " + m + ": " + f);
          checked++;
        }
        if (f.function.equals(HOT)) {
          assertTrue(
              hotCalls.contains((int) f.line),
              "hot's line " + f.line + " is not a call " + hotCalls);
        }
        if (f.function.equals(COLD)) {
          assertTrue(
              coldCalls.contains((int) f.line),
              "cold's line " + f.line + " is not a call " + coldCalls);
        }
      }
    }
    assertTrue(checked > 0, "no demo frames");
    // Go sets system_name = name.
    v.profile
        .getFunctionList()
        .forEach(
            fn ->
                assertEquals(v.string(fn.getName()), v.string(fn.getSystemName()), "system_name"));
  }

  /**
   * Frames of classes with no class file of their own (the demo's lambda, a hidden class) get the
   * file of the class that defines them, or none: never a name made up from the hidden class's
   * address, such as {@code 0x00007f9b28001c00.java}.
   */
  @EveryJdk
  void lambdaFramesHaveTheHostFileOrNone(Jdk jdk) {
    ProfileView v = fetched(jdk).view();
    int lambdas = 0;
    for (Sample s : v.profile.getSampleList()) {
      for (ProfileView.Frame f : v.frames(s)) {
        if (f.function.startsWith("dev.jpprof.demo.Demo$$Lambda")) {
          lambdas++;
          assertTrue(f.file.equals("Demo.java") || f.file.isEmpty(), "file of " + f);
        }
      }
    }
    assertTrue(lambdas > 0, "no frame of the demo's Runnable lambda under cpuLoop");
  }

  /** Leaf first: unit ← hot ← cpuLoop. */
  @EveryJdk
  void stacksAreLeafFirst(Jdk jdk) {
    ProfileView v = fetched(jdk).view();
    int seen = 0;
    for (Sample s : v.profile.getSampleList()) {
      List<String> stack = v.stack(s);
      int hot = stack.indexOf(HOT);
      if (hot < 0) {
        continue;
      }
      seen++;
      int loop = stack.indexOf(DEMO + "cpuLoop");
      assertTrue(loop > hot, "cpuLoop must come after hot (leaf first): " + stack);
      int unit = stack.indexOf(UNIT);
      if (unit >= 0) {
        assertTrue(unit < hot, "unit must come before hot (leaf first): " + stack);
      }
    }
    assertTrue(seen > 0, "no sample in hot()");
  }

  @EveryJdk
  void everySampleHasAThreadLabel(Jdk jdk) {
    ProfileView v = fetched(jdk).view();
    for (Sample s : v.profile.getSampleList()) {
      List<String> threads = v.stringLabels(s, "thread");
      assertEquals(1, threads.size(), "thread labels " + threads + " on " + v.stack(s));
      assertFalse(threads.get(0).isEmpty(), "empty thread label");
      if (v.stack(s).contains(HOT) || v.stack(s).contains(COLD)) {
        assertEquals("demo-cpu", threads.get(0), "thread of " + v.stack(s));
      }
    }
  }

  @EveryJdk
  void goToolPprofReadsTheFile(Jdk jdk, @TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("cpu.pb.gz");
    Files.write(file, fetched(jdk).response.body());

    GoPprof.Result top = GoPprof.run(GO_TIMEOUT, "-top", file.toString());
    assertEquals(0, top.exitCode, top::toString);
    assertTrue(top.stdout.contains("Type: cpu"), top::toString);
    assertTrue(top.stdout.contains(HOT), top::toString);
    assertTrue(top.stdout.contains(COLD), top::toString);

    GoPprof.Result raw = GoPprof.run(GO_TIMEOUT, "-raw", file.toString());
    assertEquals(0, raw.exitCode, raw::toString);
    assertTrue(raw.stdout.contains("samples/count cpu/nanoseconds"), raw::toString);
    assertTrue(raw.stdout.contains(HOT + " Demo.java:"), raw::toString);
    assertTrue(raw.stdout.contains(COLD + " Demo.java:"), raw::toString);

    GoPprof.Result tags = GoPprof.run(GO_TIMEOUT, "-tags", file.toString());
    assertEquals(0, tags.exitCode, tags::toString);
    assertTrue(tags.stdout.contains("thread:"), tags::toString);
    assertTrue(tags.stdout.contains("demo-cpu"), tags::toString);
  }

  @EveryJdk
  void goToolPprofFetchesTheLiveUrl(Jdk jdk) {
    AgentJvm jvm = jvm(jdk);
    String url = jvm.url("/debug/pprof/profile?seconds=3");
    GoPprof.Result top = GoPprof.run(GO_TIMEOUT, "-top", url);
    assertEquals(0, top.exitCode, top::toString);
    assertTrue(top.stderr.contains("Fetching profile over HTTP from " + url), top::toString);
    assertTrue(top.stdout.contains("Type: cpu"), top::toString);
    assertTrue(top.stdout.contains("Duration: 3"), top::toString);
    assertTrue(top.stdout.contains(HOT), top::toString);
  }

  /** Once a profile has run, the index's extra paragraph names the engine the profile used. */
  @EveryJdk
  void indexNamesTheEngineOfTheProfile(Jdk jdk) {
    ProfileView v = fetched(jdk).view();
    String comment = String.join(" ", v.comments());
    java.util.regex.Matcher engine =
        java.util.regex.Pattern.compile("engine=([\\w-]+)").matcher(comment);
    assertTrue(engine.find(), "the profile's comment names no engine=: " + comment);
    String index = Http.get(jvm(jdk).port(), "/debug/pprof/").text();
    String paragraph = index.substring(index.indexOf("</ul>\n</p>\n") + 1);
    assertTrue(paragraph.contains("async-profiler"), "index: " + paragraph);
    assertTrue(paragraph.contains(engine.group(1)), engine.group(1) + " not in " + paragraph);
  }

  /** After profiling: nothing on stdout, and stderr still holds only the serving line. */
  @EveryJdk
  void childOutputStaysClean(Jdk jdk) {
    fetched(jdk);
    AgentJvm jvm = jvm(jdk);
    assertTrue(jvm.isAlive(), "the child died: " + jvm.describe());
    assertEquals("", new String(jvm.stdout(), UTF_8), "child stdout");
    List<String> stderr = new ArrayList<>(jvm.stderrLines());
    assertEquals(1, stderr.size(), "child stderr must be the serving line only: " + stderr);
    assertTrue(AgentJvm.SERVING.matcher(stderr.get(0)).matches(), stderr.get(0));
  }
}
