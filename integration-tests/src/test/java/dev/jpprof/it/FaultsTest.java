package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.Waits;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Faults around the server, in real child JVMs: a port another process holds (given up with one
 * line, or retried with bindRetries), and an application whose main returns while a profile is
 * being taken, which must exit as it would without the agent.
 */
class FaultsTest {
  @EveryJdk
  void aPortInUseIsOneLineAndTheAppRunsOn(Jdk jdk) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        AgentJvm jvm =
            AgentJvm.on(jdk)
                .agent("port=" + taken.getLocalPort())
                .main(AgentJvm.DEMO, "60", "--stdin")
                .launch()) {
      String line = jvm.awaitRefusal();
      assertTrue(
          line.startsWith("jpprof: not serving: port " + taken.getLocalPort() + " is in use"),
          line);
      jvm.awaitDemoWorking(() -> "the application keeps working");
      assertEquals(List.of(line), agentLines(jvm), "exactly one agent line");
      assertEquals(0, jvm.stdout().length, "nothing on stdout");
    }
  }

  @EveryJdk
  void bindRetriesServesOnceThePortIsFree(Jdk jdk) throws Exception {
    ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    int port = taken.getLocalPort();
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("port=" + port + ",bindRetries=20")
            .main(AgentJvm.DEMO, "60")
            .launch()) {
      String line = jvm.awaitRefusal();
      assertTrue(line.contains("port " + port + " is in use") && line.contains("retrying"), line);
      taken.close(); // the old process goes away
      assertEquals(port, jvm.awaitPort(Duration.ofSeconds(15)));
      assertEquals(200, Http.get(port, "/debug/pprof/cmdline").status());
      assertEquals(
          2, agentLines(jvm).size(), "the retry line and the serving line: " + agentLines(jvm));
    } finally {
      taken.close();
    }
  }

  /** Agent threads are daemons: main returns during a 30 s profile and the JVM exits at once. */
  @EveryJdk
  void mainReturningEndsTheJvmDuringAProfile(Jdk jdk) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort();
    }
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("port=" + port)
            .main("dev.jpprof.demo.SelfProfile", Integer.toString(port))
            .launch()) {
      Waits.until(Duration.ofSeconds(20), () -> jvm.stderrLines().contains("main returns"));
      List<String> stderr = jvm.stderrLines();
      assertTrue(stderr.contains("main returns"), "main did not run to its end: " + jvm.describe());
      assertTrue(stderr.stream().anyMatch(l -> l.startsWith("jpprof: serving")), stderr.toString());
      assertTrue(
          jvm.awaitExit(Duration.ofSeconds(5)),
          "still running 5 s after main returned, 25 s before the profile's end: "
              + jvm.describe());
    }
  }

  private static List<String> agentLines(AgentJvm jvm) {
    return jvm.stderrLines().stream()
        .filter(l -> l.startsWith("jpprof:"))
        .collect(Collectors.toList());
  }
}
