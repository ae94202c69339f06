package dev.jpprof.agent.heap;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.jfr.JfrStream;
import dev.jpprof.instrumentation.alloc.HeapCounts;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;

/**
 * The fallback heap engine where libjpprof cannot run: JFR's {@code jdk.ObjectAllocationSample}
 * (JDK 16+) from an in-process stream. Each event's {@code weight} is JFR's own estimate of the
 * bytes it stands for, so records hold estimated totals and the profile's period is 1. JFR reports
 * no frees, so in-use stays empty (the index page says so); JFR records no object size, so
 * alloc_objects counts samples.
 */
final class JfrHeap extends TableHeap {
  static final String EVENT = "jdk.ObjectAllocationSample";

  /** JFR's default.jfc throttle: what JFR users pay for this event today. */
  static final String THROTTLE = "150/s";

  private final String why;
  private final int depth;
  private JfrStream stream;

  private JfrHeap(String why, int depth, int maxBuckets) {
    super(maxBuckets);
    this.why = why;
    this.depth = depth;
  }

  /**
   * Starts the stream. {@code why} says why this engine runs (for the index page).
   *
   * @throws ReflectiveOperationException on a JDK without RecordingStream (before 14)
   * @throws IllegalArgumentException on a JDK without the event (before 16)
   */
  static JfrHeap start(String why, int depth, int maxBuckets) throws ReflectiveOperationException {
    JfrHeap heap = new JfrHeap(why, depth, maxBuckets);
    heap.stream =
        JfrStream.open()
            .enable(EVENT, Map.of("throttle", THROTTLE, "stackTrace", "true"))
            .onEvent(EVENT, heap::onSample);
    heap.stream.start("jpprof-heap-jfr", "JFR allocation samples");
    return heap;
  }

  private void onSample(RecordedEvent e) {
    try {
      if (JfrStream.byAgent(e)) {
        return;
      }
      long weight = e.getLong("weight");
      StackTraceElement[] frames = JfrStream.frames(e.getStackTrace(), depth);
      synchronized (lock) {
        HeapCounts b = buckets.bucket(frames, 0);
        b.alloc(1, weight);
        b.free(1, weight); // no frees are reported: nothing counts as in use
      }
    } catch (RuntimeException ex) {
      AgentLog.failure("JFR allocation sample", ex);
    }
  }

  @Override
  public long rate() {
    return 1; // the weights are estimates already
  }

  @Override
  public void gcAndDrain(long timeoutMillis) {
    System.gc(); // nothing to count: JFR reports no frees
  }

  @Override
  public String name() {
    return "jfr";
  }

  @Override
  public String status() {
    return "allocation sampling: JFR "
        + EVENT
        + " (throttled to "
        + THROTTLE
        + ", JFR's weights as totals), allocs only: heap's inuse_* stay empty because JFR"
        + " reports no frees, and alloc_objects counts samples; "
        + bucketCount()
        + " buckets. Why not JVMTI: "
        + why;
  }
}
