package dev.jpprof.pprof;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Label;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Mapping;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.pprof.proto.ProfileProto.ValueType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds one pprof profile the way Go's runtime/pprof does: strings, functions and locations are
 * interned on first use (ids from 1, string 0 is ""), and samples with the same locations and
 * labels are added together.
 *
 * <p>Every location has its address from {@link FrameAddresses} (non-zero, the same for the same
 * lines in every profile of the process, as scrapers that compute deltas need) and points at one
 * mapping (id 1) spanning those addresses and marked {@code has_functions}, so pprof never asks the
 * server's {@code /symbol} endpoint: Java frames are always symbolized here.
 *
 * <p>Not thread-safe: one builder serves one profile on one thread.
 */
public final class ProfileBuilder {
  private final Profile.Builder profile = Profile.newBuilder();
  private final StringTable strings = new StringTable(profile);
  private final Map<Frame, Long> functions = new HashMap<>();
  private final Map<List<Frame>, Long> locations = new HashMap<>();
  private final Map<SampleKey, long[]> samples = new LinkedHashMap<>();
  private final FrameAddresses addresses;
  private int valueCount;
  private boolean built;

  /**
   * Starts a profile taken at {@code timeNanos} (Unix epoch nanoseconds) whose locations get their
   * addresses from {@code addresses} ({@link FrameAddresses#SHARED} in the agent).
   */
  public ProfileBuilder(long timeNanos, FrameAddresses addresses) {
    profile.setTimeNanos(timeNanos);
    this.addresses = addresses;
  }

  /** Appends a sample type; samples must carry one value per type, in this order. */
  public ProfileBuilder sampleType(String type, String unit) {
    profile.addSampleType(valueType(type, unit));
    valueCount++;
    return this;
  }

  /** Sets what one sampling period measures and its length, e.g. cpu/nanoseconds 10000000. */
  public ProfileBuilder period(String type, String unit, long period) {
    profile.setPeriodType(valueType(type, unit)).setPeriod(period);
    return this;
  }

  /** Names the sample type pprof shows when the user picks none. */
  public ProfileBuilder defaultSampleType(String type) {
    profile.setDefaultSampleType(string(type));
    return this;
  }

  /** Sets the length of the profile's window; Go sets it for CPU and delta profiles only. */
  public ProfileBuilder durationNanos(long durationNanos) {
    profile.setDurationNanos(durationNanos);
    return this;
  }

  /** Adds a comment; {@code go tool pprof -comments} prints them. */
  public ProfileBuilder comment(String comment) {
    profile.addComment(string(comment));
    return this;
  }

  /** Returns the string table index of {@code s}, adding it on first use. */
  public long string(String s) {
    return strings.get(s);
  }

  /**
   * Returns the id of the location made of {@code lines} (innermost inlined frame first, the
   * physical frame last), adding it and its functions on first use.
   */
  public long location(List<Frame> lines) {
    Long id = locations.get(lines);
    if (id == null) {
      List<Frame> key = List.copyOf(lines);
      Location.Builder location =
          Location.newBuilder()
              .setId(locations.size() + 1L)
              .setMappingId(1)
              .setAddress(addresses.pc(key));
      for (Frame frame : key) {
        location.addLine(Line.newBuilder().setFunctionId(function(frame)).setLine(frame.line));
      }
      profile.addLocation(location);
      id = location.getId();
      locations.put(key, id);
    }
    return id;
  }

  /** Shorthand for a location of one frame, not inlined. */
  public long location(Frame frame) {
    return location(List.of(frame));
  }

