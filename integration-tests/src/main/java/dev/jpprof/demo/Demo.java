package dev.jpprof.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * A workload with known answers, for trying jpprof and for its end-to-end tests.
 *
 * <pre>
 * java -javaagent:agent/target/profiler.jar -cp integration-tests/target/classes dev.jpprof.demo.Demo
 * go tool pprof -top http://localhost:6060/debug/pprof/profile?seconds=5
 * </pre>
 *
 * <p>The thread {@code demo-cpu} repeats rounds of {@link #hot()} (three units of work) and {@link
 * #cold()} (one unit of the same work), so a CPU profile gives {@code hot} 75% and {@code cold} 25%
 * of that thread's samples, whatever the machine's load: the split is of one thread's own CPU time.
 * Three light threads give the other profiles something to show: {@code demo-alloc} allocates a
 * little, {@code demo-lock-1} and {@code demo-lock-2} contend for one monitor while sleeping in it.
 *
 * <p>Arguments: {@code [seconds] [--stdin] [--idle] [--hostile]}. {@code seconds} is how long to
 * run (default: until killed). {@code --idle} leaves {@code demo-cpu} out, so that the process uses
 * next to no CPU until told to burn some (push's CPU-threshold test). {@code --stdin} reads
 * commands from stdin, one a line: {@code early MS} starts a thread {@code demo-early} that burns
 * {@link #early()} for MS milliseconds, so a test can put a distinct method into one profile window
 * and not another; {@code rounds} prints {@code rounds N} on stderr, the number of hot/cold rounds
 * {@code demo-cpu} has finished, so a test can see the application's throughput. {@code --hostile}
 * adds a thread {@code demo-hostile} that burns about a tenth of a core in a frame whose names are
 * HTML ({@link HostileFrame}), for the UI's test. Apart from that answer the demo never writes to
 * stdout or stderr.
 */
public final class Demo {
  /**
   * Iterations in one unit of work: about 20 ms here, two sampling periods. Units much longer than
   * the 10 ms CPU sampling period make the split exact up to one sample per segment: each hot()
   * call covers about six sample points and each cold() call two, whatever their phase. With
   * sub-millisecond units the sampling phase can lock onto the rounds and skew a window by ten
   * points or more.
   */
  static final int UNIT = 12_000_000;

  /** Consumes every result so the JIT cannot drop the work. */
  static volatile long sink;

  /** Rounds of hot() and cold() finished: the demo's throughput. */
  private static final AtomicLong rounds = new AtomicLong();

  /** The monitor the lock pair contends for. */
  private static final Object LOCK = new Object();

  private Demo() {}

  public static void main(String[] args) throws InterruptedException {
    long seconds = -1;
    boolean stdin = false;
    boolean idle = false;
    boolean hostile = false;
    for (String arg : args) {
      if (arg.equals("--stdin")) {
        stdin = true;
      } else if (arg.equals("--idle")) {
        idle = true;
      } else if (arg.equals("--hostile")) {
        hostile = true;
      } else {
        seconds = Long.parseLong(arg);
      }
    }
    long start = System.nanoTime();

    if (!idle) {
      start("demo-cpu", Demo::cpuLoop);
    }
    start("demo-alloc", Demo::allocLoop);
    start("demo-lock-1", Demo::lockLoop);
    start("demo-lock-2", Demo::lockLoop);
    if (stdin) {
      start("demo-stdin", Demo::readCommands);
    }
    if (hostile) {
      start("demo-hostile", Demo::hostileLoop);
    }

    if (seconds < 0) {
      Thread.sleep(Long.MAX_VALUE);
    } else {
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
    }
    // The workload threads are daemons: returning from main ends the JVM.
  }

  private static void start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private static void cpuLoop() {
    while (true) {
      hot();
      cold();
      rounds.incrementAndGet();
    }
  }

  /** Three units of work: 75% of {@code demo-cpu}'s time. */
  static void hot() {
    long x = unit(1);
    x = unit(x);
    x = unit(x);
    sink = x;
  }

  /** One unit of the same work: 25% of {@code demo-cpu}'s time. */
  static void cold() {
    sink = unit(2);
  }

  /** About 5 ms of work in the hostile frame, then 40 ms of rest. */
  private static void hostileLoop() {
    LongUnaryOperator spin = HostileFrame.load();
    try {
      while (true) {
        sink = spin.applyAsLong(sink);
        Thread.sleep(40);
      }
    } catch (InterruptedException e) {
      // As in allocLoop.
    }
  }

  /** Runs the commands read from stdin until it closes; a bad line ends the reading. */
  private static void readCommands() {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split("\\s+");
        if (words.length == 2 && words[0].equals("early")) {
          long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[1]));
          start("demo-early", () -> earlyLoop(end));
        } else if (words.length == 1 && words[0].equals("rounds")) {
          System.err.println("rounds " + rounds.get());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // The demo prints nothing; a test sending a bad command sees no early() samples.
    }
  }

  /** Burns CPU only while the early phase lasts. */
  private static void earlyLoop(long endNanos) {
    while (System.nanoTime() - endNanos < 0) {
      early();
    }
  }

  /** A unit of work that runs only when stdin asks for it. */
  static void early() {
    sink = unit(3);
  }

  /**
   * One unit of CPU work: a xorshift chain, each step depending on the last, whose result is
   * returned, so the JIT can neither skip nor hoist it.
   */
  static long unit(long seed) {
    long x = seed | 1;
    for (int i = 0; i < UNIT; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }

  /** A few small allocations every 10 ms: something for the heap profiles, nearly no CPU. */
  private static void allocLoop() {
    Object[] keep = new Object[64];
    int i = 0;
    try {
      while (true) {
        for (int k = 0; k < 16; k++) {
          keep[i++ & 63] = buffer();
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      // Nobody interrupts the demo's threads; if something does, the thread just ends.
    }
  }

  /**
   * A method of its own, called anew each time: the agent rewrites classes that are already loaded,
   * and a running loop picks up rewritten code only through a new call.
   */
  private static byte[] buffer() {
    return new byte[1024];
  }

  /** Two of these contend for {@link #LOCK}: each holds it 5 ms, then rests 1 ms. */
  private static void lockLoop() {
    try {
      while (true) {
        synchronized (LOCK) {
          Thread.sleep(5);
        }
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      // As in allocLoop.
    }
  }
}
