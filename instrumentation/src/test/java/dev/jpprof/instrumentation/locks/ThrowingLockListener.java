package dev.jpprof.instrumentation.locks;

import dev.jpprof.bootstrap.LockHook;
import dev.jpprof.bootstrap.LockListener;

/**
 * A listener whose every method throws, as a bug in the recorder would. Top level, so that it (and
 * the bootstrap interface) loads only when a test creates it, after the install.
 */
final class ThrowingLockListener implements LockListener {
  /** Replaces the hooks' listener (here, where verifying it needs the bootstrap interface). */
  static void install() {
    LockHook.setListener(new ThrowingLockListener());
  }

  @Override
  public long parkEnter(Object blocker) {
    throw new IllegalStateException("parkEnter");
  }

  @Override
  public void parkExit(long start) {
    throw new IllegalStateException("parkExit");
  }

  @Override
  public void unpark(Thread thread) {
    throw new IllegalStateException("unpark");
  }

  @Override
  public void acquireExit(Object sync) {
    throw new IllegalStateException("acquireExit");
  }
}
