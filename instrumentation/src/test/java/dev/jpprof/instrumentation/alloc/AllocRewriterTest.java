package dev.jpprof.instrumentation.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.bootstrap.AllocHook;
import example.alloc.Workload;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rewriting alone, no agent: the rewritten class is loaded (and so verified) in a child class
 * loader, must compute the same results, and must report each allocation with its size. The hooks
 * load in the app loader here, which this test class's own JVM allows.
 */
class AllocRewriterTest {
  private final List<Object> objects = new ArrayList<>();
  private final List<Long> sizes = new ArrayList<>();

  @AfterEach
  void reset() {
    AllocHook.setListener(null);
    AllocHook.setRate(0);
  }

  @Test
  void rewrittenClassVerifiesAndBehavesTheSame() throws Exception {
    Class<?> rewritten = rewrite(Workload.class);
    assertTrue(rewritten != Workload.class);
    AllocHook.setRate(1);
    AllocHook.setListener(
        (o, s) -> {
          objects.add(o);
          sizes.add(s);
        });
    for (int n : new int[] {1, 5, 64}) {
      assertEquals(Workload.everyKind(n), call(rewritten, "everyKind", n));
    }
    assertEquals(Workload.growMap(100), call(rewritten, "growMap", 100));
  }

  @Test
  void everyKindOfAllocationIsSampledWithItsSize() throws Exception {
    Class<?> rewritten = rewrite(Workload.class);
    ObjectSizes layout = ObjectSizes.defaults();
    AllocHook.setArrayLayout(layout.arrayBase, layout.arrayShift, layout.alignment);
    AllocHook.setRate(1);
    AllocHook.setListener(
        (o, s) -> {
          objects.add(o);
          sizes.add(s);
        });
    call(rewritten, "everyKind", 10);
    AllocHook.setListener(null);
    List<String> types = new ArrayList<>();
    for (Object o : objects) {
      types.add(o.getClass().getSimpleName());
    }
    // NEWARRAY, ANEWARRAY, MULTIANEWARRAY (outer + 2 rows), Arrays.copyOf, clone, NEW.
    assertTrue(
        types.containsAll(
            List.of(
                "int[]",
                "String[]",
                "long[][]",
                "long[]",
                "char[]",
                "StringBuilder",
                "Object",
                "Point")),
        types.toString());
    int copy = indexOfIntArray(11);
    assertEquals(layout.arraySize(11, AllocHook.INT), sizes.get(copy));
    int point = types.indexOf("Point");
    assertEquals(24L, sizes.get(point)); // header 12 + int 4 + long 8
    assertEquals(16L, sizes.get(types.indexOf("Object")));
  }

  @Test
  void nothingIsSampledWhenTheRateIsZero() throws Exception {
    Class<?> rewritten = rewrite(Workload.class);
    AllocHook.setListener((o, s) -> objects.add(o));
    call(rewritten, "everyKind", 10);
    assertEquals(List.of(), objects);
  }

  @Test
  void jdkClassesLeaveTheirIteratorsUnsampled() throws Exception {
    AllocRewriter app = new AllocRewriter(ObjectSizes.defaults());
    AllocHook.setRate(1);
    AllocHook.setListener((o, s) -> objects.add(o));
    for (AllocRewriter rewriter : List.of(app, app.forLoader(null))) {
      objects.clear();
      assertEquals("6", call(rewrite(Workload.class, rewriter), "countWithIterator", 4));
      List<Class<?>> types = new ArrayList<>();
      for (Object o : objects) {
        types.add(o.getClass());
      }
      assertTrue(types.contains(long[].class), types.toString());
      // Application classes sample every site; JDK classes (boot loader) skip the iterator.
      assertEquals(rewriter == app, types.contains(Workload.CountItr.class), types.toString());
    }
  }

  private int indexOfIntArray(int length) {
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i) instanceof int[] && ((int[]) objects.get(i)).length == length) {
        return i;
      }
    }
    throw new AssertionError("no int[" + length + "] sampled");
  }

  private static Object call(Class<?> type, String name, int arg) throws Exception {
    Method m = type.getMethod(name, int.class);
    Object r = m.invoke(null, arg);
    return r instanceof Map ? r : String.valueOf(r);
  }

  /** Rewrites {@code type} (and its nested classes) into a fresh child-first class loader. */
  static Class<?> rewrite(Class<?> type) throws ClassNotFoundException {
    return rewrite(type, new AllocRewriter(ObjectSizes.defaults()));
  }

  /** As {@link #rewrite(Class)}, by {@code rewriter}. */
  static Class<?> rewrite(Class<?> type, AllocRewriter rewriter) throws ClassNotFoundException {
    ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(type.getClassLoader());
    TypePool pool = TypePool.Default.of(locator);
    Map<String, byte[]> classes = new java.util.HashMap<>();
    for (String name : new String[] {type.getName(), type.getName() + "$Point"}) {
      classes.put(
          name,
          new ByteBuddy()
              .redefine(pool.describe(name).resolve(), locator)
              .visit(rewriter)
              .make()
              .getBytes());
    }
    ClassLoader loader =
        new ByteArrayClassLoader.ChildFirst(
            type.getClassLoader(), classes, ByteArrayClassLoader.PersistenceHandler.MANIFEST);
    return Class.forName(type.getName(), true, loader);
  }
}
