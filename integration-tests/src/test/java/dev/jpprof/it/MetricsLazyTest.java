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
 * is never asked for never loads a class of it. And even then no platform MBeanServer is created,
 * and java.util.logging's LogManager is not initialised (see LogManagerTest for the application's
 * view). Seen through the JVM's own class loading and initialisation log. (LogManager's class is
 * loaded, uninitialised, by any ManagementFactory getter, /debug/vars' too: the JDK's platform
 * MXBean list checks that java.logging is present.)
 */
class MetricsLazyTest {
  /** A class-load line of any class of the client. */
  private static final String CLIENT = "dev.jpprof.shaded.io.prometheus.";

  /** Class-init lines (-Xlog:class+init). */
  private static final String PROPERTIES =
      "Initializing 'dev/jpprof/shaded/io/prometheus/metrics/config/PrometheusProperties'";

  private static final String MBEAN_SERVER =
      "Initializing 'com/sun/jmx/mbeanserver/JmxMBeanServer'";
  private static final String LOG_MANAGER = "Initializing 'java/util/logging/LogManager'";

  @EveryJdk
  void theClientLoadsAtTheFirstRequestAndNoMBeanServerEver(Jdk jdk) throws Exception {
    Path dir = Files.createTempDirectory("jpprof-lazy");
    Path log = dir.resolve("classes.log");
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(List.of("-Xlog:class+load=info,class+init=info:file=" + log))
            .demo()
            .start()) {
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
      assertTrue(after.contains(PROPERTIES), "the client initialised at the first request");
      assertFalse(after.contains(MBEAN_SERVER), "no platform MBeanServer");
      assertFalse(after.contains(LOG_MANAGER), "java.util.logging's LogManager not initialised");
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
