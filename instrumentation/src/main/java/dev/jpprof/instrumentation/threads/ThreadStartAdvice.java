package dev.jpprof.instrumentation.threads;

import dev.jpprof.bootstrap.ThreadHook;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code Thread.start()}: hands the thread over and does nothing else. */
final class ThreadStartAdvice {
  private ThreadStartAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Thread thread) {
    ThreadHook.starting(thread);
  }
}
