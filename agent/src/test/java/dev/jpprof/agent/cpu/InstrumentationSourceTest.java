package dev.jpprof.agent.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes that only their own class loader can read (web apps, plugins, fat jars) get their file
 * and first lines through Instrumentation. Needs a real Instrumentation, hence a child JVM.
 */
class InstrumentationSourceTest {
  // A class whose source file is not named after it: the fallback name would be Isolated.java.
  private static final String SOURCE =
      String.join(
          "\n",
          "package iso;",
          "",
          "class Isolated {",
          "  static long burn(long cpuNanos) {",
          "    long s = 1;", // line 5: the smallest line of the LineNumberTable, burn's start_line
          "    java.lang.management.ThreadMXBean t =",
          "        java.lang.management.ManagementFactory.getThreadMXBean();",
          "    long end = t.getCurrentThreadCpuTime() + cpuNanos;",
          "    while (t.getCurrentThreadCpuTime() < end) {",
          "      for (int i = 0; i < 10000; i++) { s = s * 31 + (s >>> 5) + i; }",
          "    }",
          "    return s;",
          "  }",
          "}",
          "");

  @TempDir Path dir;

  @Test
  void findsClassFilesThroughTheirOwnLoader() throws Exception {
    Path src = dir.resolve("src/iso/Carrier.java");
    Files.createDirectories(src.getParent());
    Files.write(src, SOURCE.getBytes(StandardCharsets.UTF_8));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "-g", "-d", classes.toString(), src.toString()));

    Path agent = dir.resolve("agent.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", InstrumentedChild.class.getName());
    try (OutputStream out = new JarOutputStream(Files.newOutputStream(agent), manifest)) {
      // The premain class itself comes from -cp.
    }

    File err = dir.resolve("child.err").toFile();
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent,
                "-cp",
                System.getProperty("java.class.path"),
                InstrumentedChild.class.getName(),
                classes.toString())
            .redirectOutput(dir.resolve("child.out").toFile())
            .redirectError(err)
            .start();
    assertTrue(child.waitFor(180, TimeUnit.SECONDS), "child JVM did not finish");
    String log = new String(Files.readAllBytes(err.toPath()), StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), log);
    assertTrue(log.contains("lookup with inst: Carrier.java:5\n"), log);
    assertTrue(log.contains("lookup without: Isolated.java:0\n"), log);
    assertTrue(log.contains("profile: Carrier.java:5\n"), log);
  }
}
