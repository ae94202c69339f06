package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On JDK 25 the agent causes no warning when the application's JVM has the flags the README names,
 * and without them exactly the warnings the README quotes, through a CPU profile, a heap profile
 * and a goroutine dump, at startup and by attach.
 */
class Jdk25WarningsTest {
  /** The README's lines; {@code <jar>} stands for the agent jar's URL path. */
  static final List<String> NATIVE_ACCESS =
      List.of(
          "WARNING: A restricted method in java.lang.System has been called",
          "WARNING: java.lang.System::load has been called by dev.jpprof.agent.heap.NativeHeap in an unnamed module (file:<jar>)",
          "WARNING: Use --enable-native-access=ALL-UNNAMED to avoid a warning for callers in this module",
          "WARNING: Restricted methods will be blocked in a future release unless native access is enabled");

  static final List<String> DYNAMIC_AGENT =
      List.of(
          "WARNING: A Java agent has been loaded dynamically (<jar>)",
          "WARNING: If a serviceability tool is in use, please run with -XX:+EnableDynamicAgentLoading to hide this warning",
          "WARNING: If a serviceability tool is not in use, please run with -Djdk.instrument.traceUsage for more information",
          "WARNING: Dynamic loading of agents will be disallowed by default in a future release");
  private static final String BUSY = "dev.jpprof.demo.Busy";

  @TempDir Path dir;

  private static Jdk jdk25() {
    Jdk jdk = Jdk.all().get(1);
    assertEquals(25, jdk.feature(), "jpprof.jdk25 must be a JDK 25");
    return jdk;
  }

  @Test
  void withTheReadmesFlagNothingIsPrinted() throws Exception {
    try (AgentJvm jvm = AgentJvm.on(jdk25()).agent("port=0").main(BUSY).start()) {
      requests(jvm.port());
      assertEquals(List.of(), warnings(jvm.stderrLines()), jvm.describe());
    }
  }

  @Test
  void withoutItExactlyTheNativeAccessWarning() throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk25())
            .withoutAgentFlags()
            .agent("port=0")
            .application(List.of("-cp", AgentJvm.demoClasses().toString(), BUSY))
            .start()) {
      requests(jvm.port());
      assertEquals(NATIVE_ACCESS, warnings(jvm.stderrLines()), jvm.describe());
    }
  }

  @Test
  void attachWithBothFlagsPrintsNothingAndWithoutThemExactlyTheTwoWarnings() throws Exception {
    assertEquals(
        List.of(),
        attachAndRequest(
            List.of("--enable-native-access=ALL-UNNAMED", "-XX:+EnableDynamicAgentLoading"),
            "flags"));
    List<String> both = new ArrayList<>(DYNAMIC_AGENT);
    both.addAll(NATIVE_ACCESS);
    assertEquals(both, attachAndRequest(List.of(), "bare"));
  }

  /** Starts Busy with {@code flags}, attaches, requests; returns its warnings (normalized). */
  private List<String> attachAndRequest(List<String> flags, String name) throws Exception {
    Jdk jdk = jdk25();
    List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
    cmd.addAll(flags);
    cmd.addAll(List.of("-Xmx64m", "-cp", AgentJvm.demoClasses().toString(), BUSY));
    Path err = dir.resolve(name + ".err");
    Process app =
        new ProcessBuilder(cmd)
            .redirectError(err.toFile())
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .start();
    try {
      Thread.sleep(500); // the attach listener answers once the JVM is up
      AttachTest.Result r = AttachTest.attach(jdk, app.pid(), "port=0");
      assertEquals(0, r.code, r.text);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)/").matcher(r.text);
      assertTrue(m.find(), r.text);
      requests(Integer.parseInt(m.group(1)));
      assertTrue(app.isAlive());
      return warnings(Files.readAllLines(err));
    } finally {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A CPU profile (loads async-profiler), heap and a goroutine dump: all 200. */
  private static void requests(int port) {
    for (String target :
        List.of(
            "/debug/pprof/profile?seconds=1",
            "/debug/pprof/heap",
            "/debug/pprof/goroutine?debug=2")) {
      assertEquals(200, Http.get(port, target).status(), target);
    }
  }

  /** The WARNING lines, with the agent jar's path replaced by {@code <jar>}. */
  private static List<String> warnings(List<String> stderr) {
    String jar = AgentJvm.agentJar().toString();
    return stderr.stream()
        .filter(l -> l.contains("WARNING"))
        .map(
            l ->
                l.replace(jar, "<jar>")
                    .replace(AgentJvm.agentJar().normalize().toString(), "<jar>"))
        .collect(Collectors.toList());
  }
}
