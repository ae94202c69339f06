package dev.jpprof.bootstrap;

/**
 * Receives the allocations that {@link AllocHook} samples. Implemented by the recorder in the
 * agent's own class loader; the bootstrap hooks only know this interface.
 */
public interface AllocListener {
  /**
   * Called on the allocating thread, at most once at a time per thread (reentrant allocations made
   * by the listener itself are not sampled).
   *
   * @param obj the newly allocated object, already initialized
   * @param size the estimated size in bytes that the sampling countdown was charged
   */
  void onSample(Object obj, long size);
}
