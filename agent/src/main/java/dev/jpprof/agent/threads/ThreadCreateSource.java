package dev.jpprof.agent.threads;

import dev.jpprof.agent.frames.FrameLines;
import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.agent.threads.GoroutineGroups.Group;
import dev.jpprof.instrumentation.threads.ThreadRecorder;
import dev.jpprof.instrumentation.threads.ThreadStarts;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.Labels;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * /debug/pprof/threadcreate: the stacks that started threads, from the hook on {@code Thread.start}
 * — the JVM's answer to "who keeps creating threads". Also the {@link CreationStacks} behind
 * goroutine debug=2's {@code created by} lines. Threads started before the hook was installed (the
 * JVM's own, and a few at startup) are not in it.
 */
public final class ThreadCreateSource implements ProfileSource, CreationStacks {
  private final Supplier<ThreadStarts> starts;
  private final SourceInfo sources;
  private final FrameAddresses addresses;

  /**
   * @param starts the installed engine, or null while there is none
   */
  public ThreadCreateSource(
      Supplier<ThreadStarts> starts, SourceInfo sources, FrameAddresses addresses) {
    this.starts = starts;
    this.sources = sources;
    this.addresses = addresses;
  }

  /** Go: threads ever created (here: started since the hook was installed). */
  @Override
  public long count() {
    ThreadStarts s = starts.get();
    return s == null ? 0 : s.total();
  }

  @Override
  public Profile snapshot() {
    return GoroutineSource.profile(
        "threadcreate", System.currentTimeMillis() * 1_000_000L, groups(), sources.batch());
  }

  @Override
  public String text(int debug) {
    return GoroutineText.write("threadcreate", groups(), count(), addresses);
  }

  @Override
  public Creation find(long threadId) {
    ThreadStarts s = starts.get();
    ThreadRecorder.Creation c = s == null ? null : s.creation(threadId);
    return c == null ? null : new Creation(c.parentId, c.stack);
  }

  /** Records as Go's count-profile groups: count descending, then by key text. */
  private List<Group> groups() {
    ThreadStarts s = starts.get();
    List<Group> groups = new ArrayList<>();
    if (s == null) {
      return groups;
    }
    for (ThreadRecorder.Record r : s.snapshot()) {
      long[] pcs = FrameLines.pcs(r.stack, addresses);
      Group g = new Group(r.stack, pcs, Labels.NONE);
      g.count = r.count;
      g.key = GoroutineGroups.keyText(pcs, Labels.NONE);
      groups.add(g);
    }
    groups.sort(
        (a, b) -> a.count != b.count ? Long.compare(b.count, a.count) : a.key.compareTo(b.key));
    return groups;
  }
}
