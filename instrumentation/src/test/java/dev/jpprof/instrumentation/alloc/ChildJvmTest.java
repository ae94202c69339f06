package dev.jpprof.instrumentation.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.alloc.ChildMain;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import net.bytebuddy.agent.builder.AgentBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine started from premain in a fresh JVM, on JDK 17 and JDK 25 (also with compact object
 * headers): it must print nothing (no CDS or Unsafe warning), sample a 75/25 split, charge a
 * HashMap's growth to the app method, transform every class it tries, and count a retained set in
 * use until it is released.
 */
class ChildJvmTest {
  @TempDir static Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"17", "25", "25-compact"})
  void premainScenarioOnEachJdk(String jdk) throws Exception {
    Map<String, String> out = run(jdk, "scenario");
    assertEquals(75, Double.parseDouble(out.get("shareA")), 5, out.toString());
    assertEquals("true", out.get("mapUnderApp"), out.toString());
    assertEquals("0", out.get("failedTransforms"), out.toString());
    if (jdk.equals("25-compact")) {
      assertTrue(out.get("layout").startsWith("header=8_"), out.get("layout"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25", "25-compact"})
  void retainedBytesAreInUseUntilReleasedOnEachJdk(String jdk) throws Exception {
    Map<String, String> out = run(jdk, "inuse", "65536");
    double retained = Double.parseDouble(out.get("retainedBytes"));
    assertEquals(
        retained, Double.parseDouble(out.get("inuseRetained")), retained * 0.10, out.toString());
    assertTrue(Double.parseDouble(out.get("inuseReleased")) < retained * 0.02, out.toString());
  }

  /** Runs {@link ChildMain} with the agent; fails on any output that is not key=value. */
  static Map<String, String> run(String jdk, String mode) throws Exception {
    return run(jdk, mode, "");
  }

  /** Runs {@link ChildMain} with the agent at {@code rate} (empty: the default). */
  static Map<String, String> run(String jdk, String mode, String rate) throws Exception {
    String home =
        jdk.startsWith("25") ? System.getProperty("jdk25.home") : System.getProperty("java.home");
    assertTrue(new File(home, "bin/java").canExecute(), "no JDK at " + home);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                home + "/bin/java",
                "-Xmx1g",
                "-javaagent:" + agentJar() + (rate.isEmpty() ? "" : "=" + rate)));
    if (jdk.endsWith("-compact")) {
      cmd.add("-XX:+UseCompactObjectHeaders");
    }
    cmd.addAll(List.of("-cp", classPath(), ChildMain.class.getName(), mode));
    Path stdout = dir.resolve(jdk + mode + ".out");
    Path stderr = dir.resolve(jdk + mode + ".err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
    String err = Files.readString(stderr);
    String text = Files.readString(stdout);
    assertEquals(0, p.exitValue(), text + err);
    assertEquals("", err, "the agent must print nothing on stderr");
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] kv = line.split("=", 2);
      assertEquals(2, kv.length, "unexpected output line: " + line);
      values.put(kv[0], kv[1]);
    }
    return values;
  }

  private static String classPath() {
    return String.join(
        File.pathSeparator,
        location(ChildMain.class),
        location(AllocSampler.class),
        location(AgentBuilder.class));
  }

  private static String location(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation().getPath();
  }

  private static synchronized String agentJar() throws IOException {
    Path jar = dir.resolve("agent.jar");
    if (!Files.exists(jar)) {
      Manifest m = new Manifest();
      Attributes a = m.getMainAttributes();
      a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
      a.putValue("Premain-Class", TestPremain.class.getName());
      a.putValue("Can-Retransform-Classes", "true");
      a.putValue("Can-Redefine-Classes", "true");
      try (OutputStream os = Files.newOutputStream(jar);
          JarOutputStream j = new JarOutputStream(os, m)) {
        j.flush();
      }
    }
    return jar.toString();
  }
}
