package dev.jpprof.agent.threads;

/**
 * The thread pool a thread belongs to, read from the naming schemes of the JDK's and common
 * libraries' thread factories: the name without its trailing number and a {@code -thread} or {@code
 * -worker} word before it. {@code pool-3-thread-7} → {@code pool-3}, {@code
 * ForkJoinPool.commonPool-worker-1} → {@code ForkJoinPool.commonPool}, {@code
 * ForkJoinPool-1-worker-2} → {@code ForkJoinPool-1}, {@code http-nio-8080-exec-10} → {@code
 * http-nio-8080-exec}, {@code nioEventLoopGroup-2-1} → {@code nioEventLoopGroup-2}. {@code
 * Thread-4} (a plain {@code new Thread()}) and names without a number have no pool.
 */
final class PoolName {
  private PoolName() {}

  /** The pool's name, or null when the name does not follow a pool scheme. */
  static String of(String threadName) {
    int end = threadName.length();
    int digits = end;
    while (digits > 0 && Character.isDigit(threadName.charAt(digits - 1))) {
      digits--;
    }
    if (digits == end || digits < 2 || threadName.charAt(digits - 1) != '-') {
      return null;
    }
    String pool = threadName.substring(0, digits - 1);
    for (String word : new String[] {"-thread", "-worker"}) {
      if (pool.endsWith(word) && pool.length() > word.length()) {
        pool = pool.substring(0, pool.length() - word.length());
        break;
      }
    }
    return pool.equals("Thread") ? null : pool;
  }
}
