package dev.jpprof.agent.push;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.ValueType;

/**
 * The wall profile as Pyroscope files it: fgprof's {@code time/nanoseconds} sample type renamed
 * {@code wall/nanoseconds}. Pyroscope names a pprof upload by its sample types, {@code wall} first
 * (pkg/og/convert/pprof RawProfile.metricName); fgprof's {@code samples} would otherwise map to
 * {@code cpu} (its default sample-type mapping) and mix wall time into process_cpu.
 */
final class WallNames {
  private WallNames() {}

  static Profile forPyroscope(Profile p) {
    int time = p.getStringTableList().indexOf("time");
    if (time < 0) {
      return p;
    }
    Profile.Builder b = p.toBuilder();
    long wall = b.getStringTableCount();
    b.addStringTable("wall");
    for (int i = 0; i < b.getSampleTypeCount(); i++) {
      ValueType t = b.getSampleType(i);
      if (t.getType() == time) {
        b.setSampleType(i, t.toBuilder().setType(wall));
      }
    }
    if (b.hasPeriodType() && b.getPeriodType().getType() == time) {
      b.setPeriodType(b.getPeriodType().toBuilder().setType(wall));
    }
    return b.build();
  }
}
