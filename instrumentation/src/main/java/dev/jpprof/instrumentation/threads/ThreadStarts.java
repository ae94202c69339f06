package dev.jpprof.instrumentation.threads;

import dev.jpprof.bootstrap.ThreadHook;
import dev.jpprof.instrumentation.boot.BootstrapHooks;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;

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
  private final ThreadStartRewriter transformer;

  private ThreadStarts(
      Instrumentation inst, ThreadRecorder recorder, ThreadStartRewriter transformer) {
    this.inst = inst;
    this.recorder = recorder;
    this.transformer = transformer;
  }

  /**
   * Defines the bootstrap hooks (unless the agent's start already has), rewrites {@code
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
    ThreadStartRewriter rewriter = new ThreadStartRewriter();
    inst.addTransformer(rewriter, true);
    try {
      inst.retransformClasses(Thread.class);
    } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
      inst.removeTransformer(rewriter);
      ThreadHook.setListener(null);
      throw new IllegalStateException("cannot rewrite Thread.start: " + e, e);
    }
    return new ThreadStarts(inst, recorder, rewriter);
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
    transformer.deactivate();
    try {
      inst.retransformClasses(Thread.class); // the original bytes, now that we return none
    } catch (UnmodifiableClassException | RuntimeException e) {
      // The hook stays in Thread.start, idle: it does nothing without a listener.
    } finally {
      inst.removeTransformer(transformer);
    }
  }
}
