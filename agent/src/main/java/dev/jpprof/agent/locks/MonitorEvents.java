package dev.jpprof.agent.locks;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.AgentThreadGroup;
import dev.jpprof.agent.cpu.SourceInfo;
import dev.jpprof.instrumentation.locks.LockProfiler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * Contended {@code synchronized} and {@code Object.wait}, which have no bytecode hook worth its
 * cost: an in-process JFR stream ({@code jdk.jfr.consumer.RecordingStream}, JDK 14+, reached by
 * reflection since we compile for 11) of {@code jdk.JavaMonitorEnter} and
 * {@code jdk.JavaMonitorWait} longer than {@link #THRESHOLD}. Both go to the block profile with
 * the waiter's stack; monitor entries also go to the mutex profile, charged to the holder's stack
 * that {@link MonitorOwners} sampled. The JVM times every contended entry anyway; the threshold
 * keeps JFR from writing an event (with a stack) for each short one, which costs up to 71 % on a
 * contended pair. Waits shorter than the threshold are not seen at all.
 */
final class MonitorEvents {
  /** Chosen by bench/locks.py; see BENCHMARKS.md. */
  static final Duration THRESHOLD = Duration.ofMillis(1);
  static final String ENTER = "jdk.JavaMonitorEnter";
  static final String WAIT = "jdk.JavaMonitorWait";

  private final LockProfiler profiler;
  private final int depth;
  private final MonitorOwners owners;
  private final Object stream;
  private final Class<?> streamClass;

  private MonitorEvents(LockProfiler profiler, int depth, Object stream, Class<?> streamClass) {
    this.profiler = profiler;
    this.depth = depth;
    this.owners = new MonitorOwners(depth);
    this.stream = stream;
    this.streamClass = streamClass;
  }

  /**
   * Opens the stream and starts it on a daemon thread, {@code jpprof-monitor-events}.
   *
   * @throws ClassNotFoundException on a JDK without RecordingStream (before 14)
   */
  static MonitorEvents start(LockProfiler profiler, int depth) throws Exception {
    Class<?> streamClass = Class.forName("jdk.jfr.consumer.RecordingStream");
    Class<?> settings = Class.forName("jdk.jfr.EventSettings");
    Object stream = streamClass.getConstructor().newInstance();
    MonitorEvents events = new MonitorEvents(profiler, depth, stream, streamClass);
    try {
      Method enable = streamClass.getMethod("enable", String.class);
      Method threshold = settings.getMethod("withThreshold", Duration.class);
      Method stack = settings.getMethod("withStackTrace");
      Method onEvent = streamClass.getMethod("onEvent", String.class, Consumer.class);
      for (String name : List.of(ENTER, WAIT)) {
        Object s = enable.invoke(stream, name);
        threshold.invoke(s, THRESHOLD);
        stack.invoke(s);
      }
      onEvent.invoke(stream, ENTER, (Consumer<RecordedEvent>) events::onEnter);
      onEvent.invoke(stream, WAIT, (Consumer<RecordedEvent>) events::onWait);
      Method run = streamClass.getMethod("start");
      Thread thread = AgentThreadGroup.daemon(() -> {
        try {
          run.invoke(stream);
        } catch (InvocationTargetException e) {
          if (!(e.getCause() instanceof IllegalStateException)) { // closed: a normal end
            AgentLog.failure("JFR monitor events", e.getCause());
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          AgentLog.failure("JFR monitor events", e);
        }
      }, "jpprof-monitor-events");
      thread.start();
      return events;
    } catch (Exception | LinkageError e) {
      events.close();
      throw e;
    }
  }

  /** Stops the stream and the owner sampling. */
  void close() {
    owners.close();
    try {
      streamClass.getMethod("close").invoke(stream);
    } catch (ReflectiveOperationException | RuntimeException e) {
      AgentLog.failure("closing the JFR monitor stream", e);
    }
  }

  private void onEnter(RecordedEvent e) {
    try {
      if (byAgent(e)) {
        return;
      }
      owners.contentionSeen();
      long delay = e.getDuration().toNanos();
      if (profiler.blockRate() > 0) {
        profiler.recordBlock(frames(e.getStackTrace()), delay);
      }
      if (profiler.mutexFraction() > 0) {
        RecordedThread previous = e.getThread("previousOwner");
        String monitorClass = e.getClass("monitorClass") == null ? "" : e.getClass("monitorClass").getName();
        StackTraceElement[] holder = previous == null ? MonitorOwners.LOST
            : owners.holder(previous.getJavaThreadId(), monitorClass, e.getStartTime(), e.getEndTime());
        profiler.recordMutex(holder, delay);
      }
    } catch (RuntimeException ex) {
      AgentLog.failure("JFR monitor enter event", ex);
    }
  }

  private void onWait(RecordedEvent e) {
    try {
      if (!byAgent(e) && profiler.blockRate() > 0) {
        profiler.recordBlock(frames(e.getStackTrace()), e.getDuration().toNanos());
      }
    } catch (RuntimeException ex) {
      AgentLog.failure("JFR monitor wait event", ex);
    }
  }

  /** The agent's own waits are not the application's. */
  private static boolean byAgent(RecordedEvent e) {
    RecordedThread t = e.getThread();
    return t != null && t.getJavaName() != null && t.getJavaName().startsWith("jpprof-");
  }

  /** JFR's Java frames as stack trace elements, leaf first; JFR records no file names. */
  private StackTraceElement[] frames(RecordedStackTrace stack) {
    if (stack == null) {
      return new StackTraceElement[0];
    }
    List<RecordedFrame> frames = stack.getFrames();
    int n = Math.min(frames.size(), depth);
    StackTraceElement[] out = new StackTraceElement[n];
    for (int i = 0; i < n; i++) {
      RecordedFrame f = frames.get(i);
      out[i] = new StackTraceElement(SourceInfo.javaClassName(f.getMethod().getType().getName()),
          f.getMethod().getName(),
          null, f.getLineNumber());
    }
    return out;
  }
}
