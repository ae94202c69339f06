package dev.jpprof.instrumentation.alloc;

/** Classes whose layouts tell {@link ObjectSizes#calibrate} which JVM layout is in use. */
@SuppressWarnings("unused")
final class Probes {
  private Probes() {}

  static final class OneInt {
    int a;
  }

  static final class ThreeInts {
    int a;
    int b;
    int c;
  }

  static final class OneLong {
    long a;
  }

  static final class ThreeRefs {
    Object a;
    Object b;
    Object c;
  }

  static final class LongAndByte {
    long a;
    byte b;
  }

  static final class Mixed {
    long a;
    int b;
    short c;
    boolean d;
    Object e;
  }
}
