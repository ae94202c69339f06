package dev.jpprof.agent.cpu;

import static dev.jpprof.agent.cpu.CpuProfilerTest.CLASS;
import static dev.jpprof.agent.cpu.CpuProfilerTest.INTERVAL;
import static dev.jpprof.agent.cpu.CpuProfilerTest.first;
import static dev.jpprof.agent.cpu.CpuProfilerTest.last;
import static dev.jpprof.agent.cpu.CpuProfilerTest.middle;
import static dev.jpprof.agent.cpu.CpuProfilerTest.phases;
import static dev.jpprof.agent.cpu.ProfileChecks.assertValidCpuProfile;
import static dev.jpprof.agent.cpu.ProfileChecks.samplesIn;
import static dev.jpprof.agent.cpu.ProfileChecks.str;
import static dev.jpprof.agent.cpu.ProfileChecks.thread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.InvalidProfileException;
import dev.jpprof.pprof.ProfileValidator;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.testing.Waits;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Wall-clock windows (fgprof): every Java thread, on CPU or off, with its state; sampled by the
 * same async-profiler session as CPU, turned on only while a wall window is open; CPU windows open
 * across the switch keep exactly their CPU samples; thread dumps where async-profiler cannot run.
 */
class WallProfileTest {
  private static final long WALL = 20_000_000L;
  private static final String SLEEPER = "wall-test-sleeper";

  private CpuProfiler profiler;
  private Thread sleeper;

  @AfterEach
  void stopped() throws InterruptedException {
    if (sleeper != null) {
      sleeper.interrupt();
      sleeper.join(5_000);
    }
    if (profiler != null) {
      profiler.idleTimeout(0);
    }
    assertFalse(NativeSession.isRunning(), "async-profiler still running after the test");
  }

  @Test
  void wallWindowSamplesEveryJavaThreadOnAndOffCpuBesideACpuWindow() throws Exception {
    newProfiler(CpuProfiler.AUTO, 0);
    startSleeper();
    CpuProfiler.Window cpu = profiler.open();
    CpuProfiler.Window wall = profiler.openWall();
    assertTrue(profiler.describe().contains(", wall 20ms"), profiler.describe());
    CpuProfilerTest.sink += first(600_000_000L);
    Profile pw = wall.finish();
    Profile pc = cpu.finish();

    assertValidWallProfile(pw);
    String main = Thread.currentThread().getName();
    Map<String, Long> byThreadState = byThreadState(pw);
    assertTrue(byThreadState.getOrDefault(SLEEPER + "/sleeping", 0L) > 10, "" + byThreadState);
    assertTrue(byThreadState.getOrDefault(main + "/runnable", 0L) > 10, "" + byThreadState);
    assertTrue(samplesIn(pw, WallProfileTest.class.getName() + ".sleepInWall") > 10);
    assertTrue(samplesIn(pw, CLASS + ".first") > 10, phases(pw));
    for (String t : byThreadState.keySet()) {
      // The JVM's own threads (GC, compiler) are not Java threads: fgprof is of goroutines.
      assertFalse(t.startsWith("GC Thread") || t.startsWith("VM Thread"), t);
    }

    // The CPU window, open across the restart that turned wall on, has CPU samples only.
    assertValidCpuProfile(pc, INTERVAL);
    assertTrue(samplesIn(pc, CLASS + ".first") > 10, phases(pc));
    for (Sample s : pc.getSampleList()) {
      assertFalse(SLEEPER.equals(thread(pc, s)), "a sleeping thread in a CPU profile");
      assertNull(label(pc, s, "state"), "a wall sample in a CPU profile");
    }
  }

  @Test
  void overlappingWallWindowsEachGetTheirOwnSamples() throws Exception {
    newProfiler(CpuProfiler.AUTO, 0);
    CpuProfiler.Window a = profiler.openWall();
    CpuProfilerTest.sink += first(300_000_000L);
    CpuProfiler.Window b = profiler.openWall();
    CpuProfilerTest.sink += middle(300_000_000L);
    Profile pa = a.finish();
    assertTrue(profiler.describe().contains("wall"), "b still samples wall clock");
    CpuProfilerTest.sink += last(300_000_000L);
    Profile pb = b.finish();
    assertValidWallProfile(pa);
    assertValidWallProfile(pb);
    String counts = "A " + phases(pa) + ", B " + phases(pb);
    assertTrue(samplesIn(pa, CLASS + ".first") > 0, counts);
    assertTrue(samplesIn(pa, CLASS + ".middle") > 0, counts);
    assertEquals(0, samplesIn(pa, CLASS + ".last"), counts);
    assertEquals(0, samplesIn(pb, CLASS + ".first"), counts);
    assertTrue(samplesIn(pb, CLASS + ".middle") > 0, counts);
    assertTrue(samplesIn(pb, CLASS + ".last") > 0, counts);
  }

  @Test
  void wallSamplingStopsWithTheLastWallWindowWhileCpuWindowsKeepTheirSamples() throws Exception {
    newProfiler(CpuProfiler.AUTO, 0);
    CpuProfiler.Window cpu = profiler.open();
    CpuProfilerTest.sink += first(300_000_000L);
    CpuProfiler.Window wall = profiler.openWall();
    CpuProfilerTest.sink += middle(300_000_000L);
    assertValidWallProfile(wall.finish());
    assertFalse(profiler.describe().contains("wall"), profiler.describe());
    assertTrue(profiler.isRunning(), "the CPU window still runs");
    CpuProfilerTest.sink += last(300_000_000L);
    Profile pc = cpu.finish();
    assertValidCpuProfile(pc, INTERVAL);
    for (String phase : List.of("first", "middle", "last")) {
      assertTrue(samplesIn(pc, CLASS + "." + phase) > 0, phase + ": " + phases(pc));
    }
  }

