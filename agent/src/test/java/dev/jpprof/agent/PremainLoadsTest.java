package dev.jpprof.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.threads.ThreadsChild;
import dev.jpprof.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent must not load JMX, java.util.logging or JFR before a request needs them: an application
 * configures its logging after premain, and JMX and JFR cost start-up time.
 */
class PremainLoadsTest {
  @TempDir Path dir;

  @Test
  void jmxLoggingAndJfrWaitForTheFirstRequest() throws Exception {
    Path log = dir.resolve("classes.log");
    String classes;
    try (ChildJvm child =
        new ChildJvm(
            ChildJvm.JDK_HERE,
            dir,
            List.of("-Xlog:class+load=info:file=" + log),
            ThreadsChild.class,
            "2")) {
      // The server is up; the start thread installs the engines after it, then ends.
      Waits.await(
          Duration.ofSeconds(30),
          () -> !child.threadNames().contains("jpprof-start"),
          () -> "the agent's start thread still runs: " + child.threadNames());
      classes = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
      child.get("goroutine");
      child.get("trace?seconds=0.1");
    }
    assertFalse(classes.contains(" java.lang.management.ManagementFactory "), "JMX loaded");
    assertFalse(classes.contains(" java.util.logging.LogManager "), "JUL loaded");
    assertFalse(classes.contains(" jdk.jfr.Recording "), "JFR loaded");
    String after = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    assertTrue(after.contains(" java.lang.management.ManagementFactory "), "the log sees loads");
    assertTrue(after.contains(" jdk.jfr.Recording "), "the log sees loads");
  }
}
