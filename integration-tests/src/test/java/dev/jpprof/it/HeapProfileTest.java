package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.testing.GoPprof;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * heap and allocs end to end on {@link dev.jpprof.demo.AllocWorkload}: the 3:1 allocation split, a
 * known retained set after gc=1 and its release, JDK-internal allocation charged to the
 * application's method, delta and debug=1, and the real go tool pprof on all of them.
 */
class HeapProfileTest {
  private static final String WORKLOAD = "dev.jpprof.demo.AllocWorkload";
  private static final String A = "dev.jpprof.demo.AllocWorkload.allocA";
  private static final String B = "dev.jpprof.demo.AllocWorkload.allocB";
  private static final String RETAIN = "dev.jpprof.demo.AllocWorkload.retain";
  private static final String GROW = "dev.jpprof.demo.AllocWorkload.growMap";
  private static final long RETAINED = 200L << 20;

  @EveryJdk
  void heapAndAllocsAsGoReportsThem(Jdk jdk, @TempDir Path dir) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .options(List.of("-Xmx600m"))
            // Go's fixed rate: growMap is ~0.4 % of the bytes, a few samples in 4 s at 512 KiB;
            // where the workload runs fast enough to meet alloc.maxSamplesPerSecond the cap would
            // thin them to none (HeapThrottleTest checks the capped engine).
            .agent("port=0,alloc.maxSamplesPerSecond=0")
            .main(WORKLOAD, "300")
            .start()) {
      // Not a wait for an event: the 4 s the workload allocates for is the measured duration.
      Thread.sleep(4000);
      Http.Response allocs = Http.get(jvm.port(), "/debug/pprof/allocs");
      assertEquals(200, allocs.status(), allocs::text);
      assertEquals("attachment; filename=\"allocs\"", allocs.header("Content-Disposition"));
      ProfileView v = ProfileView.parse(allocs.body());
      v.assertGoConventions();
      assertEquals(HeapChecks.SAMPLE_TYPES, v.sampleTypes());
      assertEquals("alloc_space", v.string(v.profile.getDefaultSampleType()));
      assertEquals(524288, v.profile.getPeriod());
      long a = v.sumWhereStackContains(A, 1);
      long b = v.sumWhereStackContains(B, 1);
      double share = (double) a / (a + b);
      System.out.printf("%s: allocA share of alloc_space %.3f (a=%d b=%d)%n", jdk, share, a, b);
      assertTrue(Math.abs(share - 0.75) <= 0.05, "A/(A+B) = " + share);
      assertTrue(v.sumWhereStackContains(GROW, 1) > 0, "HashMap growth is charged to growMap");
      for (Sample s : v.profile.getSampleList()) {
        assertEquals(1, s.getLabelCount(), "the bytes label");
        assertEquals("bytes", v.string(s.getLabel(0).getKey()));
      }
      Path allocsFile = dir.resolve("allocs.pb.gz");
      Files.write(allocsFile, allocs.body());
      for (String index : new String[] {"alloc_space", "alloc_objects"}) {
        GoPprof.Result top =
            GoPprof.run(
                Duration.ofSeconds(60), "-top", "-sample_index=" + index, allocsFile.toString());
        assertEquals(0, top.exitCode, top::toString);
        assertTrue(top.stdout.contains(A), index + ": " + top);
      }

      jvm.ask("retain 200", "retained");
      ProfileView held = heap(jvm, dir.resolve("held.pb.gz"));
      long inuse = held.sumWhereStackContains(RETAIN, 3);
      System.out.printf(
          "%s: retained 200 MiB, inuse_space under retain() %d (%.1f%%)%n",
          jdk, inuse, 100.0 * inuse / RETAINED);
      assertTrue(Math.abs(inuse - RETAINED) <= RETAINED / 10, "inuse_space " + inuse);
      GoPprof.Result top =
          GoPprof.run(
              Duration.ofSeconds(60),
              "-top",
              "-sample_index=inuse_space",
              dir.resolve("held.pb.gz").toString());
      assertTrue(top.stdout.contains(RETAIN), top::toString);

      jvm.ask("release", "released");
      long after = heap(jvm, dir.resolve("released.pb.gz")).sumWhereStackContains(RETAIN, 3);
      assertTrue(after < RETAINED / 20, "inuse after release " + after);

      Http.Response delta = Http.get(jvm.port(), "/debug/pprof/allocs?seconds=2");
      assertEquals(200, delta.status(), delta::text);
      assertEquals("attachment; filename=\"allocs-delta\"", delta.header("Content-Disposition"));
      Path deltaFile = dir.resolve("delta.pb.gz");
      Files.write(deltaFile, delta.body());
      GoPprof.Result raw = GoPprof.run(Duration.ofSeconds(60), "-raw", deltaFile.toString());
      assertEquals(0, raw.exitCode, raw::toString);

      Http.Response text = Http.get(jvm.port(), "/debug/pprof/heap?debug=1");
      assertEquals("text/plain; charset=utf-8", text.header("Content-Type"));
      assertTrue(text.text().startsWith("heap profile: "), text.text());
      assertTrue(text.text().contains("# runtime.MemStats\n"), text.text());
      Path textFile = dir.resolve("heap.txt");
      Files.write(textFile, text.body());
      GoPprof.Result textRaw = GoPprof.run(Duration.ofSeconds(60), "-raw", textFile.toString());
      assertEquals(0, textRaw.exitCode, textRaw::toString);
      assertTrue(textRaw.stdout.contains("inuse_space/bytes"), textRaw::toString);
      // From the live URL, pprof names the text's addresses through /debug/pprof/symbol.
      GoPprof.Result live =
          GoPprof.run(Duration.ofSeconds(60), "-raw", jvm.url("/debug/pprof/heap?debug=1"));
      assertEquals(0, live.exitCode, live::toString);
      assertTrue(live.stdout.contains(A), live::toString);
      assertEquals(0, jvm.stdout().length, "nothing on stdout");
    }
  }

  private static ProfileView heap(AgentJvm jvm, Path file) throws Exception {
    return HeapChecks.fetch(jvm, "/debug/pprof/heap?gc=1", file);
  }
}
