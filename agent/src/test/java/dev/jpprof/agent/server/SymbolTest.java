package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpprof.agent.threads.FrameAddresses;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /debug/pprof/symbol names the made-up addresses of the text profiles, as Go names PCs. */
class SymbolTest {
  private final FrameAddresses addresses = new FrameAddresses();

  private String ask(HttpMethod method, String uri, String body) {
    EmbeddedChannel ch = new EmbeddedChannel(new PprofHandler(
        new Routes(Map.of("symbol", new Symbol(addresses)), () -> "e", Map.of()),
        Access.loopbackOnly(), new InFlight(16)));
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    request.headers().set("Host", "localhost:6060");
    ch.writeInbound(request);
    FullHttpResponse r = ch.readOutbound();
    assertEquals(200, r.status().code());
    return r.content().toString(StandardCharsets.UTF_8);
  }

  @Test
  void knownAddressesAreNamedUnknownOnesSkipped() {
    long pc = addresses.pc("com.example.App.work", "App.java", 10);
    long other = addresses.pc("com.example.App.idle", "App.java", 20);
    String expected = "num_symbols: 1\n0x" + Long.toHexString(pc) + " com.example.App.work\n0x"
        + Long.toHexString(other + 1) + " com.example.App.idle\n";
    String words = "0x" + Long.toHexString(pc) + "+junk+0+0x1+" + (other + 1);
    assertEquals(expected, ask(HttpMethod.POST, "/debug/pprof/symbol", words));
    assertEquals(expected, ask(HttpMethod.GET, "/debug/pprof/symbol?" + words, ""));
  }

  @Test
  void countersParseAsGoParsesThem() {
    assertEquals(0x1f, Symbol.parseUnsigned("0x1f"));
    assertEquals(8, Symbol.parseUnsigned("010"));
    assertEquals(100, Symbol.parseUnsigned("100"));
    assertEquals(0, Symbol.parseUnsigned("-1"));
    assertEquals(0, Symbol.parseUnsigned("0x"));
    assertEquals(0, Symbol.parseUnsigned(""));
    assertEquals(-1L, Symbol.parseUnsigned("0xffffffffffffffff"));
  }
}
