package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What profiler.jar holds: every bundled library's classes relocated under dev.jpprof.shaded (the
 * Prometheus client's too), none left at its own name where an application's copy would clash with
 * it, and no service file naming an unrelocated class.
 */
class AgentJarTest {
  /** Where classes may be: ours and the relocated libraries, and async-profiler's Java API. */
  private static final List<String> CLASS_ROOTS = List.of("dev/jpprof/", "one/profiler/");

  /** A class of each bundled Prometheus module, at its relocated name. */
  private static final List<String> PROMETHEUS =
      List.of(
          "dev/jpprof/shaded/io/prometheus/metrics/core/metrics/Counter.class",
          "dev/jpprof/shaded/io/prometheus/metrics/model/registry/PrometheusRegistry.class",
          "dev/jpprof/shaded/io/prometheus/metrics/config/PrometheusProperties.class",
          "dev/jpprof/shaded/io/prometheus/metrics/instrumentation/jvm/JvmMemoryMetrics.class",
          "dev/jpprof/shaded/io/prometheus/metrics/expositionformats/PrometheusTextFormatWriter.class");

  @Test
  void everyClassIsOursOrRelocated() throws IOException {
    List<String> stray = new ArrayList<>();
    try (ZipFile jar = new ZipFile(AgentJvm.agentJar().toFile())) {
      for (ZipEntry e : Collections.list(jar.entries())) {
        String name = e.getName();
        if (name.endsWith(".class") && CLASS_ROOTS.stream().noneMatch(name::startsWith)) {
          stray.add(name);
        }
      }
    }
    assertEquals(List.of(), stray, "classes outside " + CLASS_ROOTS);
  }

  @Test
  void thePrometheusClientIsBundledRelocated() throws IOException {
    try (ZipFile jar = new ZipFile(AgentJvm.agentJar().toFile())) {
      for (String name : PROMETHEUS) {
        assertTrue(jar.getEntry(name) != null, name);
      }
      // The agent's own loader (reading no configuration) replaced the client's, relocated too.
      assertTrue(
          jar.getEntry(
                  "dev/jpprof/shaded/io/prometheus/metrics/config/PrometheusPropertiesLoader.class")
              != null);
      assertEquals(
          0,
          Collections.list(jar.entries()).stream()
              .filter(e -> e.getName().startsWith("io/prometheus/"))
              .count(),
          "nothing of the client at its own name");
    }
  }

  /**
   * A provider may serve another library's interface (Netty registers itself with BlockHound's),
   * but what it names must be a relocated class.
   */
  @Test
  void serviceFilesNameOnlyRelocatedClasses() throws IOException {
    List<String> stray = new ArrayList<>();
    try (ZipFile jar = new ZipFile(AgentJvm.agentJar().toFile())) {
      for (ZipEntry e : Collections.list(jar.entries())) {
        if (!e.getName().startsWith("META-INF/services/") || e.isDirectory()) {
          continue;
        }
        try (InputStream in = jar.getInputStream(e)) {
          for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
            String impl = line.replaceAll("#.*", "").trim();
            if (!impl.isEmpty() && !impl.startsWith("dev.jpprof.")) {
              stray.add(e.getName() + ": " + impl);
            }
          }
        }
      }
    }
    assertEquals(List.of(), stray, "service files naming classes outside dev.jpprof");
  }
}
