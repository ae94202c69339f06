package dev.jpprof.agent.cpu;

import dev.jpprof.agent.frames.ClassSource;
import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.pprof.proto.ProfileProto.Function;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;

/**
 * The child JVM of {@link InstrumentationSourceTest}, started with itself as {@code -javaagent} so
 * it holds a real Instrumentation. It loads {@code iso.Isolated} through its own class loader,
 * where the system class loader cannot find the class file, and prints what jpprof learns about it:
 * "lookup" with and without Instrumentation, and "profile" from a real CPU profile.
 */
public final class InstrumentedChild {
  private static Instrumentation inst;

  private InstrumentedChild() {}

  public static void premain(String args, Instrumentation instrumentation) {
    inst = instrumentation;
  }

  public static void main(String[] args) throws Exception {
    URL classes = Paths.get(args[0]).toUri().toURL();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes})) {
      Class<?> isolated = Class.forName("iso.Isolated", true, loader);
      Method burn = isolated.getDeclaredMethod("burn", long.class);
      burn.setAccessible(true);

      ClassSource with = new SourceInfo(inst).batch().get("iso.Isolated");
      ClassSource without = new SourceInfo(null).batch().get("iso.Isolated");
      System.err.println("lookup with inst: " + with.file + ":" + with.firstLine("burn", "(J)J"));
      System.err.println(
          "lookup without: " + without.file + ":" + without.firstLine("burn", "(J)J"));

      CpuProfiler profiler = new CpuProfiler("cpu", 10_000_000L, 128, inst);
      CpuProfiler.Window w = profiler.open();
      burn.invoke(null, 300_000_000L);
      Profile p = w.finish();
      Function f = ProfileChecks.function(p, "iso.Isolated.burn");
      System.err.println(
          f == null
              ? "profile: no iso.Isolated.burn"
              : "profile: " + ProfileChecks.str(p, f.getFilename()) + ":" + f.getStartLine());
    }
  }
}
