package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.Requests;
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
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.Date;

/**
 * One connection's requests: the guards Go's server applies before any handler (unreadable
 * requests, protocol version, Host and token, path cleaning; docs/protocol.md §2), then the
 * endpoint table ({@link Routes}). Requests on a connection are answered in order: one that arrives
 * while a profile is still being taken waits (HTTP/1.1 pipelining), while reading continues so that
 * a disconnect is seen at once.
 */
final class PprofHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  /** Waiting requests at which reading pauses. */
  private static final int MAX_WAITING = 16;

  /** Requests one read may still decode after the pause; beyond that the connection closes. */
  private static final int MAX_BUFFERED = 256;

  private final Routes routes;
  private final Access access;
  private final InFlight inFlight;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private Exchange current; // the request being answered, null between requests

  PprofHandler(Routes routes, Access access, InFlight inFlight) {
    super(false); // requests are released when answered, which may be later
    this.routes = routes;
    this.access = access;
    this.inFlight = inFlight;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (current == null) {
      handle(ctx, request);
    } else if (waiting.size() < MAX_BUFFERED) {
      waiting.add(request);
      if (waiting.size() >= MAX_WAITING) {
        // Stop reading until the queue drains: the client waits, as TCP makes it. (Closing here
        // dropped every answer, even the profile's.) A disconnect is then seen at the next write.
        ctx.channel().config().setAutoRead(false);
      }
    } else {
      // Only requests already decoded from one read get here; that many is not a client.
      request.release();
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) {
      current.closed(); // ends a profile window the client no longer waits for
    }
    FullHttpRequest r;
    while ((r = waiting.poll()) != null) {
      r.release();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && current == null) {
      ctx.close(); // idle between requests; a request in flight (a profile) is never cut
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset connection or a broken decoder: nothing to answer
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    RequestTarget target = RequestTarget.parse(request.uri());
    QueryStringDecoder uri = new QueryStringDecoder(target == null ? "/" : target.originForm);
    boolean admitted = inFlight.enter();
    Runnable leave = admitted ? once(inFlight::leave) : () -> {};
    Exchange exchange =
        new Exchange(
            ctx,
            request,
            uri,
            (endpoint, r) -> {
              leave.run();
              complete(ctx, request, endpoint, r);
            });
    exchange.onClose(leave);
    current = exchange;
    try {
      if (!admitted) {
        exchange.respond(
            Responses.error(
                HttpResponseStatus.SERVICE_UNAVAILABLE,
                "Service Unavailable: "
                    + inFlight.max()
                    + " requests are in flight already"
                    + " (maxRequests); try again later"));
        return;
      }
      guard(exchange, target);
    } catch (Throwable t) {
      AgentLog.failure("request", t);
      exchange.respond(
          Responses.error(
              HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + AgentLog.describe(t)));
    }
  }

  private void guard(Exchange ex, RequestTarget target) {
    if (!ex.request.decoderResult().isSuccess()) {
      ex.respond(decoderError(ex.request.decoderResult().cause()));
      return;
    }
    if (ex.request.protocolVersion().majorVersion() != 1) {
      // Netty parses "HTTP/2.0" as a version like any other; Go refuses all but 1.x.
      ex.respond(
          Responses.serverError(
              HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "unsupported protocol version"));
      return;
    }
    String path = target == null ? null : decodedPath(ex.uri);
    if (path == null) {
      ex.respond(Responses.badRequest());
      return;
    }
    FullHttpResponse refused = access.check(ex.request, target.host);
    if (refused != null) {
      ex.respond(refused);
      return;
    }
    String clean = Paths.clean(path);
    if (!clean.equals(path)) {
      ex.respond(Responses.movedPermanently(withQuery(clean, ex.uri.rawQuery())));
      return;
    }
    routes.route(ex, path);
  }

  /** Go's server-level answers to requests it cannot read: a line or headers over the limits. */
  private static FullHttpResponse decoderError(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Responses.serverError(HttpResponseStatus.REQUEST_URI_TOO_LONG, null);
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Responses.serverError(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, null);
    }
    return Responses.badRequest();
  }

  private static Runnable once(Runnable action) {
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        action.run();
      }
    };
  }

  /** The %-decoded path, or null when it cannot be decoded (a bad escape). */
  private static String decodedPath(QueryStringDecoder uri) {
    try {
      return uri.path();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String withQuery(String path, String rawQuery) {
    return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
  }

  /**
   * Writes the response on the event loop, then takes the next waiting request. Every response
   * passes here once: it is counted here, by endpoint and status, with the body bytes sent.
   */
  private void complete(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      String endpoint,
      FullHttpResponse response) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> complete(ctx, request, endpoint, response));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !Responses.closes(response);
    if (request.method().equals(HttpMethod.HEAD)) {
      response.content().clear(); // Content-Length stays: what a GET would have sent
    }
    Requests.answered(endpoint, response.status().code(), response.content().readableBytes());
    response.headers().set("Date", DateFormatter.format(new Date()));
    HttpUtil.setKeepAlive(response, keepAlive);
    request.release();
    if (!ctx.channel().isActive()) {
      response.release();
      return;
    }
    ctx.writeAndFlush(response)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!keepAlive || !f.isSuccess()) {
                    f.channel().close();
                    return;
                  }
                  current = null;
                  FullHttpRequest next = waiting.poll();
                  if (waiting.size() < MAX_WAITING && !ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(true);
                  }
                  if (next != null) {
                    handle(ctx, next);
                  }
                });
  }
}
