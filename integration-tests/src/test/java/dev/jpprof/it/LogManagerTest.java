package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.Waits;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An application that installs its own java.util.logging manager after start (as WildFly does)
 * still gets it, even after the agent has served every endpoint, /metrics included: nothing the
 * agent does (JMX, System.Logger, JFR, thread dumps, the Prometheus client's JVM metrics) may
 * initialise JUL first, or LogManager would be the JDK's and the application's logging would be
 * lost. On JDK 25 (run with the flag the README names) the whole run prints no WARNING either.
 */
class LogManagerTest {
  @EveryJdk
  void theApplicationsLogManagerWinsAfterEveryEndpoint(Jdk jdk) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk).agent("port=0").main("dev.jpprof.demo.LateLogManager").start()) {
      int requests = Endpoints.requestAll(jvm);
      System.out.printf("LogManagerTest %s: %d requests before install%n", jdk, requests);
      String answer = jvm.ask("install", "logmanager ");
      assertTrue(
          answer.startsWith("logmanager dev.jpprof.demo.AppLogManager loggers-added "),
          "the application's manager, not the JDK's: " + answer + "; " + jvm.describe());
      assertTrue(
          Integer.parseInt(answer.substring(answer.lastIndexOf(' ') + 1)) > 0,
          "loggers go through the application's manager: " + answer);
      Waits.until(
          Duration.ofSeconds(5),
          () -> jvm.stderrLines().contains("applog: INFO hello from the application"));
      assertTrue(
          jvm.stderrLines().contains("applog: INFO hello from the application"), jvm.describe());
      // The agent still serves after the switch.
      assertEquals(200, Http.get(jvm.port(), "/debug/pprof/goroutine?debug=2").status());
      List<String> warnings =
          jvm.stderrLines().stream()
              .filter(l -> l.contains("WARNING"))
              .collect(Collectors.toList());
      assertEquals(
          List.of(), warnings, "no warnings with " + jdk.agentFlags() + "; " + jvm.describe());
      assertEquals(0, jvm.stdout().length, "nothing on stdout");
    }
  }
}
