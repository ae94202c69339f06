package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.metrics.MetricsPage;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics through the handler: Prometheus' content type, and a failure inside as a 500 text. */
class MetricsEndpointTest {
  private static FullHttpResponse get(MetricsPage page, HttpMethod method) {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new PprofHandler(
                new Routes(
                    List.of(EndpointTable.metrics(page, new OffLoop(Runnable::run))),
                    () -> "e",
                    Map.of()),
                Access.loopbackOnly(),
                new InFlight(16)));
    FullHttpRequest r =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/metrics", Unpooled.EMPTY_BUFFER);
    r.headers().set("Host", "127.0.0.1:6060");
    ch.writeInbound(r);
    ch.runPendingTasks();
    return ch.readOutbound();
  }

  @Test
  void answersPrometheusTextFormat() {
    FullHttpResponse r =
        get(new MetricsPage(() -> "jfr", () -> MetricsPage.AllocEngine.OFF), HttpMethod.GET);
    assertEquals(200, r.status().code());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().get("Content-Type"));
    assertTrue(
        r.content().toString(StandardCharsets.UTF_8).contains("jpprof_engine_info{"),
        r.content().toString(StandardCharsets.UTF_8));
  }

  @Test
  void postIsRefused() {
    FullHttpResponse r =
        get(new MetricsPage(() -> "jfr", () -> MetricsPage.AllocEngine.OFF), HttpMethod.POST);
    assertEquals(405, r.status().code());
  }

  @Test
  void aFailureInsideIs500Text() {
    MetricsPage broken =
        new MetricsPage(
            () -> {
              throw new IllegalStateException("engine gone");
            },
            () -> MetricsPage.AllocEngine.OFF);
    FullHttpResponse r = get(broken, HttpMethod.GET);
    assertEquals(500, r.status().code());
    assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
    assertEquals(
        "failed to collect metrics: engine gone\n", r.content().toString(StandardCharsets.UTF_8));
  }
}
