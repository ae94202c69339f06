package dev.jpprof.instrumentation.locks;

/**
 * Go's sampling rules for block and mutex events, as pure functions of a random draw so that tests
 * can replay them with a seeded generator.
 */
final class ContentionSampling {
  private ContentionSampling() {}

  /**
   * Go's {@code blocksampled}: with {@code rate} > 0, an event of {@code delay} ns (at least 1) is
   * kept if {@code delay >= rate}, else when {@code draw <= delay}, i.e. with probability about
   * delay/rate.
   *
   * @param draw uniform in [0, rate)
   */
  static boolean keepBlock(long delay, long rate, long draw) {
    return rate > 0 && (delay >= rate || draw <= Math.max(delay, 1));
  }

  /** The count a kept block event adds: 1, or rate/delay when it was sampled (Go ≥ 1.17). */
  static double blockCount(long delay, long rate) {
    long d = Math.max(delay, 1);
    return d >= rate ? 1 : (double) rate / d;
  }

  /** The delay a kept block event adds: its own, or rate when it was sampled. */
  static long blockDelay(long delay, long rate) {
    long d = Math.max(delay, 1);
    return d >= rate ? d : rate;
  }

  /** Go's mutex rule: with {@code fraction} > 0, keep 1 in {@code fraction} events. */
  static boolean keepMutex(int fraction, long draw) {
    return fraction > 0 && draw == 0;
  }
}
