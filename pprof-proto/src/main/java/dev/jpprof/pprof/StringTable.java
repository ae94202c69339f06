package dev.jpprof.pprof;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.HashMap;
import java.util.Map;

/** Interns strings into a profile's table: index 0 is "", each string once, in first-use order. */
final class StringTable {
  private final Profile.Builder profile;
  private final Map<String, Long> index = new HashMap<>();

  StringTable(Profile.Builder profile) {
    this.profile = profile;
    get("");
  }

  long get(String s) {
    Long i = index.get(s);
    if (i == null) {
      i = (long) profile.getStringTableCount();
      profile.addStringTable(s);
      index.put(s, i);
    }
    return i;
  }
}
