package dev.jpprof.agent.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jpprof.agent.ChildJvm;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults that keep async-profiler from running, forced in child JVMs: auto must serve the
 * window from JFR and say why, async-profiler alone must say why it cannot, and nothing may reach
 * the application's stdout. A regular file's "subdirectory" is unusable even for root.
 */
class CpuFallbackTest {
  private static final String JFR_COMMENT = "COMMENT " + JfrEngineTest.COMMENT;
  private static final Pattern SAMPLES = Pattern.compile("SAMPLES (\\d+)");

  @TempDir Path dir;

  @Test
  void missingTempDirFallsBackToJfr() throws Exception {
    // async-profiler cannot extract its library there; the JDK creates its repository itself.
    ChildJvm.Exited r = auto(ChildJvm.thisJava(), "-Djava.io.tmpdir=" + dir.resolve("missing"));
    assertUnavailable(r, "async-profiler failed to load: ");
  }

  @Test
  void missingTempDirFallsBackToJfrOnJdk25() throws Exception {
    Path jdk25 = ChildJvm.javaOf(ChildJvm.JDK25);
    assumeTrue(Files.isExecutable(jdk25), "no JDK 25 at " + jdk25);
    ChildJvm.Exited r = auto(jdk25, "-Djava.io.tmpdir=" + dir.resolve("missing"));
    assertUnavailable(r, "async-profiler failed to load: ");
  }

  @Test
  void unwritableTempDirFallsBackToJfr() throws Exception {
    // JFR needs a repository too: where the temp dir is unusable, it must be configured.
    ChildJvm.Exited r =
        auto(
            ChildJvm.thisJava(),
            "-Djava.io.tmpdir=" + unusable(),
            "-XX:FlightRecorderOptions:repository=" + dir.resolve("repo"));
    assertUnavailable(r, "async-profiler failed to load: ");
  }

  @Test
  void unusableExtractPathFallsBackToJfr() throws Exception {
    ChildJvm.Exited r = auto(ChildJvm.thisJava(), "-Done.profiler.extractPath=" + unusable());
    assertUnavailable(r, "async-profiler failed to load: ");
  }

  @Test
  void whenJfrCannotRunEitherTheErrorSaysWhyForBoth() throws Exception {
    ChildJvm.Exited r = auto(ChildJvm.thisJava(), "-Djava.io.tmpdir=" + unusable());
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(
        r.stderr.contains(
            "ERROR Could not enable CPU profiling: async-profiler unavailable: async-profiler"
                + " failed to load: "),
        r.stderr);
    assertTrue(r.stderr.contains("; JFR: java.lang.IllegalStateException: "), r.stderr);
    assertTrue(
        r.stderr.contains(
            "DESCRIBE error: Could not enable CPU profiling: async-profiler"
                + " unavailable: async-profiler failed to load: "),
        r.stderr);
  }

  @Test
  void asyncProfilerEngineSaysWhyItCannotStart() throws Exception {
    ChildJvm.Exited r =
        ChildJvm.run(
            ChildJvm.thisJava(),
            List.of("-Done.profiler.extractPath=" + unusable()),
            FallbackChild.class,
            dir,
            CpuProfiler.ASYNC_PROFILER);
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    String error = "Could not enable CPU profiling: async-profiler failed to load: ";
    assertTrue(r.stderr.contains("ERROR " + error), r.stderr);
    assertTrue(r.stderr.contains("DESCRIBE error: " + error), r.stderr);
    assertFalse(r.stderr.contains("COMMENT"), r.stderr);
  }

