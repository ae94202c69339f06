package dev.jpprof.instrumentation.alloc;

import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

/**
 * Which classes get their allocations rewritten: every application class, plus the JDK classes
 * where the application's allocation really happens. Declared here as data, in one place.
 */
final class AllocTargets implements AgentBuilder.RawMatcher {
  /**
   * JDK classes (bootstrap loader) whose own allocation sites are rewritten: collection growth and
   * iterators, strings, builders and concatenation, boxing. {@code java.util.Arrays} is
   * deliberately absent: C2 replaces {@code copyOf*} with intrinsics, so their results are sampled
   * at the call sites instead. The HashMap views (EntrySet, KeySet, Values) were on the list and
   * are not: all they allocate is iterators (see {@link #unsampledInJdk}); measured with
   * bench/alloc.py, they added no coverage and 1 % more allocated bytes (BENCHMARKS.md).
   */
  static final List<String> JDK_CLASSES =
      List.of(
          "java.util.ArrayList",
          "java.util.ArrayDeque",
          "java.util.HashMap",
          "java.util.LinkedHashMap",
          "java.util.HashSet",
          "java.lang.AbstractStringBuilder",
          "java.lang.StringBuilder",
          "java.lang.String",
          "java.lang.StringLatin1",
          "java.lang.StringUTF16",
          "java.lang.StringConcatHelper",
          "java.lang.Integer",
          "java.lang.Long");

  /**
   * Packages never rewritten: the agent itself, its shaded libraries, and code the JDK generates
   * (reflection accessors, dynamic proxies), which allocates nothing of the application's. The
   * agent's packages are named one by one: other code under dev.jpprof (the bundled demo, an
   * application of ours) is an application like any other.
   */
  static final List<String> EXCLUDED_PREFIXES =
      List.of(
          "dev.jpprof.agent.",
          "dev.jpprof.bootstrap.",
          "dev.jpprof.instrumentation.",
          "dev.jpprof.pprof.",
          "dev.jpprof.shaded.",
          "one.profiler.",
          "net.bytebuddy.",
          "jdk.internal.reflect.",
          "sun.reflect.",
          "jdk.proxy",
          "com.sun.proxy.");

  /**
   * Iterators and spliterators the listed JDK classes create for a loop: C2 scalar-replaces them
   * where the loop inlines, and a sampling branch after their {@code new} would make them escape;
   * measured, that was most of the engine's extra allocated bytes (+2 % of the mixed workload) for
   * objects a run without the agent never allocates. Where they do escape, their 16–32 bytes go
   * unsampled.
   *
   * @param type internal name of the class a JDK method instantiates, e.g. java/util/ArrayList$Itr
   */
  static boolean unsampledInJdk(String type) {
    return type.endsWith("Itr") || type.endsWith("Iterator") || type.endsWith("Spliterator");
  }

  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

  @Override
  public boolean matches(
      TypeDescription type,
      ClassLoader loader,
      JavaModule module,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain) {
    return matches(type.getName(), loader);
  }

  /** True if the class named {@code name}, defined by {@code loader}, is rewritten. */
  static boolean matches(String name, ClassLoader loader) {
    if (loader == null) {
      return JDK_CLASSES.contains(name);
    }
    if (loader == PLATFORM) {
      return false;
    }
    for (String prefix : EXCLUDED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }
}
