package dev.jpprof.agent.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a child JVM with its stdout and stderr in files:
 * native code writes to file descriptor 1, which no System.setOut can catch, and faults such as an
 * unusable temp directory or a profiler someone else started must not leak into this JVM.
 */
final class ChildJvm {
  static final Path JDK25 =
      Paths.get(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  final String stdout;
  final String stderr;

  private ChildJvm(String stdout, String stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static Path javaOf(Path home) {
    return home.resolve("bin").resolve("java");
  }

  /** The java launcher running the tests. */
  static Path thisJava() {
    return javaOf(Paths.get(System.getProperty("java.home")));
  }

  /** Runs {@code main} with {@code jvmArgs} and {@code args}; fails unless it exits with 0. */
  static ChildJvm run(Path java, List<String> jvmArgs, Class<?> main, Path dir, String... args)
      throws Exception {
    String name = main.getSimpleName() + "-" + String.join("-", args) + "-" + System.nanoTime();
    File out = dir.resolve(name + ".out").toFile();
    File err = dir.resolve(name + ".err").toFile();
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
    // Generous: it takes seconds alone, but the build machine is shared and sometimes overloaded.
    if (!child.waitFor(180, TimeUnit.SECONDS)) {
      String threads = threadDump(java, child.pid());
      child.destroyForcibly();
      throw new AssertionError("child JVM did not finish in 180 s; its threads:\n" + threads);
    }
    ChildJvm r =
        new ChildJvm(
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
}
