package dev.jpprof.agent.cpu;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One native session's JFR chunks, numbered 0, 1, 2… in the order they complete, across file
 * rotations. A window remembers the number of the first chunk written after it opened; its profile
 * is the chunks from there to the one its finish completes. Chunks are parsed at most once and
 * dropped once no open window needs them.
 *
 * <p>Not thread-safe: {@link AsyncProfilerEngine} calls it under its lock.
 */
final class Recording {
  private final long rotateBytes;
  private NativeSession session;
  private long nextChunk;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>(); // complete, not parsed yet
  private final TreeMap<Long, ChunkSamples> parsed = new TreeMap<>();
  private String engine = "";

  private Recording(NativeSession session, long rotateBytes) {
    this.session = session;
    this.rotateBytes = rotateBytes;
  }

  /**
   * Starts the native session and reads the engine it really uses: an immediate dump completes
   * chunk 0, the only chunk of a file carrying the settings ("cpu" becomes ctimer for non-root
   * users without a word).
   */
  static Recording start(
      String event, long intervalNanos, int stackDepth, long wallNanos, long rotateBytes)
      throws CpuProfilerException {
    Recording r =
        new Recording(
            NativeSession.start(event, intervalNanos, stackDepth, wallNanos), rotateBytes);
    try {
      r.cut(0);
      r.parse(0);
    } catch (CpuProfilerException | RuntimeException e) {
      r.stop();
      throw e;
    }
    return r;
  }

  /** The event that started, after any fallback. */
  String event() {
    return session.event;
  }

  /** The engine async-profiler reports (perf_events, itimer, ctimer), "" if not known yet. */
  String engine() {
    return engine;
  }

  Path file() {
    return session.file;
  }

  /** Whether the session samples wall-clock time too. */
  boolean samplesWall() {
    return session.wallNanos > 0;
  }

  /** The session's wall-clock sampling period, 0 when it samples CPU only. */
  long wallNanos() {
    return session.wallNanos;
  }

  /**
   * Restarts the session with wall-clock sampling at {@code wallNanos} (0 = off), as a rotation
   * does: the chunks a window still needs are parsed first, and numbering goes on, so open windows
   * keep exactly their samples. Returns the first chunk number of the new session.
   */
  long sampleWall(long wallNanos, long firstNeeded) throws CpuProfilerException {
    long next = cut(firstNeeded);
    if (session.wallNanos != wallNanos) {
      parse(firstNeeded);
      session = session.restart(wallNanos);
    }
    return next;
  }

  /**
   * Ends the current chunk and returns the number of the first chunk not yet complete: the boundary
   * between samples before and after this call. Chunks before {@code firstNeeded} are of no use to
   * any window.
   */
  long cut(long firstNeeded) throws CpuProfilerException {
    session.dump();
    try {
      long newest = 0;
      for (ChunkFile.Chunk chunk : session.chunks.completeChunks()) {
        pending.add(new Pending(nextChunk++, chunk));
        newest = chunk.size;
      }
      if (rotates(session.chunks.size(), newest, rotateBytes)) {
        parse(firstNeeded); // everything still needed is in memory before the file goes
        session = session.restart(session.wallNanos);
      }
    } catch (IOException e) {
      throw new CpuProfilerException("CPU profiling failed: reading JFR: " + e.getMessage(), e);
    }
    return nextChunk;
  }

  /**
   * Whether to restart the session on a fresh file: when the file passes {@code rotateBytes}, or
   * when one chunk passes an eighth of it. async-profiler writes every stack trace the session has
   * seen into each chunk's constant pool (flightRecorder.cpp, writeStackTraces), not only the
   * chunk's own, so a long session's chunks, and the dump and parse of each window, grow with its
   * distinct stacks; a restart empties that table.
   */
  static boolean rotates(long fileBytes, long newestChunk, long rotateBytes) {
    return fileBytes > rotateBytes || newestChunk > rotateBytes / 8;
  }

  /** Parses the complete chunks from {@code firstNeeded} on; skips older ones. */
  void parse(long firstNeeded) throws CpuProfilerException {
    for (Pending p; (p = pending.poll()) != null; ) {
      if (p.sequence < firstNeeded) {
        continue;
      }
      try {
        ChunkSamples samples = ChunkSamples.parse(session.chunks.read(p.chunk));
        String used = samples.settings.get("engine");
        if (used != null) {
          engine = used;
        }
        parsed.put(p.sequence, samples.isEmpty() ? ChunkSamples.EMPTY : samples);
      } catch (IOException | RuntimeException e) {
        throw new CpuProfilerException("CPU profiling failed: reading JFR chunk: " + e, e);
      }
    }
  }

  /** The parsed chunks numbered {@code from} (inclusive) to {@code to} (exclusive). */
  List<ChunkSamples> chunks(long from, long to) {
    return new ArrayList<>(parsed.subMap(from, to).values());
  }

  /** Drops parsed chunks no open window needs any more. */
  void forgetBefore(long firstNeeded) {
    parsed.headMap(firstNeeded).clear();
  }

  /** Stops the native session and deletes its file. Never throws. */
  void stop() {
    session.stop();
    pending.clear();
    parsed.clear();
  }

  /** A complete chunk of the current file, with its number. */
  private static final class Pending {
    final long sequence;
    final ChunkFile.Chunk chunk;

    Pending(long sequence, ChunkFile.Chunk chunk) {
      this.sequence = sequence;
      this.chunk = chunk;
    }
  }
}
