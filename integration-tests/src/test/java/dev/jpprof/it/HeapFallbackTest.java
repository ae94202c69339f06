package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.Waits;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The heap engine's fallbacks, each forced for real in a child JVM: libjpprof missing or not a
 * library ({@code -Djpprof.heap.library}), JFR or Byte Buddy asked for by name, and the JVM's
 * sampler already held by another agent (async-profiler's {@code event=alloc} as -agentpath). The
 * index page names the engine that runs and why, allocs has the workload's samples, and the
 * application runs on.
 */
class HeapFallbackTest {
  private static final String WORKLOAD = "dev.jpprof.demo.AllocWorkload";
  private static final String ALLOC_A = "dev.jpprof.demo.AllocWorkload.allocA";
  private static final String JFR = "allocation sampling: JFR jdk.ObjectAllocationSample";

  @ParameterizedTest
  @ValueSource(strings = {"missing", "notElf", "jfr", "bytebuddy"})
  void fallbackNamedOnTheIndexPage(String fault, @TempDir Path dir) throws Exception {
    String agentArgs = "port=0,alloc.rate=256";
    String library = null;
    String expected;
    switch (fault) {
      case "missing":
        library = "/nonexistent/libjpprof.so";
        expected =
            JFR
                + ".*Why not JVMTI: libjpprof could not be loaded:"
                + " java.lang.UnsatisfiedLinkError: Can't load library: /nonexistent/libjpprof.so";
        break;
      case "notElf":
        library = Files.writeString(dir.resolve("libjpprof.so"), "not a library\n").toString();
        expected =
            JFR
                + ".*Why not JVMTI: libjpprof could not be loaded:"
                + " java.lang.UnsatisfiedLinkError: .*libjpprof.so: .*(invalid ELF header|too short).*";
        break;
      case "jfr":
        agentArgs += ",alloc.engine=jfr";
        expected = JFR + ".*Why not JVMTI: alloc.engine=jfr";
        break;
      default:
        agentArgs += ",alloc.engine=bytebuddy";
        expected =
            "allocation sampling: Byte Buddy \\(alloc.engine=bytebuddy, allocation sites"
                + " rewritten\\), rate 256 bytes, .*";
    }
    List<String> options =
        library == null
            ? HeapChecks.jvmOptions(dir)
            : HeapChecks.jvmOptions(dir, "-Djpprof.heap.library=" + library);
    try (AgentJvm jvm =
        AgentJvm.on(Jdk.all().get(0))
            .options(options)
            .agent(agentArgs)
            .main(WORKLOAD, "120")
            .start()) {
      assertAllocsNamedAndRunning(jvm, dir, expected);
    }
  }

  @EveryJdk
  void asyncProfilerHoldsTheSampler(Jdk jdk, @TempDir Path dir) throws Exception {
    Path so = dir.resolve("libasyncProfiler.so");
    try (ZipFile jar = new ZipFile(AgentJvm.agentJar().toFile());
        InputStream in = jar.getInputStream(jar.getEntry("linux-x64/libasyncProfiler.so"))) {
      Files.copy(in, so);
    }
    List<String> options =
        HeapChecks.jvmOptions(
            dir, "-agentpath:" + so + "=start,event=alloc,jfr,file=" + dir.resolve("theirs.jfr"));
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(options)
            .agent("port=0,alloc.rate=256")
            .main(WORKLOAD, "120")
            .start()) {
      assertAllocsNamedAndRunning(
          jvm,
          dir,
          JFR
              + ".*Why not JVMTI: the JVM's allocation sampler"
              + " is held by another agent \\(async-profiler alloc, a vendor agent\\): only one may use it");
    }
  }

  /**
   * The index page's engine line matches {@code expected}; allocs (awaited up to 10 s: JFR delivers
   * in chunks) has allocA's samples and go tool pprof reads it; no crash.
   */
  private static void assertAllocsNamedAndRunning(AgentJvm jvm, Path dir, String expected)
      throws Exception {
    String line = HeapChecks.engineLine(jvm);
    System.out.printf("%s: %s%n", jvm.jdk(), line);
    assertTrue(line.matches(expected), line);
    Path file = dir.resolve("allocs.pb.gz");
    Waits.await(
        Duration.ofSeconds(10),
        Duration.ofMillis(500),
        () ->
            HeapChecks.fetch(jvm, "/debug/pprof/allocs", file).sumWhereStackContains(ALLOC_A, 1)
                > 0,
        () -> "no allocA samples in allocs; " + line);
    HeapChecks.fetch(jvm, "/debug/pprof/heap?gc=1", dir.resolve("heap.pb.gz"));
    HeapChecks.assertPprofReads(file);
    HeapChecks.assertAlive(jvm, dir);
  }
}
