package dev.jpprof.agent.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;

/**
 * One window of the JFR engine: a JDK recording of {@code jdk.ExecutionSample} alone, at the
 * profiler's interval. The only class that touches {@code jdk.jfr}, so the Flight Recorder starts
 * when a JFR window first opens, never in premain.
 *
 * <p>Windows may overlap: each has its own recording. The JDK starts a new chunk whenever a
 * recording starts or stops, and samples at the shortest period any recording asks for. Chunks are
 * shared by all running recordings (the application's own too), so a window counts only the samples
 * inside its own start and stop times, and only Java threads the JDK saw running.
 */
final class JfrWindow implements EngineWindow {
  private final Recording recording;
  private final String comment;
  private final Runnable onClose;
  private boolean closed; // guarded by this

  private JfrWindow(Recording recording, String comment, Runnable onClose) {
    this.recording = recording;
    this.comment = comment;
    this.onClose = onClose;
  }

  /**
   * Starts a recording; {@code onClose} runs once when the window ends either way.
   *
   * @throws IllegalStateException if the Flight Recorder cannot start (e.g. no usable repository
   *     directory), as the JDK reports it
   */
  static EngineWindow start(long intervalNanos, String comment, Runnable onClose) {
    Recording recording = new Recording();
    try {
      recording.setName("jpprof-cpu");
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofNanos(intervalNanos));
      recording.setToDisk(true); // a memory-only recording gives no stream to read back
      recording.start();
      return new JfrWindow(recording, comment, onClose);
    } catch (RuntimeException e) {
      recording.close();
      throw e;
    }
  }

  @Override
  public Samples finish() throws CpuProfilerException {
    if (!close()) {
      throw new CpuProfilerException("CPU profile window is already closed");
    }
    try {
      recording.stop();
      ChunkSamples.Filter mine =
          runningBetween(nanos(recording.getStartTime()), nanos(recording.getStopTime()));
      List<ChunkSamples> chunks = new ArrayList<>();
      try (InputStream in = recording.getStream(null, null)) {
        for (ByteBuffer chunk; in != null && (chunk = ChunkFile.next(in)) != null; ) {
          chunks.add(ChunkSamples.parse(chunk, mine));
        }
      }
      return new Samples(ChunkSamples.merge(chunks), comment);
    } catch (IOException | RuntimeException e) {
      throw new CpuProfilerException("CPU profiling failed: JFR: " + e, e);
    } finally {
      recording
          .close(); // deletes its chunks from the repository unless another recording needs them
    }
  }

  @Override
  public void cancel() {
    if (close()) {
      try {
        recording.close();
      } catch (RuntimeException e) {
        // Closing an already failed recording: nothing is left to release.
      }
    }
  }

  /** Marks the window closed; true the first time only. */
  private boolean close() {
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
    }
    onClose.run();
    return true;
  }

  /**
   * JDK execution samples in [from, to] (epoch nanos). The JDK marks them STATE_RUNNABLE; the
   * jdk.NativeMethodSample events an application's own recording may add (threads in native code,
   * often blocked) are read as the same class but carry another state, and are not CPU time.
   */
  private static ChunkSamples.Filter runningBetween(long from, long to) {
    return (jfr, sample) -> {
      if (!"STATE_RUNNABLE".equals(ChunkSamples.stateName(jfr, sample))) {
        return ChunkSamples.Kind.SKIP;
      }
      long at =
          jfr.chunkStartNanos + (long) ((sample.time - jfr.chunkStartTicks) * jfr.nanosPerTick);
      return at >= from && at <= to ? ChunkSamples.Kind.CPU : ChunkSamples.Kind.SKIP;
    };
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
