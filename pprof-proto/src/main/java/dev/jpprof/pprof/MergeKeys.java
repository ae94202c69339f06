package dev.jpprof.pprof;

import java.util.Arrays;
import java.util.List;

/**
 * The content keys of a merge (google/pprof {@code merge.go}): two things from different profiles
 * are the same when their keys are equal, whatever ids they had. Keys hold resolved strings, never
 * string indices, because every profile has its own string table.
 */
final class MergeKeys {
  private MergeKeys() {}

  /** Equal when its class and parts are equal; subclasses keep typed fields for writing. */
  abstract static class Key {
    private final List<Object> parts;

    Key(Object... parts) {
      this.parts = Arrays.asList(parts);
    }

    @Override
    public final boolean equals(Object o) {
      return o != null && o.getClass() == getClass() && parts.equals(((Key) o).parts);
    }

    @Override
    public final int hashCode() {
      return getClass().hashCode() * 31 + parts.hashCode();
    }
  }

  /** pprof's function key: all of name, system name, file and start line. */
  static final class FunctionKey extends Key {
    final String name;
    final String systemName;
    final String fileName;
    final long startLine;

    FunctionKey(String name, String systemName, String fileName, long startLine) {
      super(name, systemName, fileName, startLine);
      this.name = name;
      this.systemName = systemName;
      this.fileName = fileName;
      this.startLine = startLine;
    }
  }

  /**
   * pprof's mapping key: size rounded up to 4 KiB, file offset, and build id or else file name. The
   * start address is left out so the same binary loaded elsewhere (ASLR) is one mapping.
   */
  static final class MappingKey extends Key {
    MappingKey(long memoryStart, long memoryLimit, long fileOffset, String buildId, String file) {
      super(
          (memoryLimit - memoryStart + 0xfff) & ~0xfffL,
          fileOffset,
          buildId.isEmpty() ? file : buildId);
    }
  }

  /** One line of a location: the function, line and column. */
  static final class LineKey extends Key {
    final FunctionKey function;
    final long line;
    final long column;

    LineKey(FunctionKey function, long line, long column) {
      super(function, line, column);
      this.function = function;
      this.line = line;
      this.column = column;
    }
  }

  /** A location by its mapping, address relative to the mapping's start, and lines. */
  static final class LocationKey extends Key {
    final MappingKey mapping; // null when the location has no (known) mapping
    final long address; // relative to the mapping's start when mapped
    final boolean folded;
    final List<LineKey> lines;

    LocationKey(MappingKey mapping, long address, boolean folded, List<LineKey> lines) {
      super(mapping, address, folded, lines);
      this.mapping = mapping;
      this.address = address;
      this.folded = folded;
      this.lines = lines;
    }
  }

  /** A string label ({@code str} set) or a numeric one ({@code str} null). */
  static final class LabelKey extends Key {
    final String key;
    final String str;
    final long num;
    final String unit;

    LabelKey(String key, String str, long num, String unit) {
      super(key, str, num, unit);
      this.key = key;
      this.str = str;
      this.num = num;
      this.unit = unit;
    }
  }

  /** A sample by its locations (leaf first) and its labels in a canonical order. */
  static final class SampleKey extends Key {
    final List<LocationKey> locations;
    final List<LabelKey> labels;

    SampleKey(List<LocationKey> locations, List<LabelKey> labels) {
      super(locations, labels);
      this.locations = locations;
      this.labels = labels;
    }
  }
}
