package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jpprof.testing.Jdks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** A JDK the end-to-end tests run the agent on. */
public final class Jdk {
  private final Path home;
  private final String version;

  private Jdk(Path home, String version) {
    this.home = home;
    this.version = version;
  }

  /**
   * The JDKs every end-to-end test runs on: the one running the tests (17) and {@code
   * jpprof.jdk25}. A missing JDK 25 fails the tests; it never skips them.
   */
  public static List<Jdk> all() {
    List<Jdk> jdks = new ArrayList<>();
    jdks.add(at(Jdks.here()));
    jdks.add(at(Jdks.jdk25()));
    return jdks;
  }

  /** Reads the JDK's {@code release} file for its version; fails if there is no JDK there. */
  public static Jdk at(Path home) {
    Path java = home.resolve("bin/java");
    if (!Files.isExecutable(java)) {
      fail("no JDK at " + home + ": " + java + " is missing or not executable");
    }
    Properties release = new Properties();
    try (InputStream in = Files.newInputStream(home.resolve("release"))) {
      release.load(in);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + home.resolve("release"), e);
    }
    String version = release.getProperty("JAVA_VERSION", "").replace("\"", "");
    if (version.isEmpty()) {
      fail("no JAVA_VERSION in " + home.resolve("release"));
    }
    return new Jdk(home, version);
  }

  public Path home() {
    return home;
  }

  public Path java() {
    return home.resolve("bin/java");
  }

  /** The feature release: 17 for "17.0.15", 25 for "25.0.3". */
  public int feature() {
    String first = version.split("[.+-]", 2)[0];
    return Integer.parseInt(first);
  }

  /**
   * JVM flags the agent needs on this JDK. Since JDK 24, loading async-profiler's native library
   * prints a restricted-method WARNING on stderr unless native access is enabled.
   */
  public List<String> agentFlags() {
    List<String> flags = new ArrayList<>();
    if (feature() >= 22) {
      flags.add("--enable-native-access=ALL-UNNAMED");
    }
    return flags;
  }

  /** Equal by home, so tests can key one child JVM per JDK across parameterized invocations. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Jdk && ((Jdk) o).home.equals(home);
  }

  @Override
  public int hashCode() {
    return home.hashCode();
  }

  @Override
  public String toString() {
    return "JDK " + version;
  }
}
