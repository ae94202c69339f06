package dev.jpprof.instrumentation.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.bootstrap.AllocHook;
import example.alloc.Workload;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** The size model against the JVM's own {@code getObjectSize}, after calibration. */
class ObjectSizesTest {
  // Not listed: classes with @Contended fields (java.lang.Thread), whose padding the model
  // ignores; the recorder measures every sampled object exactly, so only the countdown's
  // charge for such a NEW site is off.
  @Test
  void instanceSizesMatchTheJvm() {
    Instrumentation inst = ByteBuddyAgent.install();
    ObjectSizes sizes = ObjectSizes.calibrate(inst);
    assertTrue(sizes.calibrated, sizes.toString());
    Object[] objects = {
      new Object(),
      1,
      2L,
      "s",
      new ArrayList<>(),
      new HashMap<>(),
      new ConcurrentHashMap<>(),
      new StringBuilder(),
      new Workload.Point(1, 2),
      new java.util.ArrayDeque<>(),
      Boolean.TRUE,
      'c',
      (byte) 1,
      new java.util.concurrent.atomic.AtomicLong(),
      new java.util.TreeMap<>(),
      new java.util.LinkedList<>(),
      new java.util.Random()
    };
    for (Object o : objects) {
      assertEquals(
          inst.getObjectSize(o),
          sizes.instanceSize(TypeDescription.ForLoadedType.of(o.getClass())),
          o.getClass().getName() + " with " + sizes);
    }
  }

  @Test
  void arraySizesMatchTheJvm() {
    Instrumentation inst = ByteBuddyAgent.install();
    ObjectSizes sizes = ObjectSizes.calibrate(inst);
    for (int kind = 0; kind < ObjectSizes.COMPONENTS.length; kind++) {
      for (int n : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 100, 1023}) {
        Object a = Array.newInstance(ObjectSizes.COMPONENTS[kind], n);
        assertEquals(
            inst.getObjectSize(a),
            sizes.arraySize(n, kind),
            a.getClass().getSimpleName() + "[" + n + "] with " + sizes);
      }
    }
    assertEquals(AllocHook.REFERENCE, ObjectSizes.COMPONENTS.length - 1);
  }
}
