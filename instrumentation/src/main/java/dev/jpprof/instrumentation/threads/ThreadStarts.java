package dev.jpprof.instrumentation.threads;

import dev.jpprof.bootstrap.ThreadHook;
import dev.jpprof.instrumentation.QuietByteBuddy;
import dev.jpprof.instrumentation.alloc.BootstrapHooks;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * The engine behind threadcreate and goroutine's "created by": rewrites {@code Thread.start()} so
 * that every platform thread start is recorded with the starting stack.
 *
 * <pre>{@code
 * ThreadStarts starts = ThreadStarts.install(inst, 128, 4096);
 * starts.snapshot();          // stacks that started threads, with counts
 * starts.creation(threadId);  // how a live thread was started
 * }</pre>
 */
public final class ThreadStarts implements AutoCloseable {
  private final Instrumentation inst;
  private final ThreadRecorder recorder;
  private final ResettableClassFileTransformer transformer;

  private ThreadStarts(Instrumentation inst, ThreadRecorder recorder,
      ResettableClassFileTransformer transformer) {
    this.inst = inst;
    this.recorder = recorder;
    this.transformer = transformer;
  }

  /**
   * Defines the bootstrap hooks (if the allocation engine has not), rewrites {@code
   * java.lang.Thread}, and starts recording.
   *
   * @param stackDepth the most frames kept per stack
   * @param maxStacks distinct starting stacks kept; further starts are counted in one overflow
   *     record
   */
  public static ThreadStarts install(Instrumentation inst, int stackDepth, int maxStacks) {
    BootstrapHooks.install(inst); // before anything names ThreadHook
    ThreadRecorder recorder = new ThreadRecorder(stackDepth, maxStacks);
    ThreadHook.setListener(recorder);
    QuietByteBuddy.disableNexus();
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .ignore(ElementMatchers.none())
        .type(ElementMatchers.is(Thread.class))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .advice(ElementMatchers.named("start").and(ElementMatchers.takesNoArguments()),
                ThreadStartAdvice.class.getName())
            .include(ThreadStartAdvice.class.getClassLoader()));
    return new ThreadStarts(inst, recorder, builder.installOn(inst));
  }

  /** The stacks that started threads since install, with counts; the overflow record last. */
  public java.util.List<ThreadRecorder.Record> snapshot() {
    return recorder.snapshot();
  }

  /** Threads started since install (Go: threads ever created). */
  public long total() {
    return recorder.total();
  }

  /** How the live thread with this id was started, or null when it was not recorded. */
  public ThreadRecorder.Creation creation(long threadId) {
    return recorder.creation(threadId);
  }

  /** Stops recording and restores Thread. */
  @Override
  public void close() {
    ThreadHook.setListener(null);
    transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
  }
}
