package dev.jpprof.agent.push;

import dev.jpprof.agent.server.EndpointTable;
import java.util.List;
import java.util.Set;

/**
 * One {@code push.types} value: which profile it pushes and how Pyroscope should read it. The
 * {@code sample_type_config} part tells Pyroscope each sample type's units, aggregation and display
 * name; without it, block's and mutex's {@code contentions} and {@code delay} both land under mutex
 * (Pyroscope's default mapping). The configs are those Pyroscope's Go SDK sends (pyroscope-go
 * sample_types.go), so the same dashboards work for Java and Go services.
 */
final class PushType {
  /** CPU: one profiler window per interval. */
  static final PushType CPU = new PushType("cpu", null, null, null);

  /**
   * wall (fgprof's wall-clock profile): one window per interval. Its {@code time} sample type is
   * sent as {@code wall}, the name by which Pyroscope files a profile under wall
   * (RawProfile.metricName); under {@code time} it would fall into process_cpu with CPU's.
   */
  static final PushType WALL = new PushType("wall", null, null, null);

  /** allocs (and heap): alloc_* as the interval's delta, inuse_* as they are now (godeltaprof). */
  static final PushType MEMORY =
      new PushType(
          "allocs",
          EndpointTable.ALLOCS,
          EndpointTable.HEAP_CURRENT,
          "{\"alloc_objects\":{\"units\":\"objects\"},\"alloc_space\":{\"units\":\"bytes\"},"
              + "\"inuse_objects\":{\"units\":\"objects\",\"aggregation\":\"average\"},"
              + "\"inuse_space\":{\"units\":\"bytes\",\"aggregation\":\"average\"}}");

  /** goroutine: the live threads now, averaged over time by Pyroscope. */
  static final PushType GOROUTINE =
      new PushType(
          "goroutine",
          EndpointTable.GOROUTINE,
          null,
          "{\"goroutine\":{\"display-name\":\"goroutines\",\"units\":\"goroutines\","
              + "\"aggregation\":\"average\"}}");

  static final PushType BLOCK = contention("block");
  static final PushType MUTEX = contention("mutex");

  static final List<PushType> ALL = List.of(CPU, WALL, MEMORY, GOROUTINE, BLOCK, MUTEX);

  /** The {@code push.types} name. */
  final String name;

  /** The profile source (an EndpointTable name), null for CPU. */
  final String source;

  /**
   * For a cumulative profile, the sample types sent as they are now (the rest as the interval's
   * delta, ProfileMerge.delta); null for a profile sent as it is (goroutine) or CPU.
   */
  final Set<String> current;

  /** The sample_type_config JSON part, or null to let Pyroscope's defaults apply (CPU). */
  final String sampleTypeConfig;

  private PushType(String name, String source, Set<String> current, String sampleTypeConfig) {
    this.name = name;
    this.source = source;
    this.current = current;
    this.sampleTypeConfig = sampleTypeConfig;
  }

  private static PushType contention(String kind) {
    return new PushType(
        kind,
        kind.equals("block") ? EndpointTable.BLOCK : EndpointTable.MUTEX,
        Set.of(),
        "{\"contentions\":{\"display-name\":\""
            + kind
            + "_count\",\"units\":\"lock_samples\"},\"delay\":{\"display-name\":\""
            + kind
            + "_duration\",\"units\":\"lock_nanoseconds\"}}");
  }

  /** The type of a {@code push.types} name (heap is already spelled allocs by PushConfig). */
  static PushType named(String name) {
    for (PushType t : ALL) {
      if (t.name.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown push type " + name);
  }

  boolean cumulative() {
    return current != null;
  }

  /** Whether it is a profiler window per interval (cpu, wall) rather than a snapshot. */
  boolean window() {
    return source == null;
  }
}
