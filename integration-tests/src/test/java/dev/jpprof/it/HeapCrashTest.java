package dev.jpprof.it;

import static dev.jpprof.it.HeapChecks.HEAP_STRESS;
import static dev.jpprof.it.HeapChecks.PAYLOAD_CHAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVMTI heap engine where a native library could crash the JVM (issue 10), each case in a child
 * JVM on JDK 17 and 25 sampling every allocation ({@code alloc.rate=1}) or every 256 bytes: classes
 * unloaded while their jmethodIDs sit in the library's method cache, classes redefined while their
 * methods allocate, 10 000 platform threads (and 100 000 virtual ones on JDK 25), and the engine
 * started by attaching to a running JVM. heap (with gc=1) and allocs are fetched while the load
 * runs and after it; the child must stay alive, print no exception and exit 0 when told to.
 */
class HeapCrashTest {
  /**
   * A bound on each workload, not a speed goal: 10 000 threads at rate 1 take ~10 s on a quiet
   * machine and over 30 s on a loaded one.
   */
  private static final Duration LOAD = Duration.ofSeconds(120);

  /**
   * Every allocation, with room for its buckets: at rate 1 the JVM's own start (JDK 25's class file
   * API above all) fills the default 8192 (stack, size) buckets before main runs, and the
   * workload's samples would all go to the overflow bucket.
   */
  private static final String EVERY_ALLOCATION =
      "port=0,alloc.rate=1,alloc.maxBuckets=65536,alloc.maxSamplesPerSecond=0";

