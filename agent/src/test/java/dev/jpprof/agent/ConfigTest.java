package dev.jpprof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static Config parse(String args, Map<?, ?> props, Map<String, String> env) {
    return Config.parse(args, props, env);
  }

  @Test
  void defaults() {
    Config c = parse(null, new Properties(), Map.of());
    assertEquals("loopback", c.host());
    assertEquals(false, c.allowRemote());
    assertEquals(16, c.maxRequests());
    assertEquals(64, c.maxConnections());
    assertEquals(600, c.maxSeconds());
    assertEquals(60_000_000_000L, c.idleTimeoutNanos());
    assertEquals(6060, c.port());
    assertEquals("auto", c.cpuEngine());
    assertEquals("cpu", c.cpuEvent());
    assertEquals(10_000_000L, c.cpuIntervalNanos());
    assertEquals(128, c.stackDepth());
    assertEquals(Config.DEFAULTS.keySet(), c.effective().keySet());
  }

  @Test
  void blockRateIsADurationOrNanosecondsAndMutexFractionAnInteger() {
    assertEquals(0, parse(null, Map.of(), Map.of()).mutexFraction());
    assertEquals(10_000L, parse("block.rate=10us", Map.of(), Map.of()).blockRateNanos());
    assertEquals(1_000_000L, parse("block.rate=1ms", Map.of(), Map.of()).blockRateNanos());
    assertEquals(250L, parse("block.rate=250", Map.of(), Map.of()).blockRateNanos());
    assertEquals(0L, parse("block.rate=0", Map.of(), Map.of()).blockRateNanos());
    assertEquals(5, parse("mutex.fraction=5", Map.of(), Map.of()).mutexFraction());
    assertMessage(
        "\"fast\" for configuration key \"block.rate\"",
        () -> parse("block.rate=fast", Map.of(), Map.of()));
    assertMessage(
        "\"-1\" for configuration key \"mutex.fraction\"",
        () -> parse("mutex.fraction=-1", Map.of(), Map.of()));
  }

  @Test
  void argsBeatPropertiesBeatEnvironment() {
    Map<String, String> env =
        Map.of("JPPROF_PORT", "1", "JPPROF_STACK_DEPTH", "5", "JPPROF_HOST", "::1");
    Map<String, String> props =
        Map.of("jpprof.port", "2", "jpprof.stack.depth", "6", "other.key", "x");
    Config c = parse("port=3", props, env);
    assertEquals(3, c.port());
    assertEquals(6, c.stackDepth());
    assertEquals("::1", c.host());
  }

  @Test
  void theHeapLibrarySeamIsNotAKey() {
    Config c = parse(null, Map.of("jpprof.heap.library", "/nonexistent"), Map.of());
    assertEquals(Config.DEFAULTS.keySet(), c.effective().keySet());
  }

  @Test
  void camelCaseKeysFromTheEnvironment() throws Exception {
    Config c =
        parse(null, Map.of(), Map.of("JPPROF_ALLOWREMOTE", "true", "JPPROF_MAXSECONDS", "60"));
    assertTrue(c.allowRemote());
    assertEquals(60, c.maxSeconds());
  }

  @Test
  void theTokenIsNeverShown(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Config c = parse("token=s3cret", Map.of(), Map.of());
    assertEquals("s3cret", c.token());
    assertEquals("(set)", c.effective().get("token"));
    assertTrue(!c.effective().toString().contains("s3cret"));
    java.nio.file.Path file = dir.resolve("token");
    java.nio.file.Files.writeString(file, "from-file\n");
    assertEquals("from-file", parse("tokenFile=" + file, Map.of(), Map.of()).token());
    assertMessage("not both", () -> parse("token=a,tokenFile=" + file, Map.of(), Map.of()));
    assertMessage(
        "\"yes\" for configuration key \"allowRemote\"",
        () -> parse("allowRemote=yes", Map.of(), Map.of()));
  }

  @Test
  void durations() {
    assertEquals(1_000_000L, parse("cpu.interval=1ms", Map.of(), Map.of()).cpuIntervalNanos());
    assertEquals(250_000L, parse("cpu.interval=250us", Map.of(), Map.of()).cpuIntervalNanos());
    assertEquals(1_500_000_000L, parse("cpu.interval=1.5s", Map.of(), Map.of()).cpuIntervalNanos());
  }

  @Test
  void cpuEngines() {
    assertEquals(dev.jpprof.agent.cpu.CpuProfiler.ENGINES, Config.CPU_ENGINES);
    assertEquals("jfr", parse(null, Map.of(), Map.of("JPPROF_CPU_ENGINE", "jfr")).cpuEngine());
    assertEquals(
        "async-profiler", parse("cpu.engine=async-profiler", Map.of(), Map.of()).cpuEngine());
    assertMessage(
        "\"perf\" for configuration key \"cpu.engine\": must be one of auto, async-profiler, jfr",
        () -> parse("cpu.engine=perf", Map.of(), Map.of()));
  }

  @Test
  void unknownKeysAreNamed() {
    assertMessage("\"prot\"", () -> parse("prot=1", Map.of(), Map.of()));
    assertMessage("\"jpprof.prot\"", () -> parse(null, Map.of("jpprof.prot", "1"), Map.of()));
    assertMessage("\"JPPROF_PROT\"", () -> parse(null, Map.of(), Map.of("JPPROF_PROT", "1")));
    assertMessage("not key=value", () -> parse("port", Map.of(), Map.of()));
  }

  @Test
  void badValuesNameKeyAndValue() {
    assertMessage(
        "\"abc\" for configuration key \"port\"", () -> parse("port=abc", Map.of(), Map.of()));
    assertMessage(
        "\"70000\" for configuration key \"port\"", () -> parse("port=70000", Map.of(), Map.of()));
    assertMessage(
        "\"10\" for configuration key \"cpu.interval\"",
        () -> parse("cpu.interval=10", Map.of(), Map.of()));
    assertMessage(
        "\"0\" for configuration key \"stack.depth\"",
        () -> parse("stack.depth=0", Map.of(), Map.of()));
    assertMessage(
        "\"CPU;rm\" for configuration key \"cpu.event\"",
        () -> parse("cpu.event=CPU;rm", Map.of(), Map.of()));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(part), x.getMessage());
  }
}
