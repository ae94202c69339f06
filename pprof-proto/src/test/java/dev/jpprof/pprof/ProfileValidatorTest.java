package dev.jpprof.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule broken once, on the CPU fixture. Its tables: strings 0..14, mapping 1, functions 1..4
 * (Math.max, compute, work, main), locations 1 (max inlined in compute), 2 (work), 3 (main);
 * samples 0 and 1 carry the label thread=main.
 */
class ProfileValidatorTest {
  private static final int STRINGS = TestProfiles.cpu().getStringTableCount();

  @Test
  void fixturesFollowPprofRulesAndGoConventions() throws InvalidProfileException {
    ProfileValidator.checkGoConventions(TestProfiles.cpu());
    ProfileValidator.checkGoConventions(TestProfiles.heap());
    ProfileValidator.checkGoConventions(new ProfileBuilder(0, TestProfiles.ADDRESSES).build());
  }

  static Stream<Arguments> pprofRules() {
    return Stream.of(
        broken("string_table[0] must be ''", p -> p.setStringTable(0, "x")),
        broken(
            "malformed profile format: function id 2 name is string 99, the table has " + STRINGS,
            p -> p.setFunction(1, p.getFunction(1).toBuilder().setName(99))),
        broken(
            "malformed profile format: mapping id 1 build_id is string -1, the table has "
                + STRINGS,
            p -> p.setMapping(0, p.getMapping(0).toBuilder().setBuildId(-1))),
        broken(
            "malformed profile format: sample 1 label key is string "
                + STRINGS
                + ", the table has "
                + STRINGS,
            p -> setLabel(p, 1, Label.newBuilder().setKey(STRINGS).setStr(1))),
        broken(
            "malformed profile format: sample 0 label str is string 1000, the table has " + STRINGS,
            p -> setLabel(p, 0, Label.newBuilder().setKey(1).setStr(1000))),
        broken(
            "malformed profile format: sample 0 label num_unit is string 1000, the table has "
                + STRINGS,
            p -> setLabel(p, 0, Label.newBuilder().setKey(1).setNumUnit(1000))),
        broken(
            "malformed profile format: period_type unit is string 77, the table has " + STRINGS,
            p -> p.getPeriodTypeBuilder().setUnit(77)),
        broken("malformed profile format: string table is empty", p -> p.clearStringTable()),
        // String indices are resolved before any other rule, as pprof decodes before CheckValid.
        broken(
            "malformed profile format: default_sample_type is string 500, the table has " + STRINGS,
            p -> p.setDefaultSampleType(500).clearSampleType()),
        broken("missing sample type information", p -> p.clearSampleType()),
        broken(
            "mismatch: sample has 1 values vs. 2 types: sample 2",
            p -> p.setSample(2, p.getSample(2).toBuilder().clearValue().addValue(5))),
        broken(
            "sample has nil location: sample 1 has location id 9, which is not in the "
                + "location table",
            p -> p.setSample(1, p.getSample(1).toBuilder().addLocationId(9))),
        broken(
            "sample has nil location: sample 0 has location id 0, which is not in the "
                + "location table",
            p -> p.setSample(0, p.getSample(0).toBuilder().setLocationId(0, 0))),
        broken(
            "found mapping with reserved ID=0",
            p -> p.setMapping(0, p.getMapping(0).toBuilder().setId(0))),
        broken("multiple mappings with same id: 1", p -> p.addMapping(p.getMapping(0))),
        broken(
            "found function with reserved ID=0",
            p -> p.addFunction(Function.newBuilder().setId(0))),
        broken(
            "multiple functions with same id: 3",
            p -> p.addFunction(Function.newBuilder().setId(3))),
        broken("found location with reserved id=0", p -> p.addLocation(Location.newBuilder())),
        broken(
            "multiple locations with same id: 2",
            p -> p.addLocation(Location.newBuilder().setId(2))),
        broken(
            "location id: 1 has a line with nil function",
            p ->
                p.setLocation(
                    0, p.getLocation(0).toBuilder().setLine(1, Line.newBuilder().setLine(3)))),
        broken(
            "location id: 3 has a line with nil function",
            p ->
                p.setLocation(
                    2, p.getLocation(2).toBuilder().addLine(Line.newBuilder().setFunctionId(5)))),
        // pprof reports mappings before functions, and a location's lines before later ids.
        broken(
            "multiple mappings with same id: 1",
            p -> p.addMapping(p.getMapping(0)).addFunction(Function.newBuilder().setId(0))),
        broken(
            "location id: 2 has a line with nil function",
            p ->
                p.setLocation(1, p.getLocation(1).toBuilder().addLine(Line.newBuilder()))
                    .addLocation(Location.newBuilder().setId(1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pprofRules")
  void checkRejectsWithPprofsMessage(String expected, Consumer<Profile.Builder> breakIt) {
    Profile.Builder p = TestProfiles.cpu().toBuilder();
    breakIt.accept(p);
    InvalidProfileException e =
        assertThrows(InvalidProfileException.class, () -> ProfileValidator.check(p.build()));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void reasonIsPprofsTextWithoutOurDetail() {
    Profile.Builder p = TestProfiles.cpu().toBuilder();
    p.setFunction(0, p.getFunction(0).toBuilder().setFilename(-3));
    InvalidProfileException e =
        assertThrows(InvalidProfileException.class, () -> ProfileValidator.check(p.build()));
    assertEquals("malformed profile format", e.reason());
    p.setFunction(0, p.getFunction(0).toBuilder().setFilename(0).setId(2));
    e = assertThrows(InvalidProfileException.class, () -> ProfileValidator.check(p.build()));
    assertEquals("multiple functions with same id: 2", e.reason());
    assertEquals(e.reason(), e.getMessage());
  }

  @Test
  void pprofAcceptsWhatItDoesNotCheck() throws InvalidProfileException {
    Profile.Builder p = TestProfiles.cpu().toBuilder();
    // An unknown mapping id means "unmapped" to pprof, and a label with neither a string nor a
    // number is dropped, not rejected; ids need not be 1, 2, 3….
    p.setLocation(1, p.getLocation(1).toBuilder().setMappingId(42));
    p.setSample(0, p.getSample(0).toBuilder().addLabel(Label.newBuilder().setKey(1)));
    p.setMapping(0, p.getMapping(0).toBuilder().setId(7));
    p.addStringTable("");
    ProfileValidator.check(p.build());
  }

  static Stream<Arguments> goConventions() {
    return Stream.of(
        broken(
            "string table has \"cpu\" twice, again at index " + STRINGS,
            p -> p.addStringTable("cpu")),
        broken(
            "mapping ids are not 1, 2, 3…: mapping id 2 is at position 1",
            p -> p.setMapping(0, p.getMapping(0).toBuilder().setId(2))),
        broken(
            "function ids are not 1, 2, 3…: function id 9 is at position 5",
            p -> p.addFunction(Function.newBuilder().setId(9))),
        broken(
            "location ids are not 1, 2, 3…: location id 3 is at position 2",
            p ->
                p.setLocation(1, p.getLocation(1).toBuilder().setId(3))
                    .setLocation(2, p.getLocation(2).toBuilder().setId(2))),
        broken(
            "location id 2 has mapping id 0, which names no mapping",
            p -> p.setLocation(1, p.getLocation(1).toBuilder().setMappingId(0))),
        broken(
            "location id 3 has mapping id 2, which names no mapping",
            p -> p.setLocation(2, p.getLocation(2).toBuilder().setMappingId(2))),
        broken(
            "sample 1 has two labels with key \"thread\"",
            p -> p.setSample(1, p.getSample(1).toBuilder().addLabel(p.getSample(2).getLabel(0)))),
        broken(
            "sample 0 has the reserved label key \"pprof::base\"",
            p ->
                p.addStringTable("pprof::base")
                    .setSample(
                        0,
                        p.getSample(0).toBuilder()
                            .addLabel(Label.newBuilder().setKey(STRINGS).setStr(STRINGS)))),
        broken(
            "default_sample_type \"count\" names no sample type",
            p -> p.setDefaultSampleType(p.getSampleType(0).getUnit())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goConventions")
  void checkGoConventionsRejectsWhatGoNeverWrites(String expected, Consumer<Profile.Builder> f)
      throws InvalidProfileException {
    Profile.Builder p = TestProfiles.cpu().toBuilder();
    f.accept(p);
    Profile broken = p.build();
    ProfileValidator.check(broken); // pprof itself would take it
    InvalidProfileException e =
        assertThrows(
            InvalidProfileException.class, () -> ProfileValidator.checkGoConventions(broken));
    assertEquals(expected, e.getMessage());
  }

  private static Arguments broken(String expected, Consumer<Profile.Builder> breakIt) {
    return Arguments.of(expected, breakIt);
  }

  private static void setLabel(Profile.Builder p, int sample, Label.Builder label) {
    p.setSample(sample, p.getSample(sample).toBuilder().setLabel(0, label));
  }
}
