package dev.jpprof.demo;

import java.lang.instrument.Instrumentation;

/**
 * A test's own tiny agent ({@code -javaagent:} a jar whose manifest names this class, the class
 * itself on the class path): it only keeps the Instrumentation, for {@link HeapStress}'s
 * redefinitions.
 */
public final class Redefiner {
  private static volatile Instrumentation instrumentation;

  private Redefiner() {}

  public static void premain(String args, Instrumentation inst) {
    instrumentation = inst;
  }

  static Instrumentation instrumentation() {
    if (instrumentation == null) {
      throw new IllegalStateException(
          "started without -javaagent: a jar with Premain-Class " + Redefiner.class.getName());
    }
    return instrumentation;
  }
}
