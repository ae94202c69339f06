package dev.jpprof.pprof;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Mapping;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.pprof.proto.ProfileProto.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A readable, deterministic dump of a profile, laid out like google/pprof's {@code
 * Profile.String()}: headers, sample types, samples (values, location ids, labels), locations with
 * their lines and functions, mappings. Golden tests compare it; people read it when a profile looks
 * wrong. It differs from {@code go tool pprof -raw} only where pprof's output is not deterministic
 * or has trailing blanks: time in UTC ISO-8601, duration in nanoseconds, no blank at the end of a
 * sample line or for an empty mapping file or build id.
 */
public final class ProfileText {
  private ProfileText() {}

  /** Dumps {@code p}. Bad string indices or function ids are shown, not thrown. */
  public static String dump(Profile p) {
    List<String> out = new ArrayList<>();
    for (long c : p.getCommentList()) {
      out.add("Comment: " + str(p, c));
    }
    if (p.hasPeriodType()) {
      out.add(
          "PeriodType: "
              + str(p, p.getPeriodType().getType())
              + " "
              + str(p, p.getPeriodType().getUnit()));
    }
    out.add("Period: " + p.getPeriod());
    if (p.getTimeNanos() != 0) {
      out.add("Time: " + Instant.ofEpochSecond(0, p.getTimeNanos()));
    }
    if (p.getDurationNanos() != 0) {
      out.add("Duration: " + p.getDurationNanos() + "ns");
    }
    out.add("Samples:");
    StringBuilder types = new StringBuilder();
    for (ValueType t : p.getSampleTypeList()) {
      types.append(types.length() == 0 ? "" : " ");
      types.append(str(p, t.getType())).append('/').append(str(p, t.getUnit()));
      if (p.getDefaultSampleType() != 0 && t.getType() == p.getDefaultSampleType()) {
        types.append("[dflt]");
      }
    }
    out.add(types.toString());
    for (Sample s : p.getSampleList()) {
      sample(p, s, out);
    }
    out.add("Locations");
    Map<Long, Function> functions = new HashMap<>();
    p.getFunctionList().forEach(f -> functions.put(f.getId(), f));
    for (Location l : p.getLocationList()) {
      location(p, l, functions, out);
    }
    out.add("Mappings");
    for (Mapping m : p.getMappingList()) {
      out.add(mapping(p, m));
    }
    return String.join("\n", out) + "\n";
  }

  private static void sample(Profile p, Sample s, List<String> out) {
    StringBuilder line = new StringBuilder();
    for (long v : s.getValueList()) {
      line.append(String.format(" %10d", v));
    }
    line.append(':');
    for (long id : s.getLocationIdList()) {
      line.append(' ').append(id);
    }
    out.add(line.toString());
    // Grouped by key and sorted, as pprof shows labels: key:[v1 v2], numbers with their unit.
    Map<String, List<String>> strs = new TreeMap<>();
    Map<String, List<String>> nums = new TreeMap<>();
    for (Label l : s.getLabelList()) {
      String key = str(p, l.getKey());
      if (l.getStr() != 0) {
        strs.computeIfAbsent(key, k -> new ArrayList<>()).add(str(p, l.getStr()));
      } else {
        String unit = l.getNumUnit() == 0 ? "" : " " + str(p, l.getNumUnit());
        nums.computeIfAbsent(key, k -> new ArrayList<>()).add(l.getNum() + unit);
      }
    }
    for (Map<String, List<String>> labels : List.of(strs, nums)) {
      if (!labels.isEmpty()) {
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + ":[" + String.join(" ", v) + "]"));
        out.add("                " + String.join(" ", parts));
      }
    }
  }

  private static void location(
      Profile p, Location l, Map<Long, Function> functions, List<String> out) {
    StringBuilder head = new StringBuilder(String.format("%6d: %#x", l.getId(), l.getAddress()));
    if (l.getMappingId() != 0) {
      head.append(" M=").append(l.getMappingId());
    }
    if (l.getIsFolded()) {
      head.append(" [F]");
    }
    if (l.getLineCount() == 0) {
      out.add(head.toString());
    }
    String prefix = head.toString();
    for (Line line : l.getLineList()) {
      Function f = functions.get(line.getFunctionId());
      String text = "??";
      if (f != null) {
        String name = str(p, f.getName());
        String system = str(p, f.getSystemName());
        text =
            name
                + " "
                + str(p, f.getFilename())
                + ":"
                + line.getLine()
                + " s="
                + f.getStartLine()
                + (name.equals(system) ? "" : "(" + system + ")");
      }
      out.add(prefix + " " + text);
      prefix = "            "; // id and address on the first line only; pprof's indent
    }
  }

  private static String mapping(Profile p, Mapping m) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "%d: %#x/%#x/%#x",
            m.getId(), m.getMemoryStart(), m.getMemoryLimit(), m.getFileOffset()));
    for (long s : new long[] {m.getFilename(), m.getBuildId()}) {
      if (s != 0) {
        sb.append(' ').append(str(p, s));
      }
    }
    String bits =
        (m.getHasFunctions() ? "[FN]" : "")
            + (m.getHasFilenames() ? "[FL]" : "")
            + (m.getHasLineNumbers() ? "[LN]" : "")
            + (m.getHasInlineFrames() ? "[IN]" : "");
    return bits.isEmpty() ? sb.toString() : sb.append(' ').append(bits).toString();
  }

  private static String str(Profile p, long index) {
    return index >= 0 && index < p.getStringTableCount()
        ? p.getStringTable((int) index)
        : "<string " + index + "?>";
  }
}
