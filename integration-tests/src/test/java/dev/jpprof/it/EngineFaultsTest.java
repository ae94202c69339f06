package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ways async-profiler cannot run on a real host, each forced for real in a child JVM: a
 * platform it has no library for (os.arch, which its loader reads), a temp dir mounted noexec (a
 * tmpfs mounted for the test; the library extracts but cannot be mapped), and perf_events denied
 * (the child runs as nobody with perf_event_paranoid 2). The application runs on, a CPU profile is
 * served by the engine that really runs, and the index page and the profile comment both name that
 * engine. The agent-module tests (CpuFallbackTest) cover the other load failures with the same code
 * path; these are the ones that need a real host setting.
 */
class EngineFaultsTest {
  /** Work JDK 17's JFR sampler can see (it misses the Demo's bare arithmetic loop). */
  private static final String BUSY = "dev.jpprof.demo.Busy";

  private static final Pattern ENGINE = Pattern.compile("jpprof CPU engine: ([^<]*)<br>");

  @Test
  void unsupportedPlatformServesJfr() throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(Jdk.all().get(0))
            .options(List.of("-Dos.arch=sparc"))
            .agent("port=0")
            .main(BUSY)
            .start()) {
      String comment = profileComment(jvm);
      assertEquals("jpprof cpu: jfr ExecutionSample interval=10ms", comment);
      assertTrue(
          engineLine(jvm)
              .startsWith(
                  "JFR execution samples, interval 10ms (async-profiler"
                      + " unavailable: async-profiler failed to load: java.lang.UnsupportedOperationException:"
                      + " Unsupported platform: linux-sparc)"),
          engineLine(jvm));
      assertAppRunsOn(jvm);
    }
  }

  @Test
  void noexecTempDirServesJfr() throws Exception {
    Path mount = Files.createTempDirectory("jpprof-noexec");
    run("mount", "-t", "tmpfs", "-o", "noexec,size=64m", "tmpfs", mount.toString());
    try {
      assertTrue(run("mount").contains(mount + " type tmpfs (rw,noexec"), "mounted noexec");
      try (AgentJvm jvm =
          AgentJvm.on(Jdk.all().get(0))
              .options(List.of("-Djava.io.tmpdir=" + mount))
              .agent("port=0")
              .main(BUSY)
              .start()) {
        assertEquals("jpprof cpu: jfr ExecutionSample interval=10ms", profileComment(jvm));
        String engine = engineLine(jvm);
        assertTrue(
            engine.startsWith(
                "JFR execution samples, interval 10ms (async-profiler"
                    + " unavailable: async-profiler failed to load: java.lang.UnsatisfiedLinkError: "
                    + mount),
            engine);
        assertTrue(engine.contains("failed to map segment from shared object"), engine);
        assertAppRunsOn(jvm);
      }
    } finally {
      run("umount", mount.toString());
      Files.deleteIfExists(mount);
    }
  }

  /**
   * perf_events need CAP_PERFMON (or root) at perf_event_paranoid 2; as nobody, async-profiler
   * falls back from event cpu to a timer. The engine named must be the one that runs, not "cpu".
   */
  @Test
  void perfEventsDeniedNamesTheTimerEngine() throws Exception {
    assertEquals(
        "2",
        Files.readString(Paths.get("/proc/sys/kernel/perf_event_paranoid")).trim(),
        "this test needs perf_event_paranoid 2, as on the CI host");
    // setpriv execs java in the same process (runuser would fork), so the pid is the JVM's.
    List<String> asNobody =
        List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
    try (AgentJvm jvm =
        AgentJvm.on(Jdk.all().get(0))
            .prefix(asNobody)
            .agent("port=0")
            .application(List.of("-cp", AgentJvm.demoClasses().toString(), BUSY))
            .start()) {
      assertEquals("nobody", run("ps", "-o", "user=", "-p", Long.toString(jvm.pid())).trim());
      String comment = profileComment(jvm);
      Matcher m =
          Pattern.compile(
                  "jpprof cpu: async-profiler [\\d.]+ event=cpu engine=(\\w+) interval=10ms")
              .matcher(comment);
      assertTrue(m.matches(), comment);
      String engine = m.group(1);
      assertFalse(engine.equals("perf_events"), "perf_events cannot run as nobody: " + comment);
      assertTrue(engine.equals("itimer") || engine.equals("ctimer"), comment);
      assertTrue(
          engineLine(jvm)
              .startsWith(
                  "async-profiler "
                      + comment.split(" ")[3]
                      + ", event cpu via "
                      + engine
                      + ", interval 10ms"),
          engineLine(jvm));
      assertAppRunsOn(jvm);
    }
  }

  /** A 2 s CPU profile: 200, valid, with samples in the application's work; returns its comment. */
  private static String profileComment(AgentJvm jvm) {
    Http.Response r = Http.get(jvm.port(), "/debug/pprof/profile?seconds=2");
    assertEquals(200, r.status(), r::text);
    ProfileView p = ProfileView.parse(r.body());
    p.assertGoConventions();
    assertTrue(
        p.sumWhereStackContains("dev.jpprof.demo.Busy.work", 0) > 0,
        "no samples of the application's work: " + p);
    assertEquals(1, p.comments().size(), p.comments().toString());
    return p.comments().get(0);
  }

  private static String engineLine(AgentJvm jvm) {
    String index = Http.get(jvm.port(), "/debug/pprof/").text();
    Matcher m = ENGINE.matcher(index);
    assertTrue(m.find(), index);
    return m.group(1).replace("&#39;", "'");
  }

  private static void assertAppRunsOn(AgentJvm jvm) throws InterruptedException {
    jvm.awaitDemoWorking(() -> "the application keeps working; " + jvm.describe());
    assertEquals(0, jvm.stdout().length, "nothing on stdout");
  }

  /** Runs a host command, failing on a non-zero exit; returns its output. */
  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " hangs");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }
}
