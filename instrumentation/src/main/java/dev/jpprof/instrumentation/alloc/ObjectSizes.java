package dev.jpprof.instrumentation.alloc;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Array;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Object sizes as HotSpot lays objects out, computed from class files at transform time so that a
 * {@code NEW} site can pass a constant to the countdown. The header size, reference size, alignment
 * and array base offsets differ between JVM flags (compressed oops and class pointers; JDK 25's
 * compact object headers), so {@link #calibrate} picks them by comparing {@link
 * Instrumentation#getObjectSize} on a few probe objects with this model.
 */
final class ObjectSizes {
  private static final int[] ELEMENT_BYTES = {1, 1, 2, 2, 4, 4, 8, 8, 0};

  /** Indexed by {@code AllocHook} array kind: its element type (the test measures the same). */
  static final Class<?>[] COMPONENTS = {
    boolean.class,
    byte.class,
    char.class,
    short.class,
    int.class,
    float.class,
    long.class,
    double.class,
    Object.class
  };

  final int header;
  final int refBytes;
  final int alignment;
  final int[] arrayBase = new int[9];
  final int[] arrayShift = new int[9];
  final boolean calibrated;

  ObjectSizes(int header, int refBytes, int alignment, boolean calibrated) {
    this.header = header;
    this.refBytes = refBytes;
    this.alignment = alignment;
    this.calibrated = calibrated;
    for (int k = 0; k < 9; k++) {
      int bytes = k == 8 ? refBytes : ELEMENT_BYTES[k];
      arrayShift[k] = Integer.numberOfTrailingZeros(bytes);
      // Base offset: header plus the 4-byte length, then aligned to the element size.
      arrayBase[k] = align(header + 4, Math.min(bytes, 8));
    }
  }

  /** HotSpot's default layout on a 64-bit JVM with compressed oops and class pointers. */
  public static ObjectSizes defaults() {
    return new ObjectSizes(12, 4, 8, false);
  }

  /**
   * Picks the header size, reference size and alignment whose predictions match the JVM's {@code
   * getObjectSize} for every probe; then measures array base offsets directly.
   */
  public static ObjectSizes calibrate(Instrumentation inst) {
    Object[] probes = {
      new Object(),
      new Probes.OneInt(),
      new Probes.ThreeInts(),
      new Probes.OneLong(),
      new Probes.ThreeRefs(),
      new Probes.LongAndByte(),
      new Probes.Mixed()
    };
    for (int alignment : new int[] {8, 16}) {
      for (int header : new int[] {12, 8, 16}) {
        for (int ref : new int[] {4, 8}) {
          ObjectSizes candidate = new ObjectSizes(header, ref, alignment, true);
          if (candidate.matches(inst, probes)) {
            candidate.measureArrays(inst);
            return candidate;
          }
        }
      }
    }
    ObjectSizes fallback = defaults();
    fallback.measureArrays(inst);
    return fallback;
  }

  private boolean matches(Instrumentation inst, Object[] probes) {
    for (Object p : probes) {
      if (instanceSize(TypeDescription.ForLoadedType.of(p.getClass())) != inst.getObjectSize(p)) {
        return false;
      }
    }
    return true;
  }

  private void measureArrays(Instrumentation inst) {
    for (int k = 0; k < 9; k++) {
      // The model's own base first: several bases can predict the same sizes.
      int model = arrayBase[k];
      for (int b = 4; b <= 32; b += 4) {
        int base = b == 4 ? model : b;
        boolean all = true;
        for (int n = 0; n <= 9 && all; n++) {
          Object a = Array.newInstance(COMPONENTS[k], n);
          all = inst.getObjectSize(a) == align(base + ((long) n << arrayShift[k]), alignment);
        }
        if (all) {
          arrayBase[k] = base;
          break;
        }
      }
    }
  }

  /**
   * The size of an instance of {@code type}: the header, then every instance field of the type and
   * its superclasses. HotSpot (JDK 15+) packs fields largest first and fills the gap before the
   * first 8-byte field with smaller ones, so only a gap nothing fits into is padding.
   */
  public long instanceSize(TypeDefinition type) {
    long wide = 0;
    long narrow = 0;
    for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
      for (FieldDescription f : t.getDeclaredFields()) {
        if (f.isStatic()) {
          continue;
        }
        int bytes = fieldBytes(f.getType().asErasure());
        if (bytes == 8) {
          wide++;
        } else {
          narrow += bytes;
        }
      }
    }
    long size;
    if (wide == 0) {
      size = header + narrow;
    } else {
      long gap = align(header, 8) - header;
      size = header + gap + 8 * wide + Math.max(0, narrow - gap);
    }
    return align(size, alignment);
  }

  /** The size of an array of {@code length} elements of the given {@code AllocHook} kind. */
  public long arraySize(int length, int kind) {
    return align(arrayBase[kind] + ((long) length << arrayShift[kind]), alignment);
  }

  private int fieldBytes(TypeDescription type) {
    if (!type.isPrimitive()) {
      return refBytes;
    }
    String n = type.getName();
    switch (n) {
      case "long":
      case "double":
        return 8;
      case "int":
      case "float":
        return 4;
      case "short":
      case "char":
        return 2;
      default:
        return 1;
    }
  }

  private static long align(long n, long to) {
    return (n + to - 1) / to * to;
  }

  private static int align(int n, int to) {
    return (n + to - 1) / to * to;
  }

  @Override
  public String toString() {
    return "header="
        + header
        + " ref="
        + refBytes
        + " align="
        + alignment
        + " arrayBase="
        + java.util.Arrays.toString(arrayBase)
        + (calibrated ? "" : " (not calibrated)");
  }
}
