package dev.jpprof.agent.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.Vars;
import dev.jpprof.agent.Counters;
import dev.jpprof.agent.json.JsonReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /debug/vars' document: expvar's layout, Go's names, the jvm object and application vars. */
class VarsPageTest {
  /** memstats' numbers, in Go's order; not TotalAlloc (after Alloc), which some JDKs lack. */
  static final List<String> MEMSTATS_NUMBERS =
      List.of(
          "Alloc", "Sys", "HeapAlloc", "HeapSys", "HeapIdle", "HeapInuse", "PauseTotalNs", "NumGC");

  @Test
  @SuppressWarnings("unchecked")
  void expvarLayoutWithSortedVars() {
    Vars.publish("test.zeta", () -> Map.of("ok", true));
    Vars.publish("test.alpha", () -> List.of(1, 2));
    Vars.publish(
        "test.broken",
        () -> {
          throw new IllegalStateException("broken var");
        });
    Counters.add("test.counter", 3);
    String page = VarsPage.render(List.of("java", "-jar", "app.jar"));
    assertTrue(
        page.startsWith("{\n\"cmdline\": [\"java\",\"-jar\",\"app.jar\"],\n\"jvm\": {"), page);
    assertTrue(page.endsWith("}\n}\n"), page);
    Map<String, Object> vars = (Map<String, Object>) JsonReader.parse(page);
    assertEquals(new ArrayList<>(vars.keySet()), sortedCopy(vars.keySet()));
    assertEquals(List.of(1L, 2L), vars.get("test.alpha"));
    assertEquals(Map.of("ok", true), vars.get("test.zeta"));
    assertTrue(vars.containsKey("test.broken"));
    assertNull(vars.get("test.broken"));
    assertTrue(page.contains(",\n\"test.alpha\": [1,2],\n"), page);
  }

  @Test
  @SuppressWarnings("unchecked")
  void memstatsAndJvmHoldTheListedFields() {
    Counters.add("test.counter", 1);
    Map<String, Object> vars =
        (Map<String, Object>) JsonReader.parse(VarsPage.render(List.of("x")));
    Map<String, Object> mem = (Map<String, Object>) vars.get("memstats");
    List<String> goOrder = new ArrayList<>(mem.keySet());
    goOrder.remove("TotalAlloc"); // not on every JDK
    goOrder.remove("LastGC"); // only after a collection
    List<String> expected = new ArrayList<>(MEMSTATS_NUMBERS);
    expected.add("EnableGC");
    assertEquals(expected, goOrder);
    assertTrue((Long) mem.get("HeapAlloc") > 0);
    Map<String, Object> jvm = (Map<String, Object>) vars.get("jvm");
    assertEquals(
        List.of("agent", "classes", "gc", "memoryPools", "threads", "uptimeMs", "version"),
        new ArrayList<>(jvm.keySet()));
    assertTrue((Long) ((Map<String, Object>) jvm.get("agent")).get("test.counter") >= 1);
    Map<String, Object> threads = (Map<String, Object>) jvm.get("threads");
    assertEquals(List.of("daemon", "live", "peak", "started"), new ArrayList<>(threads.keySet()));
    Map<String, Object> classes = (Map<String, Object>) jvm.get("classes");
    assertEquals(List.of("loaded", "total", "unloaded"), new ArrayList<>(classes.keySet()));
    assertTrue(!((Map<String, Object>) jvm.get("gc")).isEmpty());
    Map<String, Object> pools = (Map<String, Object>) jvm.get("memoryPools");
    Map<String, Object> pool = (Map<String, Object>) pools.values().iterator().next();
    assertEquals(List.of("committed", "max", "type", "used"), new ArrayList<>(pool.keySet()));
  }

  @Test
  void reusedAndReservedNamesAreRefusedAsExpvarDoes() {
    Vars.publish("test.once", () -> 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Vars.publish("test.once", () -> 2));
    assertEquals("Reuse of exported var name: test.once", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Vars.publish("memstats", () -> 2));
    assertThrows(IllegalArgumentException.class, () -> Vars.publish("cmdline", () -> 2));
    assertThrows(IllegalArgumentException.class, () -> Vars.publish("jvm", () -> 2));
  }

  private static List<String> sortedCopy(java.util.Collection<String> keys) {
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    return sorted;
  }
}
