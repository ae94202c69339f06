package dev.jpprof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.server.PprofServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A port in use: one clear stderr line, then nothing served, or retried when configured. */
class PortInUseTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream realErr;

  @BeforeEach
  void captureStderr() {
    realErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(realErr);
  }

  private List<String> lines() {
    String s = err.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }

  private static Config config(String args) {
    return Config.parse(args, Map.of(), Map.of());
  }

  /** The real server on a port another socket holds: Netty's failure is a BindException. */
  @Test
  void aPortInUseIsOneClearLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Config config = config("port=" + port);
      CpuProfiler cpu = new CpuProfiler("cpu", 10_000_000L, 128, null);
      PprofServer server = new PprofServer(config, cpu, Map.of());
      assertNull(AgentStart.bind(config, server::start, 1));
      assertEquals(1, lines().size(), "one line: " + lines());
      String line = lines().get(0);
      assertTrue(
          line.startsWith("jpprof: not serving: port " + port + " is in use on loopback"), line);
      assertTrue(line.contains("bindRetries="), "says what to set: " + line);
      server.stop();
    }
  }

  @Test
  void bindRetriesTriesAgainUntilThePortIsFree() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    InetSocketAddress bound =
        AgentStart.bind(
            config("port=6060,bindRetries=5"),
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new java.net.BindException("Address already in use");
              }
              return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6060);
            },
            1);
    assertNotNull(bound);
    assertEquals(3, attempts.get());
    assertEquals(
        List.of(
            "jpprof: port 6060 is in use on loopback (another process listens there); retrying every"
                + " second, up to 5 times (bindRetries)"),
        lines(),
        "then the caller's serving line");
  }

  @Test
  void bindRetriesGivesUpWithOneMoreLine() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    assertNull(
        AgentStart.bind(
            config("bindRetries=2"),
            () -> {
              attempts.incrementAndGet();
              throw new java.net.BindException("Address already in use");
            },
            1));
    assertEquals(3, attempts.get(), "the first try and two retries");
    assertEquals(2, lines().size(), lines().toString());
    assertTrue(lines().get(1).endsWith("gave up after 2 retries (bindRetries)"), lines().get(1));
  }

  @Test
  void bindRetriesIsValidated() {
    assertEquals(0, config("").bindRetries());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> config("bindRetries=-1"));
    assertTrue(e.getMessage().contains("bindRetries"), e.getMessage());
  }
}
