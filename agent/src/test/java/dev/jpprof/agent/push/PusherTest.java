package dev.jpprof.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.Counters;
import dev.jpprof.agent.server.TwoStackHeap;
import dev.jpprof.pprof.ProfileValidator;
import dev.jpprof.pprof.Profiles;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.testing.PyroscopeReceiver;
import dev.jpprof.testing.PyroscopeReceiver.Ingested;
import dev.jpprof.testing.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The push loop against a loopback receiver that keeps Pyroscope's ingest contract, with sources of
 * known values: what arrives, and what a failing server does to it (nothing lost within the queue
 * bound, 4xx not retried, timeouts, the bound itself).
 */
class PusherTest {
  private static final long MS = 1_000_000L;

  private final TwoStackHeap allocs = new TwoStackHeap();

  private Pusher pusher(String url, List<String> types, long intervalMillis, long timeoutMillis) {
    Ingest ingest =
        new Ingest(
            url,
            Ingest.name("shop", Map.of("env", "test")),
            "Bearer s3cret",
            "team-a",
            Map.of("X-Extra", "1"),
            timeoutMillis * MS,
            100);
    return new Pusher(
        types,
        Map.of("allocs", allocs, "goroutine", new FakeSources.Threads()),
        wall -> FakeSources.cpuWindow(),
        ingest,
        intervalMillis * MS,
        0,
        0,
        () -> -1,
        url + " as shop");
  }

  private static long counter(String name) {
    return Counters.snapshot().getOrDefault(name, 0L);
  }

  private static Profile decode(Ingested i) throws Exception {
    Profile p = Profiles.parse(i.profile);
    ProfileValidator.check(p);
    return p;
  }

  private static String firstType(Profile p) {
    return p.getStringTable((int) p.getSampleType(0).getType());
  }

  /** alloc_objects over every memory upload: 10 per interval when none was lost. */
  private static long allocated(List<Ingested> stored) throws Exception {
    long sum = 0;
    for (Ingested i : stored) {
      Profile p = decode(i);
      if (firstType(p).equals("alloc_objects")) {
        sum += sum(p, 0);
      }
    }
    return sum;
  }

  private static long sum(Profile p, int index) {
    return p.getSampleList().stream().mapToLong(s -> s.getValue(index)).sum();
  }

  @Test
  void everyTypeArrivesAsTheIngestContractSays() throws Exception {
    try (PyroscopeReceiver r = new PyroscopeReceiver()) {
      Pusher p = pusher(r.url(), List.of("cpu", "allocs", "goroutine"), 300, 2000);
      p.start();
      Waits.await(
          Duration.ofSeconds(10),
          () -> r.stored().size() >= 9,
          () -> r.stored().size() + " stored");
      p.stop(2000);
      assertEquals(List.of(), r.violations());
      for (Ingested i : r.stored()) {
        Profile prof = decode(i);
        assertEquals("shop", i.app);
        assertEquals(Map.of("env", "test"), i.labels);
        assertEquals("jpprof", i.query.get("spyName"));
        assertTrue(i.from < i.until, i.from + " " + i.until);
        assertTrue(Math.abs(i.until - System.currentTimeMillis() / 1000) < 60);
        assertEquals("Bearer s3cret", i.header("Authorization"));
        assertEquals("team-a", i.header("X-Scope-OrgID"));
        assertEquals("1", i.header("X-Extra"));
        switch (firstType(prof)) {
          case "samples":
            assertEquals("100", i.query.get("sampleRate"));
            assertNull(i.sampleTypeConfig);
            break;
          case "alloc_objects":
            assertEquals(10, sum(prof, 0), "alloc_objects: the interval's delta");
            assertEquals(4, sum(prof, 2), "inuse_objects: as they are now");
            assertTrue(i.sampleTypeConfig.contains("\"inuse_space\""), i.sampleTypeConfig);
            break;
          case "goroutine":
            assertEquals(2, prof.getSample(0).getValue(0));
            assertTrue(i.sampleTypeConfig.contains("\"goroutines\""), i.sampleTypeConfig);
            break;
          default:
            throw new AssertionError("unexpected profile " + firstType(prof));
        }
      }
      assertTrue(p.state().lastSuccessMillis() > 0);
      assertEquals("", p.state().lastError());
    }
  }

