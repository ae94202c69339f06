package dev.jpprof.instrumentation.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.instrumentation.boot.BootstrapHooks;
import example.alloc.Workload;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.dynamic.loading.ByteArrayClassLoader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The engine in this JVM through {@link ByteBuddyAgent}; every test removes its transformer.
 * Surefire gives this class its own JVM, so the hooks are first loaded by the install here.
 */
class AllocSamplerAgentTest {
  private static final Instrumentation INST = ByteBuddyAgent.install();

  @Test
  void hooksLiveOnlyInTheBootstrapLoader() throws Exception {
    try (AllocSampler s = AllocSampler.install(INST, 512 * 1024, 128, 1000)) {
      for (String name : BootstrapHooks.CLASSES) {
        assertNull(Class.forName(name, false, getClass().getClassLoader()).getClassLoader(), name);
      }
      assertEquals(0, s.failedTransforms());
      assertTrue(s.transformedClasses() > 0);
    }
  }

  @Test
  void ignoredThreadsAreNotSampled() throws Exception {
    try (AllocSampler s = AllocSampler.install(INST, 1, 128, 100_000)) {
      Thread agentThread =
          new Thread(
              () -> {
                s.ignoreCurrentThread();
                Workload.allocA(100);
              });
      agentThread.start();
      agentThread.join();
      assertEquals(0, allocBytes(s.snapshot(), "allocA"));
      Workload.allocA(100);
      assertEquals(100 * INST.getObjectSize(new byte[1024]), allocBytes(s.snapshot(), "allocA"));
    }
  }

  @Test
  void allocatedBytesSplitAsTheCodeAllocates() throws Exception {
    try (AllocSampler s = AllocSampler.install(INST, 512 * 1024, 128, 1000)) {
      // 300 MiB in A, 100 MiB in B, interleaved: ~800 samples, so sd of A's share ~1.5 points.
      for (int i = 0; i < 100; i++) {
        Workload.allocA(3 * 1024);
        Workload.allocB(1024);
      }
      List<HeapBucket> buckets = s.snapshot();
      long a = allocBytes(buckets, "allocA");
      long b = allocBytes(buckets, "allocB");
      double shareA = 100.0 * a / (a + b);
      assertEquals(75, shareA, 5, "A=" + a + " B=" + b);
    }
  }

  @Test
  void retainedObjectsAreInUseUntilFreed() throws Exception {
    long rate = 64 * 1024;
    try (AllocSampler s = AllocSampler.install(INST, rate, 128, 1000)) {
      Workload.retain(16 * 1024); // 64 MiB of long[511]: ~1000 samples
      assertTrue(s.gcAndDrain(10_000));
      long inuse = unsampled(s.snapshot(), "retain", rate);
      long expected = 16 * 1024 * INST.getObjectSize(new long[511]);
      assertEquals(expected, inuse, expected * 0.10, "in use while retained");
      Workload.RETAINED.clear();
      assertTrue(s.gcAndDrain(10_000));
      long after = unsampled(s.snapshot(), "retain", rate);
      assertTrue(after < expected * 0.02, "in use after release: " + after);
    }
  }

  @Test
  void mapGrowthInsideTheJdkIsChargedToTheAppMethod() throws Exception {
    try (AllocSampler s = AllocSampler.install(INST, 256, 128, 10_000)) {
      Workload.growMap(50_000);
      List<HeapBucket> buckets = s.snapshot();
      boolean found =
          buckets.stream()
              .anyMatch(
                  b ->
                      b.frames()[0].getClassName().equals("java.util.HashMap")
                          && has(b, f -> f.getMethodName().equals("growMap")));
      assertTrue(found, "no java.util.HashMap allocation under Workload.growMap");
    }
  }

  @Test
  void bucketCapHoldsWith100000DistinctStacks() throws Exception {
    int cap = 2000;
    try (AllocSampler s = AllocSampler.install(INST, 1, 128, cap)) {
      // On a fresh thread: its short stack keeps the 100 000 stack walks cheap.
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < 100_000; i++) {
                  Workload.distinctStack(i, 17);
                }
              });
      t.start();
      t.join();
      s.snapshot();
      assertTrue(s.bucketCount() <= cap + 1, "buckets: " + s.bucketCount());
      assertTrue(s.overflowCount() >= 100_000 - cap, "overflow: " + s.overflowCount());
      HeapBucket last = s.snapshot().get(s.bucketCount() - 1);
      assertTrue(last.isOverflow());
      assertEquals(AllocRecorder.OVERFLOW_FRAME, last.frames()[0]);
    }
  }

  @Test
  void aClassThatCannotBeRewrittenIsSkippedAndCounted() throws Exception {
    try (AllocSampler s = AllocSampler.install(INST, 1, 128, 1000)) {
      long before = s.failedTransforms();
      // JSR/RET (class files before Java 6) cannot have frames computed: the rewrite fails.
      ClassLoader loader =
          new ByteArrayClassLoader(
              getClass().getClassLoader(),
              Map.of("example.alloc.Jsr", jsrClass()),
              ByteArrayClassLoader.PersistenceHandler.MANIFEST);
      Class<?> jsr = loader.loadClass("example.alloc.Jsr");
      assertEquals(Object.class, jsr.getMethod("make").invoke(null).getClass());
      assertEquals(before + 1, s.failedTransforms());
    }
  }

  /** {@code static Object make()} that calls a JSR subroutine, then returns a new Object. */
  private static byte[] jsrClass() {
    ClassWriter cw = new ClassWriter(0);
    cw.visit(
        Opcodes.V1_5,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        "example/alloc/Jsr",
        null,
        "java/lang/Object",
        null);
    MethodVisitor mv =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "()Ljava/lang/Object;", null, null);
    mv.visitCode();
    Label sub = new Label();
    mv.visitJumpInsn(Opcodes.JSR, sub);
    mv.visitTypeInsn(Opcodes.NEW, "java/lang/Object");
    mv.visitInsn(Opcodes.DUP);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitLabel(sub);
    mv.visitVarInsn(Opcodes.ASTORE, 0);
    mv.visitVarInsn(Opcodes.RET, 0);
    mv.visitMaxs(2, 1);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static long allocBytes(List<HeapBucket> buckets, String method) {
    return buckets.stream()
        .filter(b -> b.frames().length > 0 && b.frames()[0].getMethodName().equals(method))
        .mapToLong(HeapBucket::allocBytes)
        .sum();
  }

  /** In-use bytes scaled up Go's way (pprof's unsampling), for buckets allocated in method. */
  private static long unsampled(List<HeapBucket> buckets, String method, long rate) {
    double total = 0;
    for (HeapBucket b : buckets) {
      if (b.frames().length == 0
          || !b.frames()[0].getMethodName().equals(method)
          || b.inuseObjects() == 0) {
        continue;
      }
      double avg = (double) b.inuseBytes() / b.inuseObjects();
      total += b.inuseBytes() / (1 - Math.exp(-avg / rate));
    }
    return (long) total;
  }

  private static boolean has(HeapBucket b, Predicate<StackTraceElement> p) {
    for (StackTraceElement f : b.frames()) {
      if (p.test(f)) {
        return true;
      }
    }
    return false;
  }
}
