package dev.jpprof.it;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Mapping;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.pprof.proto.ProfileProto.ValueType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks pprof applies before it accepts a profile (google/pprof {@code profile.go}
 * CheckValid and the string-table rules of {@code encode.go}; spec §5.6), plus Go's id and string
 * conventions (§2.1). Stands in until {@code dev.jpprof.pprof.ProfileValidator} reaches main.
 */
final class ProfileChecks {
  private ProfileChecks() {}

  /** Throws AssertionError naming the first rule the profile breaks; pprof would reject it. */
  static void checkValid(Profile p) {
    int strings = p.getStringTableCount();
    require(strings > 0 && p.getStringTable(0).isEmpty(), "string_table[0] must be ''");
    StringIndex s = new StringIndex(strings);
    for (ValueType t : p.getSampleTypeList()) {
      s.check(t.getType(), "sample_type.type");
      s.check(t.getUnit(), "sample_type.unit");
    }
    s.check(p.getPeriodType().getType(), "period_type.type");
    s.check(p.getPeriodType().getUnit(), "period_type.unit");
    s.check(p.getDropFrames(), "drop_frames");
    s.check(p.getKeepFrames(), "keep_frames");
    s.check(p.getDefaultSampleType(), "default_sample_type");
    s.check(p.getDocUrl(), "doc_url");
    for (long c : p.getCommentList()) {
      s.check(c, "comment");
    }

    int types = p.getSampleTypeCount();
    require(types > 0 || p.getSampleCount() == 0, "missing sample type information");

    Set<Long> mappings = new HashSet<>();
    for (Mapping m : p.getMappingList()) {
      require(m.getId() != 0, "found mapping with reserved ID=0");
      require(mappings.add(m.getId()), "multiple mappings with same id: " + m.getId());
      s.check(m.getFilename(), "mapping.filename");
      s.check(m.getBuildId(), "mapping.build_id");
    }
    Set<Long> functions = new HashSet<>();
    for (Function f : p.getFunctionList()) {
      require(f.getId() != 0, "found function with reserved ID=0");
      require(functions.add(f.getId()), "multiple functions with same id: " + f.getId());
      s.check(f.getName(), "function.name");
      s.check(f.getSystemName(), "function.system_name");
      s.check(f.getFilename(), "function.filename");
    }
    Set<Long> locations = new HashSet<>();
    for (Location l : p.getLocationList()) {
      require(l.getId() != 0, "found location with reserved ID=0");
      require(locations.add(l.getId()), "multiple locations with same id: " + l.getId());
      for (Line line : l.getLineList()) {
        require(
            line.getFunctionId() != 0 && functions.contains(line.getFunctionId()),
            "location id: " + l.getId() + " has a line with nil function");
      }
    }
    for (Sample sample : p.getSampleList()) {
      require(
          sample.getValueCount() == types,
          "mismatch: sample has " + sample.getValueCount() + " values vs. " + types + " types");
      for (long id : sample.getLocationIdList()) {
        require(locations.contains(id), "sample has nil location: id " + id);
      }
      for (Label label : sample.getLabelList()) {
        s.check(label.getKey(), "label.key");
        s.check(label.getStr(), "label.str");
        s.check(label.getNumUnit(), "label.num_unit");
      }
    }
  }

  /** Go's conventions: ids 1, 2, 3… in order, each string once (spec §2.1). */
  static void checkGoConventions(Profile p) {
    sequential(p.getMappingList().stream().map(Mapping::getId).toArray(Long[]::new), "mapping");
    sequential(p.getFunctionList().stream().map(Function::getId).toArray(Long[]::new), "function");
    sequential(p.getLocationList().stream().map(Location::getId).toArray(Long[]::new), "location");
    List<String> table = p.getStringTableList();
    Set<String> seen = new HashSet<>();
    for (String str : table) {
      require(seen.add(str), "string table holds " + quote(str) + " twice");
    }
  }

  private static void sequential(Long[] ids, String what) {
    for (int i = 0; i < ids.length; i++) {
      require(ids[i] == i + 1, what + " ids are not 1, 2, 3…: #" + (i + 1) + " has id " + ids[i]);
    }
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError("invalid profile: " + message);
    }
  }

  private static final class StringIndex {
    private final int size;

    StringIndex(int size) {
      this.size = size;
    }

    void check(long index, String field) {
      require(index >= 0 && index < size, "malformed profile format: " + field + " = " + index
          + " is outside the string table of " + size);
    }
  }
}
