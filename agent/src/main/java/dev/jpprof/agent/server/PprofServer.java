package dev.jpprof.agent.server;

import dev.jpprof.agent.Config;
import dev.jpprof.agent.cpu.CpuProfiler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: one NIO event loop thread for all connections, and a small pool of worker
 * threads for the blocking parts of profiling. All threads are daemons named jpprof-*, so an
 * application whose main returns exits as it would without the agent.
 */
public final class PprofServer {
  private final Config config;
  private final CpuProfiler cpu;
  private final Map<String, ProfileSource> profiles;
  private EventLoopGroup group;
  private ExecutorService workers;
  private Channel channel;

  /** @param profiles the named profiles (heap, goroutine, ...) by the name they are served at */
  public PprofServer(Config config, CpuProfiler cpu, Map<String, ProfileSource> profiles) {
    this.config = config;
    this.cpu = cpu;
    this.profiles = Map.copyOf(profiles);
  }

  /** Binds the configured address and returns the address bound (the real port for port=0). */
  public synchronized InetSocketAddress start() throws InterruptedException {
    QuietNettyLogging.install();
    group = new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("jpprof-http", true), NioIoHandler.newFactory());
    ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DefaultThreadFactory("jpprof-worker", true));
    pool.allowCoreThreadTimeOut(true);
    workers = pool;
    try {
      channel = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new PprofInitializer(routes()))
          .bind(config.host(), config.port())
          .sync()
          .channel();
      return (InetSocketAddress) channel.localAddress();
    } catch (InterruptedException | RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Closes the port and ends the agent's threads. */
  public synchronized void stop() {
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  private Routes routes() {
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    endpoints.put("cmdline", new Cmdline());
    endpoints.put("profile", new CpuProfileEndpoint(cpu, workers));
    endpoints.put("symbol", new Symbol());
    endpoints.put("trace", new TraceEndpoint(workers));
    profiles.forEach((name, source) -> endpoints.put(name, new NamedProfileEndpoint(name, source, workers)));
    return new Routes(endpoints, cpu::describe, config.effective(), new VarsEndpoint(workers));
  }

  /** The index URL of a bound address, e.g. http://127.0.0.1:6060/debug/pprof/. */
  public static String baseUrl(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    if (address.getAddress() instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    return "http://" + host + ":" + address.getPort() + "/debug/pprof/";
  }
}
