package dev.jpprof.agent.threads;

import dev.jpprof.agent.frames.FrameLines;
import dev.jpprof.agent.threads.GoroutineGroups.Group;
import dev.jpprof.pprof.FrameAddresses;
import java.util.List;

/**
 * The debug=1 text of Go's count profiles (runtime/pprof printCountProfile), which {@code go tool
 * pprof} parses:
 *
 * <pre>
 * goroutine profile: total 502
 * 500 @ 0x10000011 0x10010011
 * # labels: {"pool":"pool-1", "state":"WAITING"}
 * #	0x10000010	jdk.internal.misc.Unsafe.park+0x0	Unsafe.java:0
 * #	0x10010010	java.util.concurrent.locks.LockSupport.park+0x0	LockSupport.java:371
 * </pre>
 *
 * The stack lines are {@link FrameLines}', shared with the other text profiles.
 */
final class GoroutineText {
  private GoroutineText() {}

  static String write(String name, List<Group> groups, long total, FrameAddresses addresses) {
    StringBuilder b = new StringBuilder(256 * (groups.size() + 1));
    b.append(name).append(" profile: total ").append(total).append('\n');
    for (Group g : groups) {
      b.append(g.count).append(' ').append(g.key).append('\n');
      FrameLines.write(b, g.stack, g.pcs, addresses);
      b.append('\n');
    }
    return b.toString();
  }
}
