package dev.jpprof.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code go tool pprof} with a private HOME and PPROF_TMPDIR, so it writes nothing
 * outside a temporary directory, and a timeout.
 */
public final class GoPprof {
  private GoPprof() {}

  /** What one run printed. */
  public static final class Result {
    public final int exitCode;
    public final String stdout;
    public final String stderr;
    public final String command;

    Result(int exitCode, String stdout, String stderr, String command) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.command = command;
    }

    @Override
    public String toString() {
      return command + "\nexit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  /** {@code go tool pprof <args>} in a fresh temporary HOME; fails if it outlives the timeout. */
  public static Result run(Duration timeout, String... args) {
    Path go = findGo();
    List<String> cmd = new ArrayList<>(Arrays.asList(go.toString(), "tool", "pprof"));
    cmd.addAll(Arrays.asList(args));
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("jpprof-gopprof");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
      Map<String, String> env = pb.environment();
      env.put("HOME", tmp.toString());
      env.put("PPROF_TMPDIR", tmp.toString());
      env.put("GOCACHE", tmp.resolve("gocache").toString());
      env.put("GOPATH", tmp.resolve("gopath").toString());
      env.remove("PPROF_BINARY_PATH");
      File out = tmp.resolve("stdout").toFile();
      File err = tmp.resolve("stderr").toFile();
      pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.PIPE);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            String.join(" ", cmd)
                + " did not finish within "
                + timeout
                + "\nstderr so far:\n"
                + new String(Files.readAllBytes(err.toPath()), UTF_8));
      }
      return new Result(
          p.exitValue(),
          new String(Files.readAllBytes(out.toPath()), UTF_8),
          new String(Files.readAllBytes(err.toPath()), UTF_8),
          String.join(" ", cmd));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      deleteTree(tmp);
    }
  }

  /** {@link #run} that fails unless {@code go tool pprof} exits with 0; two minutes at most. */
  public static Result ok(String... args) {
    Result r = run(Duration.ofSeconds(120), args);
    if (r.exitCode != 0) {
      throw new AssertionError(r.toString());
    }
    return r;
  }

  /** {@code go} on PATH; its absence fails the test with what to install. */
  public static Path findGo() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path go = Paths.get(dir.isEmpty() ? "." : dir, "go");
        if (Files.isExecutable(go)) {
          return go;
        }
      }
    }
    throw new AssertionError(
        "`go` is not on PATH ("
            + path
            + "): the end-to-end tests need `go tool pprof`;"
            + " install it, e.g. apt-get install golang-go");
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a temp dir left behind is harmless.
    }
  }
}