  @Test
  void profilerStartedByTheApplicationKeepsRunning() throws Exception {
    ChildJvm.Exited r =
        ChildJvm.run(
            ChildJvm.thisJava(),
            List.of(),
            FallbackChild.class,
            dir,
            CpuProfiler.AUTO,
            "app-started");
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains(JFR_COMMENT), r.stderr);
    assertTrue(samples(r) >= 5, r.stderr);
    assertTrue(
        r.stderr.contains(
            "DESCRIBE JFR execution samples, interval 10ms"
                + " (async-profiler busy: async-profiler is already running in this JVM), idle"),
        r.stderr);
    assertTrue(r.stderr.contains("APP running=true sampled=true"), r.stderr);
  }

  @Test
  void libraryLoadedByAnotherAgentIsReused() throws Exception {
    // Extraction would fail: async-profiler can only run by reusing the library already loaded.
    ChildJvm.Exited r =
        auto(
            ChildJvm.thisJava(),
            "-agentpath:" + library(),
            "-Done.profiler.extractPath=" + unusable());
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains("COMMENT jpprof cpu: async-profiler "), r.stderr);
    assertTrue(r.stderr.contains("DESCRIBE async-profiler "), r.stderr);
  }

  @Test
  void profilerStartedByAnotherAgentFallsBackToJfrForTheWindow() throws Exception {
    Path theirs = dir.resolve("theirs.jfr");
    ChildJvm.Exited r =
        auto(
            ChildJvm.thisJava(),
            "-agentpath:"
                + library()
                + "=start,event=cpu,interval=10ms,jfr,file="
                + theirs
                + ",quiet,loglevel=none");
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains(JFR_COMMENT), r.stderr);
    assertTrue(samples(r) >= 5, r.stderr);
    assertTrue(r.stderr.contains("(async-profiler busy: "), r.stderr);
    assertTrue(Files.size(theirs) > 0, "the other agent's recording was not written");
  }

  @Test
  void flightRecorderLoadsOnlyWhenAWindowNeedsIt() throws Exception {
    Path log = dir.resolve("classes.log");
    ChildJvm.Exited r = auto(ChildJvm.thisJava(), "-Xlog:class+load=info:file=" + log);
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains("COMMENT jpprof cpu: async-profiler "), r.stderr);
    assertFalse(Files.readString(log).contains(" jdk.jfr."), "jdk.jfr loaded without JFR windows");

    Path jfrLog = dir.resolve("jfr-classes.log");
    ChildJvm.Exited control =
        ChildJvm.run(
            ChildJvm.thisJava(),
            List.of("-Xlog:class+load=info:file=" + jfrLog),
            FallbackChild.class,
            dir,
            CpuProfiler.JFR);
    assertTrue(control.stderr.contains(JFR_COMMENT), control.stderr);
    assertTrue(Files.readString(jfrLog).contains(" jdk.jfr.Recording "), "the log shows no loads");
  }

  private ChildJvm.Exited auto(Path java, String... jvmArgs) throws Exception {
    return ChildJvm.run(java, List.of(jvmArgs), FallbackChild.class, dir, CpuProfiler.AUTO);
  }

  /** async-profiler's native library, copied out of its jar as a user of -agentpath would. */
  private Path library() throws Exception {
    Path so = dir.resolve("libasyncProfiler.so");
    try (InputStream in =
        one.profiler.AsyncProfiler.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
      assumeTrue(in != null, "no linux-x64 library in the async-profiler jar");
      Files.copy(in, so, StandardCopyOption.REPLACE_EXISTING);
    }
    return so;
  }

  /** A path below a regular file: no one, root included, can create or write it. */
  private Path unusable() throws Exception {
    Path file = dir.resolve("a-file");
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    return file.resolve("sub");
  }

  private static void assertUnavailable(ChildJvm.Exited r, String why) {
    assertEquals("", r.stdout, "stdout; stderr was: " + r.stderr);
    assertTrue(r.stderr.contains(JFR_COMMENT), r.stderr);
    assertTrue(samples(r) >= 5, r.stderr);
    assertTrue(
        r.stderr.contains(
            "DESCRIBE JFR execution samples, interval 10ms (async-profiler unavailable: " + why),
        r.stderr);
  }

  private static long samples(ChildJvm.Exited r) {
    Matcher m = SAMPLES.matcher(r.stderr);
    assertTrue(m.find(), r.stderr);
    return Long.parseLong(m.group(1));
  }
}
