package dev.jpprof.agent.cpu;

import static dev.jpprof.agent.cpu.ProfileChecks.assertValidCpuProfile;
import static dev.jpprof.agent.cpu.ProfileChecks.function;
import static dev.jpprof.agent.cpu.ProfileChecks.locationNames;
import static dev.jpprof.agent.cpu.ProfileChecks.samplesIn;
import static dev.jpprof.agent.cpu.ProfileChecks.str;
import static dev.jpprof.agent.cpu.ProfileChecks.thread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CPU engine against the real async-profiler in this JVM. */
class CpuProfilerTest {
  static final long INTERVAL = 10_000_000L;
  static final String CLASS = CpuProfilerTest.class.getName();
  private static final Pattern COMMENT =
      Pattern.compile(
          "jpprof cpu: async-profiler \\S+ event=cpu engine=(perf_events|itimer|ctimer)"
              + " interval=10ms");

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  static volatile long sink;

  @AfterEach
  void nativeProfilerStopped() {
    assertFalse(NativeSession.isRunning(), "async-profiler still running after the test");
  }

  @Test
  void profilesTwoMethodsWithFilesLinesAndThreads() throws Exception {
    CpuProfiler profiler = new CpuProfiler("cpu", INTERVAL, 128, null);
    assertEquals("not started yet", profiler.describe());
    long before = System.currentTimeMillis() * 1_000_000L;
    CpuProfiler.Window window = profiler.open();
    long cpuEnd = cpuNow() + 2_000_000_000L;
    for (long deadline = System.nanoTime() + 30_000_000_000L;
        cpuNow() < cpuEnd && System.nanoTime() < deadline; ) {
      sink += burnA(30_000_000L); // 3 : 1 in CPU time, whatever the machine's load
      sink += burnB(10_000_000L);
    }
    Profile p = window.finish();

    assertValidCpuProfile(p, INTERVAL);
    assertTrue(p.getTimeNanos() >= before && p.getTimeNanos() < before + 5_000_000_000L);
    assertTrue(p.getDurationNanos() >= 2_000_000_000L, "duration " + p.getDurationNanos());
    String comment = str(p, p.getComment(0));
    Matcher m = COMMENT.matcher(comment);
    assertTrue(m.matches(), comment);
    assertTrue(profiler.describe().contains("event cpu via " + m.group(1)), profiler.describe());
    System.err.println("engine: " + profiler.describe());

    long a = samplesIn(p, CLASS + ".burnA");
    long b = samplesIn(p, CLASS + ".burnB");
    assertTrue(b >= 10, "burnB samples " + b); // ~50 expected even on a loaded machine
    assertTrue(a > 1.5 * b, "burnA " + a + " vs burnB " + b);
    for (String name : List.of("burnA", "burnB")) {
      Function f = function(p, CLASS + "." + name);
      assertEquals("CpuProfilerTest.java", str(p, f.getFilename()), name);
      assertTrue(f.getStartLine() > 0, name + " start_line");
      assertTrue(hasLineAfter(p, f), name + ": no sample line >= start_line");
    }
    String me = Thread.currentThread().getName();
    assertTrue(p.getSampleList().stream().anyMatch(s -> me.equals(thread(p, s))), "thread " + me);
    // C2 compiles the hot loop within milliseconds and inlines mix() into it: one Location whose
    // lines are mix (innermost) then burnA, the physical frame.
    assertTrue(
        locationNames(p).containsValue(List.of(CLASS + ".mix", CLASS + ".burnA")),
        "no location with mix inlined into burnA");
    assertFalse(profiler.isRunning());
    assertTrue(profiler.describe().endsWith(", idle"), profiler.describe());
  }

  @Test
  void overlappingWindowsEachGetTheirOwnSamples() throws Exception {
    CpuProfiler profiler = new CpuProfiler("cpu", INTERVAL, 128, null);
    overlap(profiler, 500_000_000L);
  }

  @Test
  void overlappingWindowsSurviveFileRotation() throws Exception {
    // Rotating at every window boundary exercises the restart path that large files take.
    CpuProfiler profiler = new CpuProfiler(CpuProfiler.AUTO, "cpu", INTERVAL, 128, null, 1);
    overlap(profiler, 300_000_000L);
  }

