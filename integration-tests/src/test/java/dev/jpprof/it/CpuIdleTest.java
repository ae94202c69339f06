package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.GoPprof;
import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cpu.idleTimeout}: async-profiler's session outlives a window by the idle timeout, so a
 * scraper's back-to-back windows reuse it, and then stops (its thread and temp file gone); the next
 * request starts it again. With the agent loaded at start and by attach.
 */
class CpuIdleTest {
  private static final Pattern SERVING =
      Pattern.compile("serving (http://[^ ]+:(\\d+)/debug/pprof/)");

  @EveryJdk
  void atStartTheSessionOutlivesWindowsThenStops(Jdk jdk, @TempDir Path tmp) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(List.of("-Djava.io.tmpdir=" + tmp))
            .agent("port=0,cpu.idleTimeout=3s")
            .main(AgentJvm.DEMO, AgentJvm.DEMO_SECONDS)
            .start()) {
      Path file = null;
      for (int i = 0; i < 3; i++) { // back to back, as Parca asks
        profile(jvm.port());
        List<Path> files = sessionFiles(tmp);
        assertEquals(1, files.size(), "one session file between windows: " + files);
        if (file != null) {
          assertEquals(file, files.get(0), "the session was restarted between windows");
        }
        file = files.get(0);
        assertTrue(
            profilerThreads(jvm) > 0,
            "async-profiler stopped between windows: " + jvm.threadNames());
      }
      assertTrue(
          await(() -> sessionFiles(tmp).isEmpty() && profilerThreads(jvm) == 0, 20_000),
          "the idle session did not stop: " + sessionFiles(tmp) + " " + jvm.threadNames());
      // Started again, as the real client sees it.
      GoPprof.Result r =
          GoPprof.run(Duration.ofSeconds(60), "-top", jvm.url("/debug/pprof/profile?seconds=2"));
      assertEquals(0, r.exitCode, r::toString);
      assertTrue(r.stdout.contains("dev.jpprof.demo.Demo"), r::toString);
      assertTrue(jvm.isAlive(), jvm::describe);
    }
  }

  @EveryJdk
  void afterAttachTheIdleTimeoutStopsTheSession(Jdk jdk, @TempDir Path tmp) throws Exception {
    List<String> target =
        new ArrayList<>(List.of(jdk.java().toString(), "-Djava.io.tmpdir=" + tmp));
    target.addAll(jdk.agentFlags());
    if (jdk.feature() >= 21) {
      target.add("-XX:+EnableDynamicAgentLoading");
    }
    target.addAll(
        List.of("-Xmx64m", "-cp", AgentJvm.demoClasses().toString(), AgentJvm.DEMO, "120"));
    Process app =
        new ProcessBuilder(target)
            .redirectOutput(tmp.resolve("out").toFile())
            .redirectError(tmp.resolve("err").toFile())
            .start();
    try {
      AttachTest.Result attached = null;
      for (int i = 0; i < 50 && (attached == null || attached.code != 0); i++) {
        Thread.sleep(200); // the attach listener answers once the JVM is up
        attached = AttachTest.attach(jdk, app.pid(), "port=0,cpu.idleTimeout=1s");
      }
      assertEquals(0, attached.code, attached.text);
      Matcher m = SERVING.matcher(attached.text);
      assertTrue(m.find(), attached.text);
      int port = Integer.parseInt(m.group(2));

      profile(port);
      assertEquals(1, sessionFiles(tmp).size(), "the session outlives the window");
      assertTrue(
          await(() -> sessionFiles(tmp).isEmpty(), 20_000),
          "the idle session did not stop: " + sessionFiles(tmp));
      profile(port);
      assertTrue(app.isAlive(), "the application runs on");
    } finally {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void profile(int port) throws IOException {
    Http.Response r = Http.get(port, "/debug/pprof/profile?seconds=1");
    assertEquals(200, r.status(), r::text);
    ProfileView.parse(r.body()).assertGoConventions();
  }

  private static List<Path> sessionFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found = new ArrayList<>();
      files.filter(f -> f.getFileName().toString().startsWith("jpprof-cpu-")).forEach(found::add);
      return found;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long profilerThreads(AgentJvm jvm) {
    return jvm.threadNames().stream().filter(n -> n.startsWith("Async-profiler")).count();
  }

  private static boolean await(BooleanSupplier condition, long millis) {
    return Waits.until(java.time.Duration.ofMillis(millis), condition);
  }
}
