package dev.jpprof.agent;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running the agent (started from the test class path) and a main class; the test
 * talks to its server over HTTP. Stdout goes to a file, so a test can check it stayed empty.
 */
public final class ChildJvm implements AutoCloseable {
  public static final Path JDK25 =
      Paths.get(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
  public static final Path JDK_HERE = Paths.get(System.getProperty("java.home"));

  private final Process process;
  private final Path stdout;
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
  /** The index URL, e.g. http://127.0.0.1:40123/debug/pprof/. */
  public final String base;
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** Starts {@code main} with {@code args} on the JDK at {@code jdk}. */
  public ChildJvm(Path jdk, Path dir, Class<?> main, String... args) throws Exception {
    this(jdk, dir, List.of(), main, args);
  }

  /** Starts {@code main} with JVM options {@code jvmArgs} before the class name. */
  public ChildJvm(Path jdk, Path dir, List<String> jvmArgs, Class<?> main, String... args)
      throws Exception {
    stdout = dir.resolve("child.out");
    List<String> command = new ArrayList<>(List.of(jdk.resolve("bin").resolve("java").toString(),
        "-Xss256k", "-cp", System.getProperty("java.class.path")));
    if (jdk.equals(JDK25)) {
      // The heap engine loads libjpprof at start; the README's flag keeps JDK 22+ quiet.
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.addAll(jvmArgs);
    command.add(main.getName());
    command.addAll(List.of(args));
    process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).start();
    Thread reader = new Thread(this::readStderr, "child-stderr");
    reader.setDaemon(true);
    reader.start();
    base = awaitServing();
  }

  private void readStderr() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        stderr.add(line);
      }
    } catch (IOException e) {
      // the child ended
    }
  }

  /** Waits (generously: the build machine is shared) for READY and the serving URL. */
  private String awaitServing() throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < end && process.isAlive()) {
      String url = null;
      boolean ready = false;
      synchronized (stderr) {
        for (String line : stderr) {
          if (line.startsWith("jpprof: serving ")) {
            url = line.substring("jpprof: serving ".length()).trim();
          }
          ready |= line.equals("READY");
        }
      }
      if (url != null && ready) {
        return url;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("child not ready; stderr: " + stderr());
  }

  public String stderr() {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  public String stdout() throws IOException {
    return new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8);
  }

  public HttpResponse<byte[]> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base).resolve(path))
        .timeout(Duration.ofSeconds(120)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  public String text(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError(path + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
    }
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Runs {@code go tool pprof} with these arguments; returns its output, failing on exit ≠ 0. */
  public static String pprof(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("go", "tool", "pprof"));
    command.addAll(List.of(args));
    File out = dir.resolve("pprof.out").toFile();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out).directory(dir.toFile());
    builder.environment().put("PPROF_TMPDIR", dir.toString()); // not the user's ~/pprof
    Process p = builder.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("go tool pprof did not finish");
    }
    String output = new String(Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("go tool pprof " + String.join(" ", args) + ": " + output);
    }
    return output;
  }

  public static boolean hasGo() {
    try {
      return new ProcessBuilder("go", "version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The child's process id, for jcmd. */
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
