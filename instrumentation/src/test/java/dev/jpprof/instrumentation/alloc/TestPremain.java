package dev.jpprof.instrumentation.alloc;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@code Premain-Class} of the manifest-only agent jar that {@link ChildJvmTest} builds:
 * installs the sampler as the real agent will, and remembers how long that took.
 */
public final class TestPremain {
  /** The sampler of this JVM, or null when started without the agent. */
  public static volatile AllocSampler sampler;

  /** The agent's instrumentation, for ground truth such as {@code getObjectSize}. */
  public static volatile Instrumentation inst;

  /** Milliseconds that {@link AllocSampler#install} took in premain. */
  public static volatile long installMillis;

  /** CPU milliseconds of the premain thread during {@link AllocSampler#install}. */
  public static volatile long installCpuMillis;

  private TestPremain() {}

  /** Agent entry point; the argument is the sampling rate in bytes. */
  public static void premain(String args, Instrumentation inst) {
    long start = System.nanoTime();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu = mx.getCurrentThreadCpuTime();
    TestPremain.inst = inst;
    long rate = args == null || args.isEmpty() ? 512 * 1024 : Long.parseLong(args);
    sampler = AllocSampler.install(inst, rate, 128, 10_000);
    installMillis = (System.nanoTime() - start) / 1_000_000;
    installCpuMillis = (mx.getCurrentThreadCpuTime() - cpu) / 1_000_000;
  }
}
