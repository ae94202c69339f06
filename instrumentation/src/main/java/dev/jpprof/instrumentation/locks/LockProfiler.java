package dev.jpprof.instrumentation.locks;

import dev.jpprof.instrumentation.QuietByteBuddy;
import dev.jpprof.instrumentation.boot.BootstrapHooks;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * The engine behind the {@code block} and {@code mutex} profiles for java.util.concurrent: hooks
 * {@code LockSupport.park*}/{@code unpark} and the end of AQS {@code acquire(Node, ...)}, and
 * records Go's way (docs/protocol.md §11). Waits measured elsewhere (the agent's JFR monitor events
 * for {@code synchronized} and {@code Object.wait}) come in through {@link #recordBlock} and {@link
 * #recordMutex}.
 *
 * <pre>{@code
 * LockProfiler locks = LockProfiler.install(inst, 128, maxBuckets);
 * locks.setBlockRate(1);          // Go's SetBlockProfileRate(1): every wait
 * locks.setMutexFraction(1);      // Go's SetMutexProfileFraction(1): every release
 * locks.blockSnapshot();          // cumulative records since install
 * }</pre>
 *
 * <p>Memory: at most {@code maxBuckets} records per profile plus one overflow record (the agent
 * passes the same {@code alloc.maxBuckets} as for the heap profile), and the stacks of at most 1
 * 024 events waiting to be symbolized.
 */
public final class LockProfiler {
  private final LockRecorder recorder;
  private final LockHooks hooks; // null when recording only

  private LockProfiler(LockRecorder recorder, LockHooks hooks) {
    this.recorder = recorder;
    this.hooks = hooks;
  }

  /**
   * Installs the java.util.concurrent park hooks (retransforms LockSupport and the AQS classes).
   * Call once, after the agent's server is up, on the agent's start thread. Both profiles start off
   * (rate 0, fraction 0), as in Go.
   *
   * @param stackDepth the most frames kept per stack
   * @param maxBuckets the most records per profile; further events go to one overflow record
   * @throws RuntimeException if the hooks cannot be installed (nothing is left installed then)
   */
  public static LockProfiler install(Instrumentation inst, int stackDepth, int maxBuckets) {
    LockRecorder recorder = new LockRecorder(stackDepth, maxBuckets);
    BootstrapHooks.install(inst); // before anything names LockHook
    QuietByteBuddy.disableNexus();
    LockHooks hooks = LockHooks.install(inst, recorder);
    return new LockProfiler(recorder, hooks);
  }

  /**
   * A profiler without hooks, for waits measured outside bytecode only (JFR), e.g. when {@link
   * #install} failed. Touches no bootstrap hook class.
   */
  public static LockProfiler recorderOnly(int stackDepth, int maxBuckets) {
    return new LockProfiler(new LockRecorder(stackDepth, maxBuckets), null);
  }

  /** Go's runtime.SetBlockProfileRate in nanoseconds: <= 0 off, 1 = every event. */
  public void setBlockRate(long rateNanos) {
    recorder.setBlockRate(rateNanos);
    if (hooks != null) {
      LockHooks.refresh(recorder);
    }
  }

  public long blockRate() {
    return recorder.blockRate();
  }

  /** Go's runtime.SetMutexProfileFraction: 0 off, n = 1 in n events kept (pre-scaled by n). */
  public void setMutexFraction(int fraction) {
    recorder.setMutexFraction(fraction);
    if (hooks != null) {
      LockHooks.refresh(recorder);
    }
  }

  public int mutexFraction() {
    return recorder.mutexFraction();
  }

  /**
   * A wait measured outside bytecode: the waiter's frames, leaf first, and its delay; sampled and
   * unbiased by the block rate exactly as hooked waits are.
   */
  public void recordBlock(StackTraceElement[] waiterFrames, long delayNanos) {
    recorder.block(waiterFrames, delayNanos);
  }

  /**
   * Contention charged to a holder's frames, measured outside bytecode; 1 in fraction kept, count
   * += fraction, delay += fraction × delay, exactly as hooked releases.
   */
  public void recordMutex(StackTraceElement[] holderFrames, long delayNanos) {
    recorder.mutex(holderFrames, delayNanos);
  }

  /** The block records since install, the overflow record last if used. */
  public List<ContentionRecord> blockSnapshot() {
    return recorder.snapshot(false);
  }

  /** The mutex records since install, the overflow record last if used. */
  public List<ContentionRecord> mutexSnapshot() {
    return recorder.snapshot(true);
  }

  public int blockRecords() {
    return recorder.records(false);
  }

  public int mutexRecords() {
    return recorder.records(true);
  }

  /** Events merged into the overflow records (cap reached, or stack dropped under pressure). */
  public long overflowSamples() {
    return recorder.overflowSamples();
  }

  /** For the index page: what is hooked, what failed, what was dropped. */
  public String status() {
    String dropped =
        recorder.droppedStacks() == 0
            ? ""
            : "; " + recorder.droppedStacks() + " stacks dropped under load";
    return (hooks == null ? "no java.util.concurrent hooks (JFR only)" : hooks.status()) + dropped;
  }

  /** Removes the hooks (if any) and stops the daemon; the records stay readable. */
  public void close() {
    if (hooks != null) {
      hooks.close();
    }
    recorder.stopDaemon();
  }

  /** Threads parked on a synchronizer as the hooks see them (tests: nothing left behind). */
  int trackedWaits() {
    return hooks == null ? 0 : hooks.trackedWaits();
  }
}
