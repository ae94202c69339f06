package dev.jpprof.testing;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The one child-JVM launcher of the tests: {@code [prefix] java [options] [-cp classpath] main
 * [args]}, built with {@link #java}. Stderr is read line by line as it comes (tests wait for a
 * line, never a fixed time); stdout is kept, or written to a file when native code must not reach
 * this JVM's descriptors. Options from the environment ({@code JAVA_TOOL_OPTIONS} and friends) are
 * removed: they would change the command line and print "Picked up" lines.
 */
public final class ChildProcess implements AutoCloseable {
  /** What to start; every setter returns the builder. */
  public static final class Builder {
    private final Path jdkHome;
    private final List<String> prefix = new ArrayList<>();
    private final List<String> options = new ArrayList<>();
    private final List<String> main = new ArrayList<>();
    private Path stdoutFile;
    private Path stderrFile;
    private String name = "child";
    private Consumer<String> stderrListener = line -> {};

    private Builder(Path jdkHome) {
      this.jdkHome = jdkHome;
    }

    /** A command that runs java (e.g. setpriv to another user, which execs java in place). */
    public Builder prefix(List<String> command) {
      prefix.addAll(command);
      return this;
    }

    /** JVM options, in order, before the main class. */
    public Builder options(List<String> jvmOptions) {
      options.addAll(jvmOptions);
      return this;
    }

    public Builder options(String... jvmOptions) {
      return options(Arrays.asList(jvmOptions));
    }

    /** {@code -cp classpath mainClass args}. */
    public Builder main(String classpath, String mainClass, List<String> args) {
      main.clear();
      main.addAll(List.of("-cp", classpath, mainClass));
      main.addAll(args);
      return this;
    }

    /** What picks the application when it is not {@code -cp dir Class}, e.g. {@code -m}. */
    public Builder application(List<String> arguments) {
      main.clear();
      main.addAll(arguments);
      return this;
    }

    /** Stdout into this file rather than kept in memory. */
    public Builder stdoutTo(Path file) {
      stdoutFile = file;
      return this;
    }

    /** Stderr into this file, byte for byte; {@link #awaitLine} then sees nothing. */
    public Builder stderrTo(Path file) {
      stderrFile = file;
      return this;
    }

    /** Called with every stderr line as it is read, before it is in {@link #stderrLines}. */
    public Builder onStderr(Consumer<String> listener) {
      stderrListener = listener;
      return this;
    }

    /** A name for the reader threads and messages. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The command this builder starts. */
    public List<String> command() {
      List<String> command = new ArrayList<>(prefix);
      command.add(Jdks.java(jdkHome).toString());
      command.addAll(options);
      command.addAll(main);
      return command;
    }

    public ChildProcess start() {
      try {
        return new ChildProcess(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command(), e);
      }
    }
  }

  /** A child on the JDK at {@code jdkHome}. */
  public static Builder java(Path jdkHome) {
    return new Builder(jdkHome);
  }

  private final List<String> command;
  private final Process process;
  private final long startNanos = System.nanoTime();
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final Path stdoutFile;
  private final Path stderrFile;
  private final Consumer<String> stderrListener;
  private final Thread stderrReader;
  private final Thread stdoutReader;

  private ChildProcess(Builder b) throws IOException {
    command = Collections.unmodifiableList(b.command());
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("JDK_JAVA_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    env.remove("CLASSPATH");
    stdoutFile = b.stdoutFile;
    stderrListener = b.stderrListener;
    stderrFile = b.stderrFile;
    if (stderrFile != null) {
      pb.redirectError(stderrFile.toFile());
    }
    if (stdoutFile != null) {
      pb.redirectOutput(stdoutFile.toFile());
    }
    process = pb.start();
    stderrReader = daemon("stderr of " + b.name, stderrFile == null ? this::readStderr : () -> {});
    stdoutReader = stdoutFile == null ? daemon("stdout of " + b.name, this::readStdout) : null;
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void readStderr() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        stderrListener.accept(line);
        stderr.add(line);
      }
    } catch (IOException e) {
      // the child ended
    }
  }

  private void readStdout() {
    byte[] buf = new byte[8192];
    try (InputStream in = process.getInputStream()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        synchronized (stdout) {
          stdout.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // the child ended
    }
  }

  public List<String> command() {
    return command;
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public long startNanos() {
    return startNanos;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The names of the child's native threads, as Linux shows them in /proc (at most 15 characters):
   * Java threads and native ones (e.g. "Async-profiler ...") alike.
   */
  public List<String> threadNames() {
    List<String> names = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(Paths.get("/proc", Long.toString(pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          names.add(Files.readString(task.resolve("comm")).trim());
        } catch (IOException e) {
          // The thread ended while we listed.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the threads of pid " + pid(), e);
    }
    return names;
  }

  /** The stderr lines read so far. */
  public List<String> stderrLines() {
    synchronized (stderr) {
      return new ArrayList<>(stderr);
    }
  }

  /** Stderr so far: lines joined by newlines, or the file's text. */
  public String stderr() {
    if (stderrFile != null) {
      try {
        return new String(Files.readAllBytes(stderrFile), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return String.join("\n", stderrLines());
  }

  /** Stdout so far (or, written to a file, the file). */
  public byte[] stdout() {
    if (stdoutFile != null) {
      try {
        return Files.readAllBytes(stdoutFile);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    synchronized (stdout) {
      return stdout.toByteArray();
    }
  }

  /**
   * The first stderr line at index {@code from} or later that {@code matches}, waiting up to {@code
   * timeout}; null if none came (or the child ended without it).
   */
  public String awaitLine(int from, Predicate<String> matches, Duration timeout) {
    String[] found = new String[1];
    Waits.until(
        timeout,
        () -> {
          boolean ended = !process.isAlive() && !stderrReader.isAlive(); // its last lines are in
          List<String> lines = stderrLines();
          for (int i = from; i < lines.size(); i++) {
            if (matches.test(lines.get(i))) {
              found[0] = lines.get(i);
              return true;
            }
          }
          return ended;
        });
    return found[0];
  }

  /** Whether the child exited within {@code timeout}; its output is then read in full. */
  public boolean awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      stderrReader.join(TimeUnit.SECONDS.toMillis(10));
      if (stdoutReader != null) {
        stdoutReader.join(TimeUnit.SECONDS.toMillis(10));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public int exitCode() {
    return process.exitValue();
  }

  /** Writes {@code line} to the child's stdin. */
  public void send(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes stdin (children that read it then end), waits {@code grace}, then kills. */
  public void stop(Duration grace) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    if (!awaitExit(grace)) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
  }

  /** Closes stdin and ends the child at once (SIGTERM, then SIGKILL after 10 s). */
  public void destroy() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    process.destroy();
    if (!awaitExit(Duration.ofSeconds(10))) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
  }

  /** Whether the stderr reader has read the child's last line. */
  public boolean stderrEnded() {
    return !stderrReader.isAlive();
  }

  /** A thread dump of the child by jcmd of the same JDK, for a message about a hang. */
  public String threadDump(Path jdkHome) {
    try {
      Process p =
          new ProcessBuilder(
                  jdkHome.resolve("bin").resolve("jcmd").toString(),
                  Long.toString(pid()),
                  "Thread.print")
              .redirectErrorStream(true)
              .start();
      String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return dump;
    } catch (IOException e) {
      return "(no thread dump: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
