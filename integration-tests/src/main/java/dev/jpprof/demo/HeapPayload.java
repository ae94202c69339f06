package dev.jpprof.demo;

import java.util.function.IntFunction;

/**
 * Allocates with itself: a chain of its own instances, each with a small array. {@link HeapStress}
 * defines it again in every class loader of its churn and redefines it while threads run in it, so
 * the heap engine sees its methods come and go.
 */
public final class HeapPayload implements IntFunction<Object> {
  private final HeapPayload next;
  private final byte[] data;

  public HeapPayload() {
    this(null, 0);
  }

  private HeapPayload(HeapPayload next, int size) {
    this.next = next;
    this.data = new byte[size];
  }

  /** A chain of {@code n} instances, the last one first. */
  @Override
  public Object apply(int n) {
    return chain(n);
  }

  static HeapPayload chain(int n) {
    HeapPayload p = null;
    for (int i = 0; i < n; i++) {
      p = new HeapPayload(p, 16 + i % 64);
    }
    return p;
  }
}
