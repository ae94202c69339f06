package dev.jpprof.instrumentation.locks;

import dev.jpprof.bootstrap.LockHook;
import dev.jpprof.bootstrap.LockListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns the park/unpark hooks into block and mutex events.
 *
 * <p>Block: a park is timed from enter to exit. A park inside {@code acquire(Node, ...)} of a
 * synchronizer (a lock, semaphore, latch: its blocker is the AQS itself) is not recorded at its
 * exit but at the end of the acquire, from the first park on, so that one contended acquisition is
 * one event however often it re-parks.
 *
 * <p>Mutex: while a thread parks on a synchronizer it is a {@link Wait} in {@link #waits} and in
 * its synchronizer's set. A thread that unparks such a waiter is releasing the synchronizer ({@code
 * signalNext} from {@code release}); it is charged, Go ≥ 1.22 style, with the time every waiter of
 * that synchronizer has waited since it was last charged, so the charges add up to the total wait
 * exactly. A thread waiting on a {@code ConditionObject} (not an AQS) waits for a signal, not for
 * the lock, and is never charged to anyone.
 *
 * <p>Everything here runs on application threads, only on the slow path (a thread about to block,
 * or waking one), and takes no lock an agent thread could hold while doing I/O: only
 * ConcurrentHashMap operations and the recorder's lock-free queue.
 */
final class ParkRecorder implements LockListener {
  private final LockRecorder recorder;
  private final ConcurrentHashMap<Thread, Wait> waits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<SyncKey, Set<Wait>> bySync = new ConcurrentHashMap<>();

  /** Threads between their first park and the end of acquire(Node, ...): first park start. */
  private final ConcurrentHashMap<Thread, Wait> acquiring = new ConcurrentHashMap<>();

  private volatile boolean aqsHooked;
  private volatile boolean aqlsHooked;

  ParkRecorder(LockRecorder recorder) {
    this.recorder = recorder;
  }

  /** Which synchronizers' acquire(Node, ...) ends are hooked (then a wait is one event). */
  void setAcquireHooked(boolean aqs, boolean aqls) {
    aqsHooked = aqs;
    aqlsHooked = aqls;
  }

  @Override
  public long parkEnter(Object blocker) {
    boolean blockOn = recorder.blockRate() > 0;
    boolean mutexOn = recorder.mutexFraction() > 0;
    if (!blockOn && !mutexOn) {
      return LockHook.OFF;
    }
    Thread self = Thread.currentThread();
    Object b = blocker != null ? blocker : LockSupport.getBlocker(self);
    long now = System.nanoTime();
    if (isSync(b)) {
      // A re-park in the same acquisition (woken, beaten to the lock): its uncharged time so far
      // carries over, so that releasers are charged the whole wait.
      Wait earlier = acquiring.get(self);
      long chargedUntil = earlier != null && earlier.sync == b ? earlier.chargedUntil.get() : now;
      Wait w = new Wait(b, now, chargedUntil);
      waits.put(self, w);
      if (mutexOn) {
        bySync.computeIfAbsent(new SyncKey(b), k -> ConcurrentHashMap.newKeySet()).add(w);
      }
    } else if (!blockOn) {
      return LockHook.OFF;
    }
    return now;
  }

  @Override
  public void parkExit(long start) {
    long now = System.nanoTime();
    Thread self = Thread.currentThread();
    Wait w = waits.remove(self);
    if (w != null) {
      bySync.computeIfPresent(
          new SyncKey(w.sync),
          (k, set) -> {
            set.remove(w);
            return set.isEmpty() ? null : set;
          });
      if (acquireHooked(w.sync)) {
        // The block event counts from the first park; the mutex charge continues from this one.
        Wait first = acquiring.get(self);
        acquiring.put(
            self,
            first == null || first.sync != w.sync
                ? w
                : new Wait(w.sync, first.start, w.chargedUntil.get()));
        return;
      }
    }
    recorder.block(null, now - start);
  }

  @Override
  public void acquireExit(Object sync) {
    if (acquiring.isEmpty()) {
      return;
    }
    Wait first = acquiring.remove(Thread.currentThread());
    // A different synchronizer: a leftover of an acquire entered before the hook was installed.
    if (first != null && first.sync == sync) {
      recorder.block(null, System.nanoTime() - first.start);
    }
  }

  @Override
  public void unpark(Thread thread) {
    if (recorder.mutexFraction() <= 0) {
      return;
    }
    Wait woken = waits.get(thread);
    if (woken == null) {
      return;
    }
    Set<Wait> all = bySync.get(new SyncKey(woken.sync));
    if (all == null) {
      return;
    }
    long now = System.nanoTime();
    long delay = 0;
    for (Wait w : all) {
      delay += w.charge(now);
    }
    if (delay > 0) {
      recorder.mutex(null, delay);
    }
  }

  private static boolean isSync(Object b) {
    return b instanceof AbstractQueuedSynchronizer || b instanceof AbstractQueuedLongSynchronizer;
  }

  private boolean acquireHooked(Object sync) {
    return sync instanceof AbstractQueuedSynchronizer ? aqsHooked : aqlsHooked;
  }

  /** Forgets every wait (after the hooks are removed, no exit will come for them). */
  void clear() {
    waits.clear();
    bySync.clear();
    acquiring.clear();
  }

  /** Threads parked on some synchronizer right now (for tests: no state left behind). */
  int parkedOnSyncs() {
    return waits.size() + bySync.size();
  }

  /** One park of one thread on a synchronizer. */
  private static final class Wait {
    final Object sync;
    final long start;

    /** Up to when this wait has been charged to releasers. */
    final AtomicLong chargedUntil;

    Wait(Object sync, long start, long chargedUntil) {
      this.sync = sync;
      this.start = start;
      this.chargedUntil = new AtomicLong(chargedUntil);
    }

    /** The time waited since the last charge, now charged. */
    long charge(long now) {
      for (; ; ) {
        long before = chargedUntil.get();
        if (before >= now) {
          return 0;
        }
        if (chargedUntil.compareAndSet(before, now)) {
          return now - before;
        }
      }
    }
  }

  /**
   * A synchronizer compared by identity: an application's AQS subclass may override equals and
   * hashCode, and calling them here would run application code inside the hook.
   */
  private static final class SyncKey {
    final Object sync;

    SyncKey(Object sync) {
      this.sync = sync;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SyncKey && ((SyncKey) o).sync == sync;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(sync);
    }
  }
}
