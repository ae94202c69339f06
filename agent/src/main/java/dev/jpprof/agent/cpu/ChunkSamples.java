package dev.jpprof.agent.cpu;

import dev.jpprof.agent.frames.SourceInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import one.jfr.ClassRef;
import one.jfr.JfrReader;
import one.jfr.MethodRef;
import one.jfr.StackTrace;
import one.jfr.event.ExecutionSample;

/**
 * The samples of one complete JFR chunk, counted per (thread, stack): CPU samples and, while the
 * session also samples wall-clock time, wall samples apart. Names are resolved while the chunk's
 * constant pools are at hand, so the result outlives the chunk bytes.
 */
final class ChunkSamples {
  /** A chunk with no samples. */
  static final ChunkSamples EMPTY =
      new ChunkSamples(Collections.emptyMap(), Collections.emptyMap(), Collections.emptyMap());

  /** CPU samples. */
  final Map<Stack, Long> counts;

  /** Wall-clock samples, each Stack with its thread's state; empty unless wall was sampled. */
  final Map<Stack, Long> wall;

  /** Recording settings; async-profiler writes them into the first chunk of a file only. */
  final Map<String, String> settings;

  private ChunkSamples(
      Map<Stack, Long> counts, Map<Stack, Long> wall, Map<String, String> settings) {
    this.counts = counts;
    this.wall = wall;
    this.settings = settings;
  }

  /** The samples of one kind: CPU ones, or wall-clock ones. */
  Map<Stack, Long> of(boolean wallClock) {
    return wallClock ? wall : counts;
  }

  boolean isEmpty() {
    return counts.isEmpty() && wall.isEmpty();
  }

  /** What an execution sample of a chunk counts as. */
  enum Kind {
    SKIP,
    CPU,
    WALL
  }

  /** Sorts the execution samples of a chunk into CPU, wall, or neither. */
  interface Filter {
    /**
     * async-profiler's chunks: its CPU engines write STATE_DEFAULT, its wall clock engine the
     * thread's state, STATE_RUNNABLE or STATE_SLEEPING (wallClock.cpp getThreadState), as
     * jfr-converter's --cpu and --wall tell them apart.
     */
    Filter ASYNC_PROFILER =
        (jfr, sample) -> {
          String state = stateName(jfr, sample);
          return state == null || state.equals("STATE_DEFAULT") ? Kind.CPU : Kind.WALL;
        };

    Kind kind(JfrReader jfr, ExecutionSample sample);
  }

  /** Parses one complete async-profiler chunk, exactly as cut from the file. */
  static ChunkSamples parse(ByteBuffer chunk) throws IOException {
    return parse(chunk, Filter.ASYNC_PROFILER);
  }

  /** Parses one complete chunk, counting the samples as {@code filter} sorts them. */
  static ChunkSamples parse(ByteBuffer chunk, Filter filter) throws IOException {
    JfrReader jfr = new JfrReader(chunk);
    Map<Stack, Long> counts = new HashMap<>();
    Map<Stack, Long> wall = new HashMap<>();
    Map<Long, RawFrame[]> stacks = new HashMap<>();
    Map<Integer, String> threads = new HashMap<>();
    Names names = new Names(jfr);
    for (ExecutionSample e; (e = jfr.readEvent(ExecutionSample.class)) != null; ) {
      Kind kind = filter.kind(jfr, e);
      if (kind == Kind.SKIP || (kind == Kind.WALL && !isJava(jfr, e.tid))) {
        continue; // wall clock is of Java threads, as fgprof's is of goroutines
      }
      RawFrame[] frames = stacks.computeIfAbsent((long) e.stackTraceId, id -> names.frames(id));
      String thread = threads.computeIfAbsent(e.tid, tid -> threadName(jfr, tid));
      if (kind == Kind.CPU) {
        counts.merge(new Stack(thread, frames), (long) e.samples, Long::sum);
      } else {
        Stack stack = new Stack(thread, stateLabel(stateName(jfr, e)), frames);
        wall.merge(stack, (long) e.samples, Long::sum);
      }
    }
    return new ChunkSamples(counts, wall, new HashMap<>(jfr.settings));
  }

