package dev.jpprof.instrumentation.alloc;

import dev.jpprof.bootstrap.AllocHook;
import dev.jpprof.instrumentation.QuietByteBuddy;
import dev.jpprof.instrumentation.TransformCounts;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

/**
 * Installs the allocation rewriting with Byte Buddy's agent builder: classes loaded later are
 * rewritten as they load, classes already loaded are retransformed. A class that fails is left
 * unchanged and counted; nothing is printed.
 */
final class AllocTransformer extends TransformCounts
    implements AgentBuilder.RedefinitionStrategy.Listener {
  private Instrumentation inst;
  private ResettableClassFileTransformer transformer;

  /** With a deferred install: the classes loaded before it, the only ones left to rewrite. */
  private Class<?>[] loadedBefore = new Class<?>[0];

  private AllocTransformer() {}

  /**
   * @param retransformLoaded false to rewrite only classes loaded from now on, leaving the
   *     already-loaded ones to {@link #retransformLoaded()} (premain: it keeps main() waiting for
   *     less)
   */
  static AllocTransformer install(
      Instrumentation inst,
      ObjectSizes sizes,
      AllocRecorder recorder,
      long rate,
      boolean retransformLoaded) {
    AllocHook.setArrayLayout(sizes.arrayBase, sizes.arrayShift, sizes.alignment);
    recorder.start();
    QuietByteBuddy.disableNexus();
    AllocTransformer t = new AllocTransformer();
    t.inst = inst;
    AllocTargets targets = new AllocTargets();
    AllocRewriter rewriter = new AllocRewriter(sizes);
    // Declared methods only and no validation: the rewrite touches method bodies, so Byte
    // Buddy's analysis of the whole hierarchy per loaded class would be pure class-load cost.
    ByteBuddy byteBuddy =
        new ByteBuddy()
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
            .with(TypeValidation.DISABLED);
    if (!retransformLoaded) {
      // Taken before the transformer is in: everything loaded later is rewritten as it loads,
      // and retransforming it again would replace the code of methods already running.
      t.loadedBefore = inst.getAllLoadedClasses();
    }
    t.transformer =
        new AgentBuilder.Default(byteBuddy)
            .disableClassFormatChanges()
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(
                retransformLoaded
                    ? AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.SinglePass.INSTANCE
                    : new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(
                        Collections.<Class<?>>emptySet()))
            .with(AgentBuilder.RedefinitionStrategy.Listener.BatchReallocator.splitting())
            .with((AgentBuilder.RedefinitionStrategy.Listener) t)
            .with((AgentBuilder.Listener) t)
            .assureReadEdgeTo(inst, AllocHook.class)
            .ignore(
                (type, loader, module, redefined, domain) ->
                    !targets.matches(type, loader, module, redefined, domain))
            .type(targets)
            .transform(
                (builder, type, loader, module, domain) ->
                    builder.visit(rewriter.forLoader(loader)))
            .with((AgentBuilder.TransformerDecorator) Suspending::new)
            .installOn(inst);
    // Only now: every site that can call the hooks is in place, and Go re-seeds here too.
    AllocHook.setRate(rate);
    return t;
  }

  /**
   * Retransforms the target classes that were loaded before {@link #install} (with {@code
   * retransformLoaded} false), one at a time: a class that fails keeps its code and is counted.
   */
  void retransformLoaded() {
    Class<?>[] classes = loadedBefore;
    loadedBefore = new Class<?>[0];
    for (Class<?> c : classes) {
      if (c.isArray()
          || c.isPrimitive()
          || !inst.isModifiableClass(c)
          || !AllocTargets.matches(c.getName(), c.getClassLoader())) {
        continue;
      }
      try {
        inst.retransformClasses(c);
      } catch (Throwable e) {
        failed(c.getName(), e);
      }
    }
  }

  void close() {
    AllocHook.setRate(0);
    transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
  }

  @Override
  public void onBatch(int index, List<Class<?>> batch, List<Class<?>> types) {}

  @Override
  public Iterable<? extends List<Class<?>>> onError(
      int index, List<Class<?>> batch, Throwable error, List<Class<?>> types) {
    // The splitting listener retries larger batches in halves; a single class that still
    // fails to retransform keeps its original code.
    if (batch.size() == 1) {
      failed(batch.get(0).getName(), error);
    }
    return Collections.emptyList();
  }

  @Override
  public void onComplete(
      int amount, List<Class<?>> types, Map<List<Class<?>>, Throwable> failures) {}

  /**
   * Byte Buddy's transformer with the calling thread suspended from sampling: it allocates in
   * rewritten JDK classes while an application thread loads a class, and those allocations are the
   * agent's, not the application's.
   */
  private static final class Suspending extends ResettableClassFileTransformer.WithDelegation {
    Suspending(ResettableClassFileTransformer delegate) {
      super(delegate);
    }

    // The Module form only: the JVM (9+) calls no other. The legacy form, which nothing calls,
    // keeps ClassFileTransformer's default (no change to the class).
    @Override
    public byte[] transform(
        Module module,
        ClassLoader loader,
        String className,
        Class<?> redefined,
        ProtectionDomain domain,
        byte[] bytes)
        throws IllegalClassFormatException {
      AllocHook.suspend();
      try {
        return classFileTransformer.transform(module, loader, className, redefined, domain, bytes);
      } finally {
        AllocHook.resume();
      }
    }
  }
}
