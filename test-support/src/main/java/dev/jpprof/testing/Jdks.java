package dev.jpprof.testing;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The JDKs the tests run children on: the one running the tests, and JDK 25 from the one property
 * {@value #JDK25_PROPERTY} (surefire sets it from the build's {@code jdk25.home}).
 */
public final class Jdks {
  /** The system property naming the JDK 25 home. */
  public static final String JDK25_PROPERTY = "jpprof.jdk25";

  private Jdks() {}

  /** The home of the JDK running the tests. */
  public static Path here() {
    return Paths.get(System.getProperty("java.home"));
  }

  /** The JDK 25 home; fails, saying what to set, when the property is missing. */
  public static Path jdk25() {
    String home = System.getProperty(JDK25_PROPERTY);
    if (home == null || home.isEmpty()) {
      throw new AssertionError(
          "system property "
              + JDK25_PROPERTY
              + " is not set (surefire sets it from ${jdk25.home})");
    }
    return Paths.get(home);
  }

  /** {@code home/bin/java}. */
  public static Path java(Path home) {
    return home.resolve("bin").resolve("java");
  }
}
