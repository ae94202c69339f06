package dev.jpprof.pprof;

import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Line;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Mapping;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.pprof.proto.ProfileProto.ValueType;

/**
 * Profiles with what ProfileBuilder never writes (real addresses, several mappings, an unsymbolized
 * and an unmapped location, ids that are not 1, 2, 3), as Go or another tool may.
 */
final class NativeProfiles {
  private NativeProfiles() {}

  /**
   * A CPU-like profile of /usr/bin/app loaded at {@code start} and libc 0x10000000 above it:
   * location 10 in main.main, 20 unsymbolized in libc, 30 without a mapping. Samples: [10] = n, [20
   * 10] = 1, [30] = 2.
   */
  static Profile app(long time, long start, long n) {
    Profile.Builder p = Profile.newBuilder().setTimeNanos(time).setPeriod(10_000_000);
    for (String s :
        new String[] {
          "",
          "samples",
          "count",
          "cpu",
          "nanoseconds",
          "/usr/bin/app",
          "b1d",
          "/lib/libc.so.6",
          "main.main",
          "/src/main.go"
        }) {
      p.addStringTable(s);
    }
    p.addSampleType(ValueType.newBuilder().setType(1).setUnit(2));
    p.setPeriodType(ValueType.newBuilder().setType(3).setUnit(4));
    p.addMapping(
        Mapping.newBuilder()
            .setId(5)
            .setMemoryStart(start)
            .setMemoryLimit(start + 0x7f000)
            .setFilename(5)
            .setBuildId(6)
            .setHasFunctions(true));
    long libc = start + 0x10000000;
    p.addMapping(
        Mapping.newBuilder()
            .setId(9)
            .setMemoryStart(libc)
            .setMemoryLimit(libc + 0x1000)
            .setFileOffset(0x2000)
            .setFilename(7));
    p.addFunction(
        Function.newBuilder().setId(2).setName(8).setSystemName(8).setFilename(9).setStartLine(10));
    p.addLocation(
        Location.newBuilder()
            .setId(10)
            .setMappingId(5)
            .setAddress(start + 0x1234)
            .addLine(Line.newBuilder().setFunctionId(2).setLine(12)));
    p.addLocation(Location.newBuilder().setId(20).setMappingId(9).setAddress(libc + 0x99));
    p.addLocation(
        Location.newBuilder()
            .setId(30)
            .setAddress(0xdead)
            .addLine(Line.newBuilder().setFunctionId(2).setLine(13)));
    p.addSample(Sample.newBuilder().addLocationId(10).addValue(n));
    p.addSample(Sample.newBuilder().addLocationId(20).addLocationId(10).addValue(1));
    p.addSample(Sample.newBuilder().addLocationId(30).addValue(2));
    return p.build();
  }

  /** {@code p} with every mapping, function and location id x turned into 10x + 3. */
  static Profile sparseIds(Profile p) {
    Profile.Builder out = p.toBuilder();
    for (int i = 0; i < out.getMappingCount(); i++) {
      out.setMapping(i, out.getMapping(i).toBuilder().setId(sparse(out.getMapping(i).getId())));
    }
    for (int i = 0; i < out.getFunctionCount(); i++) {
      out.setFunction(i, out.getFunction(i).toBuilder().setId(sparse(out.getFunction(i).getId())));
    }
    for (int i = 0; i < out.getLocationCount(); i++) {
      Location.Builder l = out.getLocation(i).toBuilder();
      l.setId(sparse(l.getId())).setMappingId(l.getMappingId() == 0 ? 0 : sparse(l.getMappingId()));
      for (int j = 0; j < l.getLineCount(); j++) {
        l.setLine(j, l.getLine(j).toBuilder().setFunctionId(sparse(l.getLine(j).getFunctionId())));
      }
      out.setLocation(i, l);
    }
    for (int i = 0; i < out.getSampleCount(); i++) {
      Sample.Builder s = out.getSample(i).toBuilder();
      for (int j = 0; j < s.getLocationIdCount(); j++) {
        s.setLocationId(j, sparse(s.getLocationId(j)));
      }
      out.setSample(i, s);
    }
    return out.build();
  }

  private static long sparse(long id) {
    return 10 * id + 3;
  }
}
