package dev.jpprof.pprof;

import dev.jpprof.pprof.ProfileBuilder.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Made-up program counters for Java frames. Java has no PCs, but Go's profiles are keyed by them:
 * the debug=1 text prints them ({@code 3 @ 0x10000011 0x10010021}), and scrapers that compute
 * deltas on their side (Grafana Alloy's fastdelta) identify a sample by its locations' addresses
 * plus its labels. So every distinct location gets one non-zero address, the same in every profile
 * for the life of the JVM, as a Go PC is.
 *
 * <p>Each function gets a 64 KiB range of its own and each distinct location in it (a line, or a
 * line with the chain of calls inlined into it) a 16-byte slot, in order of first use, so {@code
 * /debug/pprof/symbol} can name any address in a function's range. The table is bounded ({@link
 * #MAX_FUNCTIONS}, {@link #MAX_SLOTS}); past it, a location's address is a hash of its lines in a
 * range of its own above the table: still stable and distinct (barring a 2^-35 collision), but
 * nameless to /symbol. Every address lies in [{@link #START}, {@link #LIMIT}), the one mapping
 * jpprof profiles have.
 *
 * <p>Thread-safe.
 */
public final class FrameAddresses {
  /** The first address; a Go binary's text starts about here too. */
  public static final long START = 0x10000000L;

  static final long FUNCTION_SPAN = 0x10000L;
  private static final int SLOTS_PER_FUNCTION = (int) (FUNCTION_SPAN / 16);

  /** Functions and slots the table holds: ~100 bytes a slot, so at most ~26 MiB. */
  static final int MAX_FUNCTIONS = 1 << 16;

  static final int MAX_SLOTS = 1 << 18;

  /** Where hashed addresses start: above every table address. */
  static final long HASHED = START + FUNCTION_SPAN * MAX_FUNCTIONS;

  private static final long HASHED_MASK = (1L << 39) - 1;

  /** The end of the mapping: above every address, table or hashed. */
  public static final long LIMIT = HASHED + HASHED_MASK + 1;

  /** The JVM's addresses: every profile and /debug/pprof/symbol use these. */
  public static final FrameAddresses SHARED = new FrameAddresses();

  private final Map<String, Function> byName = new ConcurrentHashMap<>();
  private final List<String> names = new ArrayList<>();
  private final AtomicInteger slots = new AtomicInteger();
  private final int maxFunctions;

  /** A fresh address space; tests use their own for predictable addresses. */
  public FrameAddresses() {
    this(MAX_FUNCTIONS);
  }

  private FrameAddresses(int maxFunctions) {
    this.maxFunctions = maxFunctions;
  }

  /**
   * Addresses that are all hashed: the same for the same lines whatever order they are first asked
   * in, so golden files of profiles built by several tests do not depend on the tests' order.
   */
  static FrameAddresses hashing() {
    return new FrameAddresses(0);
  }

  private static final class Function {
    final long entry;
    final Map<String, Long> slots = new ConcurrentHashMap<>();

    Function(long entry) {
      this.entry = entry;
    }
  }

  /**
   * The PC of a frame not inlined into another (Go's frame.PC: return address − 1). The {@code @}
   * line of debug=1 prints it + 1, as Go prints return addresses there. Unknown lines (negative, as
   * StackTraceElement has them) are line 0, as profiles write them.
   */
  public long pc(String function, int line) {
    return address(function, Integer.toString(Math.max(0, line)));
  }

  /**
   * The address of a location: its lines innermost first, the physical frame last, as {@link
   * ProfileBuilder#location} takes them. A location of one line has that frame's {@link #pc}.
   */
  public long pc(List<Frame> lines) {
    Frame physical = lines.get(lines.size() - 1);
    if (lines.size() == 1) {
      return pc(physical.name, (int) physical.line);
    }
    StringBuilder key = new StringBuilder().append(physical.line);
    for (int i = lines.size() - 2; i >= 0; i--) {
      key.append(';').append(lines.get(i).name).append(':').append(lines.get(i).line);
    }
    return address(physical.name, key.toString());
  }

  /** The entry address of a function in the table, 0 if it has none: its offset base in text. */
  public long entry(String function) {
    Function f = byName.get(function);
    return f == null ? 0 : f.entry;
  }

  /** The function whose range holds {@code address}, or null: what /symbol answers. */
  public String function(long address) {
    long index = Long.divideUnsigned(address - START, FUNCTION_SPAN);
    synchronized (names) {
      return address < START || index >= names.size() ? null : names.get((int) index);
    }
  }

  private long address(String function, String slot) {
    Function f = byName.get(function);
    if (f == null) {
      synchronized (names) {
        f = byName.get(function);
        if (f == null) {
          if (names.size() >= maxFunctions) {
            return hashed(function, slot);
          }
          names.add(function);
          f = new Function(START + FUNCTION_SPAN * (names.size() - 1));
          byName.put(function, f);
        }
      }
    }
    Long pc = f.slots.get(slot);
    if (pc != null) {
      return pc;
    }
    synchronized (f) {
      pc = f.slots.get(slot);
      if (pc == null) {
        if (f.slots.size() >= SLOTS_PER_FUNCTION || slots.incrementAndGet() > MAX_SLOTS) {
          return hashed(function, slot);
        }
        pc = f.entry + 16L * f.slots.size();
        f.slots.put(slot, pc);
      }
      return pc;
    }
  }

  /** FNV-1a of the function and slot, 16-byte aligned, in the range above the table. */
  static long hashed(String function, String slot) {
    long h = 0xcbf29ce484222325L;
    String key = function + '\n' + slot;
    for (int i = 0; i < key.length(); i++) {
      h = (h ^ key.charAt(i)) * 0x100000001b3L;
    }
    return HASHED + (h & HASHED_MASK & ~0xFL);
  }
}
