package dev.jpprof.it;

/**
 * A main that does nothing but say it was reached, for {@link StartupTime}, then waits to be
 * killed: the agent may serve only after main() has begun.
 */
public final class Idle {
  private Idle() {}

  public static void main(String[] args) throws InterruptedException {
    System.err.println("main");
    Thread.sleep(10_000);
  }
}
