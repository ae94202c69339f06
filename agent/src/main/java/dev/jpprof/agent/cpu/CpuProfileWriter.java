package dev.jpprof.agent.cpu;

import dev.jpprof.agent.frames.ClassSource;
import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.Labels;
import dev.jpprof.pprof.ProfileBuilder;
import dev.jpprof.pprof.ProfileBuilder.Frame;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns counted samples into the pprof profiles Go serves: CPU as {@code /debug/pprof/profile},
 * wall-clock as fgprof's {@code /debug/fgprof}.
 */
final class CpuProfileWriter {
  private CpuProfileWriter() {}

  /** The two kinds of profile: what the second sample type and the period are called. */
  enum Kind {
    /** Go's CPU profile: samples/count, cpu/nanoseconds, period cpu/nanoseconds. */
    CPU("cpu", "cpu"),
    /** Go's fgprof: samples/count, time/nanoseconds, period wallclock/nanoseconds. */
    WALL("time", "wallclock");

    final String valueType;
    final String periodType;

    Kind(String valueType, String periodType) {
      this.valueType = valueType;
      this.periodType = periodType;
    }
  }

  /**
   * Builds the profile: sample types samples/count and the kind's value type in nanoseconds with
   * values [n, n × interval], period = interval; a {@code thread} label on every sample, and a
   * {@code state} label (a wall sample's thread state: runnable, sleeping…) where the engine knows
   * it.
   */
  static Profile write(
      Kind kind,
      Map<Stack, Long> counts,
      long startEpochNanos,
      long durationNanos,
      long intervalNanos,
      String comment,
      SourceInfo.Batch sources) {
    ProfileBuilder profile =
        new ProfileBuilder(startEpochNanos, FrameAddresses.SHARED)
            .sampleType("samples", "count")
            .sampleType(kind.valueType, "nanoseconds")
            .period(kind.periodType, "nanoseconds", intervalNanos)
            .durationNanos(durationNanos)
            .comment(comment);
    return samples(profile, counts, intervalNanos, sources);
  }

  private static Profile samples(
      ProfileBuilder profile,
      Map<Stack, Long> counts,
      long intervalNanos,
      SourceInfo.Batch sources) {
    Map<RawFrame, Frame> frames = new HashMap<>();
    for (Map.Entry<Stack, Long> sample : counts.entrySet()) {
      Stack stack = sample.getKey();
      List<List<RawFrame>> locations = group(stack.frames);
      long[] ids = new long[locations.size()];
      for (int i = 0; i < ids.length; i++) {
        List<Frame> lines = new ArrayList<>(locations.get(i).size());
        for (RawFrame raw : locations.get(i)) {
          lines.add(frames.computeIfAbsent(raw, f -> frame(f, sources)));
        }
        ids[i] = profile.location(lines);
      }
      long n = sample.getValue();
      Labels labels = Labels.of("thread", stack.thread);
      if (!stack.state.isEmpty()) {
        labels = labels.with("state", stack.state);
      }
      profile.addSample(ids, new long[] {n, n * intervalNanos}, labels);
    }
    return profile.build();
  }

  /**
   * Splits a leaf-first stack into physical frames. JFR marks a frame Inlined when it was compiled
   * into the frame below it (its caller), so each run of Inlined frames belongs to the next
   * non-inlined frame; the group lists them innermost first, the physical frame last, which is
   * pprof's order for a Location's lines.
   */
  static List<List<RawFrame>> group(RawFrame[] leafFirst) {
    List<List<RawFrame>> locations = new ArrayList<>();
    List<RawFrame> current = new ArrayList<>(1);
    for (RawFrame f : leafFirst) {
      current.add(f);
      if (f.type != RawFrame.INLINED) {
        locations.add(current);
        current = new ArrayList<>(1);
      }
    }
    if (!current.isEmpty()) {
      locations.add(current); // a stack cut by jstackdepth can end inside an inlined run
    }
    return locations;
  }

  /** One pprof line: Java frames get the source file and first line; native ones a bare name. */
  static Frame frame(RawFrame raw, SourceInfo.Batch sources) {
    if (!raw.isJava()) {
      return new Frame(raw.functionName(), "", 0, 0);
    }
    ClassSource source = sources.get(raw.className);
    return new Frame(
        raw.functionName(), source.file, source.firstLine(raw.method, raw.descriptor), raw.line);
  }
}
