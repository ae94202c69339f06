package dev.jpprof.instrumentation.locks;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.jpprof.bootstrap.LockHook;
import dev.jpprof.instrumentation.TransformCounts;
import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * The hooks, declared as data: which JDK class, which methods, which advice. LockSupport is
 * required; the AQS {@code acquire(Node, ...)} hooks (JDK 17+) only make a re-parking acquisition
 * one event instead of several, so the engine works without them.
 */
final class LockHooks {
  private static final String[] PARKS = {"park", "parkNanos", "parkUntil"};

  private final Instrumentation inst;
  private final ParkRecorder parks;
  private final ResettableClassFileTransformer transformer;
  private final Set<String> hooked;
  private final long failures;
  private final String firstFailure;

  private LockHooks(
      Instrumentation inst,
      ParkRecorder parks,
      ResettableClassFileTransformer transformer,
      Set<String> hooked,
      long failures,
      String firstFailure) {
    this.inst = inst;
    this.parks = parks;
    this.transformer = transformer;
    this.hooked = hooked;
    this.failures = failures;
    this.firstFailure = firstFailure;
  }

  static LockHooks install(Instrumentation inst, LockRecorder recorder) {
    ParkRecorder parks = new ParkRecorder(recorder);
    warmUp(parks, recorder);
    Outcome outcome = new Outcome();
    ClassLoader ours = LockAdvice.class.getClassLoader();
    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
            .with(outcome)
            .ignore(
                not(
                    is(LockSupport.class)
                        .or(is(AbstractQueuedSynchronizer.class))
                        .or(is(AbstractQueuedLongSynchronizer.class))))
            .type(is(LockSupport.class))
            .transform(
                new AgentBuilder.Transformer.ForAdvice()
                    .include(ours)
                    .advice(
                        namedOneOf(PARKS).and(takesArgument(0, Object.class)),
                        LockAdvice.ParkWithBlocker.class.getName())
                    .advice(
                        namedOneOf(PARKS).and(not(takesArgument(0, Object.class))),
                        LockAdvice.Park.class.getName())
                    .advice(
                        named("unpark").and(takesArguments(Thread.class)),
                        LockAdvice.Unpark.class.getName()))
            .type(is(AbstractQueuedSynchronizer.class).or(is(AbstractQueuedLongSynchronizer.class)))
            .transform(
                new AgentBuilder.Transformer.ForAdvice()
                    .include(ours)
                    .advice(
                        named("acquire").and(takesArguments(6)),
                        LockAdvice.Acquire.class.getName()));
    LockHook.setListener(parks);
    refresh(recorder);
    ResettableClassFileTransformer transformer;
    try {
      transformer = builder.installOn(inst);
    } catch (RuntimeException | Error e) {
      LockHook.setListener(null); // leave nothing behind a failed install
      LockHook.setActive(false);
      throw e;
    }
    if (!outcome.hooked.contains(LockSupport.class.getName())) {
      LockHook.setActive(false);
      LockHook.setListener(null);
      transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
      throw new IllegalStateException(
          "cannot hook java.util.concurrent.locks.LockSupport"
              + (outcome.firstFailure() == null ? "" : ": " + outcome.firstFailure()));
    }
    parks.setAcquireHooked(
        outcome.hooked.contains(AbstractQueuedSynchronizer.class.getName()),
        outcome.hooked.contains(AbstractQueuedLongSynchronizer.class.getName()));
    recorder.startDaemon();
    return new LockHooks(
        inst, parks, transformer, outcome.hooked, outcome.failed(), outcome.firstFailure());
  }

  /**
   * Runs the listener's code paths once on this (agent) thread, so that no application thread is
   * the first to link its lambdas or load its classes inside a hook.
   */
  private static void warmUp(ParkRecorder parks, LockRecorder recorder) {
    Object sync = new AbstractQueuedSynchronizer() {};
    recorder.setMutexFraction(1);
    long start = parks.parkEnter(sync);
    recorder.setMutexFraction(0); // both off again (their initial state): nothing is recorded
    parks.unpark(Thread.currentThread());
    parks.parkExit(start);
    parks.acquireExit(sync);
  }

  /** Tells the hooks whether either profile is on (after a rate or fraction change). */
  static void refresh(LockRecorder recorder) {
    LockHook.setActive(recorder.blockRate() > 0 || recorder.mutexFraction() > 0);
  }

  String status() {
    return "hooked "
        + hooked.size()
        + " JDK classes (LockSupport"
        + (hooked.size() > 1 ? ", AQS acquire" : "")
        + ")"
        + (failures == 0 ? "" : ", " + failures + " failed: " + firstFailure);
  }

  int trackedWaits() {
    return parks.parkedOnSyncs();
  }

  void close() {
    LockHook.setListener(null);
    LockHook.setActive(false);
    transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
    parks.clear();
  }

  /** The counts, and which classes were transformed: the hooks that are in. */
  private static final class Outcome extends TransformCounts {
    final Set<String> hooked = ConcurrentHashMap.newKeySet();

    @Override
    protected void onTransformed(String typeName) {
      hooked.add(typeName);
    }
  }
}
