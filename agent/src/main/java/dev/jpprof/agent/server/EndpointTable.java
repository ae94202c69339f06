package dev.jpprof.agent.server;

import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.metrics.MetricsPage;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.agent.server.Route.Methods;
import dev.jpprof.agent.server.Route.Seconds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every endpoint the agent serves, one row each (docs/protocol.md §1): Go's net/http/pprof keeps
 * the same facts in pprof.go's profileDescriptions, profileSupportsDelta and init. Routing, the
 * index page and the 405 Allow header read these rows; adding an endpoint is adding a row.
 * Descriptions are Go's, verbatim, so the index page reads as Go's.
 */
public final class EndpointTable {
  // The names of the profiles served from a ProfileSource: the keys of a server's profile map.
  public static final String ALLOCS = "allocs";
  public static final String BLOCK = "block";
  public static final String GOROUTINE = "goroutine";
  public static final String HEAP = "heap";
  public static final String MUTEX = "mutex";
  public static final String THREADCREATE = "threadcreate";

  private EndpointTable() {}

  /**
   * The rows for a server: a profile whose source is missing from {@code profiles} is left out, as
   * a Go binary lists only the profiles it has.
   */
  static List<Route> rows(
      CpuProfiler cpu,
      Map<String, ProfileSource> profiles,
      MetricsPage metrics,
      OffLoop offLoop,
      long maxSeconds) {
    List<Route> rows =
        present(
            allocs(profiles.get(ALLOCS), offLoop, maxSeconds),
            block(profiles.get(BLOCK), offLoop, maxSeconds),
            cmdline(),
            goroutine(profiles.get(GOROUTINE), offLoop, maxSeconds),
            heap(profiles.get(HEAP), offLoop, maxSeconds),
            metrics(metrics, offLoop),
            mutex(profiles.get(MUTEX), offLoop, maxSeconds),
            profile(cpu, offLoop, maxSeconds),
            symbol(),
            threadcreate(profiles.get(THREADCREATE), offLoop, maxSeconds),
            trace(offLoop, maxSeconds),
            vars(offLoop),
            wall(cpu, offLoop, maxSeconds),
            fgprof(cpu, offLoop, maxSeconds),
            delta("delta_block", profiles.get(BLOCK), Set.of(), offLoop),
            delta(DeltaEndpoint.DELTA_HEAP, profiles.get(HEAP), HEAP_CURRENT, offLoop),
            delta("delta_mutex", profiles.get(MUTEX), Set.of(), offLoop));
    rows.add(ui(rows, offLoop, maxSeconds));
    return rows;
  }

  /** Heap's and allocs' sample types (Go's), each row's default first. */
  private static final List<String> INUSE_FIRST =
      List.of("inuse_space", "inuse_objects", "alloc_space", "alloc_objects");

  private static final List<String> ALLOC_FIRST =
      List.of("alloc_space", "alloc_objects", "inuse_space", "inuse_objects");

  /** Block's and mutex's sample types, the default (delay) first. */
  private static final List<String> DELAY_FIRST = List.of("delay", "contentions");

  /** Heap's sample types that a delta answers as they are now, not as a difference. */
  public static final Set<String> HEAP_CURRENT = Set.of("inuse_objects", "inuse_space");

  static Route allocs(ProfileSource source, OffLoop offLoop, long maxSeconds) {
    return Route.profile(
        ALLOCS,
        "A sampling of all past memory allocations",
        Seconds.DELTA,
        ALLOC_FIRST,
        source,
        offLoop,
        maxSeconds);
  }

  static Route block(ProfileSource source, OffLoop offLoop, long maxSeconds) {
    return Route.profile(
        BLOCK,
        "Stack traces that led to blocking on synchronization primitives",
        Seconds.DELTA,
        DELAY_FIRST,
        source,
        offLoop,
        maxSeconds);
  }

  static Route cmdline() {
    return Route.page(
        "cmdline",
        "The command line invocation of the current program",
        Methods.READ,
        new Cmdline());
  }

  static Route goroutine(ProfileSource source, OffLoop offLoop, long maxSeconds) {
    return Route.profile(
        GOROUTINE,
        "Stack traces of all current goroutines. Use debug=2 as a"
            + " query parameter to export in the same format as an unrecovered panic.",
        Seconds.DELTA,
        List.of("goroutine"),
        source,
        offLoop,
        maxSeconds);
  }

  static Route heap(ProfileSource source, OffLoop offLoop, long maxSeconds) {
    return Route.profile(
        HEAP,
        "A sampling of memory allocations of live objects. You can"
            + " specify the gc GET parameter to run GC before taking the heap sample.",
        Seconds.DELTA,
        INUSE_FIRST,
        source,
        offLoop,
        maxSeconds);
  }

