package dev.jpprof.agent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  @Test
  void stringsAreEscapedAsGoEscapesThem() {
    assertEquals(
        "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\"",
        JsonWriter.write("a\"b\\c\n\r\t\b\f\u0001\u001f"));
    assertEquals(
        "\"\\u003cscript\\u003e\\u0026\\u2028\\u2029\"", JsonWriter.write("<script>&\u2028\u2029"));
    assertEquals("\"é😀/\"", JsonWriter.write("é😀/"));
    assertEquals("\"\\ufffdx\\ufffd\"", JsonWriter.write("\ud800x\udc00"));
  }

  @Test
  void valuesOfEveryKind() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("int", 1);
    m.put("long", -2L);
    m.put("double", 2.5);
    m.put("nan", Double.NaN);
    m.put("inf", Float.POSITIVE_INFINITY);
    m.put("big", new BigInteger("123456789012345678901234567890"));
    m.put("dec", new BigDecimal("1.50"));
    m.put("bool", true);
    m.put("null", null);
    m.put("list", List.of(1, "two"));
    m.put("ints", new int[] {3, 4});
    m.put("objects", new Object[] {null, 'c'});
    m.put("other", new StringBuilder("sb"));
    m.put(null, 0);
    assertEquals(
        "{\"int\":1,\"long\":-2,\"double\":2.5,\"nan\":null,\"inf\":null,"
            + "\"big\":123456789012345678901234567890,\"dec\":1.50,\"bool\":true,\"null\":null,"
            + "\"list\":[1,\"two\"],\"ints\":[3,4],\"objects\":[null,\"c\"],\"other\":\"sb\",\"null\":0}",
        JsonWriter.write(m));
  }

  @Test
  void outputParsesBackToTheSameValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "x<\u0000>\"\\\u2028é");
    m.put("n", Arrays.asList(1L, -2.5e-3, 1e300, true, null));
    m.put("o", Map.of("k", List.of()));
    assertEquals(m, JsonReader.parse(JsonWriter.write(m)));
  }

  @Test
  void aCycleFailsInsteadOfOverflowing() {
    Map<String, Object> cycle = new HashMap<>();
    cycle.put("self", cycle);
    assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(cycle));
  }
}
