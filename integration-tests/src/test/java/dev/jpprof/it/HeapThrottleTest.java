package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.GoPprof;
import dev.jpprof.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * alloc.maxSamplesPerSecond: a workload allocating ~40 MB/s at alloc.rate=4096 would give the JVM
 * ~10 000 samples a second; capped at 50, the interval is raised (the index page says to what), the
 * profile keeps its one rate, and the samples, each counted for the ones the rate would have taken,
 * still split allocA:allocB 3:1 in bytes (their objects differ in size, 3000 vs 1000 bytes, so a
 * wrong weight would show).
 */
class HeapThrottleTest {
  @EveryJdk
  void cappedSamplesKeepTheSplit(Jdk jdk, @TempDir Path dir) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("port=0,alloc.rate=4096,alloc.maxSamplesPerSecond=50")
            .main("dev.jpprof.demo.AllocWorkload", "120")
            .start()) {
      String[] index = new String[1];
      Waits.await(
          Duration.ofSeconds(30),
          () -> {
            index[0] = Http.get(jvm.port(), "/debug/pprof/").text();
            return index[0].contains("interval now");
          },
          () -> "the index never said the interval was raised: " + index[0]);
      Http.Response delta = Http.get(jvm.port(), "/debug/pprof/allocs?seconds=6");
      assertEquals(200, delta.status(), delta::text);
      ProfileView v = ProfileView.parse(delta.body());
      v.assertGoConventions();
      assertEquals(4096, v.profile.getPeriod(), "one rate: alloc.rate");
      long a = v.sumWhereStackContains("dev.jpprof.demo.AllocWorkload.allocA", 1);
      long b = v.sumWhereStackContains("dev.jpprof.demo.AllocWorkload.allocB", 1);
      double share = (double) a / (a + b);
      System.out.printf(
          "%s: throttled, allocA share of alloc_space %.3f (a=%d b=%d)%n", jdk, share, a, b);
      assertTrue(Math.abs(share - 0.75) <= 0.1, "A/(A+B) = " + share);
      Path file = dir.resolve("allocs.pb.gz");
      Files.write(file, delta.body());
      GoPprof.Result top = GoPprof.run(Duration.ofSeconds(60), "-top", file.toString());
      assertEquals(0, top.exitCode, top::toString);
    }
  }
}
