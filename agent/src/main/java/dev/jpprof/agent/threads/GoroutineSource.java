package dev.jpprof.agent.threads;

import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.agent.threads.GoroutineGroups.Group;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.ProfileBuilder;
import dev.jpprof.pprof.ProfileBuilder.Frame;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * /debug/pprof/goroutine: every live thread, platform and (JDK 21+) virtual, as Go's goroutine
 * profile. Protobuf and debug=1 group threads by stack and labels (goroutine/count); debug=2 lists
 * each thread with a Go wait reason. Dumps run on the server's worker threads.
 */
public final class GoroutineSource implements ProfileSource {
  private final SourceInfo sources;
  private final int depth;
  private final CreationStacks creations;
  private final WaitClock clock = new WaitClock();

  /**
   * @param sources source files and first lines of Java methods, as the CPU profile uses
   * @param depth the deepest stack kept in the protobuf and debug=1 (debug=2 prints all)
   * @param creations where threads were started, for debug=2's {@code created by} lines
   */
  public GoroutineSource(SourceInfo sources, int depth, CreationStacks creations) {
    this.sources = sources;
    this.depth = depth;
    this.creations = creations;
  }

  /**
   * Live platform threads. Virtual threads are in the profile but not in this count: counting them
   * takes a full thread dump, and the index page must stay cheap.
   */
  @Override
  public long count() {
    return PlatformThreads.count();
  }

  @Override
  public Profile snapshot() throws Exception {
    ThreadDump dump = ThreadDump.take(true, depth);
    return profile(dump.timeNanos, groups(dump), sources.batch());
  }

  @Override
  public String text(int debug) throws Exception {
    if (debug < 0) {
      return null; // Go writes the protobuf for a negative debug, too
    }
    // debug=2 prints a deep stack's outermost frames too, so it takes whole stacks.
    ThreadDump dump = ThreadDump.take(true, debug == 1 ? depth : Integer.MAX_VALUE);
    if (debug == 1) {
      return GoroutineText.write(
          "goroutine", groups(dump), dump.threads.size(), FrameAddresses.SHARED);
    }
    Map<Long, String> reasons = new HashMap<>();
    for (ThreadSample t : dump.threads) {
      reasons.put(t.id, WaitReason.of(t, t.id == dump.requesterId));
    }
    Map<Long, Long> minutes = clock.minutes(dump.threads, reasons, System.nanoTime());
    return GoroutineDump.write(dump, reasons, minutes, creations);
  }

  private List<Group> groups(ThreadDump dump) {
    return GoroutineGroups.of(dump.threads, depth, FrameAddresses.SHARED);
  }

  /** Go's goroutine profile: goroutine/count samples, period goroutine/count 1, in group order. */
  static Profile profile(long timeNanos, List<Group> groups, SourceInfo.Batch sources) {
    return profile("goroutine", timeNanos, groups, sources);
  }

  /** Go's count profiles (goroutine, threadcreate): NAME/count samples, period NAME/count 1. */
  static Profile profile(
      String name, long timeNanos, List<Group> groups, SourceInfo.Batch sources) {
    ProfileBuilder b =
        new ProfileBuilder(timeNanos, FrameAddresses.SHARED)
            .sampleType(name, "count")
            .period(name, "count", 1);
    for (Group g : groups) {
      long[] ids = new long[g.stack.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = b.location(frame(g.stack[i], sources));
      }
      b.addSample(ids, new long[] {g.count}, g.labels);
    }
    return b.build();
  }

  /** A Java frame as the CPU profile writes it: source file, first line, line. */
  static Frame frame(StackTraceElement e, SourceInfo.Batch sources) {
    return sources.frame(e);
  }
}
