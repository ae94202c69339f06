package dev.jpprof.agent.vars;

import dev.jpprof.agent.Counters;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code jvm} var: what Go's memstats cannot say about a JVM. Keys are sorted, as Go sorts map
 * keys. Memory in bytes, times in milliseconds as the JVM counts them; -1 where the JVM reports no
 * limit or no value.
 */
final class JvmVars {
  private JvmVars() {}

  static Map<String, Object> read() {
    Map<String, Object> jvm = new TreeMap<>();
    jvm.put("agent", Counters.snapshot());
    jvm.put("classes", classes());
    jvm.put("gc", collectors());
    jvm.put("memoryPools", pools());
    jvm.put("threads", threads());
    jvm.put("uptimeMs", ManagementFactory.getRuntimeMXBean().getUptime());
    jvm.put("version", Runtime.version().toString());
    return jvm;
  }

  private static Map<String, Object> classes() {
    ClassLoadingMXBean c = ManagementFactory.getClassLoadingMXBean();
    Map<String, Object> m = new TreeMap<>();
    m.put("loaded", c.getLoadedClassCount());
    m.put("total", c.getTotalLoadedClassCount());
    m.put("unloaded", c.getUnloadedClassCount());
    return m;
  }

  private static Map<String, Object> collectors() {
    Map<String, Object> all = new TreeMap<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      Map<String, Object> m = new TreeMap<>();
      m.put("count", gc.getCollectionCount());
      m.put("timeMs", gc.getCollectionTime());
      all.put(gc.getName(), m);
    }
    return all;
  }

  private static Map<String, Object> pools() {
    Map<String, Object> all = new TreeMap<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage u = pool.getUsage();
      if (u == null) {
        continue; // a pool that is no longer valid
      }
      Map<String, Object> m = new TreeMap<>();
      m.put("committed", u.getCommitted());
      m.put("max", u.getMax());
      m.put("type", pool.getType().name());
      m.put("used", u.getUsed());
      all.put(pool.getName(), m);
    }
    return all;
  }

  private static Map<String, Object> threads() {
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    Map<String, Object> m = new TreeMap<>();
    m.put("daemon", t.getDaemonThreadCount());
    m.put("live", t.getThreadCount());
    m.put("peak", t.getPeakThreadCount());
    m.put("started", t.getTotalStartedThreadCount());
    return m;
  }
}
