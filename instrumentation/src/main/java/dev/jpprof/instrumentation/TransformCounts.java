package dev.jpprof.instrumentation;

import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * What an agent builder of ours did: the classes it transformed, those that failed (they keep their
 * code) and the first failure. Byte Buddy reports failures to its listener only, so without this
 * they would go unseen.
 */
public class TransformCounts extends AgentBuilder.Listener.Adapter {
  private final AtomicLong transformed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile String firstFailure;

  @Override
  public void onTransformation(
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      boolean loaded,
      DynamicType dynamicType) {
    transformed.incrementAndGet();
    onTransformed(type.getName());
  }

  /** Called for each class transformed, for a subclass that needs to know which. */
  protected void onTransformed(String typeName) {}

  @Override
  public void onError(
      String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
    failed(typeName, error);
  }

  /** Counts a class that failed outside the agent builder's own run (a retransformation). */
  public void failed(String typeName, Throwable error) {
    if (failed.incrementAndGet() == 1) {
      firstFailure = typeName + ": " + error;
    }
  }

  public long transformed() {
    return transformed.get();
  }

  public long failed() {
    return failed.get();
  }

  /** "class: error" of the first failure; null if none. */
  public String firstFailure() {
    return firstFailure;
  }
}
