package dev.jpprof.agent.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * async-profiler writes to file descriptor 1 from native code, which no System.setOut can catch:
 * only a child JVM whose stdout goes to a file shows whether anything was printed.
 */
class StdoutSilenceTest {
  private static final Path JDK25 =
      Paths.get(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  @TempDir Path dir;

  @Test
  void profilingPrintsNothingOnStdout() throws Exception {
    Result r = run(javaOf(Paths.get(System.getProperty("java.home"))), "jpprof");
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains("OK a="), r.stderr);
  }

  @Test
  void profilingPrintsNothingOnStdoutOnJdk25() throws Exception {
    assumeTrue(Files.isExecutable(javaOf(JDK25)), "no JDK 25 at " + JDK25);
    Result r = run(javaOf(JDK25), "jpprof");
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains("OK a="), r.stderr);
  }

  @Test
  void exitingWithAWindowOpenLeavesNoFile() throws Exception {
    Result r = run(javaOf(Paths.get(System.getProperty("java.home"))), "exit-open");
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    int at = r.stderr.indexOf("FILE ");
    assertTrue(at >= 0, r.stderr);
    Path file = Paths.get(r.stderr.substring(at + 5).trim());
    assertTrue(file.getFileName().toString().startsWith("jpprof-cpu-"), file.toString());
    assertFalse(Files.exists(file), "left behind: " + file);
  }

  @Test
  void harnessSeesUnquietedNativeOutput() throws Exception {
    Result r = run(javaOf(Paths.get(System.getProperty("java.home"))), "control");
    assertTrue(r.stdout.contains("[WARN] Unknown argument: lines"), "stdout: " + r.stdout);
    assertTrue(r.stderr.contains("CONTROL DONE"), r.stderr);
  }

  private static Path javaOf(Path home) {
    return home.resolve("bin").resolve("java");
  }

  private Result run(Path java, String mode) throws Exception {
    File out = dir.resolve(mode + ".out").toFile();
    File err = dir.resolve(mode + ".err").toFile();
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SilentChild.class.getName(),
                mode)
            .redirectOutput(out)
            .redirectError(err)
            .start();
    // Generous: it takes 2 s alone, but the build machine is shared and sometimes overloaded.
    if (!child.waitFor(180, TimeUnit.SECONDS)) {
      String threads = threadDump(java, child.pid());
      child.destroyForcibly();
      throw new AssertionError("child JVM did not finish in 180 s; its threads:\n" + threads);
    }
    Result r =
        new Result(
            new String(Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8),
            new String(Files.readAllBytes(err.toPath()), StandardCharsets.UTF_8));
    assertEquals(0, child.exitValue(), "child exit; stderr: " + r.stderr);
    return r;
  }

  private static String threadDump(Path java, long pid) throws Exception {
    Path jcmd = java.resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
        .redirectErrorStream(true)
        .start();
    String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return dump;
  }

  private static final class Result {
    final String stdout;
    final String stderr;

    Result(String stdout, String stderr) {
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }
}
