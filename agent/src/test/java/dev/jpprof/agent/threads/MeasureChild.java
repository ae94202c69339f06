package dev.jpprof.agent.threads;

import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.pprof.Profiles;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

/**
 * Measures what serving goroutine costs with many threads: {@code args[0]} parked platform threads
 * and {@code args[1]} blocked virtual threads. Prints one line per form on stderr: wall time and
 * bytes allocated by the serving thread, cold (first) and warm (third) call.
 */
public final class MeasureChild {
  private MeasureChild() {}

  public static void main(String[] args) throws Exception {
    int platform = Integer.parseInt(args[0]);
    int virtual = Integer.parseInt(args[1]);
    ThreadsChild.startBlocked(platform, virtual).await();
    GoroutineSource source = new GoroutineSource(new SourceInfo(null), 128, CreationStacks.NONE);
    measure("protobuf", () -> Profiles.gzip(source.snapshot()).length);
    measure("debug=1", () -> source.text(1).length());
    measure("debug=2", () -> source.text(2).length());
    System.err.println("MEASURED");
  }

  @SuppressWarnings("deprecation")
  private static void measure(String form, Callable<Integer> serve) throws Exception {
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    StringBuilder line = new StringBuilder(form);
    for (int i = 0; i < 3; i++) {
      long bytes = bean.getThreadAllocatedBytes(id);
      long t0 = System.nanoTime();
      int size = serve.call();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long allocated = bean.getThreadAllocatedBytes(id) - bytes;
      if (i != 1) {
        line.append(i == 0 ? " cold " : " warm ")
            .append(ms)
            .append(" ms ")
            .append(allocated >> 20)
            .append(" MiB allocated, ")
            .append(size >> 10)
            .append(" KiB out;");
      }
    }
    System.err.println(line);
  }
}