  /** /metrics for Prometheus: outside /debug/pprof/, GET and HEAD as the pprof rows. */
  static Route metrics(MetricsPage page, OffLoop offLoop) {
    return Route.outside("/metrics", Methods.READ, new MetricsEndpoint(offLoop, page));
  }

  static Route mutex(ProfileSource source, OffLoop offLoop, long maxSeconds) {
    return Route.profile(
        MUTEX,
        "Stack traces of holders of contended mutexes",
        Seconds.DELTA,
        DELAY_FIRST,
        source,
        offLoop,
        maxSeconds);
  }

  /** /profile: the CPU window (null without a CPU profiler). */
  static Route profile(CpuProfiler cpu, OffLoop offLoop, long maxSeconds) {
    return cpu == null ? null : cpuProfile(new CpuProfileEndpoint(cpu, offLoop, maxSeconds));
  }

  static Route cpuProfile(CpuProfileEndpoint handler) {
    return Route.page(
        "profile",
        "CPU profile. You can specify the duration in the seconds GET"
            + " parameter. After you get the profile file, use the go tool pprof command to"
            + " investigate the profile.",
        Methods.READ,
        handler);
  }

  /** The wall-clock profile on the index page, under the name the UI and docs use. */
  static Route wall(CpuProfiler cpu, OffLoop offLoop, long maxSeconds) {
    return cpu == null
        ? null
        : Route.page(
            "wall",
            "Wall-clock profile of every thread, on and off CPU, as Go's fgprof (also served at"
                + " /debug/fgprof, where Grafana Alloy's fgprof target asks). You can specify the"
                + " duration in the seconds GET parameter.",
            Methods.READ,
            new CpuProfileEndpoint(cpu, CpuProfileEndpoint.Clock.WALL, offLoop, maxSeconds));
  }

  /** fgprof's own path, which Alloy's optional {@code fgprof} target scrapes: not on the index. */
  static Route fgprof(CpuProfiler cpu, OffLoop offLoop, long maxSeconds) {
    return cpu == null
        ? null
        : Route.outside(
            "/debug/fgprof",
            Methods.READ,
            new CpuProfileEndpoint(cpu, CpuProfileEndpoint.Clock.WALL, offLoop, maxSeconds));
  }

  static Route symbol() {
    return Route.page(
        "symbol",
        "Maps given program counters to function names. Counters can be"
            + " specified in a GET raw query or POST body, multiple counters are separated by '+'.",
        Methods.READ_AND_POST,
        new Symbol());
  }

  static Route threadcreate(ProfileSource source, OffLoop offLoop, long maxSeconds) {
    return Route.profile(
        THREADCREATE,
        "Stack traces that led to the creation of new OS threads",
        Seconds.DELTA,
        List.of("threadcreate"),
        source,
        offLoop,
        maxSeconds);
  }

  static Route trace(OffLoop offLoop, long maxSeconds) {
    return Route.page(
        "trace",
        "A trace of execution of the current program. You can specify the"
            + " duration in the seconds GET parameter. After you get the trace file, use the go tool"
            + " trace command to investigate the trace.",
        Methods.READ,
        new TraceEndpoint(offLoop, maxSeconds));
  }

  /** /debug/vars, Go's expvar: outside /debug/pprof/, every method. */
  static Route vars(OffLoop offLoop) {
    return Route.outside("/debug/vars", Methods.ANY, new VarsEndpoint(offLoop));
  }

  /**
   * Pyroscope's godeltaprof paths, which Alloy's optional {@code godeltaprof_*} targets scrape: not
   * on the index page, as in a Go binary that registers them (null without the source).
   */
  static Route delta(String name, ProfileSource source, Set<String> current, OffLoop offLoop) {
    return source == null
        ? null
        : Route.outside(
            Route.ROOT + name, Methods.READ, new DeltaEndpoint(name, source, current, offLoop));
  }

  /**
   * /debug/pprof/ui/: the flame-graph page for the profile rows of {@code rows}, and the viewer's
   * files under it. Not on Go's index table; the index links to it.
   */
  static Route ui(List<Route> rows, OffLoop offLoop, long maxSeconds) {
    return Route.subtree(UiEndpoint.PATH, new UiEndpoint(rows, offLoop, maxSeconds));
  }

  /** A row of our own with no Go description (as a custom profile in Go); tests use it. */
  static Route custom(String name, Endpoint handler) {
    return Route.page(name, "", Methods.READ, handler);
  }

  private static List<Route> present(Route... rows) {
    List<Route> out = new ArrayList<>(Arrays.asList(rows));
    out.removeIf(Objects::isNull);
    return out;
  }
}
