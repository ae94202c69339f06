package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM running with {@code -javaagent:profiler.jar=port=0}: started, waited for until the
 * agent's "serving" line appears on stderr, and destroyed by {@link #close()}. Its stdout and
 * stderr are collected for the tests to check.
 */
public final class AgentJvm implements AutoCloseable {
  /** The one line the agent prints at start. */
  public static final Pattern SERVING =
      Pattern.compile("jpprof: serving http://(?:127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::\\]):(\\d+)/debug/pprof/");

  public static final String DEMO = "dev.jpprof.demo.Demo";

  /** How long the agent may take to start on a loaded two-core machine. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** A bound on the demo's life, should this JVM die without closing it. */
  public static final String DEMO_SECONDS = "600";

  private final Jdk jdk;
  private final List<String> command;
  private final Process process;
  private final OutputStream stdin;
  private final long startNanos;
  private final List<String> stderrLines = Collections.synchronizedList(new ArrayList<>());
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final CountDownLatch serving = new CountDownLatch(1);
  private final Thread stderrReader;
  private final Thread stdoutReader;
  private volatile int port = -1;
  private volatile long servingNanos;
  private volatile String agentError;

  private AgentJvm(Jdk jdk, List<String> command) throws IOException {
    this.jdk = jdk;
    this.command = Collections.unmodifiableList(new ArrayList<>(command));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    // Options from the environment would change the command line and add "Picked up" lines.
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("JDK_JAVA_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    env.remove("CLASSPATH");
    startNanos = System.nanoTime();
    process = pb.start();
    stdin = process.getOutputStream();
    stderrReader = daemon("stderr of " + jdk, this::readStderr);
    stdoutReader = daemon("stdout of " + jdk, this::readStdout);
  }

  /** Starts the demo workload with the agent on {@code jdk} and waits until it serves. */
  public static AgentJvm demo(Jdk jdk, String... demoArgs) {
    List<String> args = new ArrayList<>(Arrays.asList(demoArgs));
    args.add(0, DEMO_SECONDS);
    return start(jdk, "port=0", DEMO, args.toArray(new String[0]));
  }

  /**
   * Starts {@code mainClass} from the demo classes on {@code jdk} with {@code
   * -javaagent:<profiler.jar>=<agentArgs>} and waits for the serving line.
   */
  public static AgentJvm start(Jdk jdk, String agentArgs, String mainClass, String... args) {
    return start(jdk, List.of(), agentArgs, mainClass, args);
  }

  /** {@link #start} with extra JVM options, placed after the defaults so that they win. */
  public static AgentJvm start(Jdk jdk, List<String> jvmOptions, String agentArgs, String mainClass,
      String... args) {
    return start(List.of(), jdk, jvmOptions, agentArgs, classpathMain(mainClass, args));
  }

  /** Starts the child like {@link #start} but returns at once, without waiting for the agent. */
  public static AgentJvm launch(Jdk jdk, String agentArgs, String mainClass, String... args) {
    return launch(jdk, List.of(), agentArgs, mainClass, args);
  }

  private static AgentJvm launch(Jdk jdk, List<String> jvmOptions, String agentArgs,
      String mainClass, String... args) {
    return launch(List.of(), jdk, jdk.agentFlags(), jvmOptions, agentArgs, classpathMain(mainClass, args));
  }

  /** {@code -cp <demo classes> mainClass args}. */
  private static List<String> classpathMain(String mainClass, String... args) {
    List<String> main = new ArrayList<>(List.of("-cp", demoClasses().toString(), mainClass));
    main.addAll(Arrays.asList(args));
    return main;
  }

  /**
   * Starts {@code prefix java <defaults> jvmOptions -javaagent:... main} and waits for the
   * serving line. {@code prefix} runs java under another command (e.g. setpriv to another
   * user, which execs java in the same process); {@code main} is what picks the application
   * ({@code -cp dir Class args} or {@code --module-path dir -m module/Class}).
   */
  public static AgentJvm start(List<String> prefix, Jdk jdk, List<String> jvmOptions,
      String agentArgs, List<String> main) {
    return start(prefix, jdk, jdk.agentFlags(), jvmOptions, agentArgs, main);
  }

  /** {@link #start} without {@link Jdk#agentFlags}: to see the warnings they silence. */
  public static AgentJvm startWithoutAgentFlags(Jdk jdk, String agentArgs, List<String> main) {
    return start(List.of(), jdk, List.of(), List.of(), agentArgs, main);
  }

  private static AgentJvm start(List<String> prefix, Jdk jdk, List<String> flags,
      List<String> jvmOptions, String agentArgs, List<String> main) {
    AgentJvm jvm = launch(prefix, jdk, flags, jvmOptions, agentArgs, main);
    try {
      jvm.awaitServing();
      jvm.awaitEnginesInstalled();
    } catch (RuntimeException | Error e) {
      jvm.close();
      throw e;
    }
    return jvm;
  }

  /**
   * Starts {@code main} on {@code jdk} with the same defaults but without the agent, for a test
   * to attach it; returns at once. The agent's serving line, once attached, sets {@link #port}.
   */
  public static AgentJvm withoutAgent(Jdk jdk, List<String> jvmOptions, List<String> main) {
    return launch(List.of(), jdk, jdk.agentFlags(), jvmOptions, null, main);
  }

  /** {@code agentArgs} null: no -javaagent. */
  private static AgentJvm launch(List<String> prefix, Jdk jdk, List<String> flags,
      List<String> jvmOptions, String agentArgs, List<String> main) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(jdk.java().toString());
    cmd.addAll(flags);
    // Small heap and serial GC: the machine is shared, and the tests need no more.
    cmd.add("-Xmx128m");
    cmd.add("-XX:+UseSerialGC");
    // An argument with a space: cmdline must keep it whole (argv joined by NUL, not by spaces).
    // Not under jpprof.*: the agent reads those properties as its configuration.
    cmd.add("-Dit.note=two words");
    cmd.addAll(jvmOptions);
    if (agentArgs != null) {
      cmd.add("-javaagent:" + agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
    }
    cmd.addAll(main);
    try {
      return new AgentJvm(jdk, cmd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }

  /**
   * Waits for the agent's first stderr line and returns it when it says the agent did not
   * start; fails when the agent serves instead.
   */
  public String awaitRefusal() throws InterruptedException {
    if (!serving.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(jdk + ": the agent said nothing within " + START_TIMEOUT + "; " + describe());
    }
    if (agentError == null) {
      throw new AssertionError(jdk + ": the agent serves, but should have refused; " + describe());
    }
    return agentError;
  }

  /**
   * Waits for the serving line after an earlier line that was not one (a port retried): returns
   * the port, or fails after {@code timeout}.
   */
  public int awaitPort(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (port < 0) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError(jdk + ": no serving line within " + timeout + "; " + describe());
      }
      Thread.sleep(50);
    }
    return port;
  }

  /** Waits for the child to exit on its own; true if it did within {@code timeout}. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** {@code agent/target/profiler.jar}, from surefire's {@code jpprof.agentJar}. */
  public static Path agentJar() {
    Path jar = Paths.get(requiredProperty("jpprof.agentJar"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("agent jar " + jar + " is missing: build module agent first");
    }
    return jar;
  }

  /** This module's {@code target/classes}, where the demo is. */
  public static Path demoClasses() {
    return Paths.get(requiredProperty("jpprof.demoClasses"));
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isEmpty()) {
      throw new AssertionError("system property " + name + " is not set (surefire sets it)");
    }
    return value;
  }

  /**
   * Waits (at most 30 s) until the index page no longer says the allocation engine is
   * installing: while it rewrites the loaded classes, running methods are deoptimized and a CPU
   * profile taken then may hold truncated stacks, which the CPU tests do not expect.
   */
  private void awaitEnginesInstalled() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (installing(Http.get(port, "/debug/pprof/").text())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(jdk + ": allocation sampling still installing after 30 s; " + describe());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Whether the index page says an engine is still being installed on the start thread. */
  private static boolean installing(String index) {
    return index.contains("allocation sampling: installing")
        || index.contains("block and mutex: not installed yet");
  }

  private void awaitServing() {
    try {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (true) {
        boolean signalled = serving.await(50, TimeUnit.MILLISECONDS);
        if (agentError != null) {
          throw new AssertionError(
              jdk + ": the agent did not start: " + agentError + "; " + describe());
        }
        if (signalled) {
          return;
        }
        if (!process.isAlive()) {
          stderrReader.join(2000);
          throw new AssertionError(
              jdk + ": child exited with " + process.exitValue() + " before serving; " + describe());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              jdk + ": no serving line within " + START_TIMEOUT + "; " + describe());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private void readStderr() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        stderrLines.add(line);
        Matcher m = SERVING.matcher(line);
        if (port < 0 && m.matches()) {
          servingNanos = System.nanoTime();
          port = Integer.parseInt(m.group(1));
          serving.countDown();
        } else if (port < 0 && line.startsWith("jpprof:")) {
          // The agent reports that it did not start; the application runs on without it.
          agentError = line;
          serving.countDown();
        }
      }
    } catch (IOException e) {
      stderrLines.add("<<reading stderr failed: " + e + ">>");
    }
  }

  private void readStdout() {
    byte[] buf = new byte[8192];
    try (InputStream in = process.getInputStream()) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        synchronized (stdout) {
          stdout.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // The process was destroyed; what was read is kept.
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  public Jdk jdk() {
    return jdk;
  }

  /** The port parsed from the serving line. */
  public int port() {
    return port;
  }

  /** The child's process id, for jcmd and /proc. */
  public long pid() {
    return process.pid();
  }

  /**
   * The names of the child's native threads, as Linux shows them in /proc (at most 15
   * characters): Java threads and those async-profiler starts ("Async-profiler ...") alike.
   */
  public List<String> threadNames() {
    List<String> names = new ArrayList<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Paths.get("/proc", Long.toString(pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          names.add(Files.readString(task.resolve("comm")).trim());
        } catch (IOException e) {
          // The thread ended while we listed.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the threads of " + this, e);
    }
    return names;
  }

  /** How many file descriptors the child has open now, from /proc/<pid>/fd. */
  public int openFds() {
    try (java.util.stream.Stream<Path> fds = Files.list(Paths.get("/proc", Long.toString(pid()), "fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the descriptors of " + this, e);
    }
  }

  /** The exact argv the child was started with. */
  public List<String> command() {
    return command;
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Time from starting the process to reading the serving line. */
  public Duration timeToServing() {
    return Duration.ofNanos(servingNanos - startNanos);
  }

  /** Writes one line to the child's stdin (the demo reads commands there with --stdin). */
  public void send(String line) {
    try {
      stdin.write((line + "\n").getBytes(UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the child's stdin; " + describe(), e);
    }
  }

  /**
   * Sends {@code command} on stdin and returns the first stderr line after it that starts with
   * {@code answerPrefix}, waiting at most 10 s.
   */
  public String ask(String command, String answerPrefix) throws InterruptedException {
    int seen = stderrLines().size();
    send(command);
    return awaitLine(seen, answerPrefix, Duration.ofSeconds(10));
  }

  /**
   * The first stderr line from index {@code from} on that starts with {@code prefix}, waiting at
   * most {@code timeout}; fails sooner once the child's stderr has ended.
   */
  public String awaitLine(int from, String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ended = !stderrReader.isAlive(); // before reading: its last lines are in then
      List<String> lines = stderrLines();
      for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      if (ended || System.nanoTime() > deadline) {
        throw new AssertionError("no \"" + prefix + "\" line within " + timeout + "; " + describe());
      }
      Thread.sleep(20);
    }
  }

  /**
   * Heap used after a full GC, in KiB, from {@code jcmd GC.run} and {@code GC.heap_info} (the
   * generations' "used", Metaspace left out) with the child's own JDK.
   */
  public long heapUsedAfterGcKib() throws IOException, InterruptedException {
    jcmd("GC.run");
    long used = 0;
    Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(jcmd("GC.heap_info"));
    while (m.find()) {
      used += Long.parseLong(m.group(1));
    }
    if (used == 0) {
      throw new AssertionError("no heap figures from jcmd GC.heap_info for " + this);
    }
    return used;
  }

  /** Runs {@code jcmd <pid> command...} with the child's own JDK and returns its output. */
  String jcmd(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(jdk.home().resolve("bin/jcmd").toString(), Long.toString(pid())));
    cmd.addAll(Arrays.asList(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " failed: " + new String(out, UTF_8));
    }
    return new String(out, UTF_8);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, once the child has exited. */
  public int exitCode() {
    return process.exitValue();
  }

  /** Everything the child wrote on stdout so far. */
  public byte[] stdout() {
    synchronized (stdout) {
      return stdout.toByteArray();
    }
  }

  /** The stderr lines read so far. */
  public List<String> stderrLines() {
    synchronized (stderrLines) {
      return new ArrayList<>(stderrLines);
    }
  }

  /** The command, stdout and stderr, for failure messages. */
  public String describe() {
    return "command: "
        + String.join(" ", command)
        + "\nstdout: "
        + new String(stdout(), UTF_8)
        + "\nstderr:\n"
        + String.join("\n", stderrLines());
  }

  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // The child is going away anyway.
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      stderrReader.join(2000);
      stdoutReader.join(2000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return jdk + " pid " + process.pid() + " port " + port;
  }
}
