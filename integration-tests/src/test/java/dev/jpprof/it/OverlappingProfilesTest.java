package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Two CPU profile requests whose windows overlap both succeed (Parca polls every 10 s while a
 * person asks for 30 s), and each holds only its own window: the demo burns {@code early()} in the
 * long window's first second only, before the short window opens.
 */
class OverlappingProfilesTest {
  private static final String EARLY = "dev.jpprof.demo.Demo.early";
  private static final String HOT = "dev.jpprof.demo.Demo.hot";
  private static final int LONG_SECONDS = 5;
  private static final int SHORT_SECONDS = 2;

  /** early() burns from 300 ms to 1000 ms into the long window. */
  private static final long EARLY_FROM_MS = 300;

  private static final long EARLY_MS = 700;

  /** The short window opens 2 s into the long one, a second after early() stopped. */
  private static final long SHORT_FROM_MS = 2000;

  @EveryJdk
  void bothSucceedEachWithItsOwnWindow(Jdk jdk)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo("--stdin").start()) {
      // The first profile loads the native engine; the timed windows below must open at once.
      Http.Response warmUp = profile(jvm, 1);
      assertEquals("HTTP/1.1 200 OK", warmUp.statusLine(), warmUp::text);

      long t0 = System.nanoTime();
      CompletableFuture<Http.Response> longRequest =
          CompletableFuture.supplyAsync(() -> profile(jvm, LONG_SECONDS));
      sleepUntil(t0, EARLY_FROM_MS);
      jvm.send("early " + EARLY_MS);
      sleepUntil(t0, SHORT_FROM_MS);
      Http.Response shortResponse = profile(jvm, SHORT_SECONDS);
      Http.Response longResponse = longRequest.get(LONG_SECONDS + 30, TimeUnit.SECONDS);

      assertEquals("HTTP/1.1 200 OK", longResponse.statusLine(), longResponse::text);
      assertEquals("HTTP/1.1 200 OK", shortResponse.statusLine(), shortResponse::text);
      ProfileView longView = ProfileView.parse(longResponse.body());
      ProfileView shortView = ProfileView.parse(shortResponse.body());
      longView.assertGoConventions();
      shortView.assertGoConventions();

      long longStart = longView.profile.getTimeNanos();
      long longEnd = longStart + longView.profile.getDurationNanos();
      long shortStart = shortView.profile.getTimeNanos();
      long shortEnd = shortStart + shortView.profile.getDurationNanos();
      long longEarly = longView.sumWhereStackContains(EARLY, 0);
      long shortEarly = shortView.sumWhereStackContains(EARLY, 0);
      System.out.printf(
          "%s: long window %d ms, %d samples (early %d); short window %d ms, starts %d ms later,"
              + " %d samples (early %d)%n",
          jdk,
          (longEnd - longStart) / 1_000_000,
          longView.total(0),
          longEarly,
          (shortEnd - shortStart) / 1_000_000,
          (shortStart - longStart) / 1_000_000,
          shortView.total(0),
          shortEarly);
      assertAll(
          () -> assertDuration(LONG_SECONDS, longView),
          () -> assertDuration(SHORT_SECONDS, shortView),
          () -> assertTrue(shortStart > longStart, "short window starts before the long one"),
          () -> assertTrue(shortEnd < longEnd, "short window ends after the long one"),
          () -> assertTrue(longEarly >= 5, "long window: early() samples " + longEarly),
          () -> assertEquals(0, shortEarly, "short window holds early() samples from before it"),
          () -> assertTrue(shortView.sumWhereStackContains(HOT, 0) > 0, "short: no hot()"),
          () -> assertTrue(longView.sumWhereStackContains(HOT, 0) > 0, "long: no hot()"),
          () ->
              assertTrue(
                  shortView.total(0) < longView.total(0),
                  "the 2 s profile has no fewer samples than the 5 s one"));
    }
  }

  private static void sleepUntil(long t0, long ms) throws InterruptedException {
    long left = t0 + TimeUnit.MILLISECONDS.toNanos(ms) - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static void assertDuration(int seconds, ProfileView v) {
    long d = v.profile.getDurationNanos();
    assertTrue(
        d >= seconds * 900_000_000L && d <= seconds * 1_000_000_000L + 1_500_000_000L,
        "duration_nanos " + d + " for seconds=" + seconds);
  }

  private static Http.Response profile(AgentJvm jvm, int seconds) {
    return Http.request(
        jvm.port(),
        "GET",
        "/debug/pprof/profile?seconds=" + seconds,
        null,
        Duration.ofSeconds(seconds + 30));
  }
}
