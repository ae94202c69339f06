package dev.jpprof.agent.cpu;

import static dev.jpprof.agent.cpu.ProfileChecks.assertValidCpuProfile;
import static dev.jpprof.agent.cpu.ProfileChecks.functions;
import static dev.jpprof.agent.cpu.ProfileChecks.str;
import static dev.jpprof.agent.cpu.ProfileChecks.thread;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frame grouping and profile layout on synthetic stacks. */
class CpuProfileWriterTest {
  private static final String T = CpuProfileWriterTest.class.getName();

  private static RawFrame java(byte type, String method, int line) {
    return new RawFrame(type, T, method, "()V", line);
  }

  @Test
  void inlinedFramesJoinTheirPhysicalCaller() {
    RawFrame leaf = java(RawFrame.INLINED, "leaf", 11);
    RawFrame mid = java(RawFrame.INLINED, "mid", 12);
    RawFrame compiled = java(RawFrame.JIT, "compiled", 13);
    RawFrame interpreted = java(RawFrame.INTERPRETED, "interpreted", 14);
    RawFrame c1 = java(RawFrame.C1, "c1", 15);
    List<List<RawFrame>> groups =
        CpuProfileWriter.group(new RawFrame[] {leaf, mid, compiled, interpreted, c1});
    assertEquals(List.of(List.of(leaf, mid, compiled), List.of(interpreted), List.of(c1)), groups);
  }

  @Test
  void nativeAndTruncatedStacksKeepEveryFrame() {
    RawFrame kernel = new RawFrame(RawFrame.KERNEL, "", "do_syscall_64", "", 0);
    RawFrame libc = new RawFrame(RawFrame.NATIVE, "", "__write", "", 0);
    RawFrame inlinedAtCut = java(RawFrame.INLINED, "cut", 9);
    assertEquals(
        List.of(List.of(kernel), List.of(libc), List.of(inlinedAtCut)),
        CpuProfileWriter.group(new RawFrame[] {kernel, libc, inlinedAtCut}));
  }

  @Test
  void writesLocationsLinesFunctionsAndLabels() {
    RawFrame leaf = java(RawFrame.INLINED, "leaf", 41);
    RawFrame caller = java(RawFrame.JIT, "caller", 52);
    RawFrame syscall = new RawFrame(RawFrame.NATIVE, "", "__clock_gettime", "", 0);
    Map<Stack, Long> counts = new LinkedHashMap<>();
    counts.put(new Stack("worker-1", new RawFrame[] {syscall, leaf, caller}), 3L);
    counts.put(new Stack("worker-2", new RawFrame[] {leaf, caller}), 2L);

    Profile p =
        CpuProfileWriter.write(
            CpuProfileWriter.Kind.CPU,
            counts,
            1_000L,
            2_000L,
            10_000_000L,
            "c",
            new SourceInfo(null).batch());

    assertValidCpuProfile(p, 10_000_000L);
    assertEquals(1_000L, p.getTimeNanos());
    assertEquals(2_000L, p.getDurationNanos());
    assertEquals("c", str(p, p.getComment(0)));
    assertEquals(2, p.getLocationCount(), "the inlined pair shares one Location");
    Map<Long, Function> functions = functions(p);
    Location pair = p.getLocation(1);
    List<String> lines = new ArrayList<>();
    pair.getLineList()
        .forEach(
            l -> lines.add(str(p, functions.get(l.getFunctionId()).getName()) + ":" + l.getLine()));
    assertEquals(List.of(T + ".leaf:41", T + ".caller:52"), lines);
    Function native0 = functions.get(p.getLocation(0).getLine(0).getFunctionId());
    assertEquals("__clock_gettime", str(p, native0.getName()));
    assertEquals("", str(p, native0.getFilename()));
    // Synthetic methods do not exist in the class file: the file is still known, start_line 0.
    Function leafFn = functions.get(pair.getLine(0).getFunctionId());
    assertEquals("CpuProfileWriterTest.java", str(p, leafFn.getFilename()));
    assertEquals(0, leafFn.getStartLine());

    Sample first = p.getSample(0);
    assertEquals(List.of(1L, 2L), first.getLocationIdList());
    assertEquals(List.of(3L, 30_000_000L), first.getValueList());
    assertEquals("worker-1", thread(p, first));
    assertEquals("worker-2", thread(p, p.getSample(1)));
  }

  @Test
  void formatsIntervalsAsPeopleWriteThem() {
    assertEquals("10ms", CpuProfiler.formatInterval(10_000_000L));
    assertEquals("1s", CpuProfiler.formatInterval(1_000_000_000L));
    assertEquals("250us", CpuProfiler.formatInterval(250_000L));
    assertEquals("1234ns", CpuProfiler.formatInterval(1234L));
  }
}
