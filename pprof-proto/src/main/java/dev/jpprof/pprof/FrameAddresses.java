package dev.jpprof.agent.frames;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Made-up program counters for Java frames, for the text profiles whose format is addresses ({@code
 * 3 @ 0x10000011 0x10010021}). Java has no PCs, so each function gets a 64 KiB range of its own and
 * each distinct line in it a 16-byte slot, in order of first use. The same frame gets the same
 * address for the life of the JVM, so text profiles taken at different times can be compared, and
 * {@code /debug/pprof/symbol} can name any address in a function's range.
 */
public final class FrameAddresses {
  static final long BASE = 0x10000000L;
  private static final long FUNCTION_SPAN = 0x10000L;
  private static final int SLOTS = (int) (FUNCTION_SPAN / 16);

  /** The JVM's addresses: every profile and /debug/pprof/symbol use these. */
  public static final FrameAddresses SHARED = new FrameAddresses();

  private final Map<String, Function> byName = new ConcurrentHashMap<>();
  private final List<String> names = new ArrayList<>();

  /** A fresh address space; tests use their own for predictable addresses. */
  public FrameAddresses() {}

  private static final class Function {
    final long entry;
    final Map<String, Long> slots = new ConcurrentHashMap<>();

    Function(long entry) {
      this.entry = entry;
    }
  }

  /**
   * The PC of a frame (Go's frame.PC: return address − 1). The {@code @} line of debug=1 prints it
   * + 1, as Go prints return addresses there.
   */
  public long pc(String function, String file, int line) {
    Function f = byName.computeIfAbsent(function, this::newFunction);
    Long pc = f.slots.get(file + ":" + line);
    if (pc == null) {
      synchronized (f) {
        pc =
            f.slots.computeIfAbsent(
                file + ":" + line, k -> f.entry + 16L * Math.min(f.slots.size(), SLOTS - 1));
      }
    }
    return pc;
  }

  /** The entry address of a function that {@link #pc} has seen; its offset base in text. */
  long entry(String function) {
    Function f = byName.get(function);
    return f == null ? 0 : f.entry;
  }

  /** The function whose range holds {@code address}, or null: what /symbol answers. */
  public String function(long address) {
    long index = Long.divideUnsigned(address - BASE, FUNCTION_SPAN);
    synchronized (names) {
      return address < BASE || index >= names.size() ? null : names.get((int) index);
    }
  }

  private Function newFunction(String name) {
    synchronized (names) {
      names.add(name);
      return new Function(BASE + FUNCTION_SPAN * (names.size() - 1));
    }
  }
}
