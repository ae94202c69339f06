package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The seconds rules of /profile, without a profiler: requests that start no window. */
class CpuProfileEndpointTest {
  @Test
  void goDefaultsAreZeroHere() {
    for (String s : new String[] {"", "abc", "-5", "0", "1.5", "0x10", "99999999999999999999"}) {
      assertEquals(0, CpuProfileEndpoint.asked(s), s);
    }
    assertEquals(30, CpuProfileEndpoint.asked("30"));
    assertEquals(1, CpuProfileEndpoint.asked("+1"));
  }

  /** maxSeconds=10: an explicit 30 is refused like 31 (it was trimmed to 10 s silently). */
  @Test
  void anExplicitThirtyOverTheLimitIs400() {
    List<Runnable> started = new ArrayList<>();
    Routes routes =
        new Routes(
            List.of(
                EndpointTable.cpuProfile(
                    new CpuProfileEndpoint(null, new OffLoop(started::add), 10))),
            () -> "e",
            Map.of());
    for (String s : new String[] {"30", "31"}) {
      EmbeddedChannel ch =
          new EmbeddedChannel(
              new PprofInitializer(
                  routes, Access.loopbackOnly(), new InFlight(4), TimeUnit.SECONDS.toNanos(60)));
      ch.writeInbound(
          Unpooled.copiedBuffer(
              "GET /debug/pprof/profile?seconds=" + s + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
              StandardCharsets.ISO_8859_1));
      ch.runPendingTasks();
      ByteBuf out = ch.readOutbound();
      String r = out.toString(StandardCharsets.ISO_8859_1);
      out.release();
      assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), s + ": " + r);
      assertTrue(r.endsWith("\"seconds\" must not exceed 10 (the agent's maxSeconds)\n"), r);
    }
    assertEquals(0, started.size(), "no window was opened");
  }
}
