package dev.jpprof.it;

import dev.jpprof.pprof.InvalidProfileException;
import dev.jpprof.pprof.ProfileValidator;
import dev.jpprof.pprof.Profiles;
import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A decoded profile with lookups by id, for asserting on stacks, lines and labels. */
final class ProfileView {
  final Profile profile;
  private final Map<Long, Function> functions = new HashMap<>();
  private final Map<Long, Location> locations = new HashMap<>();

  ProfileView(Profile profile) {
    this.profile = profile;
    for (Function f : profile.getFunctionList()) {
      functions.put(f.getId(), f);
    }
    for (Location l : profile.getLocationList()) {
      locations.put(l.getId(), l);
    }
  }

  /** Gunzips and decodes, as pprof does. */
  static ProfileView parse(byte[] body) {
    try {
      return new ProfileView(Profiles.parse(body));
    } catch (IOException e) {
      throw new UncheckedIOException("profile does not decode", e);
    }
  }

  /** pprof's own checks (CheckValid and string indices): go tool pprof would accept it. */
  void assertPprofAccepts() {
    try {
      ProfileValidator.check(profile);
    } catch (InvalidProfileException e) {
      throw new AssertionError("pprof would reject the profile: " + e.getMessage(), e);
    }
  }

  /** pprof's checks plus Go's conventions: ids 1, 2, 3…, each string once, mapped locations. */
  void assertGoConventions() {
    try {
      ProfileValidator.checkGoConventions(profile);
    } catch (InvalidProfileException e) {
      throw new AssertionError("not as Go writes profiles: " + e.getMessage(), e);
    }
  }

  String string(long index) {
    return profile.getStringTable((int) index);
  }

  Function function(long id) {
    return functions.get(id);
  }

  String functionName(long id) {
    return string(functions.get(id).getName());
  }

  /** One frame of a stack: a Line of a Location, with its function resolved. */
  static final class Frame {
    final String function;
    final String file;
    final long startLine;
    final long line;

    Frame(String function, String file, long startLine, long line) {
      this.function = function;
      this.file = file;
      this.startLine = startLine;
      this.line = line;
    }

    @Override
    public String toString() {
      return function + " (" + file + ":" + line + ", starts " + startLine + ")";
    }
  }

  /** The sample's frames, leaf first, inlined lines expanded (innermost first, as stored). */
  List<Frame> frames(Sample s) {
    List<Frame> frames = new ArrayList<>();
    for (long id : s.getLocationIdList()) {
      for (Line line : locations.get(id).getLineList()) {
        Function f = functions.get(line.getFunctionId());
        frames.add(
            new Frame(
                string(f.getName()), string(f.getFilename()), f.getStartLine(), line.getLine()));
      }
    }
    return frames;
  }

  /** Function names of the sample's stack, leaf first. */
  List<String> stack(Sample s) {
    List<String> names = new ArrayList<>();
    for (Frame f : frames(s)) {
      names.add(f.function);
    }
    return names;
  }

  /** The values of string labels named {@code key} on the sample. */
  List<String> stringLabels(Sample s, String key) {
    List<String> values = new ArrayList<>();
    for (Label l : s.getLabelList()) {
      if (string(l.getKey()).equals(key) && l.getStr() != 0) {
        values.add(string(l.getStr()));
      }
    }
    return values;
  }

  /** Sum of value[index] over samples whose stack contains {@code function}. */
  long sumWhereStackContains(String function, int index) {
    long sum = 0;
    for (Sample s : profile.getSampleList()) {
      if (stack(s).contains(function)) {
        sum += s.getValue(index);
      }
    }
    return sum;
  }

  /** Sum of value[index] over all samples. */
  long total(int index) {
    long sum = 0;
    for (Sample s : profile.getSampleList()) {
      sum += s.getValue(index);
    }
    return sum;
  }

  /** "type/unit" of each sample type. */
  List<String> sampleTypes() {
    List<String> types = new ArrayList<>();
    profile
        .getSampleTypeList()
        .forEach(t -> types.add(string(t.getType()) + "/" + string(t.getUnit())));
    return types;
  }

  String periodType() {
    return string(profile.getPeriodType().getType())
        + "/"
        + string(profile.getPeriodType().getUnit());
  }

  List<String> comments() {
    List<String> out = new ArrayList<>();
    profile.getCommentList().forEach(c -> out.add(string(c)));
    return out;
  }
}
