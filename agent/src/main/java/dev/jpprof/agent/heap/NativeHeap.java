package dev.jpprof.agent.heap;

import dev.jpprof.instrumentation.AgentJar;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The Java face of libjpprof ({@code native/src/main/c/heap.c}): JVMTI's allocation sampler, with a
 * weak reference per sample. The library is extracted from the agent jar and loaded as
 * async-profiler's is; {@link #load()} says why when it cannot be.
 */
final class NativeHeap {
  /**
   * Test seam: load this file instead of the jar's library (e.g. a missing or broken one).
   * Config.NOT_CONFIGURATION keeps it from being read as a configuration key.
   */
  static final String LIBRARY_PROPERTY = "jpprof.heap.library";

  private static volatile String loadFailure = "not loaded yet";
  private static volatile boolean loaded;

  private NativeHeap() {}

  /**
   * Loads the library once. Returns null when loaded, else why not (no library for this platform,
   * the temp directory refuses executables, an unusable file, ...).
   */
  static synchronized String load() {
    if (loaded) {
      return null;
    }
    try {
      String override = System.getProperty(LIBRARY_PROPERTY);
      if (override != null) {
        System.load(new File(override).getAbsolutePath());
      } else {
        String platform = platform();
        if (platform == null) {
          return loadFailure =
              "no native library for "
                  + System.getProperty("os.name")
                  + "/"
                  + System.getProperty("os.arch");
        }
        loadFromJar("dev/jpprof/native/" + platform + "/libjpprof.so");
      }
      loaded = true;
      loadFailure = null;
      return null;
    } catch (IOException | RuntimeException | LinkageError e) {
      return loadFailure = "libjpprof could not be loaded: " + e;
    }
  }

  private static void loadFromJar(String resource) throws IOException {
    byte[] library = AgentJar.read(NativeHeap.class, resource);
    if (library == null) {
      throw new IOException(resource + " is not in the agent jar (built without it)");
    }
    // java.io and a name of our own: this runs in premain, where NIO's channels,
    // createTempFile's SecureRandom or ProcessHandle's lambdas would each cost start time.
    File dir = new File(System.getProperty("java.io.tmpdir"));
    File tmp = new File(dir, "libjpprof-" + System.nanoTime() + ".so");
    for (int i = 0; !tmp.createNewFile(); i++) {
      if (i > 100) {
        throw new IOException("cannot create a file in " + dir);
      }
      tmp = new File(dir, "libjpprof-" + System.nanoTime() + "-" + i + ".so");
    }
    try {
      try (OutputStream out = new FileOutputStream(tmp)) {
        out.write(library);
      }
      System.load(tmp.getAbsolutePath());
    } finally {
      tmp.delete(); // the mapping stays; nothing is left in the temp directory
    }
  }

  /** {@code linux-x64} or {@code linux-arm64}; null where no library is built (macOS, ...). */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux")) {
      return null;
    }
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      return "linux-x64";
    }
    if (arch.equals("aarch64") || arch.equals("arm64")) {
      return "linux-arm64";
    }
    return null;
  }

  /** What {@link #start} returned, in words. */
  static String describe(int code) {
    switch (code) {
      case 0:
        return "started";
      case 98: // JVMTI_ERROR_NOT_AVAILABLE
        return "the JVM's allocation sampler is held by another agent (async-profiler alloc,"
            + " a vendor agent): only one may use it";
      case 1001:
        return "this JVM has no JVMTI 11 (JDK 11 or newer is needed)";
      case 1002:
        return "already started";
      case 1003:
        return "no native memory for the tables";
      case 1004:
        return "bad arguments";
      default:
        return "JVMTI error " + code;
    }
  }

  /**
   * Takes the sampling capability and starts sampling every {@code interval} bytes on average (≤ 1:
   * every allocation). Returns 0 or a code for {@link #describe}.
   */
  static native int start(int interval, int depth, int maxPending, int maxLive, int maxMethods);

  /**
   * New samples and frees since the last call; see heap.c for the layout. {@code scan} checks the
   * live samples' weak references (after a GC). Null when out of memory (nothing lost).
   */
  static native long[] collect(boolean scan);

  /** Sets the JVM's sampling interval (≤ 1: every allocation); 0 or a JVMTI error code. */
  static native int interval(int interval);

  /** {class signature, method name, source file or null}, or null for an unknown index. */
  static native String[] method(int index);

  /** The first line of a method's line table, 0 if none. */
  static native int startLine(int index);

  /**
   * {samples seen, dropped objects, dropped bytes, GCs, native bytes, live samples, pending
   * samples, methods, JVMTI failures, last failure code}.
   */
  static native long[] stats();
}
