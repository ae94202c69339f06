package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JVMTI engine's in-use numbers under every collector the JDK has (Serial, Parallel, G1, ZGC,
 * Shenandoah where built in) on JDK 17 and 25, sampling every 4096 bytes: 64 MiB retained by {@link
 * dev.jpprof.demo.AllocWorkload} shows as 90–110 % of itself in heap's inuse_space, and after its
 * release heap?gc=1 shows under 5 %. The concurrent collectors free in cycles that report no GC
 * event, so both are awaited as conditions (the engine scans its weak references at least once a
 * second), never a fixed sleep.
 *
 * <p>{@code alloc.maxLive} is raised to 1 000 000: the workload's garbage stays "live" to the
 * engine until a cycle clears its weak references, and generational ZGC (JDK 25) runs few old
 * cycles, so at this rate the default 65 536 fills and the retained arrays, sampled over it, would
 * count as freed at once.
 */
class HeapCollectorsTest {
  private static final String RETAIN = "dev.jpprof.demo.AllocWorkload.retain";
  private static final long RETAINED = 64L << 20;
  private static final String[] COLLECTORS = {"Serial", "Parallel", "G1", "Z", "Shenandoah"};

  static List<Arguments> collectors() throws IOException, InterruptedException {
    List<Arguments> cases = new ArrayList<>();
    for (Jdk jdk : Jdk.all()) {
      for (String gc : COLLECTORS) {
        if (has(jdk, gc)) {
          cases.add(Arguments.of(jdk, gc));
        } else {
          System.out.printf("%s has no %sGC: not tested%n", jdk, gc);
        }
      }
    }
    return cases;
  }

  /** {@code java -XX:+UseXGC -version} exits 0. */
  private static boolean has(Jdk jdk, String gc) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jdk.java().toString(), "-XX:+Use" + gc + "GC", "-version")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "java -version hangs");
    return p.exitValue() == 0;
  }

  @ParameterizedTest(name = "{0} {1}GC")
  @MethodSource("collectors")
  void retainedAndReleased(Jdk jdk, String gc, @TempDir Path dir) throws Exception {
    List<String> options =
        HeapChecks.jvmOptions(dir, "-XX:-UseSerialGC", "-XX:+Use" + gc + "GC", "-Xmx400m");
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(options)
            .agent("port=0,alloc.rate=4096,alloc.maxLive=1000000")
            .main("dev.jpprof.demo.AllocWorkload", "120")
            .start()) {
      jvm.ask("retain 64", "retained");
      long held =
          await(jvm, dir.resolve("held.pb.gz"), b -> Math.abs(b - RETAINED) <= RETAINED / 10);
      jvm.ask("release", "released");
      long start = System.nanoTime();
      long released = await(jvm, dir.resolve("released.pb.gz"), b -> b < RETAINED / 20);
      System.out.printf(
          "%s %sGC: retained 64 MiB: inuse %.1f %%; released: %.1f %% after %d ms;" + " %s%n",
          jdk,
          gc,
          100.0 * held / RETAINED,
          100.0 * released / RETAINED,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          HeapChecks.counters(jvm));
      HeapChecks.assertPprofReads(dir.resolve("held.pb.gz"));
      HeapChecks.assertAlive(jvm, dir);
    }
  }

  /**
   * Fetches heap?gc=1 until inuse_space under retain() meets {@code wanted}, for at most 20 s;
   * returns that inuse_space (the last one seen, in the failure).
   */
  private static long await(AgentJvm jvm, Path file, LongPredicate wanted) throws Exception {
    List<Long> seen = new ArrayList<>();
    Waits.await(
        Duration.ofSeconds(20),
        Duration.ofMillis(250),
        () -> {
          long inuse =
              HeapChecks.fetch(jvm, "/debug/pprof/heap?gc=1", file)
                  .sumWhereStackContains(RETAIN, 3);
          seen.add(inuse);
          if (wanted.test(inuse)) {
            return true;
          }
          assertTrue(jvm.isAlive(), jvm::describe);
          return false;
        },
        () ->
            "inuse_space under retain() over 20 s: "
                + seen
                + " of "
                + RETAINED
                + "; "
                + HeapChecks.counters(jvm));
    return seen.get(seen.size() - 1);
  }
}