  /**
   * Adds {@code values} to the sample with these locations (leaf first) and labels. The arrays are
   * copied, so callers may reuse them.
   *
   * @throws IllegalArgumentException if the value count differs from the sample type count or an id
   *     was not returned by {@link #location}: pprof would reject the whole profile
   */
  public void addSample(long[] locationIds, long[] values, Labels labels) {
    if (values.length != valueCount) {
      throw new IllegalArgumentException(
          "sample has " + values.length + " values but the profile has " + valueCount + " types");
    }
    for (long id : locationIds) {
      if (id < 1 || id > locations.size()) {
        throw new IllegalArgumentException("unknown location id " + id);
      }
    }
    SampleKey key = new SampleKey(locationIds.clone(), labels);
    long[] sum = samples.get(key);
    if (sum == null) {
      samples.put(key, values.clone());
    } else {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += values[i];
      }
    }
  }

  /** Number of distinct samples so far. */
  public int sampleCount() {
    return samples.size();
  }

  /**
   * Finishes the profile. The builder must not be used afterwards.
   *
   * @throws IllegalStateException on a second call, which would add a second mapping 1
   */
  public Profile build() {
    if (built) {
      throw new IllegalStateException("build() was already called");
    }
    built = true;
    for (Map.Entry<SampleKey, long[]> entry : samples.entrySet()) {
      Sample.Builder sample = Sample.newBuilder();
      for (long id : entry.getKey().locationIds) {
        sample.addLocationId(id);
      }
      for (long v : entry.getValue()) {
        sample.addValue(v);
      }
      Labels labels = entry.getKey().labels;
      for (int i = 0; i < labels.size(); i++) {
        Label.Builder label = Label.newBuilder().setKey(string(labels.key(i)));
        if (labels.isNumeric(i)) {
          label.setNum(labels.num(i));
        } else {
          label.setStr(string(labels.str(i)));
        }
        sample.addLabel(label);
      }
      profile.addSample(sample);
    }
    samples.clear();
    profile.addMapping(
        Mapping.newBuilder()
            .setId(1)
            .setMemoryStart(FrameAddresses.START)
            .setMemoryLimit(FrameAddresses.LIMIT)
            .setFilename(string("java"))
            .setHasFunctions(true)
            .setHasFilenames(true)
            .setHasLineNumbers(true)
            .setHasInlineFrames(true));
    return profile.build();
  }

  /** Finishes the profile ({@link #build}) and returns it gzipped, as Go serves it. */
  public byte[] toGzip() {
    return Profiles.gzip(build());
  }

  private long function(Frame frame) {
    Frame key = new Frame(frame.name, frame.fileName, frame.startLine, 0);
    Long id = functions.get(key);
    if (id == null) {
      id = functions.size() + 1L;
      long name = string(frame.name);
      profile.addFunction(
          Function.newBuilder()
              .setId(id)
              .setName(name)
              .setSystemName(name)
              .setFilename(string(frame.fileName))
              .setStartLine(frame.startLine));
      functions.put(key, id);
    }
    return id;
  }

  private ValueType valueType(String type, String unit) {
    return ValueType.newBuilder().setType(string(type)).setUnit(string(unit)).build();
  }

  /**
   * One line of a location: the function ({@code package.Class.method} for Java), its source file
   * and first line, and the line executing in it. Unknown parts are "" and 0.
   */
  public static final class Frame {
    /** Function name, e.g. {@code java.util.HashMap.put}. */
    public final String name;

    /** Source file name, "" when unknown. */
    public final String fileName;

    /** First line of the function in its file, 0 when unknown. */
    public final long startLine;

    /** Line executing in this frame, 0 when unknown. */
    public final long line;

    /** A frame; a null {@code fileName} is taken as "". */
    public Frame(String name, String fileName, long startLine, long line) {
      this.name = Objects.requireNonNull(name);
      this.fileName = fileName == null ? "" : fileName;
      this.startLine = startLine;
      this.line = line;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Frame)) {
        return false;
      }
      Frame f = (Frame) o;
      return startLine == f.startLine
          && line == f.line
          && name.equals(f.name)
          && fileName.equals(f.fileName);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, fileName, startLine, line);
    }

    @Override
    public String toString() {
      return name + " " + fileName + ":" + line;
    }
  }

  private static final class SampleKey {
    final long[] locationIds;
    final Labels labels;
    final int hash;

    SampleKey(long[] locationIds, Labels labels) {
      this.locationIds = locationIds;
      this.labels = labels;
      this.hash = 31 * Arrays.hashCode(locationIds) + labels.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof SampleKey)) {
        return false;
      }
      SampleKey k = (SampleKey) o;
      return Arrays.equals(locationIds, k.locationIds) && labels.equals(k.labels);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
