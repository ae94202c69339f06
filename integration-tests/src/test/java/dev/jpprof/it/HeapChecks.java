package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.GoPprof;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the heap engine's crash, collector, fallback and soak tests check on every child JVM: no
 * crash (no hs_err file; alive until closed, or a normal exit), no exception in its output, and
 * profiles that decode, pass pprof's checks and that {@code go tool pprof -raw} reads; and the
 * engine's own line on the index page, with its counters.
 */
final class HeapChecks {
  static final String HEAP_STRESS = "dev.jpprof.demo.HeapStress";
  static final String PAYLOAD_CHAIN = "dev.jpprof.demo.HeapPayload.chain";

  /** Go's four heap/allocs sample types, in Go's order. */
  static final List<String> SAMPLE_TYPES =
      List.of(
          "alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes");

  private static final Pattern ENGINE = Pattern.compile("(allocation sampling: [^<]*)<br>");
  private static final Pattern COUNTERS =
      Pattern.compile(
          "; (\\d+) samples, (\\d+) live tracked"
              + ".*, (\\d+) not tracked for in-use.*, (\\d+) dropped while the collector was behind,"
              + " (\\d+) methods cached, (\\d+) KiB native memory");

  private HeapChecks() {}

  /**
   * JVM options that put a crash report in {@code dir} (where {@link #assertNoCrash} looks) and
   * write no core dump, then {@code more}.
   */
  static List<String> jvmOptions(Path dir, String... more) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"), "-XX:-CreateCoredumpOnCrash"));
    options.addAll(Arrays.asList(more));
    return options;
  }

  /** The child still runs, wrote no crash report and no exception. */
  static void assertAlive(AgentJvm jvm, Path dir) {
    assertTrue(jvm.isAlive(), "the child died; " + jvm.describe());
    assertNoCrash(jvm, dir);
  }

  /**
   * Sends {@code exit} to a {@code HeapStress} child, which returns from main: the JVM must end
   * with code 0 (the agent's threads are daemons) and no crash report.
   */
  static void assertExitsNormally(AgentJvm jvm, Path dir) throws InterruptedException {
    assertNoCrash(jvm, dir);
    jvm.send("exit");
    assertTrue(jvm.awaitExit(Duration.ofSeconds(30)), "no exit after 'exit'; " + jvm.describe());
    assertEquals(0, jvm.exitCode(), jvm::describe);
    assertNoCrash(jvm, dir);
  }

  private static void assertNoCrash(AgentJvm jvm, Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(f -> f.getFileName().toString().startsWith("hs_err"))
          .findAny()
          .ifPresent(
              f -> {
                throw new AssertionError("the JVM crashed: " + f + "\n" + read(f));
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // stdout is not required empty: another agent (async-profiler) may print there.
    List<String> lines = jvm.stderrLines();
    lines.addAll(Arrays.asList(new String(jvm.stdout(), UTF_8).split("\n")));
    for (String line : lines) {
      boolean agent = line.startsWith("jpprof: ");
      assertFalse(
          agent
              ? line.contains(" failed: ")
              : line.contains("Exception")
                  || line.contains("Error")
                  || line.startsWith("FAILED")
                  || line.startsWith("\tat "),
          () -> "in the output: " + line + "\n" + jvm.describe());
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** GETs a profile: 200, saved to {@code file}, decoded and as Go writes them. */
  static ProfileView fetch(AgentJvm jvm, String target, Path file) {
    Http.Response r = Http.get(jvm.port(), target);
    assertEquals(200, r.status(), r::text);
    try {
      Files.write(file, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProfileView v = ProfileView.parse(r.body());
    v.assertGoConventions();
    return v;
  }

  /** {@code go tool pprof -raw file} succeeds and shows samples. */
  static void assertPprofReads(Path file) {
    GoPprof.Result raw = GoPprof.run(Duration.ofSeconds(60), "-raw", file.toString());
    assertEquals(0, raw.exitCode, raw::toString);
    assertTrue(raw.stdout.contains("Samples:"), raw::toString);
  }

  /** The index page's line on the allocation engine, unescaped. */
  static String engineLine(AgentJvm jvm) {
    String index = Http.get(jvm.port(), "/debug/pprof/").text();
    Matcher m = ENGINE.matcher(index);
    assertTrue(m.find(), index);
    return m.group(1).replace("&#39;", "'").replace("&amp;", "&");
  }

  /** The JVMTI engine's counters, from its line on the index page. */
  static Counters counters(AgentJvm jvm) {
    String line = engineLine(jvm);
    Matcher m = COUNTERS.matcher(line);
    assertTrue(m.find(), "not the JVMTI engine's line: " + line);
    return new Counters(
        Long.parseLong(m.group(1)),
        Long.parseLong(m.group(2)),
        Long.parseLong(m.group(3)),
        Long.parseLong(m.group(4)),
        Long.parseLong(m.group(5)),
        Long.parseLong(m.group(6)));
  }

  /** What the JVMTI engine reports about itself. */
  static final class Counters {
    final long samples;
    final long live;
    final long untracked;
    final long dropped;
    final long methods;
    final long nativeKib;

    Counters(long samples, long live, long untracked, long dropped, long methods, long nativeKib) {
      this.samples = samples;
      this.live = live;
      this.untracked = untracked;
      this.dropped = dropped;
      this.methods = methods;
      this.nativeKib = nativeKib;
    }

    @Override
    public String toString() {
      return samples
          + " samples, "
          + live
          + " live, "
          + untracked
          + " untracked, "
          + dropped
          + " dropped, "
          + methods
          + " methods, "
          + nativeKib
          + " KiB native";
    }
  }
}
