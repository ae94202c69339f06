package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpprof.pprof.FrameAddresses;
import org.junit.jupiter.api.Test;

/**
 * /debug/pprof/symbol names the made-up addresses of the text profiles, as Go names PCs. (That POST
 * and GET reach it is PprofHandlerTest's; that pprof uses it, GoroutineChildTest's.)
 */
class SymbolTest {
  @Test
  void knownAddressesAreNamedUnknownOnesSkipped() {
    FrameAddresses addresses = new FrameAddresses();
    long pc = addresses.pc("com.example.App.work", 10);
    long other = addresses.pc("com.example.App.idle", 20);
    String expected =
        "num_symbols: 1\n0x"
            + Long.toHexString(pc)
            + " com.example.App.work\n0x"
            + Long.toHexString(other + 1)
            + " com.example.App.idle\n";
    String words = "0x" + Long.toHexString(pc) + "+junk+0+0x1+" + (other + 1);
    assertEquals(expected, new Symbol(addresses).answer(words));
    assertEquals("num_symbols: 1\n", new Symbol(addresses).answer(""));
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
