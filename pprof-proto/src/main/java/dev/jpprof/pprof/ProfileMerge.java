package dev.jpprof.pprof;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.pprof.proto.ProfileProto.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Merge, scale and delta of profiles with pprof's semantics (google/pprof {@code merge.go};
 * docs/protocol.md §4). A delta is how {@code /debug/pprof/heap?seconds=N} answers: the profile at
 * the end minus the profile at the start.
 *
 * <p>Results have ids 1, 2, 3… and pass {@link ProfileValidator#checkGoConventions} whenever the
 * inputs do (an unmapped input location stays unmapped). Inputs are never modified.
 */
public final class ProfileMerge {
  private ProfileMerge() {}

  /**
   * Adds up {@code profiles}, which must have identical period and sample types. Samples with the
   * same stack (compared by content: mapping, relative address, lines and functions) and the same
   * labels become one; samples whose values are all zero are dropped. Headers: the earliest
   * non-zero time, the summed durations, the largest period, the first non-empty default sample
   * type, each distinct comment once; period type and drop/keep frames of the first profile.
   *
   * @throws InvalidProfileException if the list is empty, a profile fails {@link
   *     ProfileValidator#check}, or the types differ ({@code incompatible sample types: ...})
   */
  public static Profile merge(List<Profile> profiles) throws InvalidProfileException {
    if (profiles.isEmpty()) {
      throw new InvalidProfileException("no profiles to merge");
    }
    for (Profile p : profiles) {
      ProfileValidator.check(p);
    }
    Profile first = profiles.get(0);
    for (int i = 1; i < profiles.size(); i++) {
      requireCompatible(first, 0, profiles.get(i), i);
    }

    Profile.Builder out = Profile.newBuilder();
    StringTable strings = new StringTable(out);
    for (ValueType t : first.getSampleTypeList()) {
      out.addSampleType(valueType(first, t, strings));
    }
    if (first.hasPeriodType()) {
      out.setPeriodType(valueType(first, first.getPeriodType(), strings));
    }
    Merger merger = new Merger(first.getSampleTypeCount());
    for (Profile p : profiles) {
      merger.add(p);
    }
    merger.writeTo(out, strings);

    long time = 0;
    long duration = 0;
    long period = 0;
    Set<String> comments = new LinkedHashSet<>();
    String defaultType = "";
    String docUrl = "";
    for (Profile p : profiles) {
      if (p.getTimeNanos() != 0 && (time == 0 || p.getTimeNanos() < time)) {
        time = p.getTimeNanos();
      }
      duration += p.getDurationNanos();
      period = Math.max(period, p.getPeriod());
      p.getCommentList().forEach(c -> comments.add(str(p, c)));
      defaultType = defaultType.isEmpty() ? str(p, p.getDefaultSampleType()) : defaultType;
      docUrl = docUrl.isEmpty() ? str(p, p.getDocUrl()) : docUrl;
    }
    comments.forEach(c -> out.addComment(strings.get(c)));
    return out.setTimeNanos(time)
        .setDurationNanos(duration)
        .setPeriod(period)
        .setDropFrames(strings.get(str(first, first.getDropFrames())))
        .setKeepFrames(strings.get(str(first, first.getKeepFrames())))
        .setDefaultSampleType(strings.get(defaultType))
        .setDocUrl(strings.get(docUrl))
        .build();
  }

  /**
   * {@code p1} minus {@code p0}, as Go's {@code ?seconds=N} handler computes it: samples that did
   * not change are dropped, others may be negative (e.g. fewer objects in use). time_nanos is
   * {@code p1}'s and duration_nanos the time between the two.
   *
   * @throws InvalidProfileException as {@link #merge}
   */
  public static Profile delta(Profile p0, Profile p1) throws InvalidProfileException {
    return delta(p0, p1, Set.of());
  }

  /**
   * As {@link #delta(Profile, Profile)}, but the sample types named in {@code current} keep {@code
   * p1}'s values instead of the difference: godeltaprof's heap answers alloc_* as deltas and
   * inuse_* as they are now. A sample is dropped only when every value of the result is zero.
   *
   * @throws InvalidProfileException as {@link #merge}
   */
  public static Profile delta(Profile p0, Profile p1, Set<String> current)
      throws InvalidProfileException {
    List<Profile> both = new ArrayList<>(2);
    both.add(current.isEmpty() ? negate(p0) : negateExcept(p0, current));
    both.add(p1);
    return merge(both).toBuilder()
        .setTimeNanos(p1.getTimeNanos())
        .setDurationNanos(p1.getTimeNanos() - p0.getTimeNanos())
        .build();
  }

  /** {@code p} with the values of the {@code current} types zeroed and the others negated. */
  private static Profile negateExcept(Profile p, Set<String> current) {
    boolean[] zero = new boolean[p.getSampleTypeCount()];
    for (int i = 0; i < zero.length; i++) {
      zero[i] = current.contains(str(p, p.getSampleType(i).getType()));
    }
    Profile.Builder out = p.toBuilder().clearSample();
    for (Sample s : p.getSampleList()) {
      Sample.Builder negated = s.toBuilder().clearValue();
      for (int i = 0; i < s.getValueCount(); i++) {
        negated.addValue(i < zero.length && zero[i] ? 0 : -s.getValue(i));
      }
      out.addSample(negated);
    }
    return out.build();
  }

  /** {@code p} with every value negated exactly; see {@link #scale}. */
  public static Profile negate(Profile p) {
    return scale(p, -1);
  }

  /**
   * {@code p} with every value multiplied by {@code ratio} and rounded half away from zero, like
   * pprof's {@code Scale}; samples left all zero are dropped. Ratios 1 and -1 are exact even for
   * values beyond 2^53. Ratio 1 returns {@code p} itself, zero samples and all, as pprof does.
   */
  public static Profile scale(Profile p, double ratio) {
    if (ratio == 1) {
      return p;
    }
    Profile.Builder out = p.toBuilder().clearSample();
    for (Sample s : p.getSampleList()) {
      Sample.Builder scaled = s.toBuilder().clearValue();
      boolean nonZero = false;
      for (long v : s.getValueList()) {
        long w = ratio == -1 ? -v : roundHalfAway(v * ratio);
        scaled.addValue(w);
        nonZero |= w != 0;
      }
      if (nonZero) {
        out.addSample(scaled);
      }
    }
    return out.build();
  }

  /** Go's math.Round: halves go away from zero (Java's Math.round sends -2.5 to -2). */
  static long roundHalfAway(double x) {
    double abs = Math.abs(x);
    double whole = Math.floor(abs);
    if (abs - whole >= 0.5) {
      whole += 1;
    }
    return (long) Math.copySign(whole, x);
  }

  private static void requireCompatible(Profile a, int ai, Profile b, int bi)
      throws InvalidProfileException {
    String periodA = typeString(a, List.of(a.getPeriodType()));
    String periodB = typeString(b, List.of(b.getPeriodType()));
    if (!periodA.equals(periodB)) {
      throw new InvalidProfileException(
          "incompatible period types",
          "profile " + ai + " has " + periodA + ", profile " + bi + " has " + periodB);
    }
    String typesA = typeString(a, a.getSampleTypeList());
    String typesB = typeString(b, b.getSampleTypeList());
    if (!typesA.equals(typesB)) {
      throw new InvalidProfileException(
          "incompatible sample types",
          "profile " + ai + " has " + typesA + ", profile " + bi + " has " + typesB);
    }
  }

  private static String typeString(Profile p, List<ValueType> types) {
    StringBuilder sb = new StringBuilder("[");
    for (ValueType t : types) {
      sb.append(sb.length() == 1 ? "" : " ");
      sb.append(str(p, t.getType())).append('/').append(str(p, t.getUnit()));
    }
    return sb.append(']').toString();
  }

  private static ValueType valueType(Profile p, ValueType t, StringTable strings) {
    return ValueType.newBuilder()
        .setType(strings.get(str(p, t.getType())))
        .setUnit(strings.get(str(p, t.getUnit())))
        .build();
  }

  private static String str(Profile p, long index) {
    return p.getStringTable((int) index);
  }
}
