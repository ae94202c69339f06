package dev.jpprof.pprof;

import dev.jpprof.pprof.ProfileBuilder.Frame;
import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small profiles shaped like the ones the agent serves, for tests and golden dumps. */
final class TestProfiles {
  static final long TIME = 1_700_000_000_123_456_789L;
  static final long PERIOD = 10_000_000L;

  /**
   * One address space for every test profile, so profiles built apart still merge by address;
   * hashed, so golden files do not depend on which test asked for a frame first.
   */
  static final FrameAddresses ADDRESSES = FrameAddresses.hashing();

  static final Frame MAIN = new Frame("com.example.App.main", "com/example/App.java", 10, 14);
  static final Frame WORK = new Frame("com.example.App.work", "com/example/App.java", 20, 25);
  static final Frame COMPUTE = new Frame("com.example.App.compute", "com/example/App.java", 30, 33);
  static final Frame MAX = new Frame("java.lang.Math.max", "java/lang/Math.java", 2040, 2041);
  static final Frame ALLOC = new Frame("com.example.Cache.grow", "com/example/Cache.java", 40, 42);

  private TestProfiles() {}

  /**
   * A CPU profile as {@code /debug/pprof/profile} serves it: two sample types, 10 ms period, thread
   * labels, and one location where Math.max is inlined into compute.
   */
  static Profile cpu() {
    ProfileBuilder b =
        new ProfileBuilder(TIME, TestProfiles.ADDRESSES)
            .sampleType("samples", "count")
            .sampleType("cpu", "nanoseconds")
            .period("cpu", "nanoseconds", PERIOD)
            .durationNanos(10_000_000_000L);
    long inlined = b.location(List.of(MAX, COMPUTE));
    long work = b.location(WORK);
    long main = b.location(MAIN);
    for (int i = 0; i < 3; i++) {
      b.addSample(new long[] {inlined, work, main}, new long[] {1, PERIOD}, thread("main"));
    }
    b.addSample(new long[] {work, main}, new long[] {1, PERIOD}, thread("main"));
    b.addSample(new long[] {work, main}, new long[] {2, 2 * PERIOD}, thread("worker-1"));
    return b.build();
  }

  static Labels thread(String name) {
    return Labels.of("thread", name);
  }

  /** A heap profile: four sample types and the numeric {@code bytes} label, like Go's. */
  static Profile heap() {
    return heap(TIME, 100, 40);
  }

  /**
   * A heap profile whose Cache.grow stack holds {@code inuseObjects} live 64-byte objects out of
   * {@code allocObjects} allocated; the other stack never changes.
   */
  static Profile heap(long timeNanos, long allocObjects, long inuseObjects) {
    ProfileBuilder b = heapHeader(timeNanos);
    long grow = b.location(ALLOC);
    long work = b.location(WORK);
    long main = b.location(MAIN);
    b.addSample(
        new long[] {grow, work, main},
        new long[] {allocObjects, allocObjects * 64, inuseObjects, inuseObjects * 64},
        Labels.NONE.withNum("bytes", 64));
    b.addSample(
        new long[] {work, main}, new long[] {2, 2048, 1, 1024}, Labels.NONE.withNum("bytes", 1024));
    return b.build();
  }

  static ProfileBuilder heapHeader(long timeNanos) {
    return new ProfileBuilder(timeNanos, TestProfiles.ADDRESSES)
        .sampleType("alloc_objects", "count")
        .sampleType("alloc_space", "bytes")
        .sampleType("inuse_objects", "count")
        .sampleType("inuse_space", "bytes")
        .period("space", "bytes", 524288);
  }

  /**
   * The samples of {@code p} by content, independent of ids: "f:line;f:line {k=v}" (leaf first,
   * inlined lines joined by "+") mapped to the values. Fails on a duplicate key.
   */
  static Map<String, List<Long>> stacks(Profile p) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (Sample s : p.getSampleList()) {
      List<String> frames = new ArrayList<>();
      for (long id : s.getLocationIdList()) {
        Location l = p.getLocationList().stream().filter(x -> x.getId() == id).findFirst().get();
        List<String> lines = new ArrayList<>();
        for (Line line : l.getLineList()) {
          Function f =
              p.getFunctionList().stream()
                  .filter(x -> x.getId() == line.getFunctionId())
                  .findFirst()
                  .get();
          lines.add(p.getStringTable((int) f.getName()) + ":" + line.getLine());
        }
        frames.add(String.join("+", lines));
      }
      List<String> labels = new ArrayList<>();
      for (Label l : s.getLabelList()) {
        String v = l.getStr() != 0 ? p.getStringTable((int) l.getStr()) : Long.toString(l.getNum());
        labels.add(p.getStringTable((int) l.getKey()) + "=" + v);
      }
      String key = String.join(";", frames) + " " + labels;
      if (out.put(key, s.getValueList()) != null) {
        throw new AssertionError("two samples with " + key);
      }
    }
    return out;
  }
}
