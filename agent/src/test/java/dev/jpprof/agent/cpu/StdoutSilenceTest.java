package dev.jpprof.agent.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jpprof.agent.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * async-profiler writes to file descriptor 1 from native code, which no System.setOut can catch:
 * only a child JVM whose stdout goes to a file shows whether anything was printed.
 */
class StdoutSilenceTest {
  @TempDir Path dir;

  @Test
  void profilingPrintsNothingOnStdout() throws Exception {
    ChildJvm.Exited r = run(ChildJvm.thisJava(), "jpprof");
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains("OK a="), r.stderr);
  }

  @Test
  void profilingPrintsNothingOnStdoutOnJdk25() throws Exception {
    Path jdk25 = ChildJvm.javaOf(ChildJvm.JDK25);
    assumeTrue(Files.isExecutable(jdk25), "no JDK 25 at " + jdk25);
    ChildJvm.Exited r = run(jdk25, "jpprof");
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains("OK a="), r.stderr);
  }

  @Test
  void exitingWithAWindowOpenLeavesNoFile() throws Exception {
    ChildJvm.Exited r = run(ChildJvm.thisJava(), "exit-open");
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    int at = r.stderr.indexOf("FILE ");
    assertTrue(at >= 0, r.stderr);
    Path file = Paths.get(r.stderr.substring(at + 5).trim());
    assertTrue(file.getFileName().toString().startsWith("jpprof-cpu-"), file.toString());
    assertFalse(Files.exists(file), "left behind: " + file);
  }

  @Test
  void harnessSeesUnquietedNativeOutput() throws Exception {
    ChildJvm.Exited r = run(ChildJvm.thisJava(), "control");
    assertTrue(r.stdout.contains("[WARN] Unknown argument: lines"), "stdout: " + r.stdout);
    assertTrue(r.stderr.contains("CONTROL DONE"), r.stderr);
  }

  private ChildJvm.Exited run(Path java, String mode) throws Exception {
    return ChildJvm.run(java, List.of(), SilentChild.class, dir, mode);
  }
}
