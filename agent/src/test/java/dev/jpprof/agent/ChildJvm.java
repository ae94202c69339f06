package dev.jpprof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpprof.testing.ChildProcess;
import dev.jpprof.testing.GoPprof;
import dev.jpprof.testing.Jdks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM running a main class of the test class path, on test-support's one launcher ({@link
 * ChildProcess}). Two shapes: a child that runs the agent and serves until closed (constructors;
 * the test talks to it over HTTP, its stdout in a file so a test can check it stayed empty), and a
 * child that runs to its end ({@link #run}; native code writes to file descriptor 1, which no
 * System.setOut can catch, and faults such as an unusable temp directory must not leak into this
 * JVM).
 */
public final class ChildJvm implements AutoCloseable {
  public static final Path JDK25 = Jdks.jdk25();
  public static final Path JDK_HERE = Jdks.here();

  private final ChildProcess child;

  /** The index URL, e.g. http://127.0.0.1:40123/debug/pprof/. */
  public final String base;

  public final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** Starts {@code main} with {@code args} on the JDK at {@code jdk}. */
  public ChildJvm(Path jdk, Path dir, Class<?> main, String... args) throws Exception {
    this(jdk, dir, List.of(), main, args);
  }

  /** Starts {@code main} with JVM options {@code jvmArgs} before the class name. */
  public ChildJvm(Path jdk, Path dir, List<String> jvmArgs, Class<?> main, String... args)
      throws Exception {
    List<String> options = new ArrayList<>(List.of("-Xss256k"));
    if (jdk.equals(JDK25)) {
      // The heap engine loads libjpprof at start; the README's flag keeps JDK 22+ quiet.
      options.add("--enable-native-access=ALL-UNNAMED");
    }
    options.addAll(jvmArgs);
    child =
        ChildProcess.java(jdk)
            .options(options)
            .main(System.getProperty("java.class.path"), main.getName(), List.of(args))
            .stdoutTo(dir.resolve("child.out"))
            .name(main.getSimpleName())
            .start();
    base = awaitServing();
  }

  /** Waits (generously: the build machine is shared) for the serving URL and READY. */
  private String awaitServing() {
    String serving =
        child.awaitLine(0, l -> l.startsWith("jpprof: serving "), Duration.ofSeconds(120));
    if (serving == null || child.awaitLine(0, "READY"::equals, Duration.ofSeconds(120)) == null) {
      throw new AssertionError("child not ready; stderr: " + stderr());
    }
    return serving.substring("jpprof: serving ".length()).trim();
  }

  public String stderr() {
    return child.stderr();
  }

  public String stdout() {
    return new String(child.stdout(), StandardCharsets.UTF_8);
  }

  public HttpResponse<byte[]> get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base).resolve(path))
            .timeout(Duration.ofSeconds(120))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  public String text(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError(
          path + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
    }
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Runs {@code go tool pprof} with these arguments (files relative to {@code dir}). */
  public static String pprof(Path dir, String... args) {
    String[] resolved = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      boolean file = !args[i].startsWith("-") && !args[i].contains("://");
      resolved[i] = file ? dir.resolve(args[i]).toString() : args[i];
    }
    GoPprof.Result r = GoPprof.ok(resolved);
    return r.stdout + r.stderr;
  }

  /** The child's process id, for jcmd. */
  public long pid() {
    return child.pid();
  }

  /** The names of the child's native threads, from /proc. */
  public List<String> threadNames() {
    return child.threadNames();
  }

  @Override
  public void close() {
    child.stop(Duration.ofSeconds(30));
  }

  /** What a child that ran to its end printed. */
  public static final class Exited {
    public final String stdout;
    public final String stderr;

    Exited(String stdout, String stderr) {
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }

  public static Path javaOf(Path home) {
    return Jdks.java(home);
  }

  /** The java launcher running the tests. */
  public static Path thisJava() {
    return javaOf(JDK_HERE);
  }

  /** Runs {@code main} with {@code jvmArgs} and {@code args}; fails unless it exits with 0. */
  public static Exited run(
      Path java, List<String> jvmArgs, Class<?> main, Path dir, String... args) {
    String name = main.getSimpleName() + "-" + String.join("-", args) + "-" + System.nanoTime();
    Path home = java.getParent().getParent();
    ChildProcess child =
        ChildProcess.java(home)
            .options(jvmArgs)
            .main(System.getProperty("java.class.path"), main.getName(), List.of(args))
            .stdoutTo(dir.resolve(name + ".out"))
            .stderrTo(dir.resolve(name + ".err"))
            .name(name)
            .start();
    // Generous: it takes seconds alone, but the build machine is shared and sometimes overloaded.
    if (!child.awaitExit(Duration.ofSeconds(180))) {
      String threads = child.threadDump(home);
      child.process().destroyForcibly();
      throw new AssertionError("child JVM did not finish in 180 s; its threads:\n" + threads);
    }
    Exited r = new Exited(new String(child.stdout(), StandardCharsets.UTF_8), child.stderr());
    assertEquals(0, child.exitCode(), "child exit; stderr: " + r.stderr);
    return r;
  }
}
