package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.GoPprof;
import dev.jpprof.testing.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;

/**
 * An application that bundles its own Netty 4.1, protobuf-java 3 and Byte Buddy 1.14
 * (src/isolation, compiled here against the jars the build copies to target/isolation-libs) runs
 * with the agent exactly as without it: the same versions, the same jars, the same results from
 * each library, while the agent serves CPU, heap and goroutine profiles that go tool pprof reads
 * and that show the application's own frames.
 */
class IsolationTest {
  private static final String MAIN = "isoapp.IsolatedApp";
  private static String classPath;

  @BeforeAll
  static void compileTheApplication() throws IOException {
    Path libs = Paths.get(System.getProperty("jpprof.isolationLibs"));
    Path sources = Paths.get(System.getProperty("jpprof.isolationSources"));
    List<String> jars;
    try (Stream<Path> files = Files.list(libs)) {
      jars =
          files
              .map(Path::toString)
              .filter(f -> f.endsWith(".jar"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertEquals(10, jars.size(), "the build copies the app's ten jars to " + libs + ": " + jars);
    Path classes = libs.resolveSibling("isolation-app");
    Files.createDirectories(classes);
    List<String> args =
        new ArrayList<>(
            List.of("--release", "11", "-d", classes.toString(), "-cp", String.join(":", jars)));
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "javac " + args);
    classPath = classes + ":" + String.join(":", jars);
  }

  @EveryJdk
  void theApplicationSeesOnlyItsOwnLibraries(Jdk jdk) throws Exception {
    List<String> without = withoutAgent(jdk);
    assertTrue(without.contains("netty jar netty-common-4.1.118.Final.jar"), without.toString());
    assertTrue(without.contains("protobuf version 3.25.5"), without.toString());
    assertTrue(without.contains("bytebuddy version 1.14.18"), without.toString());
    assertTrue(without.contains("netty http HTTP/1.1 200 OK / hello /app"), without.toString());
    assertTrue(
        without.contains("bytebuddy isoapp.Generated: made by the app's Byte Buddy"),
        without.toString());

    try (AgentJvm jvm =
        AgentJvm.on(jdk).agent("port=0").application(List.of("-cp", classPath, MAIN)).start()) {
      List<String> with = linesUntilReady(jvm);
      assertEquals(without, with, "the same with the agent; " + jvm.describe());
      assertTrue(
          with.get(0).startsWith("netty versions {") && !with.get(0).contains("4.2."),
          "Netty's Version.identify() sees only the app's Netty: " + with.get(0));

      String cpu = raw(jvm, "/debug/pprof/profile?seconds=1");
      assertTrue(cpu.contains("isoapp.IsolatedApp.main"), cpu);
      assertTrue(
          raw(jvm, "/debug/pprof/allocs").contains("isoapp.IsolatedApp"),
          "allocation sites in the app");
      assertTrue(
          raw(jvm, "/debug/pprof/goroutine").contains("isoapp.IsolatedApp.main"),
          "the app's main thread");
      List<String> agentLines =
          jvm.stderrLines().stream()
              .filter(l -> l.startsWith("jpprof:"))
              .collect(Collectors.toList());
      assertEquals(1, agentLines.size(), "the serving line only: " + jvm.describe());
    }
  }

  /** {@code go tool pprof -raw} of the child's URL: it must read the profile. */
  private static String raw(AgentJvm jvm, String path) {
    GoPprof.Result r = GoPprof.run(Duration.ofSeconds(60), "-raw", jvm.url(path));
    assertEquals(0, r.exitCode, r::toString);
    return r.stdout;
  }

  private static List<String> withoutAgent(Jdk jdk) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
    cmd.addAll(jdk.agentFlags());
    cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-cp", classPath, MAIN));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8))) {
      List<String> lines = new ArrayList<>();
      for (String line = r.readLine(); line != null && !line.equals("ready"); line = r.readLine()) {
        lines.add(line);
      }
      return lines;
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> linesUntilReady(AgentJvm jvm) throws InterruptedException {
    Waits.await(
        java.time.Duration.ofSeconds(30),
        () -> List.of(new String(jvm.stdout(), UTF_8).split("\n")).contains("ready"),
        () -> "no ready line; " + jvm.describe());
    List<String> lines = List.of(new String(jvm.stdout(), UTF_8).split("\n"));
    return lines.subList(0, lines.indexOf("ready"));
  }
}
