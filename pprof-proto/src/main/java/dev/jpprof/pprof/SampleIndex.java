package dev.jpprof.pprof;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * One sample type of a profile, as pprof's {@code -sample_index} picks it: for viewers that show
 * only one (speedscope draws the default sample type, or the last). The result keeps only that
 * value in every sample, names it the default, and drops the samples where it is zero; locations,
 * functions and strings are kept as they are.
 */
public final class SampleIndex {
  private SampleIndex() {}

  /**
   * @param index a sample type's name ({@code alloc_space}) or its 0-based position, as pprof's
   *     {@code -sample_index} takes it
   * @throws IllegalArgumentException naming the profile's sample types when {@code index} is none
   */
  public static Profile only(Profile p, String index) {
    int i = position(p, index);
    Profile.Builder out =
        p.toBuilder()
            .clearSampleType()
            .addSampleType(p.getSampleType(i))
            .setDefaultSampleType(p.getSampleType(i).getType())
            .clearSample();
    for (Sample s : p.getSampleList()) {
      long v = s.getValue(i);
      if (v != 0) {
        out.addSample(s.toBuilder().clearValue().addValue(v));
      }
    }
    return out.build();
  }

  /**
   * The position of the sample type {@code index} names, checked before any work is done.
   *
   * @throws IllegalArgumentException naming the profile's sample types when {@code index} is none
   */
  public static int position(Profile p, String index) {
    List<String> names = names(p);
    int i = names.indexOf(index);
    if (i < 0) {
      try {
        i = Integer.parseInt(index);
      } catch (NumberFormatException e) {
        i = -1;
      }
    }
    if (i < 0 || i >= names.size()) {
      throw new IllegalArgumentException(
          "sample_index=" + index + " is not one of this profile's sample types " + names);
    }
    return i;
  }

  private static List<String> names(Profile p) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < p.getSampleTypeCount(); i++) {
      names.add(p.getStringTable((int) p.getSampleType(i).getType()));
    }
    return names;
  }
}