  @Test
  void wallSamplingIdlesOutAfterTheIdleTimeoutWhileCpuWindowsGoOn() throws Exception {
    // Long enough that a loaded machine still reads the description before it passes.
    newProfiler(CpuProfiler.AUTO, 3_000_000_000L);
    CpuProfiler.Window cpu = profiler.open();
    CpuProfiler.Window wall = profiler.openWall();
    CpuProfilerTest.sink += first(100_000_000L);
    wall.finish();
    assertTrue(profiler.describe().contains("wall"), "wall stays on for the idle timeout");
    assertTrue(
        Waits.until(Duration.ofSeconds(30), () -> !profiler.describe().contains("wall")),
        profiler.describe());
    assertTrue(profiler.isRunning());
    CpuProfilerTest.sink += last(200_000_000L);
    Profile pc = cpu.finish();
    assertValidCpuProfile(pc, INTERVAL);
    assertTrue(samplesIn(pc, CLASS + ".last") > 0, phases(pc));

    // The next wall window turns it on again.
    CpuProfiler.Window again = profiler.openWall();
    assertTrue(profiler.describe().contains("wall"), profiler.describe());
    CpuProfilerTest.sink += first(100_000_000L);
    assertValidWallProfile(again.finish());
  }

  @Test
  void threadDumpsServeWallWhereAsyncProfilerDoesNotRun() throws Exception {
    newProfiler(CpuProfiler.JFR, 0);
    startSleeper();
    CpuProfiler.Window wall = profiler.openWall();
    CpuProfilerTest.sink += first(500_000_000L);
    Profile pw = wall.finish();
    assertValidWallProfile(pw);
    assertTrue(str(pw, pw.getComment(0)).contains("thread dumps"), str(pw, pw.getComment(0)));
    Map<String, Long> byThreadState = byThreadState(pw);
    String main = Thread.currentThread().getName();
    assertTrue(byThreadState.getOrDefault(SLEEPER + "/timed_waiting", 0L) > 5, "" + byThreadState);
    assertTrue(byThreadState.getOrDefault(main + "/runnable", 0L) > 5, "" + byThreadState);
    assertTrue(samplesIn(pw, WallProfileTest.class.getName() + ".sleepInWall") > 5);
    assertFalse(NativeSession.isRunning(), "cpu.engine=jfr never starts async-profiler");
    assertTrue(
        Waits.until(Duration.ofSeconds(5), () -> !samplerAlive()),
        "the dump sampler ends with its last window");
  }

  /** pprof's rules, and fgprof's header: samples/count, time/nanoseconds, wallclock period. */
  static void assertValidWallProfile(Profile p) {
    try {
      ProfileValidator.checkGoConventions(p);
    } catch (InvalidProfileException e) {
      throw new AssertionError("pprof would reject the profile: " + e.getMessage(), e);
    }
    assertEquals("samples", str(p, p.getSampleType(0).getType()));
    assertEquals("count", str(p, p.getSampleType(0).getUnit()));
    assertEquals("time", str(p, p.getSampleType(1).getType()));
    assertEquals("nanoseconds", str(p, p.getSampleType(1).getUnit()));
    assertEquals("wallclock", str(p, p.getPeriodType().getType()));
    assertEquals(WALL, p.getPeriod());
    assertTrue(p.getSampleCount() > 0, "no samples");
    for (Sample s : p.getSampleList()) {
      assertEquals(s.getValue(0) * WALL, s.getValue(1), "time = count x period");
      assertTrue(thread(p, s) != null, "sample without thread label");
      assertTrue(label(p, s, "state") != null, "sample without state label");
    }
  }

  private static Map<String, Long> byThreadState(Profile p) {
    Map<String, Long> n = new HashMap<>();
    for (Sample s : p.getSampleList()) {
      n.merge(thread(p, s) + "/" + label(p, s, "state"), s.getValue(0), Long::sum);
    }
    return n;
  }

  private static String label(Profile p, Sample s, String key) {
    for (Label l : s.getLabelList()) {
      if (str(p, l.getKey()).equals(key)) {
        return str(p, l.getStr());
      }
    }
    return null;
  }

  private void newProfiler(String engine, long idleTimeoutNanos) {
    profiler = new CpuProfiler(engine, "cpu", INTERVAL, 128, null);
    profiler.idleTimeout(idleTimeoutNanos);
    profiler.wallInterval(WALL);
  }

  private void startSleeper() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    sleeper =
        new Thread(
            () -> {
              started.countDown();
              sleepInWall();
            },
            SLEEPER);
    sleeper.setDaemon(true);
    sleeper.start();
    started.await();
  }

  /** Off CPU the whole test, in a method the wall profile must show. */
  static void sleepInWall() {
    try {
      Thread.sleep(60_000);
    } catch (InterruptedException e) {
      // The test is over.
    }
  }

  private static boolean samplerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("jpprof-wall"));
  }
}
