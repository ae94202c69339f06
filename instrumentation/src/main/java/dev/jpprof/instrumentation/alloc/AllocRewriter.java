package dev.jpprof.instrumentation.alloc;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Rewrites every allocation instruction of a class so that it charges the sampling countdown (see
 * {@link AllocSiteVisitor} for the code inserted at each site).
 *
 * <p>Frames are recomputed ({@code COMPUTE_FRAMES}) because each site adds a branch; Byte Buddy's
 * writer resolves common super types through the type pool, without loading classes.
 */
final class AllocRewriter extends AsmVisitorWrapper.AbstractBase {
  private final ObjectSizes sizes;
  // Sizes of java.* types, shared by all classes: only the boot and platform loaders may define
  // them, so the name is the type, and most NEW sites name one.
  private final Map<String, Long> jdkSizes;
  // Sizes of other types per initiating class loader, weakly keyed so loaders can be unloaded;
  // the values hold only names and numbers. Without these caches every class that loads would
  // parse the class files of the types it allocates, and of their superclasses, again.
  private final Map<ClassLoader, Map<String, Long>> byLoader;
  private final Map<String, Long> loaderSizes;
  // Rewriting a JDK class (boot loader): iterators it creates stay unsampled (AllocTargets).
  private final boolean jdk;

  /** A rewriter that computes instance sizes with {@code sizes}, caching them per class only. */
  public AllocRewriter(ObjectSizes sizes) {
    this(
        sizes,
        new ConcurrentHashMap<>(),
        Collections.synchronizedMap(new WeakHashMap<>()),
        null,
        false);
  }

  private AllocRewriter(
      ObjectSizes sizes,
      Map<String, Long> jdkSizes,
      Map<ClassLoader, Map<String, Long>> byLoader,
      Map<String, Long> loaderSizes,
      boolean jdk) {
    this.sizes = sizes;
    this.jdkSizes = jdkSizes;
    this.byLoader = byLoader;
    this.loaderSizes = loaderSizes;
    this.jdk = jdk;
  }

  /**
   * This rewriter for the classes {@code loader} defines, with instance sizes cached across them;
   * null is the boot loader, whose (JDK) classes get the JDK rules.
   */
  AllocRewriter forLoader(ClassLoader loader) {
    if (loader == null) {
      return new AllocRewriter(sizes, jdkSizes, byLoader, null, true);
    }
    return new AllocRewriter(
        sizes,
        jdkSizes,
        byLoader,
        byLoader.computeIfAbsent(loader, l -> new ConcurrentHashMap<>()),
        false);
  }

  @Override
  public int mergeWriter(int flags) {
    return flags | ClassWriter.COMPUTE_FRAMES;
  }

  @Override
  public ClassVisitor wrap(
      TypeDescription instrumentedType,
      ClassVisitor classVisitor,
      Implementation.Context implementationContext,
      TypePool typePool,
      FieldList<FieldDescription.InDefinedShape> fields,
      MethodList<?> methods,
      int writerFlags,
      int readerFlags) {
    return new ClassVisitor(OpenedClassReader.ASM_API, classVisitor) {
      private final Map<String, Long> instanceSizes =
          loaderSizes != null ? loaderSizes : new HashMap<>();

      @Override
      public MethodVisitor visitMethod(
          int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        return mv == null
            ? null
            : new AllocSiteVisitor(
                mv,
                type ->
                    (type.startsWith("java/") ? jdkSizes : instanceSizes)
                        .computeIfAbsent(type, t -> sizeOf(typePool, t)),
                jdk ? AllocTargets::unsampledInJdk : type -> false);
      }
    };
  }

  private long sizeOf(TypePool pool, String internalName) {
    TypePool.Resolution r = pool.describe(internalName.replace('/', '.'));
    if (!r.isResolved()) {
      // Unknown layout: charge the smallest object; the recorder measures sampled ones exactly.
      return sizes.instanceSize(TypeDescription.ForLoadedType.of(Object.class));
    }
    return sizes.instanceSize(r.resolve());
  }
}
