package dev.jpprof.agent.threads;

import dev.jpprof.agent.frames.FrameLines;
import dev.jpprof.pprof.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * debug=2: one record per thread in the layout of a Go panic's traceback (what Go's
 * writeGoroutineStacks prints), the requesting thread first:
 *
 * <pre>
 * goroutine 31 [chan receive on java.util.concurrent.CountDownLatch@1b6d3586, 3 minutes,
 *   labels:{"pool":"pool-1", "state":"WAITING", "thread":"pool-1-thread-1"}]:
 * jdk.internal.misc.Unsafe.park(...)
 * 	Unsafe.java:0
 * java.util.concurrent.locks.LockSupport.park(...)
 * 	LockSupport.java:371
 * created by com.example.Main.start in goroutine 1
 * 	Main.java:20
 * </pre>
 *
 * (the header is one line, wrapped here). Java passes no argument words, so every frame prints
 * {@code (...)} as Go prints inlined frames, and there is no {@code +0x} offset. Labels follow Go
 * 1.27's {@code labels:{…}}.
 */
final class GoroutineDump {
  /** Go stops its dump at 64 MiB. */
  static final int MAX_CHARS = 64 << 20;

  /** Go prints the innermost and outermost 50 frames of a stack deeper than 100. */
  private static final int EDGE = 50;

  private GoroutineDump() {}

  static String write(
      ThreadDump dump,
      Map<Long, String> reasons,
      Map<Long, Long> minutes,
      CreationStacks creations) {
    List<ThreadSample> ordered = new ArrayList<>(dump.threads.size());
    for (ThreadSample t : dump.threads) {
      if (t.id == dump.requesterId) {
        ordered.add(0, t);
      } else {
        ordered.add(t);
      }
    }
    StringBuilder b = new StringBuilder(1024 * ordered.size());
    for (ThreadSample t : ordered) {
      if (b.length() > 0) {
        b.append('\n');
      }
      header(b, t, reasons.get(t.id), minutes.getOrDefault(t.id, 0L));
      frames(b, t.stack);
      CreationStacks.Creation created = creations.find(t.id);
      if (created != null) {
        createdBy(b, created);
      }
      if (b.length() >= MAX_CHARS) {
        b.setLength(MAX_CHARS);
        break;
      }
    }
    return b.toString();
  }

  static void header(StringBuilder b, ThreadSample t, String reason, long minutes) {
    b.append("goroutine ").append(t.id).append(" [").append(reason);
    if (minutes > 0) {
      b.append(", ").append(minutes).append(" minutes");
    }
    Labels labels = GoroutineGroups.labels(t);
    if (!t.name.isEmpty()) {
      labels = labels.with("thread", t.name);
    }
    if (t.virtual) {
      labels = labels.with("virtual", "true");
    }
    if (labels.size() > 0) {
      b.append(", labels:").append(GoQuote.labels(labels));
    }
    b.append("]:\n");
  }

  private static void frames(StringBuilder b, StackTraceElement[] stack) {
    if (stack.length <= 2 * EDGE) {
      for (StackTraceElement e : stack) {
        frame(b, e);
      }
      return;
    }
    for (int i = 0; i < EDGE; i++) {
      frame(b, stack[i]);
    }
    b.append("...").append(stack.length - 2 * EDGE).append(" frames elided...\n");
    for (int i = stack.length - EDGE; i < stack.length; i++) {
      frame(b, stack[i]);
    }
  }

  private static void frame(StringBuilder b, StackTraceElement e) {
    b.append(GoroutineGroups.functionName(e))
        .append("(...)\n\t")
        .append(FrameLines.fileLine(e))
        .append('\n');
  }

  /** Go: {@code created by main.start in goroutine 1}, then the file line of that call. */
  private static void createdBy(StringBuilder b, CreationStacks.Creation created) {
    for (StackTraceElement e : created.stack) {
      if (!e.getClassName().equals("java.lang.Thread")) { // skip start/start0 themselves
        b.append("created by ")
            .append(GoroutineGroups.functionName(e))
            .append(" in goroutine ")
            .append(created.parentId)
            .append("\n\t")
            .append(FrameLines.fileLine(e))
            .append('\n');
        return;
      }
    }
  }
}
