package dev.jpprof.agent.cpu;

import dev.jpprof.agent.frames.SourceInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import one.jfr.ClassRef;
import one.jfr.JfrReader;
import one.jfr.MethodRef;
import one.jfr.StackTrace;
import one.jfr.event.ExecutionSample;

/**
 * The CPU samples of one complete JFR chunk, counted per (thread, stack). Names are resolved while
 * the chunk's constant pools are at hand, so the result outlives the chunk bytes.
 */
final class ChunkSamples {
  /** A chunk with no samples. */
  static final ChunkSamples EMPTY =
      new ChunkSamples(Collections.emptyMap(), Collections.emptyMap());

  final Map<Stack, Long> counts;

  /** Recording settings; async-profiler writes them into the first chunk of a file only. */
  final Map<String, String> settings;

  private ChunkSamples(Map<Stack, Long> counts, Map<String, String> settings) {
    this.counts = counts;
    this.settings = settings;
  }

  /** Which execution samples of a chunk count; async-profiler's chunks hold only CPU ones. */
  interface Filter {
    Filter ALL = (jfr, sample) -> true;

    boolean keep(JfrReader jfr, ExecutionSample sample);
  }

  /** Parses one complete chunk, exactly as cut from the file. */
  static ChunkSamples parse(ByteBuffer chunk) throws IOException {
    return parse(chunk, Filter.ALL);
  }

  /** Parses one complete chunk, counting only the samples {@code filter} keeps. */
  static ChunkSamples parse(ByteBuffer chunk, Filter filter) throws IOException {
    JfrReader jfr = new JfrReader(chunk);
    Map<Stack, Long> counts = new HashMap<>();
    Map<Long, RawFrame[]> stacks = new HashMap<>();
    Map<Integer, String> threads = new HashMap<>();
    Names names = new Names(jfr);
    for (ExecutionSample e; (e = jfr.readEvent(ExecutionSample.class)) != null; ) {
      if (!filter.keep(jfr, e)) {
        continue;
      }
      RawFrame[] frames = stacks.computeIfAbsent((long) e.stackTraceId, id -> names.frames(id));
      String thread = threads.computeIfAbsent(e.tid, tid -> threadName(jfr, tid));
      counts.merge(new Stack(thread, frames), (long) e.samples, Long::sum);
    }
    return new ChunkSamples(counts, new HashMap<>(jfr.settings));
  }

  /** The counts of several chunks added up. */
  static Map<Stack, Long> merge(List<ChunkSamples> chunks) {
    if (chunks.size() == 1) {
      return chunks.get(0).counts;
    }
    Map<Stack, Long> total = new HashMap<>();
    for (ChunkSamples chunk : chunks) {
      chunk.counts.forEach((stack, n) -> total.merge(stack, n, Long::sum));
    }
    return total;
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