  @Test
  void errorsAndThrottlingAreRetriedAndNothingIsLost() throws Exception {
    try (PyroscopeReceiver r = new PyroscopeReceiver()) {
      r.answer(500, 503, 429);
      long retries = counter("push.retries");
      Pusher p = pusher(r.url(), List.of("allocs"), 200, 2000);
      p.start();
      // Backoff 1 s, 2 s, then up to the interval: the three failures cost ~2.5 s.
      Waits.await(
          Duration.ofSeconds(15),
          () -> r.stored().size() >= 12,
          () -> r.stored().size() + " stored");
      p.stop(2000);
      assertTrue(counter("push.retries") - retries >= 3);
      assertEquals(10L * (allocs.snapshots - 1), allocated(r.stored()), "every interval arrived");
      assertEquals(List.of(), r.violations());
    }
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    try (PyroscopeReceiver r = new PyroscopeReceiver()) {
      r.answer(400);
      long rejected = counter("push.rejected");
      Pusher p = pusher(r.url(), List.of("allocs"), 200, 2000);
      p.start();
      Waits.await(
          Duration.ofSeconds(10),
          () -> r.stored().size() >= 3,
          () -> r.stored().size() + " stored");
      p.stop(2000);
      assertEquals(1, counter("push.rejected") - rejected);
      assertEquals(r.stored().size() + 1, r.requests(), "the 400 was sent once");
      assertTrue(p.state().lastError().contains("HTTP 400"), p.state().lastError());
    }
  }

  @Test
  void aServerThatIsDownFillsTheQueueToItsBoundAndNoFurther() throws Exception {
    PyroscopeReceiver gone = new PyroscopeReceiver();
    String url = gone.url();
    gone.close();
    long dropped = counter("push.dropped");
    Pusher p = pusher(url, List.of("allocs", "goroutine"), 50, 500);
    p.start();
    Waits.await(
        Duration.ofSeconds(20),
        () -> counter("push.dropped") > dropped,
        () -> "queued " + p.state().queued());
    assertTrue(p.state().queued() <= Pusher.QUEUE_BOUND);
    assertTrue(p.state().lastError().contains("ConnectException"), p.state().lastError());
    long start = System.nanoTime();
    p.stop(500);
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "exit waits at most its deadline");
  }

  @Test
  void aHangingServerTimesOutAndASlowOneLosesNothing() throws Exception {
    try (PyroscopeReceiver r = new PyroscopeReceiver()) {
      r.hang(true);
      Pusher p = pusher(r.url(), List.of("allocs"), 200, 300);
      p.start();
      Waits.await(
          Duration.ofSeconds(10),
          () -> p.state().lastError().contains("timed out"),
          () -> "last error " + p.state().lastError());
      r.hang(false);
      r.delay(100); // now slow but answering: the retried uploads all arrive, once each
      Waits.await(
          Duration.ofSeconds(20),
          () -> r.stored().size() >= 5,
          () -> r.stored().size() + " stored");
      p.stop(2000);
      assertEquals(10L * (allocs.snapshots - 1), allocated(r.stored()));
    }
  }

  @Test
  void exitSendsTheIntervalSoFar() throws Exception {
    try (PyroscopeReceiver r = new PyroscopeReceiver()) {
      Pusher p = pusher(r.url(), List.of("cpu", "allocs"), 60_000, 2000);
      p.start();
      Waits.await(Duration.ofSeconds(5), () -> allocs.snapshots >= 1, () -> "no base yet");
      p.stop(2000);
      assertEquals(
          2,
          r.stored().size(),
          () ->
              "cpu and the allocs delta of the part interval: "
                  + r.requests()
                  + " requests, "
                  + p.state().lastError()
                  + ", queued "
                  + p.state().queued());
      assertNotNull(r.stored().get(0).profile);
    }
  }

  @Test
  void theThresholdTurnsProfilingOnForItsDuration() {
    Trigger t = new Trigger(700, 10 * MS * 1000);
    long s = 1_000_000_000L;
    assertEquals(false, t.update(s, 100 * MS, s), "10 % of a CPU");
    assertEquals(true, t.update(2 * s, 800 * MS, s), "80 %: on");
    assertEquals(true, t.update(3 * s, 0, s), "idle, within the duration");
    assertEquals(true, t.update(11 * s, 0, s));
    assertEquals(false, t.update(12 * s, 0, s), "10 s after the last busy interval: off");
    assertEquals(true, new Trigger(0, 1).update(s, 0, s), "0 = always");
    assertEquals(true, new Trigger(700, s).update(s, -1, s), "unknown CPU: pushes");
  }
}
