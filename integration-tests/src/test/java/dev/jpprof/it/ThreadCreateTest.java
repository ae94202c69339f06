package dev.jpprof.it;

import static java.util.stream.Collectors.toList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.testing.GoPprof;
import dev.jpprof.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * threadcreate finds a thread leak: the stack that started the leaked threads with their count, in
 * protobuf and debug=1, and goroutine debug=2 names the leaking method in "created by".
 */
class ThreadCreateTest {
  private static final String LEAK = "dev.jpprof.demo.ThreadLeak.leakThreads";
  private static final int LEAKED = 40;

  @EveryJdk
  void theLeakingStackWithItsCount(Jdk jdk, @TempDir Path dir) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk).agent("port=0").main("dev.jpprof.demo.ThreadLeak", "300").start()) {
      long before = indexCount(jvm);
      jvm.send("leak " + LEAKED);
      awaitLeaked(jvm);
      Http.Response r = Http.get(jvm.port(), "/debug/pprof/threadcreate");
      assertEquals(200, r.status(), r::text);
      ProfileView v = ProfileView.parse(r.body());
      v.assertGoConventions();
      assertEquals(List.of("threadcreate/count"), v.sampleTypes());
      long leaked = 0;
      for (Sample s : v.profile.getSampleList()) {
        if (v.stack(s).contains(LEAK)) {
          leaked += s.getValue(0);
          assertEquals("java.lang.Thread.start", v.stack(s).get(0), "leaf is Thread.start");
        }
      }
      assertEquals(LEAKED, leaked, "threads started by leakThreads");
      assertTrue(indexCount(jvm) >= before + LEAKED, "index counts threads started");

      Path file = dir.resolve("threadcreate.pb.gz");
      Files.write(file, r.body());
      GoPprof.Result top = GoPprof.run(Duration.ofSeconds(60), "-top", file.toString());
      assertTrue(top.stdout.contains(LEAK), top::toString);

      Http.Response text = Http.get(jvm.port(), "/debug/pprof/threadcreate?debug=1");
      assertTrue(text.text().startsWith("threadcreate profile: total "), text.text());
      assertTrue(text.text().contains("\n" + LEAKED + " @ "), text.text());
      GoPprof.Result raw =
          GoPprof.run(Duration.ofSeconds(60), "-raw", jvm.url("/debug/pprof/threadcreate?debug=1"));
      assertEquals(0, raw.exitCode, raw::toString);
      assertTrue(raw.stdout.contains(LEAK), raw::toString);

      String dump = Http.get(jvm.port(), "/debug/pprof/goroutine?debug=2").text();
      assertTrue(dump.contains("created by " + LEAK + " in goroutine "), dump);
      assertEquals(0, jvm.stdout().length, "nothing on stdout");
    }
  }

  /** Waits (at most 30 s) for the demo's "leaked" line: its threads have started. */
  private static void awaitLeaked(AgentJvm jvm) {
    Waits.await(Duration.ofSeconds(30), () -> jvm.stderrLines().contains("leaked"), jvm::describe);
  }

  /**
   * With allocation sampling off nothing defines the bootstrap hooks in premain; the thread-start
   * hook must define them itself (it once failed: "ThreadListener was already loaded").
   */
  @Test
  void theHookRunsWithAllocationSamplingOff() throws Exception {
    Jdk jdk = Jdk.at(Paths.get(System.getProperty("java.home")));
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("port=0,alloc.rate=0")
            .main("dev.jpprof.demo.ThreadLeak", "300")
            .start()) {
      jvm.send("leak 3");
      awaitLeaked(jvm);
      ProfileView v = ProfileView.parse(Http.get(jvm.port(), "/debug/pprof/threadcreate").body());
      long leaked = 0;
      for (Sample s : v.profile.getSampleList()) {
        if (v.stack(s).contains(LEAK)) {
          leaked += s.getValue(0);
        }
      }
      assertEquals(3, leaked, jvm::describe);
      assertTrue(
          Http.get(jvm.port(), "/debug/pprof/")
              .text()
              .contains("allocation sampling: off (alloc.rate=0)"));
      assertEquals(
          List.of(),
          jvm.stderrLines().stream()
              .filter(l -> l.contains("jpprof:") && !l.contains("serving"))
              .collect(toList()));
    }
  }

  private static long indexCount(AgentJvm jvm) {
    String index = Http.get(jvm.port(), "/debug/pprof/").text();
    String row = "</td><td><a href='threadcreate?debug=1'>";
    int at = index.indexOf(row);
    assertTrue(at > 0, index);
    return Long.parseLong(index.substring(index.lastIndexOf("<td>", at) + 4, at));
  }
}
