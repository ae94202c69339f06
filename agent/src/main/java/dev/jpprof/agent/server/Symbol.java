package dev.jpprof.agent.server;

import dev.jpprof.pprof.FrameAddresses;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/**
 * /debug/pprof/symbol. pprof calls it only for locations without function names: jpprof's protobuf
 * profiles name every frame (has_functions), but the legacy text profiles (goroutine debug=1) carry
 * only addresses, made up per Java frame by {@link FrameAddresses}. Those resolve here, as Go
 * resolves its PCs: the first line is {@code num_symbols: 1}, then {@code 0x<pc> <function>} for
 * each counter that names a function. Counters come from the POST body or, for other methods, the
 * raw query, separated by {@code +}.
 */
final class Symbol implements Endpoint {
  private final FrameAddresses addresses;

  Symbol() {
    this(FrameAddresses.SHARED);
  }

  Symbol(FrameAddresses addresses) {
    this.addresses = addresses;
  }

  @Override
  public void serve(Exchange exchange) {
    String input =
        exchange.isMethod(HttpMethod.POST)
            ? exchange.request.content().toString(StandardCharsets.UTF_8)
            : exchange.uri.rawQuery();
    exchange.respond(Responses.ok(Responses.TEXT, Responses.utf8(answer(input))));
  }

  /** The body for these {@code +}-separated counters. */
  String answer(String input) {
    StringBuilder b = new StringBuilder("num_symbols: 1\n");
    for (String word : input.split("\\+")) {
      long pc = parseUnsigned(word);
      String function = pc == 0 ? null : addresses.function(pc);
      if (function != null) {
        b.append("0x").append(Long.toHexString(pc)).append(' ').append(function).append('\n');
      }
    }
    return b.toString();
  }

  /** Go's strconv.ParseUint(word, 0, 64): 0x hex, leading-0 octal, else decimal; 0 if invalid. */
  static long parseUnsigned(String word) {
    try {
      if (word.startsWith("0x") || word.startsWith("0X")) {
        return Long.parseUnsignedLong(word.substring(2), 16);
      }
      if (word.length() > 1 && word.startsWith("0")) {
        return Long.parseUnsignedLong(word.substring(1), 8);
      }
      return Long.parseUnsignedLong(word); // words never hold '+': it separates them
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
