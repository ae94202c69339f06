package dev.jpprof.agent.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.InvalidProfileException;
import dev.jpprof.pprof.ProfileValidator;
import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** pprof's validity rules (ProfileValidator), the CPU profile's header, and readers for tests. */
final class ProfileChecks {
  private ProfileChecks() {}

  /** Fails unless the profile is one go tool pprof would accept as a Go CPU profile. */
  static void assertValidCpuProfile(Profile p, long intervalNanos) {
    try {
      ProfileValidator.checkGoConventions(p);
    } catch (InvalidProfileException e) {
      throw new AssertionError("pprof would reject the profile: " + e.getMessage(), e);
    }
    assertEquals(2, p.getSampleTypeCount());
    assertEquals("samples", str(p, p.getSampleType(0).getType()));
    assertEquals("count", str(p, p.getSampleType(0).getUnit()));
    assertEquals("cpu", str(p, p.getSampleType(1).getType()));
    assertEquals("nanoseconds", str(p, p.getSampleType(1).getUnit()));
    assertEquals("cpu", str(p, p.getPeriodType().getType()));
    assertEquals("nanoseconds", str(p, p.getPeriodType().getUnit()));
    assertEquals(intervalNanos, p.getPeriod());
    for (Location l : p.getLocationList()) {
      assertTrue(l.getLineCount() > 0, "location without lines " + l.getId());
    }
    for (Sample s : p.getSampleList()) {
      assertEquals(2, s.getValueCount(), "values per sample");
      assertTrue(s.getValue(0) > 0, "sample count");
      assertEquals(s.getValue(0) * intervalNanos, s.getValue(1), "cpu = count x interval");
      assertTrue(thread(p, s) != null, "sample without thread label");
    }
  }

  static String str(Profile p, long index) {
    assertTrue(index >= 0 && index < p.getStringTableCount(), "string index " + index);
    return p.getStringTable((int) index);
  }

  static String thread(Profile p, Sample s) {
    for (Label l : s.getLabelList()) {
      if (str(p, l.getKey()).equals("thread")) {
        return str(p, l.getStr());
      }
    }
    return null;
  }

  static Map<Long, Function> functions(Profile p) {
    Map<Long, Function> byId = new HashMap<>();
    p.getFunctionList().forEach(f -> byId.put(f.getId(), f));
    return byId;
  }

  /** The function names of each location's lines, innermost first, by location id. */
  static Map<Long, List<String>> locationNames(Profile p) {
    Map<Long, Function> functions = functions(p);
    Map<Long, List<String>> names = new HashMap<>();
    for (Location l : p.getLocationList()) {
      List<String> lines = new ArrayList<>();
      for (Line line : l.getLineList()) {
        lines.add(str(p, functions.get(line.getFunctionId()).getName()));
      }
      names.put(l.getId(), lines);
    }
    return names;
  }

  /** Total samples whose stack contains a function with this name. */
  static long samplesIn(Profile p, String function) {
    Map<Long, List<String>> names = locationNames(p);
    long n = 0;
    for (Sample s : p.getSampleList()) {
      boolean hit = false;
      for (long id : s.getLocationIdList()) {
        hit |= names.get(id).contains(function);
      }
      n += hit ? s.getValue(0) : 0;
    }
    return n;
  }

  static long totalSamples(Profile p) {
    return p.getSampleList().stream().mapToLong(s -> s.getValue(0)).sum();
  }

  /** Finds the function with this name, or null. */
  static Function function(Profile p, String name) {
    for (Function f : p.getFunctionList()) {
      if (str(p, f.getName()).equals(name)) {
        return f;
      }
    }
    return null;
  }
}
