package dev.jpprof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README's configuration table lists exactly the declared keys, with their defaults. */
class ConfigTableTest {
  /** A row: | `key` | `default` or (none) | meaning |. */
  private static final Pattern ROW =
      Pattern.compile("^\\| `([^`]+)` \\| (?:`([^`]*)`|\\(none\\)) \\|");

  @Test
  void readmeTableMatchesTheDeclaredKeys() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int table = readme.indexOf("\n## Configuration");
    assertFalse(table < 0, "README has no Configuration section");
    int end = readme.indexOf("\n## ", table + 1);
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : readme.substring(table, end < 0 ? readme.length() : end).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        documented.put(m.group(1), m.group(2) == null ? "" : m.group(2));
      }
    }
    assertEquals(new java.util.TreeMap<>(Config.DEFAULTS), new java.util.TreeMap<>(documented));
  }

  @Test
  void everyKeyHasOneLineOfDocumentation() {
    for (Key<?> key : Config.KEYS) {
      assertFalse(key.doc.isEmpty() || key.doc.contains("\n"), key.name);
    }
  }
}
