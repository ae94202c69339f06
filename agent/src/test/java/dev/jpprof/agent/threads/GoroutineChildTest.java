package dev.jpprof.agent.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jpprof.agent.ChildJvm;
import dev.jpprof.pprof.ProfileValidator;
import dev.jpprof.pprof.Profiles;
import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /debug/pprof/goroutine of a real JVM with many parked threads, read back as pprof reads it. */
class GoroutineChildTest {
  private static final String PARKED = ThreadsChild.class.getName() + ".parkHere";
  private static final String VIRTUAL = ThreadsChild.class.getName() + ".blockVirtual";

  @TempDir Path dir;

  @Test
  void fiveHundredParkedPlatformThreadsAreOneSample() throws Exception {
    try (ChildJvm child = new ChildJvm(ChildJvm.JDK_HERE, dir, ThreadsChild.class, "500")) {
      HttpResponse<byte[]> r = child.get("goroutine");
      assertEquals(200, r.statusCode());
      assertEquals(
          "attachment; filename=\"goroutine\"",
          r.headers().firstValue("Content-Disposition").orElse(""));
      Profile p = Profiles.parse(r.body());
      ProfileValidator.checkGoConventions(p);
      Sample s = onlySampleIn(p, PARKED);
      assertEquals(500, s.getValue(0));
      assertEquals("WAITING", label(p, s, "state"));
      assertEquals("parked", label(p, s, "pool"));
      assertTrue(p.getSample(0).getValue(0) >= 500, "largest sample first");

      Files.write(dir.resolve("goroutine.pb.gz"), r.body());
      String top = ChildJvm.pprof(dir, "-raw", "goroutine.pb.gz");
      assertTrue(top.contains("\n        500: "), top);
      assertTrue(top.contains(" " + PARKED + " "), top);

      String debug1 = child.text("goroutine?debug=1");
      assertTrue(debug1.startsWith("goroutine profile: total "), debug1);
      assertTrue(debug1.contains("\n500 @ 0x"), debug1);
      assertTrue(debug1.contains("\t" + PARKED + "+0x"), debug1);
      Files.write(dir.resolve("goroutine.txt"), debug1.getBytes("UTF-8"));
      String raw = ChildJvm.pprof(dir, "-raw", "goroutine.txt");
      assertTrue(raw.contains("PeriodType: goroutine count"), raw);
      assertTrue(raw.contains("\n        500: "), raw);
      // From the URL, pprof asks /debug/pprof/symbol for the addresses' names.
      String named = ChildJvm.pprof(dir, "-raw", child.base + "goroutine?debug=1");
      assertTrue(named.contains(" " + PARKED + " "), named);

      String debug2 = child.text("goroutine?debug=2");
      assertTrue(debug2.startsWith("goroutine "), debug2.substring(0, 200));
      Matcher first = Pattern.compile("^goroutine (\\d+) \\[running.*\\]:\n").matcher(debug2);
      assertTrue(first.find(), "requester first: " + debug2.substring(0, 300));
      int records = debug2.split("\n\ngoroutine ").length;
      int parked = countOf(debug2, PARKED + "(...)\n\tThreadsChild.java:");
      assertEquals(500, parked);
      assertTrue(records >= 502, "records: " + records);
      assertTrue(
          debug2.contains("[chan receive on java.util.concurrent.CountDownLatch@"),
          debug2.substring(0, 2000));

      HttpResponse<byte[]> delta = child.get("goroutine?seconds=1");
      assertEquals(200, delta.statusCode());
      assertEquals(
          "attachment; filename=\"goroutine-delta\"",
          delta.headers().firstValue("Content-Disposition").orElse(""));
      ProfileValidator.checkGoConventions(Profiles.parse(delta.body()));
      assertEquals("", child.stdout());
    }
  }

  @Test
  void tenThousandVirtualThreadsAreCountedOnJdk25() throws Exception {
    assumeTrue(Files.isExecutable(ChildJvm.JDK25.resolve("bin/java")), "no JDK 25");
    try (ChildJvm child = new ChildJvm(ChildJvm.JDK25, dir, ThreadsChild.class, "10", "10000")) {
      Profile p = Profiles.parse(child.get("goroutine").body());
      ProfileValidator.checkGoConventions(p);
      Sample s = onlySampleIn(p, VIRTUAL);
      assertEquals(10_000, s.getValue(0));
      assertEquals("WAITING", label(p, s, "state"));
      assertEquals(10, onlySampleIn(p, PARKED).getValue(0));
      String debug1 = child.text("goroutine?debug=1");
      assertTrue(debug1.contains("\n10000 @ 0x"), debug1.substring(0, 500));
      String debug2 = child.text("goroutine?debug=2");
      assertEquals(10_000, countOf(debug2, VIRTUAL + "(...)\n\tThreadsChild.java:"));
      assertTrue(
          debug2.contains(", labels:{\"state\":\"WAITING\", \"virtual\":\"true\"}]:\n"),
          debug2.substring(0, 3000));
      assertEquals("", child.stdout());
      assertTrue(!child.stderr().contains("WARNING"), child.stderr());
    }
  }

  static int countOf(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  /** The one sample whose stack holds {@code function}; fails if there are several or none. */
  static Sample onlySampleIn(Profile p, String function) {
    Map<Long, String> functions = new HashMap<>();
    for (Function f : p.getFunctionList()) {
      functions.put(f.getId(), p.getStringTable((int) f.getName()));
    }
    Map<Long, Location> locations = new HashMap<>();
    p.getLocationList().forEach(l -> locations.put(l.getId(), l));
    Sample found = null;
    for (Sample s : p.getSampleList()) {
      boolean hit =
          s.getLocationIdList().stream()
              .anyMatch(
                  id ->
                      locations.get(id).getLineList().stream()
                          .anyMatch(l -> function.equals(functions.get(l.getFunctionId()))));
      if (hit) {
        assertTrue(found == null, "two samples in " + function);
        found = s;
      }
    }
    assertTrue(found != null, "no sample in " + function);
    return found;
  }

  static String label(Profile p, Sample s, String key) {
    for (Label l : s.getLabelList()) {
      if (p.getStringTable((int) l.getKey()).equals(key)) {
        return p.getStringTable((int) l.getStr());
      }
    }
    return null;
  }
}
