package dev.jpprof.agent.cpu;

import static dev.jpprof.agent.cpu.CpuProfilerTest.CLASS;
import static dev.jpprof.agent.cpu.CpuProfilerTest.INTERVAL;
import static dev.jpprof.agent.cpu.ProfileChecks.assertValidCpuProfile;
import static dev.jpprof.agent.cpu.ProfileChecks.function;
import static dev.jpprof.agent.cpu.ProfileChecks.samplesIn;
import static dev.jpprof.agent.cpu.ProfileChecks.str;
import static dev.jpprof.agent.cpu.ProfileChecks.thread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import jdk.jfr.FlightRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** cpu.engine=jfr in this JVM: the JDK's execution samples through the same profile writer. */
class JfrEngineTest {
  static final String COMMENT = "jpprof cpu: jfr ExecutionSample interval=10ms";

  static volatile long sink;

  @AfterEach
  void noRecordingLeft() {
    assertTrue(
        FlightRecorder.getFlightRecorder().getRecordings().stream()
            .noneMatch(r -> r.getName().equals("jpprof-cpu")),
        "a jpprof-cpu recording is still open");
    assertFalse(NativeSession.isRunning(), "the JFR engine started async-profiler");
  }

  @Test
  void profilesTheBurningMethodWithFilesLinesAndThreads() throws Exception {
    CpuProfiler profiler = new CpuProfiler(CpuProfiler.JFR, "cpu", INTERVAL, 128, null);
    assertEquals("JFR execution samples, interval 10ms", profiler.describe());
    CpuProfiler.Window window;
    try (LandedSamples landed = new LandedSamples()) {
      window = profiler.open();
      // 3 : 1 in CPU time, like CpuProfilerTest, but until the sampler caught burnA 20 times.
      sink += landed.burn("burnA", 20, 10, () -> CpuProfilerTest.burnA(30_000_000L));
      sink += landed.burn("burnB", 5, 10, () -> CpuProfilerTest.burnB(10_000_000L));
    }
    Profile p = window.finish();

    assertValidCpuProfile(p, INTERVAL);
    assertEquals(COMMENT, str(p, p.getComment(0)));
    assertEquals("JFR execution samples, interval 10ms, idle", profiler.describe());
    long a = samplesIn(p, CLASS + ".burnA");
    long b = samplesIn(p, CLASS + ".burnB");
    assertTrue(a >= 20, "burnA samples " + a + ", burnB " + b);
    assertTrue(b >= 5, "burnA samples " + a + ", burnB " + b);
    Function f = function(p, CLASS + ".burnA");
    assertEquals("CpuProfilerTest.java", str(p, f.getFilename()));
    assertTrue(f.getStartLine() > 0, "start_line");
    assertTrue(CpuProfilerTest.hasLineAfter(p, f), "no sample line >= start_line");
    String me = Thread.currentThread().getName();
    assertTrue(p.getSampleList().stream().anyMatch(s -> me.equals(thread(p, s))), "thread " + me);
  }

  @Test
  void overlappingWindowsEachGetTheirOwnRecording() throws Exception {
    CpuProfiler profiler = new CpuProfiler(CpuProfiler.JFR, "cpu", INTERVAL, 128, null);
    Profile pa;
    Profile pb;
    try (LandedSamples landed = new LandedSamples()) {
      // Each phase burns until its samples landed: the windows' edges are what is tested.
      long slice = 50_000_000L;
      CpuProfiler.Window a = profiler.open();
      sink += landed.burn("first", 3, 10, () -> CpuProfilerTest.first(slice));
      CpuProfiler.Window b = profiler.open();
      sink += landed.burn("middle", 3, 10, () -> CpuProfilerTest.middle(slice));
      pb = b.finish();
      assertEquals("JFR execution samples, interval 10ms", profiler.describe(), "A still open");
      sink += landed.burn("last", 3, 10, () -> CpuProfilerTest.last(slice));
      pa = a.finish();
    }

    CpuProfilerTest.assertOwnSamples(pa, pb);
  }

  @Test
  void cancelClosesTheRecordingOnce() throws Exception {
    CpuProfiler profiler = new CpuProfiler(CpuProfiler.JFR, "cpu", INTERVAL, 128, null);
    CpuProfiler.Window w = profiler.open();
    w.cancel();
    w.cancel();
    assertThrows(CpuProfilerException.class, w::finish);
    assertEquals("JFR execution samples, interval 10ms, idle", profiler.describe());
  }

  @Test
  void rejectsUnknownEngines() {
    assertThrows(
        IllegalArgumentException.class, () -> new CpuProfiler("perf", "cpu", INTERVAL, 1, null));
  }
}
