package dev.jpprof.instrumentation.boot;

import dev.jpprof.instrumentation.AgentJar;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the {@code dev.jpprof.bootstrap} hook classes into the bootstrap class loader, where the
 * JDK's own (retransformed) classes can see them.
 *
 * <p>Why not {@link Instrumentation#appendToBootstrapClassLoaderSearch}: on JDK 17 it makes the JVM
 * print "Sharing is only supported for boot loader classes because bootstrap classpath has been
 * appended" on the application's output and turns class-data sharing off for application classes.
 * Defining the few classes directly prints nothing and leaves CDS alone.
 *
 * <p>The classes are defined before anything in the agent refers to them by name, so the
 * application class loader, which asks its parents first, finds the bootstrap copy and never loads
 * the agent jar's copy as a second one. {@link #install} checks that this held.
 */
public final class BootstrapHooks {
  /** The hook classes, in definition order (interfaces and nested classes before users). */
  public static final List<String> CLASSES =
      List.of(
          "dev.jpprof.bootstrap.AgentThreads",
          "dev.jpprof.bootstrap.HookGuard$Depth",
          "dev.jpprof.bootstrap.HookGuard",
          "dev.jpprof.bootstrap.ThreadListener",
          "dev.jpprof.bootstrap.ThreadHook",
          "dev.jpprof.bootstrap.LockListener",
          "dev.jpprof.bootstrap.LockHook",
          "dev.jpprof.bootstrap.AllocListener",
          "dev.jpprof.bootstrap.AllocHook");

  private BootstrapHooks() {}

  /**
   * Defines the hook classes in the bootstrap loader (once per JVM) and lets {@code java.base} read
   * them. The agent calls it once, before any engine (AgentStart); the engines' own calls (and
   * tests that install one engine alone) find the classes defined and only check them.
   *
   * @return the bootstrap {@code AllocHook} class
   * @throws IllegalStateException if the hooks could not be defined, or if a second copy is already
   *     loaded by the agent's own class loader
   */
  public static Class<?> install(Instrumentation inst) {
    ClassLoader agentLoader = BootstrapHooks.class.getClassLoader();
    try {
      if (!definedInBoot(CLASSES.get(CLASSES.size() - 1))) {
        defineAll(inst, agentLoader);
      }
      Class<?> hook = null;
      for (String name : CLASSES) {
        hook = Class.forName(name, false, agentLoader);
        if (hook.getClassLoader() != null) {
          throw new IllegalStateException(
              name
                  + " was already loaded by "
                  + agentLoader
                  + " before the agent could define it in the bootstrap class loader");
        }
      }
      // JDK classes live in named modules, which read only what they declare; the rewritten
      // ones must read the bootstrap loader's unnamed module that holds the hooks.
      Module base = Object.class.getModule();
      if (!base.canRead(hook.getModule())) {
        inst.redefineModule(base, Set.of(hook.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
      }
      return hook;
    } catch (ReflectiveOperationException | IOException e) {
      throw new IllegalStateException("cannot define the bootstrap hooks: " + e, e);
    }
  }

  private static boolean definedInBoot(String name) {
    try {
      Class.forName(name, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static void defineAll(Instrumentation inst, ClassLoader agentLoader)
      throws ReflectiveOperationException, IOException {
    String definerName = "dev.jpprof.instrumentation.boot.BootDefiner";
    List<String> files = new ArrayList<>();
    files.add(classFile(definerName));
    for (String name : CLASSES) {
      files.add(classFile(name));
    }
    Map<String, byte[]> bytes = AgentJar.readAll(BootstrapHooks.class, files); // one jar open
    Isolated isolated = new Isolated(agentLoader);
    Class<?> definer = isolated.define(definerName, bytes(bytes, definerName));
    inst.redefineModule(
        Object.class.getModule(),
        Set.of(),
        Map.of("jdk.internal.misc", Set.of(isolated.getUnnamedModule())),
        Map.of(),
        Set.of(),
        Map.of());
    java.lang.reflect.Method define = definer.getMethod("define", String.class, byte[].class);
    for (String name : CLASSES) {
      define.invoke(null, name, bytes(bytes, name));
    }
  }

  private static String classFile(String name) {
    return name.replace('.', '/') + ".class";
  }

  /** A class file read from the agent jar itself ({@link AgentJar} says why). */
  private static byte[] bytes(Map<String, byte[]> read, String name) throws IOException {
    byte[] b = read.get(classFile(name));
    if (b == null) {
      throw new IOException("no " + classFile(name) + " in the agent jar");
    }
    return b;
  }

  /** A throwaway loader whose unnamed module alone is granted {@code jdk.internal.misc}. */
  private static final class Isolated extends ClassLoader {
    Isolated(ClassLoader parent) {
      super(parent);
    }

    Class<?> define(String name, byte[] b) {
      return defineClass(name, b, 0, b.length);
    }
  }
}
