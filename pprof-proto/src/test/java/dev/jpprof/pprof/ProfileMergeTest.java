package dev.jpprof.pprof;

import static dev.jpprof.pprof.TestProfiles.ALLOC;
import static dev.jpprof.pprof.TestProfiles.MAIN;
import static dev.jpprof.pprof.TestProfiles.PERIOD;
import static dev.jpprof.pprof.TestProfiles.TIME;
import static dev.jpprof.pprof.TestProfiles.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpprof.pprof.ProfileBuilder.Frame;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileMergeTest {
  private static final Frame IDLE =
      new Frame("com.example.Idle.run", "com/example/Idle.java", 5, 6);
  private static final Frame OLD = new Frame("com.example.Old.gone", "com/example/Old.java", 7, 8);
  private static final Frame FRESH =
      new Frame("com.example.App.fresh", "com/example/App.java", 50, 51);
  private static final String INLINED_WORK_MAIN =
      "java.lang.Math.max:2041+com.example.App.compute:33;com.example.App.work:25;"
          + "com.example.App.main:14";

  @Test
  void mergeAddsOverlappingStacksAndCombinesHeaders() throws Exception {
    // Locations made in another order than in cpu(), so equal stacks have different ids.
    ProfileBuilder b =
        new ProfileBuilder(TIME - 5, TestProfiles.ADDRESSES)
            .sampleType("samples", "count")
            .sampleType("cpu", "nanoseconds")
            .period("cpu", "nanoseconds", 2 * PERIOD)
            .defaultSampleType("cpu")
            .durationNanos(5_000_000_000L)
            .comment("second")
            .comment("shared");
    long main = b.location(MAIN);
    long idle = b.location(IDLE);
    long work = b.location(WORK);
    b.addSample(new long[] {work, main}, new long[] {4, 4 * PERIOD}, Labels.of("thread", "main"));
    b.addSample(new long[] {idle, main}, new long[] {1, PERIOD}, Labels.NONE);
    Profile first =
        TestProfiles.cpu().toBuilder()
            .addStringTable("shared")
            .addComment(TestProfiles.cpu().getStringTableCount())
            .build();

    Profile merged = ProfileMerge.merge(List.of(first, b.build()));

    ProfileValidator.checkGoConventions(merged);
    assertEquals(
        Map.of(
            INLINED_WORK_MAIN + " [thread=main]",
            List.of(3L, 30_000_000L),
            "com.example.App.work:25;com.example.App.main:14 [thread=main]",
            List.of(5L, 50_000_000L),
            "com.example.App.work:25;com.example.App.main:14 [thread=worker-1]",
            List.of(2L, 20_000_000L),
            "com.example.Idle.run:6;com.example.App.main:14 []",
            List.of(1L, 10_000_000L)),
        TestProfiles.stacks(merged));
    assertEquals(TIME - 5, merged.getTimeNanos());
    assertEquals(15_000_000_000L, merged.getDurationNanos());
    assertEquals(2 * PERIOD, merged.getPeriod());
    assertEquals("cpu", str(merged, merged.getDefaultSampleType()));
    assertEquals(
        List.of("shared", "second"),
        List.of(str(merged, merged.getComment(0)), str(merged, merged.getComment(1))));
    assertEquals(1, merged.getMappingCount(), "both mappings are the same 'java' mapping");
    assertEquals(5, merged.getFunctionCount());
    Golden.assertMatches("cpu-merged.txt", ProfileText.dump(merged));
  }

  @Test
  void timeIsTheEarliestNonZero() throws Exception {
    Profile zero = TestProfiles.cpu().toBuilder().setTimeNanos(0).build();
    Profile later = TestProfiles.cpu().toBuilder().setTimeNanos(TIME + 1).build();
    assertEquals(TIME, ProfileMerge.merge(List.of(zero, later, TestProfiles.cpu())).getTimeNanos());
  }

  @Test
  void mergeOfOneProfileRenumbersAndCompacts() throws Exception {
    Profile p =
        TestProfiles.cpu().toBuilder()
            .setSample(2, TestProfiles.cpu().getSample(2).toBuilder().setValue(0, 0).setValue(1, 0))
            .build();
    Profile compact = ProfileMerge.merge(List.of(NativeProfiles.sparseIds(p)));
    ProfileValidator.checkGoConventions(compact);
    assertEquals(2, compact.getSampleCount(), "the all-zero sample is dropped");
    assertEquals(ProfileText.dump(ProfileMerge.merge(List.of(p))), ProfileText.dump(compact));
  }

  @Test
  void mappingsMatchByFileAndSizeWhereverTheyWereLoaded() throws Exception {
    Profile a = NativeProfiles.app(TIME, 0x400000, 3);
    Profile b = NativeProfiles.app(TIME, 0x7f0000, 4);
    Profile merged = ProfileMerge.merge(List.of(a, b));
    // Not checkGoConventions: the unmapped location stays unmapped, which Go never writes.
    ProfileValidator.check(merged);
    assertEquals(
        List.of(1L, 2L, 3L),
        List.of(
            merged.getLocation(0).getId(),
            merged.getLocation(1).getId(),
            merged.getLocation(2).getId()));
    Golden.assertMatches("native-merged.txt", ProfileText.dump(merged));
  }

  @Test
  void mergeRejectsOtherSampleOrPeriodTypes() {
    Profile fewer =
        new ProfileBuilder(TIME, TestProfiles.ADDRESSES)
            .sampleType("samples", "count")
            .period("cpu", "nanoseconds", PERIOD)
            .build();
    InvalidProfileException e =
        assertThrows(
            InvalidProfileException.class,
            () -> ProfileMerge.merge(List.of(TestProfiles.cpu(), fewer)));
    assertEquals("incompatible sample types", e.reason());
    assertEquals(
        "incompatible sample types: profile 0 has [samples/count cpu/nanoseconds], "
            + "profile 1 has [samples/count]",
        e.getMessage());

    e =
        assertThrows(
            InvalidProfileException.class,
            () ->
                ProfileMerge.merge(
                    List.of(TestProfiles.cpu(), TestProfiles.cpu(), TestProfiles.heap())));
    assertEquals(
        "incompatible period types: profile 0 has [cpu/nanoseconds], "
            + "profile 2 has [space/bytes]",
        e.getMessage());

    e = assertThrows(InvalidProfileException.class, () -> ProfileMerge.merge(List.of()));
    assertEquals("no profiles to merge", e.getMessage());
  }

  @Test
  void mergeRejectsAProfilePprofWouldReject() {
    Profile bad = TestProfiles.cpu().toBuilder().setStringTable(0, "x").build();
    InvalidProfileException e =
        assertThrows(
            InvalidProfileException.class,
            () -> ProfileMerge.merge(List.of(TestProfiles.cpu(), bad)));
    assertEquals("string_table[0] must be ''", e.getMessage());
  }

  @Test
  void deltaSubtractsTheStartAndDropsWhatDidNotChange() throws Exception {
    ProfileBuilder b0 = TestProfiles.heapHeader(TIME).defaultSampleType("alloc_space");
    long grow = b0.location(ALLOC);
    long work = b0.location(WORK);
    long main = b0.location(MAIN);
    long idle = b0.location(IDLE);
    long old = b0.location(OLD);
    b0.addSample(new long[] {grow, work, main}, new long[] {100, 6400, 40, 2560}, bytes(64));
    b0.addSample(new long[] {idle, main}, new long[] {5, 80, 5, 80}, bytes(16));
    b0.addSample(new long[] {old, main}, new long[] {1, 32, 1, 32}, bytes(32));

    ProfileBuilder b1 =
        TestProfiles.heapHeader(TIME + 30_000_000_000L).defaultSampleType("alloc_space");
    main = b1.location(MAIN);
    old = b1.location(OLD);
    work = b1.location(WORK);
    grow = b1.location(ALLOC);
    idle = b1.location(IDLE);
    long fresh = b1.location(FRESH);
    b1.addSample(new long[] {old, main}, new long[] {1, 32, 0, 0}, bytes(32));
    b1.addSample(new long[] {grow, work, main}, new long[] {150, 9600, 10, 640}, bytes(64));
    b1.addSample(new long[] {idle, main}, new long[] {5, 80, 5, 80}, bytes(16));
    b1.addSample(new long[] {fresh, main}, new long[] {2, 16, 2, 16}, bytes(8));

    Profile delta = ProfileMerge.delta(b0.build(), b1.build());

    ProfileValidator.checkGoConventions(delta);
    assertEquals(
        Map.of(
            "com.example.Cache.grow:42;com.example.App.work:25;com.example.App.main:14 [bytes=64]",
            List.of(50L, 3200L, -30L, -1920L),
            "com.example.Old.gone:8;com.example.App.main:14 [bytes=32]",
            List.of(0L, 0L, -1L, -32L),
            "com.example.App.fresh:51;com.example.App.main:14 [bytes=8]",
            List.of(2L, 16L, 2L, 16L)),
        TestProfiles.stacks(delta));
    assertFalse(
        delta.getStringTableList().contains("com.example.Idle.run"),
        "what only unchanged samples used is gone");
    assertEquals(TIME + 30_000_000_000L, delta.getTimeNanos());
    assertEquals(30_000_000_000L, delta.getDurationNanos());
    assertEquals(524288, delta.getPeriod());
    assertEquals("alloc_space", str(delta, delta.getDefaultSampleType()));
    Golden.assertMatches("heap-delta.txt", ProfileText.dump(delta));
  }

  @Test
  void deltaOfAProfileWithItselfIsEmpty() throws Exception {
    Profile delta = ProfileMerge.delta(TestProfiles.cpu(), TestProfiles.cpu());
    ProfileValidator.checkGoConventions(delta);
    assertEquals(0, delta.getSampleCount());
    assertEquals(0, delta.getLocationCount());
    assertEquals(0, delta.getDurationNanos());
  }

  @Test
  void scaleRoundsHalfAwayFromZeroAndDropsZeroSamples() {
    assertEquals(
        List.of(3L, -3L, 2L, -1L, 0L),
        List.of(
            ProfileMerge.roundHalfAway(2.5),
            ProfileMerge.roundHalfAway(-2.5),
            ProfileMerge.roundHalfAway(1.5),
            ProfileMerge.roundHalfAway(-0.5),
            ProfileMerge.roundHalfAway(0.49999999999999994)));
    Profile cpu = TestProfiles.cpu();
    Profile half = ProfileMerge.scale(cpu, 0.5);
    assertEquals(List.of(2L, 15_000_000L), half.getSample(0).getValueList());
    assertEquals(List.of(1L, 5_000_000L), half.getSample(1).getValueList());
    Profile tiny = ProfileMerge.scale(cpu, 1e-7);
    assertEquals(List.of(0L, 3L), tiny.getSample(0).getValueList(), "kept: one value is not 0");
    assertEquals(0, ProfileMerge.scale(cpu, 1e-8).getSampleCount());
    assertEquals(0, ProfileMerge.scale(cpu, 0).getSampleCount());
    assertSame(cpu, ProfileMerge.scale(cpu, 1));
  }

  @Test
  void negateIsExactBeyondDoublePrecision() {
    Profile big =
        TestProfiles.cpu().toBuilder()
            .setSample(0, TestProfiles.cpu().getSample(0).toBuilder().setValue(1, Long.MAX_VALUE))
            .build();
    assertEquals(
        List.of(-3L, -Long.MAX_VALUE), ProfileMerge.negate(big).getSample(0).getValueList());
  }

  private static Labels bytes(long n) {
    return Labels.NONE.withNum("bytes", n);
  }

  private static String str(Profile p, long index) {
    return p.getStringTable((int) index);
  }
}
