package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.testing.GoPprof;
import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a scraper that computes deltas on its side needs: Grafana Alloy's fastdelta identifies a
 * sample by its locations' addresses plus its labels, pprof by its frames (function, file, line per
 * line of each location) plus its labels. On two cumulative scrapes of allocs, block and mutex from
 * a demo JVM, the two identities must agree one to one (no two stacks share addresses, no stack
 * changes addresses between scrapes), and no sample's value may go down from one scrape to the
 * next. The godeltaprof paths (delta_*) are read against the cumulative ones: two delta_block
 * answers in a row sum to no more than block read after them, and the first holds all of block read
 * before.
 */
class ScrapeIdentityTest {
  private static final Pattern ZERO_ADDRESS = Pattern.compile("(?m)^\\s+\\d+: 0x0 ");

  @EveryJdk
  void alloyAndPprofIdentitiesAgreeAndCumulativeValuesOnlyGrow(Jdk jdk, @TempDir Path dir)
      throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("port=0,block.rate=100us,mutex.fraction=1,alloc.rate=4096")
            .main("dev.jpprof.demo.Contention", "300")
            .start()) {
      Map<String, List<ProfileView>> scrapes = new HashMap<>();
      for (int round = 1; round <= 2; round++) {
        jvm.send("run 2");
        int runs = round;
        Waits.await(
            Duration.ofSeconds(60),
            () -> count(jvm.stderrLines(), "contention done") >= runs,
            jvm::describe);
        for (String name : List.of("allocs", "block", "mutex")) {
          scrapes.computeIfAbsent(name, k -> new ArrayList<>()).add(fetch(jvm, name, dir));
        }
      }
      for (String name : List.of("allocs", "block", "mutex")) {
        ProfileView first = scrapes.get(name).get(0);
        ProfileView second = scrapes.get(name).get(1);
        assertTrue(second.profile.getSampleCount() > 0, name + " has samples");
        Map<String, String> alloyToPprof = new HashMap<>();
        Map<String, String> pprofToAlloy = new HashMap<>();
        for (ProfileView v : List.of(first, second)) {
          for (Sample s : v.profile.getSampleList()) {
            String alloy = alloyKey(v, s);
            String pprof = pprofKey(v, s);
            String before = alloyToPprof.putIfAbsent(alloy, pprof);
            assertTrue(
                before == null || before.equals(pprof),
                name + ": two stacks with one Alloy identity:\n" + before + "\n" + pprof);
            before = pprofToAlloy.putIfAbsent(pprof, alloy);
            assertTrue(
                before == null || before.equals(alloy),
                name + ": one stack with two Alloy identities:\n" + before + "\n" + alloy);
          }
        }
        // allocs: alloc_objects and alloc_space are cumulative (inuse_* may fall); block and
        // mutex: contentions and delay.
        int cumulative = 2;
        Map<String, long[]> then = sums(first, cumulative, ScrapeIdentityTest::pprofKey);
        Map<String, long[]> now = sums(second, cumulative, ScrapeIdentityTest::pprofKey);
        int compared = 0;
        for (Map.Entry<String, long[]> e : then.entrySet()) {
          long[] later = now.get(e.getKey());
          if (later == null) {
            // Go's allocs too: the bytes label is the bucket's average size, so a bucket whose
            // average changed is a new sample. Block and mutex records never go away.
            assertEquals("allocs", name, "a " + name + " sample disappeared: " + e.getKey());
            continue;
          }
          compared++;
          for (int i = 0; i < cumulative; i++) {
            assertTrue(
                later[i] >= e.getValue()[i],
                name
                    + " value "
                    + i
                    + " went down from "
                    + e.getValue()[i]
                    + " to "
                    + later[i]
                    + " at "
                    + e.getKey());
          }
        }
        assertTrue(compared > 0, name + ": no sample in both scrapes");
        printAlloyDelta(jdk, name, first, second, cumulative);
      }

      // godeltaprof's delta_block: each answer is the change since the previous request to the
      // path, the first one everything so far. The JVM's threads keep waiting while we read (idle
      // demo threads, JDK housekeeping with timed waits), so a second delta need not be empty;
      // what must hold per stack is the bracket: cumulative before <= first delta, and first +
      // second delta <= cumulative after. A second delta that repeated the first breaks the
      // latter, one that lost events the former.
      Map<String, long[]> before = sums(fetch(jvm, "block", dir), 2, ScrapeIdentityTest::pprofKey);
      ProfileView all = fetch(jvm, "delta_block", dir);
      ProfileView since = fetch(jvm, "delta_block", dir);
      Map<String, long[]> after = sums(fetch(jvm, "block", dir), 2, ScrapeIdentityTest::pprofKey);
      assertTrue(all.profile.getSampleCount() > 0, "the first delta is everything so far");
      Map<String, long[]> first = sums(all, 2, ScrapeIdentityTest::pprofKey);
      Map<String, long[]> second = sums(since, 2, ScrapeIdentityTest::pprofKey);
      assertTrue(
          after.keySet().containsAll(first.keySet()) && after.keySet().containsAll(second.keySet()),
          "a delta stack not in block");
      long[] none = new long[2];
      for (String stack : after.keySet()) {
        for (int i = 0; i < 2; i++) {
          long b = before.getOrDefault(stack, none)[i];
          long d1 = first.getOrDefault(stack, none)[i];
          long d2 = second.getOrDefault(stack, none)[i];
          long a = after.get(stack)[i];
          assertTrue(
              b <= d1 && d1 + d2 <= a,
              String.format(
                  "delta_block value %d: %d <= %d, %d + %d <= %d at %s",
                  i, b, d1, d1, d2, a, stack));
        }
      }
      ProfileView heap = fetch(jvm, "delta_heap", dir);
      assertEquals(HeapChecks.SAMPLE_TYPES, heap.sampleTypes());
      assertEquals(0, jvm.stdout().length, "nothing on stdout");
    }
  }

  /** Fetches, checks Go's conventions and that go tool pprof reads it with no zero address. */
  private static ProfileView fetch(AgentJvm jvm, String name, Path dir) {
    Http.Response r = Http.get(jvm.port(), "/debug/pprof/" + name);
    assertEquals(200, r.status(), r::text);
    assertTrue(r.header("Content-Type").startsWith("application/octet-stream"));
    ProfileView v = ProfileView.parse(r.body());
    v.assertGoConventions();
    for (Location l : v.profile.getLocationList()) {
      assertTrue(l.getAddress() != 0, name + ": location " + l.getId() + " has address 0");
    }
    Path file = dir.resolve(name + ".pb.gz");
    try {
      Files.write(file, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GoPprof.Result raw = GoPprof.ok("-raw", file.toString());
    assertTrue(!ZERO_ADDRESS.matcher(raw.stdout).find(), raw::toString);
    return v;
  }

  /** fastdelta's identity: each location's address, in order, then the labels. */
  private static String alloyKey(ProfileView v, Sample s) {
    StringBuilder key = new StringBuilder();
    for (long id : s.getLocationIdList()) {
      key.append(Long.toHexString(location(v, id).getAddress())).append(' ');
    }
    return key.append(labels(v, s)).toString();
  }

  /** pprof's identity: each location's lines (function, file, line), then the labels. */
  private static String pprofKey(ProfileView v, Sample s) {
    StringBuilder key = new StringBuilder();
    for (long id : s.getLocationIdList()) {
      for (Line line : location(v, id).getLineList()) {
        Function f = v.function(line.getFunctionId());
        key.append(v.string(f.getName()))
            .append('@')
            .append(v.string(f.getFilename()))
            .append(':')
            .append(line.getLine())
            .append(';');
      }
      key.append('|');
    }
    return key.append(labels(v, s)).toString();
  }

  private static Location location(ProfileView v, long id) {
    return v.profile.getLocation((int) id - 1); // Go's conventions: ids 1, 2, 3… in order
  }

  private static String labels(ProfileView v, Sample s) {
    List<String> labels = new ArrayList<>();
    for (Label l : s.getLabelList()) {
      labels.add(
          v.string(l.getKey())
              + "="
              + v.string(l.getStr())
              + l.getNum()
              + v.string(l.getNumUnit()));
    }
    labels.sort(null);
    return labels.toString();
  }

  /**
   * The delta Alloy would send for this interval, computed its way (per address identity, second
   * scrape minus first), printed for the record: its largest entry with its leaf frame.
   */
  private static void printAlloyDelta(
      Jdk jdk, String name, ProfileView first, ProfileView second, int n) {
    Map<String, long[]> then = sums(first, n, ScrapeIdentityTest::alloyKey);
    Map<String, long[]> now = sums(second, n, ScrapeIdentityTest::alloyKey);
    String top = null;
    long[] topDelta = new long[n];
    for (Map.Entry<String, long[]> e : now.entrySet()) {
      long[] before = then.getOrDefault(e.getKey(), new long[n]);
      long[] delta = new long[n];
      for (int i = 0; i < n; i++) {
        delta[i] = e.getValue()[i] - before[i];
      }
      if (top == null || delta[n - 1] > topDelta[n - 1]) {
        top = e.getKey();
        topDelta = delta;
      }
    }
    String leaf = "";
    for (Sample s : second.profile.getSampleList()) {
      if (alloyKey(second, s).equals(top)) {
        leaf = pprofKey(second, s).split("\\|")[0];
        break;
      }
    }
    System.out.printf(
        "ScrapeIdentityTest %s: %s Alloy-way delta over %d identities (scrapes of %d and %d"
            + " samples): largest %s %s at addresses [%s] (leaf %s)%n",
        jdk,
        name,
        now.size(),
        first.profile.getSampleCount(),
        second.profile.getSampleCount(),
        second.sampleTypes().subList(0, n),
        Arrays.toString(topDelta),
        top,
        leaf);
  }

  /** The first {@code n} values summed per identity. */
  private static Map<String, long[]> sums(
      ProfileView v, int n, BiFunction<ProfileView, Sample, String> key) {
    Map<String, long[]> sums = new HashMap<>();
    for (Sample s : v.profile.getSampleList()) {
      long[] sum = sums.computeIfAbsent(key.apply(v, s), k -> new long[n]);
      for (int i = 0; i < n; i++) {
        sum[i] += s.getValue(i);
      }
    }
    return sums;
  }

  private static long count(List<String> lines, String line) {
    return lines.stream().filter(line::equals).count();
  }
}
