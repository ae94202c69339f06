package isoapp;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.Version;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application that bundles its own Netty 4.1, protobuf-java 3 and Byte Buddy 1.14, older lines
 * than the copies inside the agent. It prints, on stdout, what it sees of each library (versions
 * and the jar each class came from) and what using it gave, then "ready", then keeps serving and
 * allocating until killed. IsolationTest runs it with and without the agent: the lines must be the
 * same.
 */
public final class IsolatedApp {
  private static volatile Object sink;

  private IsolatedApp() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> netty = new TreeMap<>();
    Version.identify().forEach((name, v) -> netty.put(name, v.artifactVersion()));
    System.out.println("netty versions " + netty);
    System.out.println("netty jar " + jarOf(Version.class));
    System.out.println("protobuf jar " + jarOf(Struct.class));
    System.out.println("bytebuddy jar " + jarOf(ByteBuddy.class));
    System.out.println("protobuf version " + bundleVersion(Struct.class));
    System.out.println("bytebuddy version " + bundleVersion(ByteBuddy.class));

    System.out.println("netty http " + serveOnce());
    System.out.println("protobuf " + protobuf());
    System.out.println("bytebuddy " + subclass());
    System.out.println("ready");
    System.out.flush();

    while (true) { // work for the profiles
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 2000; i++) {
        b.append(i);
      }
      sink = b.toString();
      sink = protobuf();
      Thread.sleep(1);
    }
  }

  /** The file name of the jar {@code c} was loaded from. */
  private static String jarOf(Class<?> c) {
    String path = c.getProtectionDomain().getCodeSource().getLocation().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The OSGi Bundle-Version of the jar {@code c} came from (no Implementation-Version there). */
  private static String bundleVersion(Class<?> c) throws Exception {
    try (JarFile jar =
        new JarFile(c.getProtectionDomain().getCodeSource().getLocation().getPath())) {
      return jar.getManifest().getMainAttributes().getValue("Bundle-Version");
    }
  }

  /** Starts a Netty 4.1 HTTP server on loopback, asks it once, returns its status line and body. */
  private static String serveOnce() throws Exception {
    EventLoopGroup group = new NioEventLoopGroup(1);
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(1024),
                            new SimpleChannelInboundHandler<FullHttpRequest>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, FullHttpRequest req) {
                                FullHttpResponse r =
                                    new DefaultFullHttpResponse(
                                        HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.OK,
                                        Unpooled.copiedBuffer("hello " + req.uri(), US_ASCII));
                                r.headers()
                                    .set(
                                        HttpHeaderNames.CONTENT_LENGTH,
                                        r.content().readableBytes());
                                r.headers().set(HttpHeaderNames.CONNECTION, "close");
                                ctx.writeAndFlush(r).addListener(f -> ctx.close());
                              }
                            });
                  }
                })
            .bind(InetAddress.getLoopbackAddress(), 0)
            .sync()
            .channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = s.getOutputStream();
      out.write("GET /app HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), US_ASCII);
      return response.substring(0, response.indexOf("\r\n"))
          + " / "
          + response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  /** A Struct with a Timestamp in it, through bytes and back, and as a DynamicMessage. */
  private static String protobuf() throws Exception {
    Timestamp t = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(5).build();
    Struct s =
        Struct.newBuilder()
            .putFields("name", Value.newBuilder().setStringValue("orders").build())
            .putFields("at", Value.newBuilder().setNumberValue(t.getSeconds()).build())
            .build();
    Struct back = Struct.parseFrom(s.toByteArray());
    DynamicMessage dynamic = DynamicMessage.parseFrom(Struct.getDescriptor(), s.toByteString());
    return back.getFieldsOrThrow("name").getStringValue()
        + " "
        + (long) back.getFieldsOrThrow("at").getNumberValue()
        + " "
        + dynamic.getAllFields().size()
        + " "
        + Timestamp.parseFrom(t.toByteArray()).getNanos();
  }

  /** A Byte Buddy subclass of Object whose toString is fixed. */
  private static String subclass() throws Exception {
    Class<?> c =
        new ByteBuddy(ClassFileVersion.JAVA_V11)
            .subclass(Object.class)
            .name("isoapp.Generated")
            .method(ElementMatchers.named("toString"))
            .intercept(FixedValue.value("made by the app's Byte Buddy"))
            .make()
            .load(IsolatedApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
            .getLoaded();
    return c.getName() + ": " + c.getDeclaredConstructor().newInstance();
  }
}