  /** A: first, middle, last; B: only middle. Each phase burns {@code phaseNanos} of CPU. */
  private static void overlap(CpuProfiler profiler, long phaseNanos) throws Exception {
    CpuProfiler.Window a = profiler.open();
    Path file = profiler.file();
    assertTrue(Files.exists(file), "JFR temp file");
    sink += first(phaseNanos);
    CpuProfiler.Window b = profiler.open();
    sink += middle(phaseNanos);
    Profile pb = b.finish();
    assertTrue(profiler.isRunning(), "A is still open");
    sink += last(phaseNanos);
    Profile pa = a.finish();

    assertOwnSamples(pa, pb);

    assertFalse(profiler.isRunning());
    assertFalse(NativeSession.isRunning());
    assertFalse(Files.exists(file), "JFR temp file left behind");
    assertFalse(Files.exists(profiler.file() == null ? file : profiler.file()));
  }

  /** A lasted first, middle and last; B only middle: each has exactly its own samples. */
  static void assertOwnSamples(Profile pa, Profile pb) {
    assertValidCpuProfile(pa, INTERVAL);
    assertValidCpuProfile(pb, INTERVAL);
    String counts = "A " + phases(pa) + ", B " + phases(pb);
    for (String name : List.of("first", "middle", "last")) {
      assertTrue(samplesIn(pa, CLASS + "." + name) > 0, "A lacks " + name + ": " + counts);
    }
    assertTrue(samplesIn(pb, CLASS + ".middle") > 0, "B lacks middle: " + counts);
    assertEquals(0, samplesIn(pb, CLASS + ".first"), "B has samples from before it opened");
    assertEquals(0, samplesIn(pb, CLASS + ".last"), "B has samples from after it closed");
    assertTrue(pb.getTimeNanos() > pa.getTimeNanos());
    assertTrue(pb.getDurationNanos() < pa.getDurationNanos());
  }

  static String phases(Profile p) {
    return "first="
        + samplesIn(p, CLASS + ".first")
        + " middle="
        + samplesIn(p, CLASS + ".middle")
        + " last="
        + samplesIn(p, CLASS + ".last");
  }

  @Test
  void cancelIsIdempotentAndStopsTheLastSession() throws Exception {
    CpuProfiler profiler = new CpuProfiler("cpu", INTERVAL, 128, null);
    CpuProfiler.Window a = profiler.open();
    CpuProfiler.Window b = profiler.open();
    Path file = profiler.file();
    b.cancel();
    b.cancel();
    assertThrows(CpuProfilerException.class, b::finish);
    assertTrue(profiler.isRunning(), "A still open");
    sink += middle(200_000_000L);
    assertValidCpuProfile(a.finish(), INTERVAL);
    a.cancel(); // after finish: a no-op

    CpuProfiler.Window c = profiler.open();
    assertTrue(profiler.isRunning());
    c.cancel();
    assertFalse(profiler.isRunning());
    assertFalse(Files.exists(file));
    assertThrows(CpuProfilerException.class, c::finish);
  }

