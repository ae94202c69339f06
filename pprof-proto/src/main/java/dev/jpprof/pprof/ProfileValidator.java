package dev.jpprof.pprof;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Mapping;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.pprof.proto.ProfileProto.ValueType;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules pprof applies when it reads a profile (google/pprof {@code profile.Parse}: string
 * indices while decoding, then {@code CheckValid}), in pprof's order and with pprof's messages. A
 * profile that passes {@link #check} is one {@code go tool pprof} accepts.
 *
 * <p>{@link #checkGoConventions} adds what Go's runtime/pprof always does but pprof does not
 * require, such as ids numbered 1, 2, 3…; our tests hold every profile we write to it.
 */
public final class ProfileValidator {
  static final String MALFORMED = "malformed profile format";

  private ProfileValidator() {}

  /** Throws if pprof would reject {@code p}; the exception's reason is pprof's message. */
  public static void check(Profile p) throws InvalidProfileException {
    new StringIndexCheck(p).run();
    checkSamples(p);
    Set<Long> mappings = new HashSet<>();
    for (Mapping m : p.getMappingList()) {
      requireNewId("mapping", "ID", m.getId(), mappings);
    }
    Set<Long> functions = new HashSet<>();
    for (Function f : p.getFunctionList()) {
      requireNewId("function", "ID", f.getId(), functions);
    }
    Set<Long> locations = new HashSet<>();
    for (Location l : p.getLocationList()) {
      // pprof checks each location's lines before it looks at the next location's id.
      requireNewId("location", "id", l.getId(), locations);
      for (Line line : l.getLineList()) {
        if (line.getFunctionId() == 0 || !functions.contains(line.getFunctionId())) {
          throw new InvalidProfileException(
              "location id: " + l.getId() + " has a line with nil function");
        }
      }
    }
  }

  /**
   * Runs {@link #check}, then the conventions of Go's runtime/pprof (docs/protocol.md §10): each
   * string once in the table, mapping/function/location ids 1, 2, 3… in table order, every location
   * pointing at a mapping, one label per key and no reserved {@code pprof::} keys, and a default
   * sample type that names a sample type.
   */
  public static void checkGoConventions(Profile p) throws InvalidProfileException {
    check(p);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < p.getStringTableCount(); i++) {
      if (!seen.add(p.getStringTable(i))) {
        throw new InvalidProfileException(
            "string table has \"" + p.getStringTable(i) + "\" twice, again at index " + i);
      }
    }
    for (int i = 0; i < p.getMappingCount(); i++) {
      requireSequential("mapping", i, p.getMapping(i).getId());
    }
    for (int i = 0; i < p.getFunctionCount(); i++) {
      requireSequential("function", i, p.getFunction(i).getId());
    }
    for (int i = 0; i < p.getLocationCount(); i++) {
      Location l = p.getLocation(i);
      requireSequential("location", i, l.getId());
      if (l.getMappingId() < 1 || l.getMappingId() > p.getMappingCount()) {
        throw new InvalidProfileException(
            "location id "
                + l.getId()
                + " has mapping id "
                + l.getMappingId()
                + ", which names no mapping");
      }
    }
    for (int i = 0; i < p.getSampleCount(); i++) {
      Set<String> keys = new HashSet<>();
      for (Label label : p.getSample(i).getLabelList()) {
        String key = p.getStringTable((int) label.getKey());
        if (key.startsWith("pprof::")) {
          throw new InvalidProfileException(
              "sample " + i + " has the reserved label key \"" + key + "\"");
        }
        if (!keys.add(key)) {
          throw new InvalidProfileException(
              "sample " + i + " has two labels with key \"" + key + "\"");
        }
      }
    }
    long dflt = p.getDefaultSampleType();
    if (dflt != 0 && p.getSampleTypeList().stream().noneMatch(t -> t.getType() == dflt)) {
      throw new InvalidProfileException(
          "default_sample_type \"" + p.getStringTable((int) dflt) + "\" names no sample type");
    }
  }

  private static void checkSamples(Profile p) throws InvalidProfileException {
    int types = p.getSampleTypeCount();
    if (types == 0 && p.getSampleCount() != 0) {
      throw new InvalidProfileException("missing sample type information");
    }
    // pprof resolves sample locations against every location in the table, even one with id 0.
    Set<Long> locations = new HashSet<>();
    for (Location l : p.getLocationList()) {
      locations.add(l.getId());
    }
    for (int i = 0; i < p.getSampleCount(); i++) {
      Sample s = p.getSample(i);
      if (s.getValueCount() != types) {
        throw new InvalidProfileException(
            "mismatch: sample has " + s.getValueCount() + " values vs. " + types + " types",
            "sample " + i);
      }
      for (long id : s.getLocationIdList()) {
        if (!locations.contains(id)) {
          throw new InvalidProfileException(
              "sample has nil location",
              "sample " + i + " has location id " + id + ", which is not in the location table");
        }
      }
    }
  }

  private static void requireNewId(String kind, String idWord, long id, Set<Long> seen)
      throws InvalidProfileException {
    if (id == 0) {
      throw new InvalidProfileException("found " + kind + " with reserved " + idWord + "=0");
    }
    if (!seen.add(id)) {
      throw new InvalidProfileException("multiple " + kind + "s with same id: " + id);
    }
  }

  private static void requireSequential(String kind, int index, long id)
      throws InvalidProfileException {
    if (id != index + 1L) {
      throw new InvalidProfileException(
          kind + " ids are not 1, 2, 3…: " + kind + " id " + id + " is at position " + (index + 1));
    }
  }

  /** pprof resolves every string index while decoding, before any other rule; so do we. */
  private static final class StringIndexCheck {
    private final Profile p;

    StringIndexCheck(Profile p) {
      this.p = p;
    }

    void run() throws InvalidProfileException {
      // pprof reads at least the period type's strings, so an empty table never passes.
      if (p.getStringTableCount() == 0) {
        throw new InvalidProfileException(MALFORMED, "string table is empty");
      }
      if (!p.getStringTable(0).isEmpty()) {
        throw new InvalidProfileException("string_table[0] must be ''");
      }
      for (Mapping m : p.getMappingList()) {
        index(m.getFilename(), "mapping id " + m.getId() + " filename");
        index(m.getBuildId(), "mapping id " + m.getId() + " build_id");
      }
      for (Function f : p.getFunctionList()) {
        index(f.getName(), "function id " + f.getId() + " name");
        index(f.getSystemName(), "function id " + f.getId() + " system_name");
        index(f.getFilename(), "function id " + f.getId() + " filename");
      }
      for (ValueType t : p.getSampleTypeList()) {
        valueType(t, "sample_type");
      }
      for (int i = 0; i < p.getSampleCount(); i++) {
        for (Label l : p.getSample(i).getLabelList()) {
          index(l.getKey(), "sample " + i + " label key");
          // Like pprof: str wins; num_unit only matters on a label that is not a string label.
          if (l.getStr() != 0) {
            index(l.getStr(), "sample " + i + " label str");
          } else if (l.getNumUnit() != 0) {
            index(l.getNumUnit(), "sample " + i + " label num_unit");
          }
        }
      }
      index(p.getDropFrames(), "drop_frames");
      index(p.getKeepFrames(), "keep_frames");
      // pprof gives every profile a period type, set or not, so its indices are always read.
      valueType(p.getPeriodType(), "period_type");
      for (long c : p.getCommentList()) {
        index(c, "comment");
      }
      index(p.getDefaultSampleType(), "default_sample_type");
      // pprof releases since 2023 also resolve doc_url (field 15); older ones skip the field.
      index(p.getDocUrl(), "doc_url");
    }

    private void valueType(ValueType t, String what) throws InvalidProfileException {
      index(t.getType(), what + " type");
      index(t.getUnit(), what + " unit");
    }

    private void index(long i, String what) throws InvalidProfileException {
      if (i < 0 || i >= p.getStringTableCount()) {
        throw new InvalidProfileException(
            MALFORMED, what + " is string " + i + ", the table has " + p.getStringTableCount());
      }
    }
  }
}
