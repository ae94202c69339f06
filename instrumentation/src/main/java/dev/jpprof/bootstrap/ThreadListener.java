package dev.jpprof.bootstrap;

/**
 * Receives thread starts from {@link ThreadHook}. Implemented in the agent's own class loader; the
 * bootstrap hook only knows this interface.
 */
public interface ThreadListener {
  /** Called on the starting thread, inside {@code Thread.start}, before the new thread runs. */
  void onStart(Thread started);
}
