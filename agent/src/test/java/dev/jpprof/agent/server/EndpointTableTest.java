package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jpprof.agent.metrics.MetricsPage;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The endpoint table is complete, as Go's TestDescriptions and TestHandlers check pprof.go's: every
 * row Go has, a description for each, Go's delta set, and the methods protocol.md §2 names.
 */
class EndpointTableTest {
  private static final ProfileSource EMPTY =
      new ProfileSource() {
        @Override
        public long count() {
          return 0;
        }

        @Override
        public Profile snapshot() {
          return Profile.getDefaultInstance();
        }
      };

  private static Map<String, Route> rows() {
    Map<String, ProfileSource> profiles = new TreeMap<>();
    for (String name :
        new String[] {"allocs", "block", "goroutine", "heap", "mutex", "threadcreate"}) {
      profiles.put(name, EMPTY);
    }
    Map<String, Route> byPath = new TreeMap<>();
    MetricsPage metrics = new MetricsPage(() -> "none", () -> MetricsPage.AllocEngine.OFF);
    for (Route r : EndpointTable.rows(null, profiles, metrics, new OffLoop(Runnable::run), 600)) {
      byPath.put(r.path, r);
    }
    return byPath;
  }

  @Test
  void everyGoEndpointHasARowWithADescription() {
    Set<String> listed =
        rows().values().stream()
            .filter(Route::listed)
            .map(r -> r.name)
            .collect(Collectors.toCollection(TreeSet::new));
    // profile is left out without a CPU profiler, as a profile without a source is.
    assertEquals(
        new TreeSet<>(
            Set.of(
                "allocs",
                "block",
                "cmdline",
                "goroutine",
                "heap",
                "mutex",
                "symbol",
                "threadcreate",
                "trace")),
        listed);
    for (Route r : rows().values()) {
      if (r.listed()) {
        assertFalse(r.description.isEmpty(), r.name);
      }
    }
    assertFalse(EndpointTable.cpuProfile(null).description.isEmpty());
    assertEquals(
        Set.of("/debug/vars", "/metrics"),
        rows().keySet().stream()
            .filter(p -> !p.startsWith(Route.ROOT))
            .collect(Collectors.toSet()));
    // godeltaprof's paths are served but, as in a Go binary, not on the index page; nor is the
    // flame-graph page, which our paragraph of the index links to.
    assertEquals(
        Set.of(
            "/debug/pprof/delta_block",
            "/debug/pprof/delta_heap",
            "/debug/pprof/delta_mutex",
            "/debug/pprof/ui/"),
        rows().values().stream()
            .filter(r -> !r.listed() && r.path.startsWith(Route.ROOT))
            .map(r -> r.path)
            .collect(Collectors.toSet()));
  }

  /** The UI offers each named profile's sample types, Go's default first. */
  @Test
  void namedProfilesDeclareTheirSampleTypes() {
    Map<String, Route> rows = rows();
    assertEquals("inuse_space", rows.get("/debug/pprof/heap").sampleTypes.get(0));
    assertEquals("alloc_space", rows.get("/debug/pprof/allocs").sampleTypes.get(0));
    assertEquals("delay", rows.get("/debug/pprof/block").sampleTypes.get(0));
    for (Route r : rows.values()) {
      assertEquals(r.seconds == Route.Seconds.DELTA, !r.sampleTypes.isEmpty(), r.path);
    }
  }

  /** Go's profileSupportsDelta. */
  @Test
  void deltaRowsAreGos() {
    Set<String> delta =
        rows().values().stream()
            .filter(r -> r.seconds == Route.Seconds.DELTA)
            .map(r -> r.name)
            .collect(Collectors.toSet());
    assertEquals(Set.of("allocs", "block", "goroutine", "heap", "mutex", "threadcreate"), delta);
  }

  /** Go's, plus POST on symbol; /metrics is GET and HEAD, as a scraper asks. */
  @Test
  void methodsAreGosPlusPostOnSymbol() {
    for (Route r : rows().values()) {
      boolean any = r.path.equals("/debug/vars"); // expvar is registered without a method
      boolean post = any || "symbol".equals(r.name);
      assertEquals(post, r.methods.accepts(HttpMethod.POST), r.path);
      assertEquals(any, r.methods.accepts(HttpMethod.PUT), r.path);
      assertEquals("GET, HEAD", r.methods.allow(), r.path);
    }
  }
}
