package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpprof.testing.ChildProcess;
import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
      Pattern.compile(
          "jpprof: serving http://(?:127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::\\]):(\\d+)/debug/pprof/");

  public static final String DEMO = "dev.jpprof.demo.Demo";

  /** How long the agent may take to start on a loaded two-core machine. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** A bound on the demo's life, should this JVM die without closing it. */
  public static final String DEMO_SECONDS = "600";

  /**
   * What to start: {@code [prefix] java <Jdk flags> <defaults> options -javaagent:... main}. {@link
   * #start} waits for the serving line (and the engines); {@link #launch} returns at once.
   */
  public static final class Builder {
    private final Jdk jdk;
    private final List<String> prefix = new ArrayList<>();
    private final List<String> options = new ArrayList<>();
    private List<String> main = List.of();
    private String agentArgs; // null: no -javaagent
    private boolean agentFlags = true;

    private Builder(Jdk jdk) {
      this.jdk = jdk;
    }

    /** {@code -javaagent:<profiler.jar>=<args>}; without it the JVM starts with no agent. */
    public Builder agent(String args) {
      agentArgs = args;
      return this;
    }

    /** JVM options, placed after the defaults so that they win. */
    public Builder options(List<String> jvmOptions) {
      options.addAll(jvmOptions);
      return this;
    }

    /** A command that runs java (e.g. setpriv to another user, which execs java in place). */
    public Builder prefix(List<String> command) {
      prefix.addAll(command);
      return this;
    }

    /** {@code -cp <demo classes> mainClass args}. */
    public Builder main(String mainClass, String... args) {
      List<String> m = new ArrayList<>(List.of("-cp", demoClasses().toString(), mainClass));
      m.addAll(Arrays.asList(args));
      main = m;
      return this;
    }

    /** The demo workload with the agent ({@code port=0}) and these demo arguments. */
    public Builder demo(String... demoArgs) {
      List<String> args = new ArrayList<>(Arrays.asList(demoArgs));
      args.add(0, DEMO_SECONDS);
      return agent("port=0").main(DEMO, args.toArray(new String[0]));
    }

    /** What picks the application when it is not {@link #main}, e.g. {@code -m module/Class}. */
    public Builder application(List<String> arguments) {
      main = new ArrayList<>(arguments);
      return this;
    }

    /** Without {@link Jdk#agentFlags}: to see the warnings they silence. */
    public Builder withoutAgentFlags() {
      agentFlags = false;
      return this;
    }

    /** Starts the child and waits until the agent serves and its engines are installed. */
    public AgentJvm start() {
      AgentJvm jvm = launch();
      try {
        jvm.awaitServing();
        jvm.awaitEnginesInstalled();
      } catch (RuntimeException | Error e) {
        jvm.close();
        throw e;
      }
      return jvm;
    }

    /** Starts the child and returns at once, without waiting for the agent. */
    public AgentJvm launch() {
      List<String> jvm = new ArrayList<>(agentFlags ? jdk.agentFlags() : List.of());
      // Small heap and serial GC: the machine is shared, and the tests need no more.
      jvm.add("-Xmx128m");
      jvm.add("-XX:+UseSerialGC");
      // An argument with a space: cmdline must keep it whole (argv joined by NUL, not by
      // spaces). Not under jpprof.*: the agent reads those properties as its configuration.
      jvm.add("-Dit.note=two words");
      jvm.addAll(options);
      if (agentArgs != null) {
        jvm.add("-javaagent:" + agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
      }
      return new AgentJvm(
          jdk,
          ChildProcess.java(jdk.home())
              .prefix(prefix)
              .options(jvm)
              .application(main)
              .name(jdk.toString()));
    }
  }

  /** A child on {@code jdk}; say what to run, then {@link Builder#start} or launch. */
  public static Builder on(Jdk jdk) {
    return new Builder(jdk);
  }

  private final Jdk jdk;
  private final ChildProcess child;
  private final CountDownLatch serving = new CountDownLatch(1);
  private volatile int port = -1;
  private volatile long servingNanos;
  private volatile String agentError;

  private AgentJvm(Jdk jdk, ChildProcess.Builder builder) {
    this.jdk = jdk;
    this.child = builder.onStderr(this::stderrLine).start();
  }

  /** Notes the serving line, or the agent's refusal, as stderr is read. */
  private void stderrLine(String line) {
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

  /**
   * Waits for the agent's first stderr line and returns it when it says the agent did not start;
   * fails when the agent serves instead.
   */
  public String awaitRefusal() throws InterruptedException {
    if (!serving.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          jdk + ": the agent said nothing within " + START_TIMEOUT + "; " + describe());
    }
    if (agentError == null) {
      throw new AssertionError(jdk + ": the agent serves, but should have refused; " + describe());
    }
    return agentError;
  }

  /**
   * Waits for the serving line after an earlier line that was not one (a port retried): returns the
   * port, or fails after {@code timeout}.
   */
  public int awaitPort(Duration timeout) throws InterruptedException {
    if (!Waits.until(timeout, () -> port >= 0 || !child.isAlive())) {
      throw new AssertionError(jdk + ": no serving line within " + timeout + "; " + describe());
    }
    if (port < 0) {
      throw new AssertionError(jdk + ": exited before serving; " + describe());
    }
    return port;
  }

  /** Waits for the child to exit on its own; true if it did within {@code timeout}. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return child.awaitExit(timeout);
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
   * Waits (at most 30 s) until the index page no longer says the allocation engine is installing:
   * while it rewrites the loaded classes, running methods are deoptimized and a CPU profile taken
   * then may hold truncated stacks, which the CPU tests do not expect.
   */
  private void awaitEnginesInstalled() {
    Waits.await(
        Duration.ofSeconds(30),
        () -> !installing(Http.get(port, "/debug/pprof/").text()),
        () -> jdk + ": allocation sampling still installing after 30 s; " + describe());
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
        if (!child.isAlive()) {
          child.awaitExit(Duration.ofSeconds(2));
          throw new AssertionError(
              jdk + ": child exited with " + child.exitCode() + " before serving; " + describe());
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

  public Jdk jdk() {
    return jdk;
  }

  /** The port parsed from the serving line. */
  public int port() {
    return port;
  }

  /** The child's process id, for jcmd and /proc. */
  public long pid() {
    return child.pid();
  }

  /**
   * The names of the child's native threads, as Linux shows them in /proc (at most 15 characters):
   * Java threads and those async-profiler starts ("Async-profiler ...") alike.
   */
  public List<String> threadNames() {
    return child.threadNames();
  }

  /**
   * How many sockets the child has open now, from /proc/<pid>/fd. Sockets only: the JVM opens and
   * closes files (jars, /proc) on its own, which made a count of every descriptor flaky.
   */
  public int openSockets() {
    try (java.util.stream.Stream<Path> fds =
        Files.list(Paths.get("/proc", Long.toString(pid()), "fd"))) {
      return (int) fds.filter(AgentJvm::isSocket).count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the descriptors of " + this, e);
    }
  }

  private static boolean isSocket(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString().startsWith("socket:");
    } catch (IOException e) {
      return false; // closed since it was listed
    }
  }

  /** The exact argv the child was started with. */
  public List<String> command() {
    return child.command();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Time from starting the process to reading the serving line. */
  public Duration timeToServing() {
    return Duration.ofNanos(servingNanos - child.startNanos());
  }

  /** Writes one line to the child's stdin (the demo reads commands there with --stdin). */
  public void send(String line) {
    try {
      child.send(line);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "cannot write to the child's stdin; " + describe(), e.getCause());
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

  /** The demo's count of work rounds so far (asked on stdin: the demo runs with --stdin). */
  public long demoRounds() {
    try {
      return Long.parseLong(ask("rounds", "rounds ").substring("rounds ".length()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Waits (at most 10 s) until the demo has done more rounds than now: the application keeps
   * working; fails with {@code what} otherwise.
   */
  public void awaitDemoWorking(Supplier<String> what) {
    long before = demoRounds();
    Waits.await(Duration.ofSeconds(10), Duration.ofMillis(100), () -> demoRounds() > before, what);
  }

  /**
   * The first stderr line from index {@code from} on that starts with {@code prefix}, waiting at
   * most {@code timeout}; fails sooner once the child's stderr has ended.
   */
  public String awaitLine(int from, String prefix, Duration timeout) throws InterruptedException {
    String line = child.awaitLine(from, l -> l.startsWith(prefix), timeout);
    if (line == null) {
      throw new AssertionError("no \"" + prefix + "\" line within " + timeout + "; " + describe());
    }
    return line;
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
    List<String> cmd =
        new ArrayList<>(List.of(jdk.home().resolve("bin/jcmd").toString(), Long.toString(pid())));
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
    return child.isAlive();
  }

  /** The exit code, once the child has exited. */
  public int exitCode() {
    return child.exitCode();
  }

  /** Everything the child wrote on stdout so far. */
  public byte[] stdout() {
    return child.stdout();
  }

  /** The stderr lines read so far. */
  public List<String> stderrLines() {
    return child.stderrLines();
  }

  /** The command, stdout and stderr, for failure messages. */
  public String describe() {
    return "command: "
        + String.join(" ", child.command())
        + "\nstdout: "
        + new String(stdout(), UTF_8)
        + "\nstderr:\n"
        + String.join("\n", stderrLines());
  }

  @Override
  public void close() {
    child.destroy();
  }

  @Override
  public String toString() {
    return jdk + " pid " + child.pid() + " port " + port;
  }
}