  /** The JFR name of a sample's thread state, e.g. "STATE_RUNNABLE"; null if the chunk has none. */
  static String stateName(JfrReader jfr, ExecutionSample sample) {
    Map<Integer, String> states = jfr.enums.get("jdk.types.ThreadState");
    return states == null ? null : states.get(sample.threadState);
  }

  /** STATE_RUNNABLE → "runnable", STATE_SLEEPING → "sleeping": the label pprof -tags shows. */
  static String stateLabel(String stateName) {
    if (stateName == null) {
      return "";
    }
    String s = stateName.startsWith("STATE_") ? stateName.substring(6) : stateName;
    return s.toLowerCase(Locale.ROOT);
  }

  /** The CPU counts of several chunks added up. */
  static Map<Stack, Long> merge(List<ChunkSamples> chunks) {
    return merge(chunks, false);
  }

  /** The CPU or wall counts of several chunks added up. */
  static Map<Stack, Long> merge(List<ChunkSamples> chunks, boolean wallClock) {
    if (chunks.size() == 1) {
      return chunks.get(0).of(wallClock);
    }
    Map<Stack, Long> total = new HashMap<>();
    for (ChunkSamples chunk : chunks) {
      chunk.of(wallClock).forEach((stack, n) -> total.merge(stack, n, Long::sum));
    }
    return total;
  }

  /**
   * Whether async-profiler knew the thread as a Java thread: it writes a Java thread id for those
   * and 0 for the JVM's own (GC, compiler) and native threads, which its wall clock samples too.
   */
  private static boolean isJava(JfrReader jfr, int tid) {
    Long id = jfr.javaThreads.get(tid);
    return id != null && id != 0;
  }

  private static String threadName(JfrReader jfr, int tid) {
    String name = jfr.threads.get(tid);
    return name != null ? name : "[tid=" + tid + "]";
  }

  /** The JDK records -1 for frames without line numbers (lambda forms); 16 bits in JfrReader. */
  private static final int NO_LINE = 0xFFFF;

  /** Resolves a chunk's method ids to names, once per method. */
  private static final class Names {
    private final JfrReader jfr;
    private final Map<Long, String[]> methods = new HashMap<>();

    Names(JfrReader jfr) {
      this.jfr = jfr;
    }

    RawFrame[] frames(long stackId) {
      StackTrace trace = jfr.stackTraces.get(stackId);
      if (trace == null) {
        return new RawFrame[] {new RawFrame(RawFrame.NATIVE, "", "[unknown stack]", "", 0)};
      }
      RawFrame[] frames = new RawFrame[trace.methods.length];
      for (int i = 0; i < frames.length; i++) {
        String[] m = methods.computeIfAbsent(trace.methods[i], this::method);
        int line = trace.locations[i] >>> 16;
        if (line == NO_LINE) {
          line = 0; // pprof's "unknown"
        }
        frames[i] = new RawFrame(trace.types[i], m[0], m[1], m[2], line);
      }
      return frames;
    }

    /** {class, method, descriptor} of a method id. */
    private String[] method(long id) {
      MethodRef method = jfr.methods.get(id);
      if (method == null) {
        return new String[] {"", "[unknown]", ""};
      }
      ClassRef cls = jfr.classes.get(method.cls);
      String className = cls == null ? "" : SourceInfo.javaClassName(symbol(cls.name));
      return new String[] {className, symbol(method.name), symbol(method.sig)};
    }

    private String symbol(long id) {
      byte[] bytes = jfr.symbols.get(id);
      return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /**
   * Turns a JVM internal class name into a dotted binary name. Hidden classes (lambdas, proxies)
   * carry a per-run suffix: {@code Foo$$Lambda$14/0x0000000800c03000} on JDK 17, and on newer JDKs
   * {@code Foo$$Lambda/0x…} or, as async-profiler reports it, {@code Foo$$Lambda.0x…}; the JDK's
   * own JFR writes {@code Foo$$Lambda$19+0x00007fc710003db0.258952499}. It is dropped so profiles
   * from different runs or windows merge, and so the file name falls back to the host class's
   * ({@code Foo.java}), never one made of the address.
   */
}
