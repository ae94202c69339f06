package dev.jpprof.agent.server;

import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.pprof.ProfileMerge;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.Set;
import java.util.function.Function;

/**
 * Pyroscope's godeltaprof paths ({@code /debug/pprof/delta_heap}, {@code delta_block}, {@code
 * delta_mutex}), which Grafana Alloy scrapes when its {@code godeltaprof_*} targets are enabled:
 * each answer is the change since the previous request to the same path, whoever sent it (one state
 * per path, as godeltaprof keeps one profiler per handler). Cumulative sample types come as deltas;
 * the {@code current} ones (heap's inuse_*) as they are now. The first request answers the whole
 * profile so far.
 */
final class DeltaEndpoint implements Endpoint {
  static final String DELTA_HEAP = "delta_heap";

  private static final Function<Throwable, String> FAILED =
      OffLoop.says("failed to collect profile");

  private final String name;
  private final ProfileSource source;
  private final Set<String> current;
  private final OffLoop offLoop;
  private Profile previous; // guarded by this

  DeltaEndpoint(String name, ProfileSource source, Set<String> current, OffLoop offLoop) {
    this.name = name;
    this.source = source;
    this.current = current;
    this.offLoop = offLoop;
  }

  @Override
  public void serve(Exchange ex) {
    // godeltaprof's delta_heap takes gc=1 as Go's heap does.
    boolean gc = NamedProfileEndpoint.atoi(ex.param("gc")) > 0 && name.equals(DELTA_HEAP);
    offLoop.answer(
        ex,
        name + " profile",
        FAILED,
        () -> {
          if (gc) {
            source.collectGarbage();
          }
          return Responses.profile(name, next());
        });
  }

  /**
   * The delta since the last answer; this snapshot is the base of the next one even when the delta
   * fails (the request gets a 500), so one bad pair does not fail every later scrape.
   */
  synchronized Profile next() throws Exception {
    Profile now = source.snapshot();
    Profile base = previous;
    previous = now;
    return base == null ? now : ProfileMerge.delta(base, now, current);
  }
}