  @EveryJdk
  void classLoaderChurn(Jdk jdk, @TempDir Path dir) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(HeapChecks.jvmOptions(dir))
            .agent(EVERY_ALLOCATION)
            .main(HEAP_STRESS, "churn", "400", "20")
            .start()) {
      String done = fetchUntilDone(jvm, dir);
      Matcher m = Pattern.compile("done churn loaders=(\\d+) unloaded=(\\d+)").matcher(done);
      assertTrue(m.matches(), done);
      assertTrue(Long.parseLong(m.group(2)) >= 50, "classes unloaded: " + done);
      ProfileView heap = HeapChecks.fetch(jvm, "/debug/pprof/heap?gc=1", dir.resolve("heap.pb.gz"));
      long allocated = heap.sumWhereStackContains(PAYLOAD_CHAIN, 1);
      long inuse = heap.sumWhereStackContains(PAYLOAD_CHAIN, 3);
      System.out.printf(
          "%s churn: %s; %s; HeapPayload.chain alloc %d B, inuse %d B%n",
          jdk, done, HeapChecks.counters(jvm), allocated, inuse);
      assertTrue(allocated > 0, "the unloaded classes' samples are named");
      assertTrue(inuse < allocated / 100, "dropped with their loaders: inuse " + inuse);
      HeapChecks.assertPprofReads(dir.resolve("heap.pb.gz"));
      HeapChecks.assertExitsNormally(jvm, dir);
    }
  }

  @EveryJdk
  void redefinedWhileSampled(Jdk jdk, @TempDir Path dir) throws Exception {
    Path redefiner = redefinerJar(dir);
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(HeapChecks.jvmOptions(dir, "-javaagent:" + redefiner))
            .agent("port=0,alloc.rate=256,alloc.maxSamplesPerSecond=0")
            .main(HEAP_STRESS, "redefine", "200", "15")
            .start()) {
      String done = fetchUntilDone(jvm, dir);
      assertTrue(done.matches("done redefine rounds=\\d+"), done);
      ProfileView allocs =
          HeapChecks.fetch(jvm, "/debug/pprof/allocs", dir.resolve("allocs.pb.gz"));
      System.out.printf("%s redefine: %s; %s%n", jdk, done, HeapChecks.counters(jvm));
      assertTrue(
          allocs.sumWhereStackContains(PAYLOAD_CHAIN, 1) > 0, "the redefined class's samples");
      HeapChecks.assertExitsNormally(jvm, dir);
    }
  }

  @EveryJdk
  void tenThousandPlatformThreads(Jdk jdk, @TempDir Path dir) throws Exception {
    threads(jdk, dir, "threads", "10000", EVERY_ALLOCATION, jvm -> {}, "-Xss256k");
  }

  /**
   * The same at the default throttle's working point, made to move: every allocation at first, then
   * an interval the drain thread raises (and lowers) once a second while 10 000 threads each carry
   * the interval their gap was drawn with.
   */
  @EveryJdk
  void tenThousandPlatformThreadsThrottled(Jdk jdk, @TempDir Path dir) throws Exception {
    threads(
        jdk,
        dir,
        "threads",
        "10000",
        "port=0,alloc.rate=1,alloc.maxBuckets=65536,alloc.maxSamplesPerSecond=50",
        jvm ->
            Waits.await(
                Duration.ofSeconds(60),
                () -> HeapChecks.engineLine(jvm).contains("interval now"),
                () -> "the throttle never raised the interval: " + HeapChecks.engineLine(jvm)),
        "-Xss256k");
  }

  @Test
  void hundredThousandVirtualThreads(@TempDir Path dir) throws Exception {
    threads(Jdk.all().get(1), dir, "vthreads", "100000", EVERY_ALLOCATION, jvm -> {});
  }

  /** {@code during} checks the running JVM before the workload's end is awaited. */
  private static void threads(
      Jdk jdk,
      Path dir,
      String mode,
      String count,
      String agent,
      Consumer<AgentJvm> during,
      String... options)
      throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(HeapChecks.jvmOptions(dir, options))
            .agent(agent)
            .main(HEAP_STRESS, mode, count, "40")
            .start()) {
      during.accept(jvm);
      String done = fetchUntilDone(jvm, dir);
      assertTrue(done.matches("done " + mode + " \\w+=" + count + " \\w+=true"), done);
      ProfileView allocs =
          HeapChecks.fetch(jvm, "/debug/pprof/allocs", dir.resolve("allocs.pb.gz"));
      long objects = allocs.sumWhereStackContains(PAYLOAD_CHAIN, 0);
      System.out.printf(
          "%s %s: %s; %s; HeapPayload.chain %d objects%n",
          jdk, mode, done, HeapChecks.counters(jvm), objects);
      assertTrue(objects > 0, "the threads' samples");
      HeapChecks.assertExitsNormally(jvm, dir);
    }
  }

  @EveryJdk
  void attachedWhileAllocating(Jdk jdk, @TempDir Path dir) throws Exception {
    List<String> options = HeapChecks.jvmOptions(dir);
    if (jdk.feature() >= 21) {
      options.add("-XX:+EnableDynamicAgentLoading");
    }
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(options)
            .application(
                List.of("-cp", AgentJvm.demoClasses().toString(), HEAP_STRESS, "soak", "2", "30"))
            .launch()) {
      jvm.awaitLine(0, "started soak", Duration.ofSeconds(30));
      AttachTest.Result attach =
          AttachTest.attach(jdk, jvm.pid(), "port=0,alloc.rate=256,alloc.maxSamplesPerSecond=0");
      assertEquals(0, attach.code, attach.text);
      jvm.awaitPort(Duration.ofSeconds(30));
      assertTrue(
          HeapChecks.engineLine(jvm).startsWith("allocation sampling: JVMTI"),
          HeapChecks.engineLine(jvm));
      Waits.until(
          Duration.ofSeconds(30),
          Duration.ofMillis(250),
          () ->
              HeapChecks.fetch(jvm, "/debug/pprof/allocs", dir.resolve("allocs.pb.gz"))
                      .sumWhereStackContains(PAYLOAD_CHAIN, 1)
                  > 0);
      HeapChecks.fetch(jvm, "/debug/pprof/heap?gc=1", dir.resolve("heap.pb.gz"));
      ProfileView allocs =
          HeapChecks.fetch(jvm, "/debug/pprof/allocs", dir.resolve("allocs.pb.gz"));
      System.out.printf("%s attached: %s%n", jdk, HeapChecks.counters(jvm));
      assertTrue(allocs.sumWhereStackContains(PAYLOAD_CHAIN, 1) > 0, "samples after attach");
      HeapChecks.assertAlive(jvm, dir);
      HeapChecks.assertExitsNormally(jvm, dir);
    }
  }

  /**
   * Fetches heap?gc=1 and allocs about every second until the workload says done (at most {@link
   * #LOAD}); returns the done line.
   */
  private static String fetchUntilDone(AgentJvm jvm, Path dir) throws Exception {
    long deadline = System.nanoTime() + LOAD.toNanos();
    for (int round = 0; ; round++) {
      List<String> done = new ArrayList<>(jvm.stderrLines());
      done.removeIf(l -> !l.startsWith("done "));
      if (!done.isEmpty()) {
        return done.get(0);
      }
      assertTrue(System.nanoTime() < deadline, "not done within " + LOAD + "; " + jvm.describe());
      HeapChecks.assertAlive(jvm, dir);
      HeapChecks.fetch(
          jvm,
          "/debug/pprof/" + (round % 2 == 0 ? "heap?gc=1" : "allocs"),
          dir.resolve("during.pb.gz"));
      Thread.sleep(1000); // the fetches' pace (about one a second), not a wait
    }
  }

  /** A jar whose manifest makes {@code dev.jpprof.demo.Redefiner} an agent that may redefine. */
  private static Path redefinerJar(Path dir) throws Exception {
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Premain-Class", "dev.jpprof.demo.Redefiner");
    a.putValue("Can-Redefine-Classes", "true");
    a.putValue("Can-Retransform-Classes", "true");
    Path jar = dir.resolve("redefiner.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      // The class itself is on the class path.
    }
    return jar;
  }
}
