package dev.jpprof.agent.cpu;

import static dev.jpprof.agent.cpu.CpuProfilerTest.CLASS;
import static dev.jpprof.agent.cpu.CpuProfilerTest.INTERVAL;
import static dev.jpprof.agent.cpu.CpuProfilerTest.first;
import static dev.jpprof.agent.cpu.CpuProfilerTest.last;
import static dev.jpprof.agent.cpu.CpuProfilerTest.middle;
import static dev.jpprof.agent.cpu.CpuProfilerTest.phases;
import static dev.jpprof.agent.cpu.ProfileChecks.assertValidCpuProfile;
import static dev.jpprof.agent.cpu.ProfileChecks.samplesIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.testing.Waits;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The native session between windows ({@code cpu.idleTimeout}): it stays up while windows keep
 * arriving, windows still get exactly their own samples, it stops after the idle timeout and the
 * next window starts it again, and its temp files never pile up.
 */
class CpuSessionTest {
  private CpuProfiler profiler;

  @AfterEach
  void stopped() throws InterruptedException {
    if (profiler != null) {
      profiler.idleTimeout(0); // stops an idle session at once
    }
    assertFalse(NativeSession.isRunning(), "async-profiler still running after the test");
  }

  @Test
  void windowsKeepExactBoundariesWhileTheSessionStaysUp() throws Exception {
    newProfiler(60_000_000_000L);
    CpuProfiler.Window a = profiler.open();
    Path file = profiler.file();
    CpuProfilerTest.sink += first(300_000_000L);
    Profile pa = a.finish();
    assertTrue(profiler.isRunning(), "the session stays up after its last window");
    assertTrue(profiler.describe().endsWith(", idle"), profiler.describe());
    CpuProfilerTest.sink += middle(300_000_000L); // no window open: nobody's samples
    CpuProfiler.Window b = profiler.open();
    assertEquals(file, profiler.file(), "the same session (no restart)");
    assertFalse(profiler.describe().endsWith(", idle"), profiler.describe());
    CpuProfilerTest.sink += last(300_000_000L);
    Profile pb = b.finish();

    assertValidCpuProfile(pa, INTERVAL);
    assertValidCpuProfile(pb, INTERVAL);
    String counts = "A " + phases(pa) + ", B " + phases(pb);
    assertTrue(samplesIn(pa, CLASS + ".first") > 0, counts);
    assertEquals(0, samplesIn(pa, CLASS + ".middle"), counts);
    assertEquals(0, samplesIn(pa, CLASS + ".last"), counts);
    assertTrue(samplesIn(pb, CLASS + ".last") > 0, counts);
    assertEquals(
        0, samplesIn(pb, CLASS + ".middle"), "samples from between the windows: " + counts);
    assertEquals(0, samplesIn(pb, CLASS + ".first"), counts);
  }

  @Test
  void anIdleSessionStopsAndTheNextWindowStartsItAgain() throws Exception {
    newProfiler(300_000_000L);
    CpuProfiler.Window a = profiler.open();
    Path file = profiler.file();
    CpuProfilerTest.sink += middle(50_000_000L);
    assertValidCpuProfile(a.finish(), INTERVAL);
    assertTrue(profiler.isRunning());
    assertTrue(
        Waits.until(Duration.ofSeconds(10), () -> !profiler.isRunning()),
        "still running after the idle timeout");
    assertFalse(NativeSession.isRunning());
    assertFalse(Files.exists(file), "the stopped session's file is deleted");

    CpuProfiler.Window b = profiler.open();
    assertTrue(profiler.isRunning());
    CpuProfilerTest.sink += last(200_000_000L);
    Profile pb = b.finish();
    assertValidCpuProfile(pb, INTERVAL);
    assertTrue(samplesIn(pb, CLASS + ".last") > 0, phases(pb));
  }

  @Test
  void settingZeroStopsAnIdleSessionAtOnce() throws Exception {
    newProfiler(60_000_000_000L);
    profiler.open().finish();
    assertTrue(profiler.isRunning());
    profiler.idleTimeout(0);
    assertFalse(profiler.isRunning());
    assertFalse(NativeSession.isRunning());
  }

  /** 40 back-to-back windows, with the file rotated at every cut: one file at a time, then none. */
  @Test
  void tempFilesDoNotAccumulate() throws Exception {
    File tmp = new File(System.getProperty("java.io.tmpdir"));
    int before = sessionFiles(tmp);
    profiler = new CpuProfiler(CpuProfiler.AUTO, "cpu", INTERVAL, 128, null, 1);
    profiler.idleTimeout(60_000_000_000L);
    for (int i = 0; i < 40; i++) {
      CpuProfiler.Window w = profiler.open();
      CpuProfilerTest.sink += middle(5_000_000L);
      w.finish();
      assertTrue(sessionFiles(tmp) <= before + 1, "files piling up: " + sessionFiles(tmp));
    }
    assertTrue(profiler.isRunning());
    profiler.idleTimeout(0);
    assertEquals(before, sessionFiles(tmp), "the last session's file is deleted");
  }

  /** The profiler under test, its session kept up for {@code idleTimeoutNanos} after a window. */
  private void newProfiler(long idleTimeoutNanos) {
    profiler = new CpuProfiler("cpu", INTERVAL, 128, null);
    profiler.idleTimeout(idleTimeoutNanos);
  }

  private static int sessionFiles(File dir) {
    String[] names = dir.list((d, name) -> name.startsWith("jpprof-cpu-") && name.endsWith(".jfr"));
    return names == null ? 0 : names.length;
  }
}
