package dev.jpprof.agent.vars;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * expvar's {@code memstats}: Go's runtime.MemStats field names, in Go's field order, for the fields
 * a JVM value honestly maps to. A field with no JVM counterpart is left out rather than faked
 * (Lookups, Mallocs, Frees, HeapReleased, HeapObjects, Stack*, MSpan*, MCache*, BuckHashSys, GCSys,
 * OtherSys, NextGC, PauseNs, PauseEnd, NumForcedGC, GCCPUFraction, DebugGC, BySize).
 *
 * <ul>
 *   <li>Alloc, HeapAlloc, HeapInuse: heap used. The JVM does not tell live objects from used but
 *       fragmented space, so Go's HeapInuse − HeapAlloc is 0 here.
 *   <li>TotalAlloc: bytes ever allocated by all threads, ended ones included, where the JVM counts
 *       them (HotSpot's ThreadMXBean.getTotalThreadAllocatedBytes: JDK 17 and 25 have it, JDK 11
 *       does not).
 *   <li>Sys: heap + non-heap committed: what the JVM has taken from the OS for Java (native
 *       allocations by libraries are not in it).
 *   <li>HeapSys: heap committed; HeapIdle: committed − used.
 *   <li>LastGC: when the last collection ended, Unix nanoseconds.
 *   <li>NumGC: collections of collectors that run whole cycles. ZGC and Shenandoah report cycles
 *       and pauses as two collectors ("… Cycles", "… Pauses"): cycles count here. G1's "G1
 *       Concurrent GC" (marking beside the young pauses) is left out.
 *   <li>PauseTotalNs: time of stop-the-world collectors: every collector except those reporting
 *       concurrent cycles ("… Cycles", "… Concurrent …"), whose time is mostly not a pause.
 *   <li>EnableGC: true, as a JVM always collects.
 * </ul>
 */
public final class MemStats {
  private MemStats() {}

  /** The mapped fields in Go's order, as numbers (and EnableGC as a boolean). */
  public static Map<String, Object> read() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Alloc", heap.getUsed());
    Long total = totalAllocated();
    if (total != null) {
      m.put("TotalAlloc", total);
    }
    m.put("Sys", heap.getCommitted() + nonHeap.getCommitted());
    m.put("HeapAlloc", heap.getUsed());
    m.put("HeapSys", heap.getCommitted());
    m.put("HeapIdle", Math.max(0, heap.getCommitted() - heap.getUsed()));
    m.put("HeapInuse", heap.getUsed());
    List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    long lastGc = lastGcEndMillis(collectors);
    if (lastGc > 0) {
      m.put("LastGC", (ManagementFactory.getRuntimeMXBean().getStartTime() + lastGc) * 1_000_000L);
    }
    long pauseMillis = 0;
    long cycles = 0;
    for (GarbageCollectorMXBean gc : collectors) {
      String name = gc.getName();
      boolean concurrent = name.contains("Cycles") || name.contains("Concurrent");
      if (!concurrent) {
        pauseMillis += Math.max(0, gc.getCollectionTime());
      }
      if (!name.contains("Pauses") && !name.contains("Concurrent")) {
        cycles += Math.max(0, gc.getCollectionCount());
      }
    }
    m.put("PauseTotalNs", pauseMillis * 1_000_000L);
    m.put("NumGC", cycles);
    m.put("EnableGC", true);
    return m;
  }

  /** ThreadMXBean.getTotalThreadAllocatedBytes (a HotSpot extension); null where absent. */
  private static Long totalAllocated() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try {
      // Through the exported interface: the implementing class is not open to us.
      Method total =
          com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes");
      long bytes = (Long) total.invoke(threads);
      return bytes >= 0 ? bytes : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** End of the most recent collection, milliseconds after JVM start; 0 if none. */
  private static long lastGcEndMillis(List<GarbageCollectorMXBean> collectors) {
    long last = 0;
    for (GarbageCollectorMXBean gc : collectors) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean) {
        com.sun.management.GcInfo info =
            ((com.sun.management.GarbageCollectorMXBean) gc).getLastGcInfo();
        if (info != null) {
          last = Math.max(last, info.getEndTime());
        }
      }
    }
    return last;
  }
}
