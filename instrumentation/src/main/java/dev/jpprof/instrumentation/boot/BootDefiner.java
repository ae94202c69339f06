package dev.jpprof.instrumentation.boot;

import java.lang.reflect.Method;

/**
 * Defines a class in the bootstrap class loader through {@code jdk.internal.misc.Unsafe}. This
 * class is loaded only into a private, throwaway class loader by {@link BootstrapHooks}, and {@code
 * jdk.internal.misc} is exported to that loader's unnamed module alone, so the application's own
 * classes never gain access to JDK internals.
 */
public final class BootDefiner {
  private BootDefiner() {}

  /**
   * Defines {@code name} from {@code bytes} in the bootstrap class loader.
   *
   * @return the new class
   * @throws ReflectiveOperationException if the JDK refuses
   */
  public static Class<?> define(String name, byte[] bytes) throws ReflectiveOperationException {
    Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    Method define =
        unsafeClass.getMethod(
            "defineClass",
            String.class,
            byte[].class,
            int.class,
            int.class,
            ClassLoader.class,
            java.security.ProtectionDomain.class);
    return (Class<?>) define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
  }
}
