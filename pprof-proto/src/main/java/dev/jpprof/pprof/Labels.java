package dev.jpprof.pprof;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable set of sample labels, one per key, kept sorted by key so that equal sets compare
 * equal however they were built. A label is either a string ({@code thread=main}) or a number
 * ({@code bytes=64}).
 */
public final class Labels {
  /** No labels. */
  public static final Labels NONE = new Labels(new String[0], new String[0], new long[0]);

  private final String[] keys;
  private final String[] strs; // null where the label is numeric
  private final long[] nums;

  private Labels(String[] keys, String[] strs, long[] nums) {
    this.keys = keys;
    this.strs = strs;
    this.nums = nums;
  }

  /** One string label. */
  public static Labels of(String key, String value) {
    return NONE.with(key, value);
  }

  /** These labels plus the string label {@code key=value}, replacing one with the same key. */
  public Labels with(String key, String value) {
    return put(key, Objects.requireNonNull(value), 0);
  }

  /** These labels plus the numeric label {@code key=value}, replacing one with the same key. */
  public Labels withNum(String key, long value) {
    return put(key, null, value);
  }

  /** Number of labels. */
  public int size() {
    return keys.length;
  }

  /** Key of label {@code i}, in ascending key order. */
  public String key(int i) {
    return keys[i];
  }

  /** Whether label {@code i} is numeric ({@link #num}) rather than a string ({@link #str}). */
  public boolean isNumeric(int i) {
    return strs[i] == null;
  }

  /** Value of string label {@code i}; null if it is numeric. */
  public String str(int i) {
    return strs[i];
  }

  /** Value of numeric label {@code i}; 0 if it is a string label. */
  public long num(int i) {
    return nums[i];
  }

  private Labels put(String key, String str, long num) {
    int at = Arrays.binarySearch(keys, Objects.requireNonNull(key));
    if (at >= 0) {
      String[] s = strs.clone();
      long[] n = nums.clone();
      s[at] = str;
      n[at] = num;
      return new Labels(keys, s, n);
    }
    int insert = -at - 1;
    int size = keys.length + 1;
    String[] k = new String[size];
    String[] s = new String[size];
    long[] n = new long[size];
    System.arraycopy(keys, 0, k, 0, insert);
    System.arraycopy(strs, 0, s, 0, insert);
    System.arraycopy(nums, 0, n, 0, insert);
    k[insert] = key;
    s[insert] = str;
    n[insert] = num;
    System.arraycopy(keys, insert, k, insert + 1, keys.length - insert);
    System.arraycopy(strs, insert, s, insert + 1, keys.length - insert);
    System.arraycopy(nums, insert, n, insert + 1, keys.length - insert);
    return new Labels(k, s, n);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Labels)) {
      return false;
    }
    Labels l = (Labels) o;
    return Arrays.equals(keys, l.keys)
        && Arrays.equals(strs, l.strs)
        && Arrays.equals(nums, l.nums);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(keys) + Arrays.hashCode(strs)) + Arrays.hashCode(nums);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < keys.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(keys[i]).append('=');
      sb.append(isNumeric(i) ? Long.toString(nums[i]) : strs[i]);
    }
    return sb.append('}').toString();
  }
}
