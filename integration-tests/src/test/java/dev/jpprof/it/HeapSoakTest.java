package dev.jpprof.it;

import static dev.jpprof.it.HeapChecks.HEAP_STRESS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 60 s of three threads allocating flat out (16 B to 16 KiB, rings of live objects) with the JVMTI
 * engine sampling every 256 bytes on JDK 17, heap fetched every 4 s: the library's native memory
 * (the index page's "KiB native memory") stays under {@link #NATIVE_BOUND_KIB} and flat after the
 * first 15 s, the process's RSS under {@link #RSS_BOUND_KIB} and flat too, and the JVM exits 0 at
 * the end.
 */
class HeapSoakTest {
  private static final int SECONDS = 60;

  /** The fixed tables (about 3 MiB at the defaults) plus the pending samples' 8 MiB cap. */
  private static final long NATIVE_BOUND_KIB = 16 << 10;

  private static final long NATIVE_GROWTH_KIB = 1 << 10;
  private static final long RSS_BOUND_KIB = 600 << 10;
  private static final long RSS_GROWTH_KIB = 48 << 10;
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  @Test
  void sixtySecondsAtRate256(@TempDir Path dir) throws Exception {
    Jdk jdk = Jdk.all().get(0);
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(HeapChecks.jvmOptions(dir, "-Xmx256m"))
            .agent("port=0,alloc.rate=256,alloc.maxSamplesPerSecond=0")
            .main(HEAP_STRESS, "soak", "3", Integer.toString(SECONDS))
            .start()) {
      long start = System.nanoTime();
      List<Long> nativeEarly = new ArrayList<>();
      List<Long> nativeLate = new ArrayList<>();
      List<Long> rssEarly = new ArrayList<>();
      List<Long> rssLate = new ArrayList<>();
      HeapChecks.Counters last = null;
      for (int round = 0; round < SECONDS / 4 + 5 && !done(jvm); round++) {
        Thread.sleep(4000); // the soak's pace: a round of checks every 4 s, not a wait
        HeapChecks.assertAlive(jvm, dir);
        HeapChecks.fetch(
            jvm,
            round % 2 == 0 ? "/debug/pprof/heap" : "/debug/pprof/heap?gc=1",
            dir.resolve("heap.pb.gz"));
        last = HeapChecks.counters(jvm);
        long rss = rssKib(jvm);
        boolean late = System.nanoTime() - start > TimeUnit.SECONDS.toNanos(15);
        (late ? nativeLate : nativeEarly).add(last.nativeKib);
        (late ? rssLate : rssEarly).add(rss);
        System.out.printf(
            "soak %2d s: %s; RSS %d KiB%n",
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), last, rss);
      }
      String done = jvm.awaitLine(0, "done soak", Duration.ofSeconds(20));
      System.out.printf(
          "soak: %s; native KiB %s then %s; RSS KiB %s then %s%n",
          done, nativeEarly, nativeLate, rssEarly, rssLate);
      assertTrue(nativeLate.size() >= 8, "samples after the first 15 s: " + nativeLate);
      assertTrue(Collections.max(nativeLate) < NATIVE_BOUND_KIB, "native memory " + nativeLate);
      assertTrue(
          Collections.max(nativeLate) - nativeLate.get(0) < NATIVE_GROWTH_KIB,
          "native memory grows: " + nativeLate);
      assertTrue(Collections.max(rssLate) < RSS_BOUND_KIB, "RSS " + rssLate);
      assertTrue(
          Collections.max(rssLate) - rssLate.get(0) < RSS_GROWTH_KIB, "RSS grows: " + rssLate);
      assertTrue(last.samples > 1_000_000, "a high rate: " + last);
      HeapChecks.assertPprofReads(dir.resolve("heap.pb.gz"));
      HeapChecks.assertExitsNormally(jvm, dir);
    }
  }

  private static boolean done(AgentJvm jvm) {
    return jvm.stderrLines().stream().anyMatch(l -> l.startsWith("done soak"));
  }

  private static long rssKib(AgentJvm jvm) throws Exception {
    Matcher m =
        VM_RSS.matcher(Files.readString(Paths.get("/proc", Long.toString(jvm.pid()), "status")));
    assertTrue(m.find(), "no VmRSS for " + jvm);
    return Long.parseLong(m.group(1));
  }
}
