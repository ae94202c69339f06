package dev.jpprof.agent.locks;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.jfr.JfrStream;
import dev.jpprof.instrumentation.locks.LockProfiler;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * Contended {@code synchronized} and {@code Object.wait}, which have no bytecode hook worth its
 * cost: an in-process JFR stream ({@code jdk.jfr.consumer.RecordingStream}, JDK 14+, reached by
 * reflection since we compile for 11) of {@code jdk.JavaMonitorEnter} and {@code
 * jdk.JavaMonitorWait} longer than {@link #THRESHOLD}. Both go to the block profile with the
 * waiter's stack; monitor entries also go to the mutex profile, charged to the holder's stack that
 * {@link MonitorOwners} sampled. The JVM times every contended entry anyway; the threshold keeps
 * JFR from writing an event (with a stack) for each short one, which costs up to 71 % on a
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
  private JfrStream stream;

  private MonitorEvents(LockProfiler profiler, int depth) {
    this.profiler = profiler;
    this.depth = depth;
    this.owners = new MonitorOwners(depth);
  }

  /**
   * Opens the stream and starts it on a daemon thread, {@code jpprof-monitor-events}.
   *
   * @throws ClassNotFoundException on a JDK without RecordingStream (before 14)
   */
  static MonitorEvents start(LockProfiler profiler, int depth) throws Exception {
    MonitorEvents events = new MonitorEvents(profiler, depth);
    try {
      Map<String, String> settings =
          Map.of("threshold", THRESHOLD.toMillis() + " ms", "stackTrace", "true");
      events.stream =
          JfrStream.open()
              .enable(ENTER, settings)
              .enable(WAIT, settings)
              .onEvent(ENTER, events::onEnter)
              .onEvent(WAIT, events::onWait);
      events.stream.start("jpprof-monitor-events", "JFR monitor events");
      return events;
    } catch (Exception | LinkageError e) {
      events.close();
      throw e;
    }
  }

  /** Stops the stream and the owner sampling. */
  void close() {
    owners.close();
    if (stream != null) {
      stream.close();
    }
  }

  private void onEnter(RecordedEvent e) {
    try {
      if (JfrStream.byAgent(e)) {
        return;
      }
      owners.contentionSeen();
      long delay = e.getDuration().toNanos();
      if (profiler.blockRate() > 0) {
        profiler.recordBlock(frames(e.getStackTrace()), delay);
      }
      if (profiler.mutexFraction() > 0) {
        RecordedThread previous = e.getThread("previousOwner");
        String monitorClass =
            e.getClass("monitorClass") == null ? "" : e.getClass("monitorClass").getName();
        StackTraceElement[] holder =
            previous == null
                ? MonitorOwners.LOST
                : owners.holder(
                    previous.getJavaThreadId(), monitorClass, e.getStartTime(), e.getEndTime());
        profiler.recordMutex(holder, delay);
      }
    } catch (RuntimeException ex) {
      AgentLog.failure("JFR monitor enter event", ex);
    }
  }

  private void onWait(RecordedEvent e) {
    try {
      if (!JfrStream.byAgent(e) && profiler.blockRate() > 0) {
        profiler.recordBlock(frames(e.getStackTrace()), e.getDuration().toNanos());
      }
    } catch (RuntimeException ex) {
      AgentLog.failure("JFR monitor wait event", ex);
    }
  }

  private StackTraceElement[] frames(RecordedStackTrace stack) {
    return JfrStream.frames(stack, depth);
  }
}
