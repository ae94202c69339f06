package dev.jpprof.agent.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jpprof.agent.ChildJvm;
import dev.jpprof.agent.json.JsonReader;
import dev.jpprof.agent.threads.ThreadsChild;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /debug/vars of a real JDK 25 JVM, with a var the application published. */
class VarsChildTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void validJsonWithTheListedFieldsOnJdk25() throws Exception {
    assumeTrue(Files.isExecutable(ChildJvm.JDK25.resolve("bin/java")), "no JDK 25");
    try (ChildJvm child = new ChildJvm(ChildJvm.JDK25, dir, ThreadsChild.class, "3")) {
      child.get("goroutine"); // something for the agent's counters
      HttpResponse<byte[]> r = child.get("../vars");
      assertEquals(200, r.statusCode());
      assertEquals(
          "application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
      String body = new String(r.body(), StandardCharsets.UTF_8);
      Map<String, Object> vars = (Map<String, Object>) JsonReader.parse(body);
      assertEquals(42L, vars.get("child.answer"));
      assertTrue(((List<Object>) vars.get("cmdline")).contains(ThreadsChild.class.getName()));
      Map<String, Object> mem = (Map<String, Object>) vars.get("memstats");
      List<String> numbers = new ArrayList<>(VarsPageTest.MEMSTATS_NUMBERS);
      numbers.add("TotalAlloc"); // JDK 25 has it
      for (String field : numbers) {
        assertTrue(mem.get(field) instanceof Long, field + " in " + mem);
      }
      Map<String, Object> jvm = (Map<String, Object>) vars.get("jvm");
      Map<String, Object> agent = (Map<String, Object>) jvm.get("agent");
      assertTrue((Long) agent.get("profiles.encoded") >= 1, agent.toString());
      Map<String, Object> threads = (Map<String, Object>) jvm.get("threads");
      assertTrue((Long) threads.get("live") >= 4, threads.toString());
      assertEquals("", child.stdout());
    }
  }
}
