package dev.jpprof.instrumentation.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.locks.Contention;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine installed in this JVM (Surefire gives the class its own). Records are cumulative,
 * so each test looks only at stacks through its own scenario's methods.
 */
class LockProfilerAgentTest {
  private static final Instrumentation INST = ByteBuddyAgent.install();
  private static LockProfiler locks;

  @BeforeAll
  static void install() {
    locks = LockProfiler.install(INST, 64, 1000);
    locks.setBlockRate(1);
    locks.setMutexFraction(1);
  }

  @AfterAll
  static void close() {
    locks.close();
  }

  @Test
  void reentrantLockWaitIsBlockAndTheUnlockIsMutex() throws Exception {
    long waited = 0;
    for (int i = 0; i < 5; i++) {
      waited += Contention.lockOnce(new ReentrantLock(), 10);
    }
    ContentionRecord block = only(locks.blockSnapshot(), "waitForLock", "lock");
    assertEquals("java.util.concurrent.locks.ReentrantLock", caller(block, "waitForLock"));
    assertEquals(5, block.count());
    assertEquals(waited, block.delayNanos(), waited * 0.2, "block delay vs waited");
    ContentionRecord mutex = only(locks.mutexSnapshot(), "holdLock", "unlock");
    assertEquals(5, mutex.count());
    assertEquals(waited, mutex.delayNanos(), waited * 0.2, "mutex delay vs waited");
    assertEquals(0, locks.trackedWaits());
  }

  /** The one record whose stack has Contention.method calling {@code callee}. */
  static ContentionRecord only(List<ContentionRecord> records, String method, String callee) {
    ContentionRecord found = null;
    for (ContentionRecord r : records) {
      if (callee.equals(callee(r, method))) {
        assertTrue(found == null, "two records through " + method + ": " + dump(records));
        found = r;
      }
    }
    assertTrue(found != null, "no record with " + method + " calling " + callee + " in "
        + dump(records));
    return found;
  }

  static boolean has(ContentionRecord r, String method) {
    return Arrays.stream(r.frames()).anyMatch(f -> isScenario(f, method));
  }

  private static boolean isScenario(StackTraceElement f, String method) {
    return f.getClassName().equals(Contention.class.getName()) && f.getMethodName().equals(method);
  }

  /** The class of the frame just above (called by) the scenario method. */
  static String caller(ContentionRecord r, String method) {
    StackTraceElement[] f = r.frames();
    for (int i = 1; i < f.length; i++) {
      if (isScenario(f[i], method)) {
        return f[i - 1].getClassName();
      }
    }
    return null;
  }

  /** The method name of the frame the scenario method called. */
  static String callee(ContentionRecord r, String method) {
    StackTraceElement[] f = r.frames();
    for (int i = 1; i < f.length; i++) {
      if (isScenario(f[i], method)) {
        return f[i - 1].getMethodName();
      }
    }
    return null;
  }

  static String dump(List<ContentionRecord> records) {
    StringBuilder b = new StringBuilder();
    for (ContentionRecord r : records) {
      b.append("\n").append(r.count()).append(" ").append(r.delayNanos()).append(" ")
          .append(Arrays.toString(r.frames()));
    }
    return b.toString();
  }
}
