package dev.jpprof.pprof;

import dev.jpprof.pprof.MergeKeys.FunctionKey;
import dev.jpprof.pprof.MergeKeys.LabelKey;
import dev.jpprof.pprof.MergeKeys.LineKey;
import dev.jpprof.pprof.MergeKeys.LocationKey;
import dev.jpprof.pprof.MergeKeys.MappingKey;
import dev.jpprof.pprof.MergeKeys.SampleKey;
import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Mapping;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The body of a merge: samples of valid, compatible profiles added up by content ({@link #add}),
 * then written with fresh ids ({@link #writeTo}). Only what a non-zero sample uses is written,
 * numbered 1, 2, 3… in first-use order, as Go's runtime/pprof numbers them.
 */
final class Merger {
  private final int valueCount;
  private final Map<SampleKey, long[]> samples = new LinkedHashMap<>();

  /** The first profile's mapping of each key: its start address and file are what we write. */
  private final Map<MappingKey, Mapping> mappings = new HashMap<>();

  private final Map<MappingKey, String[]> mappingStrings = new HashMap<>();
  private MappingKey mainMapping;

  Merger(int valueCount) {
    this.valueCount = valueCount;
  }

  /** Adds the samples of {@code p}, which must pass {@link ProfileValidator#check}. */
  void add(Profile p) {
    Tables t = new Tables(p);
    // pprof keeps the first profile's first mapping first: by convention it is the main binary.
    if (mainMapping == null && p.getMappingCount() > 0) {
      mainMapping = mappingKey(t, p.getMapping(0));
    }
    Map<Long, LocationKey> locations = new HashMap<>();
    for (Sample s : p.getSampleList()) {
      List<LocationKey> stack = new ArrayList<>(s.getLocationIdCount());
      for (long id : s.getLocationIdList()) {
        LocationKey key = locations.get(id);
        if (key == null) {
          key = locationKey(t, t.locations.get(id));
          locations.put(id, key);
        }
        stack.add(key);
      }
      SampleKey key = new SampleKey(stack, labels(t, s));
      long[] sum = samples.computeIfAbsent(key, k -> new long[valueCount]);
      for (int i = 0; i < valueCount; i++) {
        sum[i] += s.getValue(i);
      }
    }
  }

  /** Writes the non-zero samples and what they use; sample types must already be in {@code out}. */
  void writeTo(Profile.Builder out, StringTable strings) {
    Writer w = new Writer(out, strings);
    if (mainMapping != null) {
      w.mapping(mainMapping);
    }
    for (Map.Entry<SampleKey, long[]> e : samples.entrySet()) {
      if (isZero(e.getValue())) {
        continue; // a delta drops what did not change; pprof drops zero samples on every merge
      }
      Sample.Builder s = Sample.newBuilder();
      for (LocationKey l : e.getKey().locations) {
        s.addLocationId(w.location(l));
      }
      for (long v : e.getValue()) {
        s.addValue(v);
      }
      for (LabelKey l : e.getKey().labels) {
        Label.Builder label = Label.newBuilder().setKey(strings.get(l.key));
        if (l.str != null) {
          label.setStr(strings.get(l.str));
        } else {
          label.setNum(l.num).setNumUnit(strings.get(l.unit));
        }
        s.addLabel(label);
      }
      out.addSample(s);
    }
  }

  private MappingKey mappingKey(Tables t, Mapping m) {
    String file = t.str(m.getFilename());
    String buildId = t.str(m.getBuildId());
    MappingKey key =
        new MappingKey(m.getMemoryStart(), m.getMemoryLimit(), m.getFileOffset(), buildId, file);
    if (mappings.putIfAbsent(key, m) == null) {
      mappingStrings.put(key, new String[] {file, buildId});
    }
    return key;
  }

  private LocationKey locationKey(Tables t, Location l) {
    // pprof treats an unknown mapping id as no mapping, not as an error.
    Mapping m = t.mappings.get(l.getMappingId());
    List<LineKey> lines = new ArrayList<>(l.getLineCount());
    for (Line line : l.getLineList()) {
      Function f = t.functions.get(line.getFunctionId());
      FunctionKey fk =
          new FunctionKey(
              t.str(f.getName()),
              t.str(f.getSystemName()),
              t.str(f.getFilename()),
              f.getStartLine());
      lines.add(new LineKey(fk, line.getLine(), line.getColumn()));
    }
    if (m == null) {
      return new LocationKey(null, l.getAddress(), l.getIsFolded(), lines);
    }
    long relative = l.getAddress() - m.getMemoryStart();
    return new LocationKey(mappingKey(t, m), relative, l.getIsFolded(), lines);
  }

  /** String labels first, then numeric ones, each sorted by key: the order pprof writes them. */
  private static List<LabelKey> labels(Tables t, Sample s) {
    List<LabelKey> strs = new ArrayList<>();
    List<LabelKey> nums = new ArrayList<>();
    for (Label l : s.getLabelList()) {
      String key = t.str(l.getKey());
      if (l.getStr() != 0) {
        strs.add(new LabelKey(key, t.str(l.getStr()), 0, null));
      } else if (l.getNum() != 0 || l.getNumUnit() != 0) {
        nums.add(new LabelKey(key, null, l.getNum(), t.str(l.getNumUnit())));
      } // else pprof reads neither a string nor a number and drops the label
    }
    // A stable sort keeps several values of one key in their order, as pprof does.
    strs.sort(Comparator.comparing(l -> l.key));
    nums.sort(Comparator.comparing(l -> l.key));
    strs.addAll(nums);
    return strs;
  }

  private static boolean isZero(long[] values) {
    for (long v : values) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  /** One input profile's id lookups. */
  private static final class Tables {
    final Profile p;
    final Map<Long, Mapping> mappings = new HashMap<>();
    final Map<Long, Function> functions = new HashMap<>();
    final Map<Long, Location> locations = new HashMap<>();

    Tables(Profile p) {
      this.p = p;
      p.getMappingList().forEach(m -> mappings.put(m.getId(), m));
      p.getFunctionList().forEach(f -> functions.put(f.getId(), f));
      p.getLocationList().forEach(l -> locations.put(l.getId(), l));
    }

    String str(long index) {
      return p.getStringTable((int) index);
    }
  }

  /** Gives each key written an id, writing the mapping, function or location on first use. */
  private final class Writer {
    final Profile.Builder out;
    final StringTable strings;
    final Map<MappingKey, Long> mappingIds = new HashMap<>();
    final Map<FunctionKey, Long> functionIds = new HashMap<>();
    final Map<LocationKey, Long> locationIds = new HashMap<>();

    Writer(Profile.Builder out, StringTable strings) {
      this.out = out;
      this.strings = strings;
    }

    long mapping(MappingKey key) {
      return id(
          mappingIds,
          key,
          id -> {
            String[] fileAndBuildId = mappingStrings.get(key);
            out.addMapping(
                mappings.get(key).toBuilder()
                    .setId(id)
                    .setFilename(strings.get(fileAndBuildId[0]))
                    .setBuildId(strings.get(fileAndBuildId[1])));
          });
    }

    long function(FunctionKey key) {
      return id(
          functionIds,
          key,
          id ->
              out.addFunction(
                  Function.newBuilder()
                      .setId(id)
                      .setName(strings.get(key.name))
                      .setSystemName(strings.get(key.systemName))
                      .setFilename(strings.get(key.fileName))
                      .setStartLine(key.startLine)));
    }

    long location(LocationKey key) {
      return id(
          locationIds,
          key,
          id -> {
            Location.Builder l = Location.newBuilder().setId(id).setIsFolded(key.folded);
            if (key.mapping == null) {
              l.setAddress(key.address);
            } else {
              // The same code at the address where the first profile had this mapping loaded.
              l.setMappingId(mapping(key.mapping))
                  .setAddress(key.address + mappings.get(key.mapping).getMemoryStart());
            }
            for (LineKey line : key.lines) {
              l.addLine(
                  Line.newBuilder()
                      .setFunctionId(function(line.function))
                      .setLine(line.line)
                      .setColumn(line.column));
            }
            out.addLocation(l);
          });
    }

    /**
     * The id of {@code key}: on its first use the next of 1, 2, 3… (Go's ids), and {@code add}
     * writes its message with that id.
     */
    private <K> long id(Map<K, Long> ids, K key, LongConsumer add) {
      Long id = ids.get(key);
      if (id == null) {
        id = ids.size() + 1L;
        ids.put(key, id);
        add.accept(id);
      }
      return id;
    }
  }
}
