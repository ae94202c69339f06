package example.alloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Application code for the tests: outside dev.jpprof, so the sampler rewrites it. */
public class Workload {
  /** Keeps allocations alive past escape analysis. */
  public static volatile Object sink;

  public static final List<Object> RETAINED = new ArrayList<>();

  /** Allocates {@code n} KiB-sized byte arrays. */
  public static void allocA(int n) {
    for (int i = 0; i < n; i++) {
      sink = new byte[1024];
    }
  }

  /** Same as {@link #allocA}, another stack. */
  public static void allocB(int n) {
    for (int i = 0; i < n; i++) {
      sink = new byte[1024];
    }
  }

  /** Retains {@code n} 4 KiB arrays in {@link #RETAINED}. */
  public static void retain(int n) {
    for (int i = 0; i < n; i++) {
      RETAINED.add(new long[511]);
    }
  }

  /** Grows a HashMap: its tables are allocated inside java.util.HashMap. */
  public static Map<Integer, Integer> growMap(int n) {
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(i, i);
    }
    sink = m;
    return m;
  }

  /** One allocation at the end of a path of calls that spells out {@code bits}. */
  public static void distinctStack(int bits, int depth) {
    if (depth == 0) {
      sink = new Object();
      return;
    }
    if ((bits & 1) == 0) {
      distinctStack(bits >>> 1, depth - 1);
    } else {
      distinctStack(bits >>> 1, depth - 1);
    }
  }

  /** Every kind of allocation instruction, with a result that depends on all of them. */
  public static String everyKind(int n) {
    int[] ints = new int[n];
    for (int i = 0; i < n; i++) {
      ints[i] = i * i;
    }
    String[] strings = new String[] {"a", "b", String.valueOf(n)};
    long[][] grid = new long[2][n];
    grid[1][n - 1] = 7;
    int[] copy = Arrays.copyOf(ints, n + 1);
    char[] chars = "xyz".toCharArray().clone();
    StringBuilder sb = new StringBuilder();
    sb.append(Arrays.toString(copy)).append(strings[2]).append(grid[1][n - 1]).append(chars);
    Object o = new Object();
    return sb.append(o.getClass().getSimpleName()).append(new Point(n, n + 1)).toString();
  }

  /** Sums 0..n-1 through an iterator object and a one-slot array: two allocation sites. */
  public static long countWithIterator(int n) {
    long[] total = new long[1];
    for (CountItr it = new CountItr(n); it.hasNext(); ) {
      total[0] += it.next();
    }
    return total[0];
  }

  /** An iterator class by name, as the JDK's ArrayList$Itr. */
  public static final class CountItr implements java.util.Iterator<Integer> {
    private final int end;
    private int next;

    public CountItr(int end) {
      this.end = end;
    }

    @Override
    public boolean hasNext() {
      return next < end;
    }

    @Override
    public Integer next() {
      return next++;
    }
  }

  /** A small class with a known layout. */
  public static final class Point {
    final int x;
    final long y;

    public Point(int x, long y) {
      this.x = x;
      this.y = y;
    }

    @Override
    public String toString() {
      return "(" + x + "," + y + ")";
    }
  }
}
