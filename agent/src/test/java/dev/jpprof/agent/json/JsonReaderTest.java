package dev.jpprof.agent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
  @Test
  void valuesOfEveryKind() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", 1L);
    expected.put("b", Arrays.asList(-2.5, 3e2, true, false, null));
    expected.put("c", Map.of("d", "x\"y\\/z\u00e9\n"));
    expected.put("", "");
    assertEquals(
        expected,
        JsonReader.parse(
            " {\"a\": 1, \"b\": [-2.5, 3e2, true, false, null],"
                + " \"c\": {\"d\": \"x\\\"y\\\\\\/z\\u00e9\\n\"}, \"\": \"\"} "));
  }

  @Test
  void emptyContainers() {
    assertEquals(Map.of(), JsonReader.parse("{}"));
    assertEquals(Arrays.asList(), JsonReader.parse("[ ]"));
  }

  @Test
  void errorsNameTheOffset() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\" 1}"));
    assertEquals("JSON: expected ':' at offset 5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1,]"));
    assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"open"));
    assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1] x"));
  }
}
