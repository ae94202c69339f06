package dev.jpprof.agent.cpu;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import jdk.jfr.EventSettings;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * Counts the JDK's execution samples per method name as they land, on a stream of its own, so a
 * test can burn until the sampler has caught a phase. On a quiet machine JDK 17 lands ~100 samples
 * a CPU-second; on this heavily shared one, sometimes 3: a fixed burn would make flaky tests.
 *
 * <p>jdk.jfr.consumer.RecordingStream is JDK 14+, and tests compile for 11: reflection, then.
 */
final class LandedSamples implements AutoCloseable {
  private final AutoCloseable stream;
  private final Map<String, AtomicLong> byMethod = new ConcurrentHashMap<>();

  LandedSamples() throws ReflectiveOperationException {
    Class<?> type = Class.forName("jdk.jfr.consumer.RecordingStream");
    stream = (AutoCloseable) type.getConstructor().newInstance();
    EventSettings sample =
        (EventSettings)
            type.getMethod("enable", String.class).invoke(stream, "jdk.ExecutionSample");
    sample.withPeriod(Duration.ofMillis(10));
    Consumer<RecordedEvent> count =
        e -> {
          RecordedStackTrace trace = e.getStackTrace();
          if (trace != null) {
            for (RecordedFrame f : trace.getFrames()) {
              byMethod
                  .computeIfAbsent(f.getMethod().getName(), m -> new AtomicLong())
                  .incrementAndGet();
            }
          }
        };
    type.getMethod("onEvent", String.class, Consumer.class)
        .invoke(stream, "jdk.ExecutionSample", count);
    type.getMethod("startAsync").invoke(stream);
  }

  /**
   * Runs {@code slice} (a short burn inside {@code method}) until {@code n} samples of it landed,
   * at least {@code minSlices} times, and at most for 20 s. Returns what the slices computed.
   */
  long burn(String method, long n, int minSlices, LongSupplier slice) {
    long before = landed(method);
    long sum = 0;
    long deadline = System.nanoTime() + 20_000_000_000L;
    for (int i = 0; i < minSlices || landed(method) - before < n; i++) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + (landed(method) - before) + " samples of " + method);
      }
      sum += slice.getAsLong();
    }
    return sum;
  }

  private long landed(String method) {
    AtomicLong n = byMethod.get(method);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() throws Exception {
    stream.close();
  }
}
