package dev.jpprof.agent.cpu;

import java.util.Objects;

/**
 * One frame of a JFR stack trace with its names resolved, so it stays meaningful after the chunk
 * whose constant pool it came from is gone (ids are chunk-local in JFR).
 */
final class RawFrame {
  /** JFR frame types as async-profiler writes them (its {@code FrameType} enum). */
  static final byte INTERPRETED = 0;

  static final byte JIT = 1;
  static final byte INLINED = 2;
  static final byte NATIVE = 3;
  static final byte CPP = 4;
  static final byte KERNEL = 5;
  static final byte C1 = 6;

  final byte type;

  /** Binary class name with dots ({@code a.b.Outer$Inner}), or "" for native frames. */
  final String className;

  /** Method name, or the native symbol. */
  final String method;

  /** JVM method descriptor, e.g. {@code (I)J}; "" when unknown. */
  final String descriptor;

  final int line;
  private final int hash;

  RawFrame(byte type, String className, String method, String descriptor, int line) {
    this.type = type;
    this.className = className;
    this.method = method;
    this.descriptor = descriptor;
    this.line = line;
    this.hash = Objects.hash(type, className, method, descriptor, line);
  }

  /** Whether this is a Java method (not a C, C++ or kernel function). */
  boolean isJava() {
    return !className.isEmpty() && type != NATIVE && type != CPP && type != KERNEL;
  }

  /** The pprof function name: {@code package.Class.method}, or the native symbol. */
  String functionName() {
    return isJava() ? className + "." + method : method;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RawFrame)) {
      return false;
    }
    RawFrame f = (RawFrame) o;
    return type == f.type
        && line == f.line
        && className.equals(f.className)
        && method.equals(f.method)
        && descriptor.equals(f.descriptor);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return functionName() + descriptor + ":" + line + " (type " + type + ")";
  }
}
