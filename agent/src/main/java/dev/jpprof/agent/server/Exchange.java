package dev.jpprof.agent.server;

import dev.jpprof.agent.Requests;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One request and the one response it will get. Endpoints may answer from any thread, now or after
 * a profiling window; the first response wins and later ones are dropped.
 */
final class Exchange {
  final ChannelHandlerContext ctx;
  final FullHttpRequest request;
  final QueryStringDecoder uri;
  private final BiConsumer<String, FullHttpResponse> sink; // gets the endpoint and response
  private final AtomicBoolean answered = new AtomicBoolean();
  private final List<Runnable> closeHooks = new ArrayList<>(2); // guarded by this
  private boolean closed; // guarded by this

  /** The endpoint-table row that answers, for the request counts; set by routing. */
  private volatile String endpoint = Requests.OTHER;

  Exchange(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      QueryStringDecoder uri,
      BiConsumer<String, FullHttpResponse> sink) {
    this.ctx = ctx;
    this.request = request;
    this.uri = uri;
    this.sink = sink;
  }

  /**
   * Go's FormValue for the query: the first value of {@code name}, or "" when absent. Like Go's
   * url.ParseQuery, a pair that cannot be decoded (a bad %-escape, a semicolon) is skipped and the
   * others still count; Netty's decoder would throw for the whole query instead.
   */
  String param(String name) {
    for (String pair : uri.rawQuery().split("&")) {
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
          return eq < 0 ? "" : decode(pair.substring(eq + 1));
        }
      } catch (IllegalArgumentException e) {
        // A bad escape: Go drops this pair and reads on.
      }
    }
    return "";
  }

  private static String decode(String component) {
    return QueryStringDecoder.decodeComponent(component, StandardCharsets.UTF_8);
  }

  void endpoint(String path) {
    endpoint = path;
  }

  boolean isMethod(HttpMethod method) {
    return request.method().equals(method);
  }

  /** Whether the client is still connected. */
  boolean isOpen() {
    return ctx.channel().isActive();
  }

  /**
   * Runs {@code action} if the connection closes before this exchange is answered (at once if it
   * already has). Hooks live with the exchange, not the channel, so a long keep-alive connection
   * does not collect one listener per request.
   */
  void onClose(Runnable action) {
    synchronized (this) {
      if (!closed) {
        closeHooks.add(action);
        return;
      }
    }
    action.run();
  }

  /** Called by the handler when the connection closes while this exchange is open. */
  void closed() {
    List<Runnable> hooks;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      hooks = new ArrayList<>(closeHooks);
      closeHooks.clear();
    }
    for (Runnable hook : hooks) {
      hook.run();
    }
  }

  /** Sends the response; safe from any thread, only the first call counts. */
  void respond(FullHttpResponse response) {
    if (answered.compareAndSet(false, true)) {
      sink.accept(endpoint, response);
    } else {
      ReferenceCountUtil.release(response);
    }
  }
}
