package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Prometheus client is loaded at the first /metrics request, not before: a JVM whose /metrics
 * is never asked for never loads a class of it. And even then no platform MBeanServer is created
 * (it would initialise java.util.logging; see LogManagerTest for the application's view). Seen
 * through the JVM's own class-loading log.
 */
class MetricsLazyTest {
  private static final String CLIENT = "dev.jpprof.shaded.io.prometheus.";
  private static final String PROPERTIES =
      "dev.jpprof.shaded.io.prometheus.metrics.config.PrometheusProperties ";
  private static final String MBEAN_SERVER = "com.sun.jmx.mbeanserver.JmxMBeanServer ";
  private static final String LOG_MANAGER = "java.util.logging.LogManager ";

  @EveryJdk
  void theClientLoadsAtTheFirstRequestAndNoMBeanServerEver(Jdk jdk) throws Exception {
    Path dir = Files.createTempDirectory("jpprof-lazy");
    Path log = dir.resolve("classes.log");
    try (AgentJvm jvm =
        AgentJvm.on(jdk).options(List.of("-Xlog:class+load=info:file=" + log)).demo().start()) {
      for (String target :
          List.of(
              "/debug/pprof/",
              "/debug/vars",
              "/debug/pprof/heap",
              "/debug/pprof/goroutine?debug=1")) {
        assertEquals(200, Http.get(jvm.port(), target).status(), target);
      }
      String before = Files.readString(log);
      assertFalse(before.contains(CLIENT), "no Prometheus class before /metrics");

      assertEquals(200, Http.get(jvm.port(), "/metrics").status());
      assertEquals(200, Http.get(jvm.port(), "/metrics").status());
      String after = Files.readString(log);
      assertTrue(after.contains(PROPERTIES), "the client loaded at the first request");
      assertFalse(after.contains(MBEAN_SERVER), "no platform MBeanServer");
      assertFalse(after.contains(LOG_MANAGER), "java.util.logging not even loaded");
      assertEquals(0, jvm.stdout().length, "nothing on stdout");
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve("classes.log"));
    Files.deleteIfExists(dir);
  }
}