  @Test
  void concurrentWindowsFromSeveralThreads() throws Exception {
    CpuProfiler profiler = new CpuProfiler("cpu", INTERVAL, 128, null);
    Thread[] threads = new Thread[4];
    Throwable[] errors = new Throwable[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 3; i++) {
                    CpuProfiler.Window w = profiler.open();
                    sink += middle((50 + 40 * id) * 1_000_000L);
                    if (i == 1 && id == 0) {
                      w.cancel();
                    } else {
                      assertValidCpuProfile(w.finish(), INTERVAL);
                    }
                  }
                } catch (Throwable e) {
                  errors[id] = e;
                }
              },
              "cpu-test-" + t);
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    for (Throwable e : errors) {
      if (e != null) {
        throw new AssertionError(e);
      }
    }
    assertFalse(profiler.isRunning());
  }

  @Test
  void unknownEventFallsBackToItimer() throws Exception {
    CpuProfiler profiler = new CpuProfiler("nosuchevent", INTERVAL, 64, null);
    CpuProfiler.Window w = profiler.open();
    assertEquals(
        "async-profiler "
            + NativeSession.version()
            + ", event itimer (nosuchevent unavailable) via itimer, interval 10ms",
        profiler.describe());
    sink += middle(100_000_000L);
    Profile p = w.finish();
    assertTrue(str(p, p.getComment(0)).contains("event=itimer engine=itimer"));
  }

  @Test
  void profilerStartedByOthersIsReportedNotStolen() throws Exception {
    one.profiler.AsyncProfiler ap = one.profiler.AsyncProfiler.getInstance();
    ap.execute("start,event=itimer,quiet,loglevel=none");
    try {
      CpuProfiler profiler =
          new CpuProfiler(CpuProfiler.ASYNC_PROFILER, "cpu", INTERVAL, 128, null);
      CpuProfilerException e = assertThrows(CpuProfilerException.class, profiler::open);
      assertEquals(
          "Could not enable CPU profiling: async-profiler is already running in this JVM",
          e.getMessage());
      assertEquals("error: " + e.getMessage(), profiler.describe());
      assertTrue(NativeSession.isRunning(), "someone else's session must survive");
    } finally {
      ap.execute("stop,quiet,loglevel=none");
    }
  }

  @Test
  void autoUsesJfrForAWindowWhileOthersRunTheProfiler() throws Exception {
    CpuProfiler profiler = new CpuProfiler("cpu", INTERVAL, 128, null);
    one.profiler.AsyncProfiler ap = one.profiler.AsyncProfiler.getInstance();
    ap.execute("start,event=itimer,quiet,loglevel=none");
    try {
      CpuProfiler.Window w = profiler.open();
      assertEquals(
          "JFR execution samples, interval 10ms"
              + " (async-profiler busy: async-profiler is already running in this JVM)",
          profiler.describe());
      sink += middle(200_000_000L);
      Profile p = w.finish();
      assertValidCpuProfile(p, INTERVAL);
      assertEquals(JfrEngineTest.COMMENT, str(p, p.getComment(0)));
      assertTrue(NativeSession.isRunning(), "someone else's session must survive");
    } finally {
      ap.execute("stop,quiet,loglevel=none");
    }
    // Busy is not lasting: once the other session ends, async-profiler serves again.
    CpuProfiler.Window w = profiler.open();
    assertTrue(profiler.describe().startsWith("async-profiler "), profiler.describe());
    w.cancel();
  }

  @Test
  void rejectsEventsThatWouldInjectOptions() {
    assertThrows(
        IllegalArgumentException.class, () -> new CpuProfiler("cpu,file=/x", INTERVAL, 1, null));
    assertThrows(IllegalArgumentException.class, () -> new CpuProfiler("cpu", 0, 1, null));
  }

  @Test
  void exceptionMessagesAreOneLine() {
    assertEquals("a b c", new CpuProfilerException("a\n  b\r\nc\n").getMessage());
  }

  static boolean hasLineAfter(Profile p, Function f) {
    for (Location l : p.getLocationList()) {
      for (Line line : l.getLineList()) {
        if (line.getFunctionId() == f.getId() && line.getLine() >= f.getStartLine()) {
          return true;
        }
      }
    }
    return false;
  }

  /** CPU time of this thread: burning by it keeps sample counts steady on a loaded machine. */
  static long cpuNow() {
    return THREADS.getCurrentThreadCpuTime();
  }

  static long burnA(long cpuNanos) {
    long until = cpuNow() + cpuNanos;
    long s = 1;
    while (cpuNow() < until) {
      for (int i = 0; i < 20_000; i++) {
        s = mix(i, s);
      }
    }
    return s;
  }

  static long burnB(long cpuNanos) {
    long until = cpuNow() + cpuNanos;
    long s = 2;
    while (cpuNow() < until) {
      for (int i = 0; i < 20_000; i++) {
        s = s * 17 + (i ^ (s >>> 11));
      }
    }
    return s;
  }

  static long mix(int i, long s) {
    return (s * 31 + i) ^ (s >>> 7);
  }

  static long first(long cpuNanos) {
    return burnB(cpuNanos) + 1;
  }

  static long middle(long cpuNanos) {
    return burnB(cpuNanos) + 2;
  }

  static long last(long cpuNanos) {
    return burnB(cpuNanos) + 3;
  }
}
