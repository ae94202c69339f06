package dev.jpprof.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Golden files under {@code src/test/resources/golden/}. A test fails when its text differs from
 * the file or the file is missing; {@code -Djpprof.updateGolden=true} rewrites the files instead
 * (then review them with {@code git diff}).
 */
final class Golden {
  static final boolean UPDATE = Boolean.getBoolean("jpprof.updateGolden");

  private Golden() {}

  static void assertMatches(String name, String actual) throws IOException {
    // Surefire runs in the module directory and names it in "basedir"; the IDE usually does too.
    Path file = Paths.get(System.getProperty("basedir", "."), "src/test/resources/golden", name);
    if (UPDATE) {
      Files.createDirectories(file.getParent());
      Files.write(file, actual.getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (!Files.exists(file)) {
      fail("golden file " + file + " is missing; write it with -Djpprof.updateGolden=true");
    }
    String expected = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    assertEquals(
        expected, actual, "differs from " + file + " (-Djpprof.updateGolden=true rewrites it)");
  }
}
