package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentLog;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayDeque;
import java.util.Date;

/**
 * Routes one connection's requests as Go's ServeMux and net/http/pprof do. Requests on a
 * connection are answered in order: one that arrives while a profile is still being taken
 * waits (HTTP/1.1 pipelining), while reading continues so that a disconnect is seen at once.
 */
final class PprofHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final String ROOT = "/debug/pprof/";
  private static final String VARS = "/debug/vars";
  private static final int MAX_WAITING = 16;

  private final Routes routes;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private boolean busy;

  PprofHandler(Routes routes) {
    super(false); // requests are released when answered, which may be later
    this.routes = routes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!busy) {
      handle(ctx, request);
    } else if (waiting.size() < MAX_WAITING) {
      waiting.add(request);
    } else {
      request.release();
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    FullHttpRequest r;
    while ((r = waiting.poll()) != null) {
      r.release();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset connection or a broken decoder: nothing to answer
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    busy = true;
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    Exchange exchange = new Exchange(ctx, request, uri, r -> complete(ctx, request, r));
    try {
      route(exchange);
    } catch (Throwable t) {
      AgentLog.failure("request " + uri.path(), t);
      exchange.respond(Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "internal error: " + AgentLog.describe(t)));
    }
  }

  private void route(Exchange ex) {
    if (!ex.request.decoderResult().isSuccess()) {
      ex.respond(Responses.plainError(HttpResponseStatus.BAD_REQUEST, "400 Bad Request"));
      return;
    }
    String path = ex.uri.path();
    String clean = Paths.clean(path);
    if (!clean.equals(path)) {
      ex.respond(Responses.movedPermanently(withQuery(clean, ex.uri.rawQuery())));
      return;
    }
    if (path.equals(VARS) && routes.vars() != null) {
      routes.vars().serve(ex); // Go registers expvar's handler for every method
      return;
    }
    if (!path.startsWith(ROOT) && !path.equals("/debug/pprof")) {
      ex.respond(Responses.plainError(HttpResponseStatus.NOT_FOUND, "404 page not found"));
      return;
    }
    String name = path.length() > ROOT.length() ? path.substring(ROOT.length()) : "";
    boolean read = ex.isMethod(HttpMethod.GET) || ex.isMethod(HttpMethod.HEAD);
    if (!read && !(name.equals("symbol") && ex.isMethod(HttpMethod.POST))) {
      ex.respond(Responses.methodNotAllowed());
      return;
    }
    if (path.equals("/debug/pprof")) {
      ex.respond(Responses.movedPermanently(withQuery(ROOT, ex.uri.rawQuery())));
      return;
    }
    Endpoint endpoint = name.isEmpty() ? routes.index() : routes.get(name);
    if (endpoint == null) {
      ex.respond(Responses.error(HttpResponseStatus.NOT_FOUND, "Unknown profile"));
      return;
    }
    endpoint.serve(ex);
  }

  private static String withQuery(String path, String rawQuery) {
    return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
  }

  /** Writes the response on the event loop, then takes the next waiting request. */
  private void complete(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> complete(ctx, request, response));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.method().equals(HttpMethod.HEAD)) {
      response.content().clear(); // Content-Length stays: what a GET would have sent
    }
    response.headers().set("Date", DateFormatter.format(new Date()));
    HttpUtil.setKeepAlive(response, keepAlive);
    request.release();
    if (!ctx.channel().isActive()) {
      response.release();
      return;
    }
    ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
      if (!keepAlive || !f.isSuccess()) {
        f.channel().close();
        return;
      }
      busy = false;
      FullHttpRequest next = waiting.poll();
      if (next != null) {
        handle(ctx, next);
      }
    });
  }
}
