package dev.jpprof.pprof;

import static dev.jpprof.pprof.TestProfiles.COMPUTE;
import static dev.jpprof.pprof.TestProfiles.MAIN;
import static dev.jpprof.pprof.TestProfiles.MAX;
import static dev.jpprof.pprof.TestProfiles.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpprof.pprof.ProfileBuilder.Frame;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {
  @Test
  void roundTripThroughGzipKeepsEveryField() throws Exception {
    for (Profile built : List.of(TestProfiles.cpu(), TestProfiles.heap())) {
      Profile parsed = Profiles.parse(Profiles.gzip(built));
      ProfileValidator.checkGoConventions(parsed);
      assertEquals(built, parsed);
      assertEquals(ProfileText.dump(built), ProfileText.dump(parsed));
    }
  }

  @Test
  void toGzipIsBuildThenGzip() throws Exception {
    ProfileBuilder b =
        new ProfileBuilder(1, TestProfiles.ADDRESSES).sampleType("goroutine", "count");
    b.addSample(new long[] {b.location(MAIN)}, new long[] {7}, Labels.NONE);
    Profile p = Profiles.parse(b.toGzip());
    ProfileValidator.checkGoConventions(p);
    assertEquals(Map.of("com.example.App.main:14 []", List.of(7L)), TestProfiles.stacks(p));
  }

  @Test
  void stringZeroIsEmptyAndEachStringIsStoredOnce() {
    Profile p = TestProfiles.cpu();
    assertEquals("", p.getStringTable(0));
    assertEquals(p.getStringTableCount(), new HashSet<>(p.getStringTableList()).size());
    // First-use order: sample types, then the period type reuses "cpu" and "nanoseconds".
    assertEquals(
        List.of("", "samples", "count", "cpu", "nanoseconds", "java.lang.Math.max"),
        p.getStringTableList().subList(0, 6));
  }

  @Test
  void idsCountFromOneInFirstUseOrderAndFramesAreReused() {
    ProfileBuilder b = new ProfileBuilder(0, TestProfiles.ADDRESSES);
    assertEquals(1, b.location(List.of(MAX, COMPUTE)));
    assertEquals(2, b.location(WORK));
    assertEquals(1, b.location(List.of(MAX, COMPUTE)));
    assertEquals(2, b.location(new Frame(WORK.name, WORK.fileName, WORK.startLine, WORK.line)));
    // Another line of a known function is a new location but the same function.
    assertEquals(3, b.location(new Frame(WORK.name, WORK.fileName, WORK.startLine, 26)));
    Profile p = b.build();
    assertEquals(3, p.getFunctionCount());
    for (int i = 0; i < p.getFunctionCount(); i++) {
      assertEquals(i + 1, p.getFunction(i).getId());
    }
    assertEquals(
        List.of(1L, 2L, 3L),
        List.of(p.getLocation(0).getId(), p.getLocation(1).getId(), p.getLocation(2).getId()));
    assertEquals(3, p.getLocation(2).getLine(0).getFunctionId());
    assertEquals(26, p.getLocation(2).getLine(0).getLine());
    assertEquals("java.lang.Math.max", p.getStringTable((int) p.getFunction(0).getName()));
    assertEquals("com.example.App.compute", p.getStringTable((int) p.getFunction(1).getName()));
  }

  @Test
  void samplesWithSameLocationsAndLabelsAreAddedUp() {
    Map<String, List<Long>> stacks = TestProfiles.stacks(TestProfiles.cpu());
    assertEquals(
        Map.of(
            "java.lang.Math.max:2041+com.example.App.compute:33;com.example.App.work:25;"
                + "com.example.App.main:14 [thread=main]",
            List.of(3L, 30_000_000L),
            "com.example.App.work:25;com.example.App.main:14 [thread=main]",
            List.of(1L, 10_000_000L),
            "com.example.App.work:25;com.example.App.main:14 [thread=worker-1]",
            List.of(2L, 20_000_000L)),
        stacks);
  }

  @Test
  void numericLabelsTakePartInTheKeyWhateverTheirOrder() {
    ProfileBuilder b =
        new ProfileBuilder(0, TestProfiles.ADDRESSES).sampleType("alloc_objects", "count");
    long[] stack = {b.location(MAIN)};
    b.addSample(stack, new long[] {1}, Labels.NONE.withNum("bytes", 64).with("pool", "a"));
    b.addSample(stack, new long[] {2}, Labels.of("pool", "a").withNum("bytes", 64));
    b.addSample(stack, new long[] {4}, Labels.NONE.withNum("bytes", 128).with("pool", "a"));
    b.addSample(stack, new long[] {8}, Labels.NONE.withNum("bytes", 64));
    assertEquals(3, b.sampleCount());
    Profile p = b.build();
    assertEquals(
        Map.of(
            "com.example.App.main:14 [bytes=64, pool=a]", List.of(3L),
            "com.example.App.main:14 [bytes=128, pool=a]", List.of(4L),
            "com.example.App.main:14 [bytes=64]", List.of(8L)),
        TestProfiles.stacks(p));
    assertEquals(0, p.getSample(0).getLabel(0).getStr(), "a numeric label has no string");
    assertEquals(64, p.getSample(0).getLabel(0).getNum());
  }

  @Test
  void addSampleRejectsWhatPprofWouldReject() {
    ProfileBuilder b = new ProfileBuilder(0, TestProfiles.ADDRESSES).sampleType("samples", "count");
    long main = b.location(MAIN);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b.addSample(new long[] {main}, new long[] {1, 2}, Labels.NONE));
    assertEquals("sample has 2 values but the profile has 1 types", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b.addSample(new long[] {main, 2}, new long[] {1}, Labels.NONE));
    assertEquals("unknown location id 2", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> b.addSample(new long[] {0}, new long[] {1}, Labels.NONE));
  }

  @Test
  void buildOnlyOnce() {
    ProfileBuilder b = new ProfileBuilder(0, TestProfiles.ADDRESSES);
    b.build();
    IllegalStateException e = assertThrows(IllegalStateException.class, b::toGzip);
    assertEquals("build() was already called", e.getMessage());
  }
}
