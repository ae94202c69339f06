package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentThreadGroup;
import dev.jpprof.agent.Config;
import dev.jpprof.agent.cpu.CpuProfiler;
import dev.jpprof.agent.metrics.MetricsPage;
import dev.jpprof.agent.profiles.ProfileSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP server: one NIO event loop thread for all connections, and a small pool of worker
 * threads for the blocking parts of profiling. All threads are daemons named jpprof-*, so an
 * application whose main returns exits as it would without the agent.
 */
public final class PprofServer {
  private final Config config;
  private final CpuProfiler cpu;
  private final Map<String, ProfileSource> profiles;
  private final Supplier<String> status;
  private final MetricsPage metrics;
  private EventLoopGroup group;
  private ExecutorService workers;
  private final List<Channel> channels = new ArrayList<>();

  /**
   * @param profiles the named profiles (heap, goroutine, ...) by the name they are served at
   */
  public PprofServer(Config config, CpuProfiler cpu, Map<String, ProfileSource> profiles) {
    this(config, cpu, profiles, () -> "");
  }

  /**
   * @param status more engine lines for the index page (allocation sampling, ...)
   */
  public PprofServer(
      Config config,
      CpuProfiler cpu,
      Map<String, ProfileSource> profiles,
      Supplier<String> status) {
    this(
        config,
        cpu,
        profiles,
        status,
        new MetricsPage(
            cpu == null ? () -> "none" : cpu::engineName, () -> MetricsPage.AllocEngine.OFF));
  }

  /**
   * @param metrics the /metrics page, which reads the engines the agent runs
   */
  public PprofServer(
      Config config,
      CpuProfiler cpu,
      Map<String, ProfileSource> profiles,
      Supplier<String> status,
      MetricsPage metrics) {
    this.config = config;
    this.cpu = cpu;
    this.profiles = Map.copyOf(profiles);
    this.status = status;
    this.metrics = metrics;
  }

  /**
   * Binds the configured addresses and returns the first one bound (with the real port when
   * port=0). Refuses, with a message saying what to set, to bind a non-loopback address unless
   * allowRemote=true and a token are configured.
   */
  public synchronized InetSocketAddress start() throws Exception {
    String token = config.token();
    List<InetAddress> addresses = addresses(config.host());
    boolean loopback = addresses.stream().allMatch(InetAddress::isLoopbackAddress);
    if (!loopback && !config.allowRemote()) {
      throw new IllegalArgumentException(
          "host "
              + config.host()
              + " is not a loopback address;"
              + " to serve it set allowRemote=true and a token (token= or tokenFile=)");
    }
    if (!loopback && token.isEmpty()) {
      throw new IllegalArgumentException(
          "allowRemote=true needs a token (token= or tokenFile=):"
              + " refusing to serve "
              + config.host()
              + " without one");
    }
    QuietNettyLogging.install();
    group = new MultiThreadIoEventLoopGroup(1, threads("jpprof-http"), NioIoHandler.newFactory());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads("jpprof-worker"));
    pool.allowCoreThreadTimeOut(true);
    workers = pool;
    try {
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new PprofInitializer(
                      routes(),
                      new Access(token, loopback),
                      new InFlight(config.maxRequests()),
                      config.idleTimeoutNanos(),
                      new OpenConnections(config.maxConnections())));
      Channel first = bootstrap.bind(addresses.get(0), config.port()).sync().channel();
      channels.add(first);
      int port = ((InetSocketAddress) first.localAddress()).getPort();
      for (InetAddress extra : addresses.subList(1, addresses.size())) {
        try {
          channels.add(bootstrap.bind(extra, port).sync().channel());
        } catch (Exception e) {
          // [::1] where the host has no IPv6: 127.0.0.1 alone is the loopback there.
        }
      }
      return (InetSocketAddress) first.localAddress();
    } catch (Exception e) {
      stop();
      throw e;
    }
  }

  /** Daemon threads {@code pool-N-M} in the agent's own thread group (see AgentThreadGroup). */
  private static DefaultThreadFactory threads(String pool) {
    return new DefaultThreadFactory(pool, true, Thread.NORM_PRIORITY, AgentThreadGroup.group());
  }

  /** "loopback" is 127.0.0.1 and [::1]; anything else is one address or name. */
  static List<InetAddress> addresses(String host) throws UnknownHostException {
    if (host.equals("loopback")) {
      return List.of(
          InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}),
          InetAddress.getByAddress(
              "::1", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
    }
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return List.of(InetAddress.getByName(bare));
  }

  /** Closes the port and ends the agent's threads. */
  public synchronized void stop() {
    for (Channel c : channels) {
      c.close().awaitUninterruptibly();
    }
    channels.clear();
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  private Routes routes() {
    Supplier<String> engines =
        () -> {
          String more = status.get();
          return more.isEmpty() ? cpu.describe() : cpu.describe() + "\n" + more;
        };
    return new Routes(
        EndpointTable.rows(cpu, profiles, metrics, new OffLoop(workers), config.maxSeconds()),
        engines,
        config.effective());
  }

  /** The index URL of a bound address, e.g. http://127.0.0.1:6060/debug/pprof/. */
  public static String baseUrl(InetSocketAddress address) {
    if (address.getAddress().isAnyLocalAddress()) {
      // Java reports 0.0.0.0 as the dual-stack [::]; say what was configured.
      return "http://"
          + (address.getAddress() instanceof Inet6Address ? "[::]" : "0.0.0.0")
          + ":"
          + address.getPort()
          + "/debug/pprof/";
    }
    String host = address.getAddress().getHostAddress();
    if (address.getAddress() instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    return "http://" + host + ":" + address.getPort() + "/debug/pprof/";
  }
}
