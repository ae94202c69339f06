package dev.jpprof.agent.frames;

import dev.jpprof.pprof.ProfileBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Source facts of Java classes for pprof functions: the file name (the class file's SourceFile
 * attribute) and each method's first line (the smallest line in its LineNumberTable). JFR has
 * neither. A class is read once and kept in a bounded cache; callers use a {@link Batch} per
 * profile so the expensive search through all loaded classes happens at most once per profile.
 */
public final class SourceInfo {
  private static final int MAX_CLASSES = 4096;

  private final Instrumentation inst;
  private final Map<String, ClassSource> cache =
      new LinkedHashMap<String, ClassSource>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ClassSource> eldest) {
          return size() > MAX_CLASSES;
        }
      };

  /** {@code inst} may be null; then only the system class loader's classes are found. */
  public SourceInfo(Instrumentation inst) {
    this.inst = inst;
  }

  /**
   * A class name as JFR or the JVM spells it, as a dotted binary name without the per-run suffix of
   * hidden classes ({@code Foo$$Lambda$19+0x00007fc710003db0.258952499} → {@code Foo$$Lambda$19}),
   * for frames that do not come from a CPU chunk.
   */
  public static String javaClassName(String name) {
    return HIDDEN_SUFFIX.matcher(name).replaceFirst("").replace('/', '.');
  }

  private static final java.util.regex.Pattern HIDDEN_SUFFIX =
      java.util.regex.Pattern.compile("([./]0x[0-9a-fA-F]+|\\+0x[0-9a-fA-F]+[./][0-9]+)$");

  /** A lookup session for building one profile, on the calling thread. */
  public Batch batch() {
    return new Batch();
  }

  /** Looks classes up for one profile; not thread-safe. */
  public final class Batch {
    private Map<String, ClassLoader> loaded; // from inst, built on the first miss only

    /**
     * A frame of a Java stack trace (thread dumps, allocation stacks) as every jpprof profile
     * writes it: {@code package.Class.method}, the source file, the method's first line, the line.
     */
    public ProfileBuilder.Frame frame(StackTraceElement e) {
      ClassSource source = get(e.getClassName());
      String file = e.getFileName() != null ? e.getFileName() : source.file;
      return new ProfileBuilder.Frame(
          e.getClassName() + "." + e.getMethodName(),
          file,
          source.firstLine(e.getMethodName(), ""),
          Math.max(0, e.getLineNumber()));
    }

    /** Facts of the class with this dotted binary name; a fallback when it cannot be read. */
    public ClassSource get(String className) {
      synchronized (cache) {
        ClassSource known = cache.get(className);
        if (known != null) {
          return known;
        }
      }
      ClassSource source = read(className);
      synchronized (cache) {
        cache.put(className, source);
      }
      return source;
    }

    private ClassSource read(String className) {
      String resource = className.replace('.', '/') + ".class";
      // Hidden classes (lambdas) have no class file; searching for them costs a full scan.
      if (!className.contains("$$Lambda")) {
        byte[] bytes = bytes(ClassLoader.getSystemClassLoader(), resource);
        if (bytes == null && inst != null) {
          Map<String, ClassLoader> all = loadedClasses();
          if (all.containsKey(className)) {
            bytes = bytes(all.get(className), resource); // a null loader is the bootstrap loader
          }
        }
        if (bytes != null) {
          try {
            return ClassSource.parse(bytes, fallbackFile(className));
          } catch (RuntimeException e) {
            // A class file this ASM cannot read (e.g. a newer version): keep the fallback.
          }
        }
      }
      return new ClassSource(fallbackFile(className), new HashMap<>());
    }

    private Map<String, ClassLoader> loadedClasses() {
      if (loaded == null) {
        loaded = new HashMap<>();
        try {
          for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.isArray()) {
              loaded.putIfAbsent(c.getName(), c.getClassLoader());
            }
          }
        } catch (RuntimeException e) {
          // Without the list, classes of other loaders keep their fallback names.
        }
      }
      return loaded;
    }
  }

  private static byte[] bytes(ClassLoader loader, String resource) {
    try (InputStream in =
        loader == null
            ? ClassLoader.getSystemResourceAsStream(resource)
            : loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code a.b.Outer$Inner} → {@code Outer.java}: javac's file for the outermost class. */
  static String fallbackFile(String className) {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    int dollar = simple.indexOf('$');
    if (dollar > 0) {
      simple = simple.substring(0, dollar);
    }
    return simple + ".java";
  }
}
