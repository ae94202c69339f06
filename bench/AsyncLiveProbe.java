import java.util.ArrayList;
import java.util.List;
import one.profiler.AsyncProfiler;

/**
 * What async-profiler's {@code alloc,live} JFR output holds at {@code dump} and {@code stop} (for
 * an async-profiler allocation engine's in-use profile). Retains 64 MiB, allocates 500 MiB of
 * garbage, dumps, releases, dumps, retains again, stops, resumes, dumps. Prints the times of each
 * step; read the file with {@code jfr summary} / {@code jfr print --events profiler.LiveObject}.
 * Usage (classpath: the tools.profiler:async-profiler jar, unpacked): {@code java -cp .
 * AsyncLiveProbe /path/libasyncProfiler.so live, /tmp/out.jfr}
 */
public class AsyncLiveProbe {
  static volatile Object sink;

  public static void main(String[] a) throws Exception {
    AsyncProfiler p = AsyncProfiler.getInstance(a[0]);
    String start = "event=alloc,alloc=512k," + a[1] + "jfr,file=" + a[2] + ",quiet,loglevel=none";
    p.execute("start," + start);
    List<Object> keep = new ArrayList<>();
    for (int i = 0; i < 16 * 1024; i++) {
      keep.add(new long[511]);
    }
    for (int i = 0; i < 500 * 1024; i++) {
      sink = new byte[1024];
    }
    System.gc();
    System.out.println("dump1 " + System.currentTimeMillis());
    p.execute("dump,jfr,quiet");
    keep.clear();
    System.gc();
    System.out.println("dump2 " + System.currentTimeMillis());
    p.execute("dump,jfr,quiet");
    for (int i = 0; i < 16 * 1024; i++) {
      keep.add(new long[511]);
    }
    System.gc();
    p.execute("stop,quiet");
    System.out.println("stopped " + System.currentTimeMillis());
    p.execute("resume," + start);
    System.out.println("dump3 " + System.currentTimeMillis());
    p.execute("dump,jfr,quiet");
    p.execute("stop,quiet");
    System.out.println("retained " + keep.size());
  }
}
