package dev.jpprof.agent.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline of one connection: HTTP/1.1 codec, whole requests, then pprof's routing. */
final class PprofInitializer extends ChannelInitializer<SocketChannel> {
  /** /symbol bodies are short lists of counters; nothing else takes a body. */
  private static final int MAX_BODY = 64 * 1024;

  private final Routes routes;

  PprofInitializer(Routes routes) {
    this.routes = routes;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast(new HttpServerCodec(4096, 8192, 8192))
        .addLast(new HttpObjectAggregator(MAX_BODY))
        .addLast(new PprofHandler(routes));
  }
}
