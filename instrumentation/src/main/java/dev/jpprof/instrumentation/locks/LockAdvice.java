package dev.jpprof.instrumentation.locks;

import dev.jpprof.bootstrap.LockHook;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into the JDK's LockSupport and AQS classes. Each body is one call into the
 * bootstrap {@link LockHook}, which never throws; {@code suppress} guards the call itself.
 */
final class LockAdvice {
  private LockAdvice() {}

  /** {@code park(Object)}, {@code parkNanos(Object, long)}, {@code parkUntil(Object, long)}. */
  static final class ParkWithBlocker {
    private ParkWithBlocker() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.Argument(0) Object blocker) {
      return LockHook.parkEnter(blocker);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start) {
      LockHook.parkExit(start);
    }
  }

  /** {@code park()}, {@code parkNanos(long)}, {@code parkUntil(long)}: blocker from the thread. */
  static final class Park {
    private Park() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return LockHook.parkEnter(null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start) {
      LockHook.parkExit(start);
    }
  }

  /** {@code unpark(Thread)}. */
  static final class Unpark {
    private Unpark() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) Thread thread) {
      LockHook.unpark(thread);
    }
  }

  /** {@code acquire(Node, int|long, boolean, boolean, boolean, long)}: the end of a wait. */
  static final class Acquire {
    private Acquire() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object sync) {
      LockHook.acquireExit(sync);
    }
  }
}
