package dev.jpprof.agent.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection: the HTTP/1.1 codec with Go-like size limits, whole requests, an
 * idle timer that counts whole requests and responses, then pprof's routing. A connection over the
 * maxConnections cap gets no pipeline: it is closed on accept.
 */
final class PprofInitializer extends ChannelInitializer<Channel> {
  /** Request line limit; longer gets 414. */
  static final int MAX_LINE = 8192;

  /** All headers together; more gets 431. */
  static final int MAX_HEADERS = 16384;

  /** /symbol bodies are short lists of counters; nothing else takes a body. Larger gets 413. */
  static final int MAX_BODY = 64 * 1024;

  private final Routes routes;
  private final Access access;
  private final InFlight inFlight;
  private final long idleNanos;
  private final OpenConnections connections;

  /** No connection cap: for pipelines built one channel at a time (tests). */
  PprofInitializer(Routes routes, Access access, InFlight inFlight, long idleNanos) {
    this(routes, access, inFlight, idleNanos, new OpenConnections(Integer.MAX_VALUE));
  }

  PprofInitializer(
      Routes routes,
      Access access,
      InFlight inFlight,
      long idleNanos,
      OpenConnections connections) {
    this.connections = connections;
    this.routes = routes;
    this.access = access;
    this.inFlight = inFlight;
    this.idleNanos = idleNanos;
  }

  @Override
  protected void initChannel(Channel ch) {
    if (!connections.admit(ch)) {
      // Closed before a byte is read: the client sees the connection end at once.
      ch.close();
      return;
    }
    ch.pipeline()
        .addLast(new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192))
        .addLast(new HttpObjectAggregator(MAX_BODY))
        // After the aggregator, the timer sees whole requests, not bytes: a client that trickles
        // a request a byte at a time is as idle as a silent one (before it, each byte reset it).
        .addLast(new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS))
        .addLast(new PprofHandler(routes, access, inFlight));
  }
}
