import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service of bench/service.py, and its load client (two JVMs: only the server gets an agent).
 *
 * <pre>
 *   ServiceMain server PORT THREADS          prints "ready" once it accepts
 *   ServiceMain client PORT CONNECTIONS WARMUP_S WINDOW_S
 *                                            prints "window-start", "window-end", then
 *                                            requests=N, errors=N, wallNs=N
 * </pre>
 *
 * The server (com.sun.net.httpserver, a fixed pool) answers GET /orders?user=N with JSON-ish work
 * typical of a service: it builds the user's orders (records, strings, boxed values), groups them
 * by SKU in a HashMap of ArrayLists, sorts, totals, keeps the last total per user in a
 * ConcurrentHashMap (some long-lived state) and writes a ~3 KB JSON body with a StringBuilder. The
 * client is closed-loop (CONNECTIONS keep-alive sockets, one request in flight on each), so the
 * load is bounded, and counts the answers completed inside the window.
 */
public final class ServiceMain {
  private ServiceMain() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("server")) {
      server(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    } else {
      client(
          Integer.parseInt(args[1]),
          Integer.parseInt(args[2]),
          Double.parseDouble(args[3]),
          Double.parseDouble(args[4]));
    }
  }

  // ---------------------------------------------------------------- server

  static final Map<Integer, Long> LAST_TOTAL = new ConcurrentHashMap<>();
  static final String[] SKUS = {"apple", "pear", "plum", "fig", "kiwi", "lime", "date", "yuzu"};

  static final class Order {
    final long id;
    final String sku;
    final int quantity;
    final long priceCents;
    final List<String> tags;

    Order(long id, String sku, int quantity, long priceCents, List<String> tags) {
      this.id = id;
      this.sku = sku;
      this.quantity = quantity;
      this.priceCents = priceCents;
      this.tags = tags;
    }
  }

  static void server(int port, int threads) throws IOException {
    // Headers and body are separate writes: without TCP_NODELAY each answer waits for the
    // client's delayed ACK (~40 ms), and the benchmark would measure that timer.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "service-worker");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext(
        "/orders",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          String query = exchange.getRequestURI().getRawQuery();
          int user =
              query != null && query.startsWith("user=") ? Integer.parseInt(query.substring(5)) : 0;
          byte[] body = orders(user).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    System.out.println("ready");
    System.out.flush();
  }

  static String orders(int user) {
    List<Order> orders = new ArrayList<>();
    long seed = user * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < 40; i++) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      int r = (int) (seed >>> 33);
      List<String> tags = new ArrayList<>();
      tags.add("u" + user);
      if ((r & 3) == 0) {
        tags.add("gift");
      }
      orders.add(
          new Order(
              user * 1000L + i, SKUS[r & 7], 1 + (r >>> 3 & 7), 100 + (r >>> 6 & 4095), tags));
    }
    Map<String, List<Order>> bySku = new HashMap<>();
    for (Order o : orders) {
      bySku.computeIfAbsent(o.sku, k -> new ArrayList<>()).add(o);
    }
    List<Map.Entry<String, List<Order>>> groups = new ArrayList<>(bySku.entrySet());
    groups.sort(Map.Entry.comparingByKey());
    StringBuilder json = new StringBuilder(4096);
    json.append("{\"user\":").append(user).append(",\"groups\":[");
    long total = 0;
    for (int g = 0; g < groups.size(); g++) {
      List<Order> list = groups.get(g).getValue();
      list.sort(Comparator.comparingLong((Order o) -> o.priceCents).reversed());
      long sum = 0;
      json.append(g == 0 ? "" : ",")
          .append("{\"sku\":\"")
          .append(groups.get(g).getKey())
          .append("\",\"orders\":[");
      for (int i = 0; i < list.size(); i++) {
        Order o = list.get(i);
        sum += o.priceCents * o.quantity;
        json.append(i == 0 ? "" : ",")
            .append("{\"id\":")
            .append(o.id)
            .append(",\"qty\":")
            .append(o.quantity)
            .append(",\"price\":\"")
            .append(String.format("%d.%02d", o.priceCents / 100, o.priceCents % 100))
            .append("\",\"tags\":")
            .append(o.tags)
            .append('}');
      }
      json.append("],\"sum\":").append(sum).append('}');
      total += sum;
    }
    Long previous = LAST_TOTAL.put(user & 1023, total);
    json.append("],\"total\":").append(total).append(",\"previous\":").append(previous).append('}');
    return json.toString();
  }

  // ---------------------------------------------------------------- client

  static void client(int port, int connections, double warmupS, double windowS) throws Exception {
    AtomicBoolean counting = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong requests = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int id = c;
      Thread t = new Thread(() -> load(port, id, counting, stop, requests, errors), "load-" + c);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    Thread.sleep((long) (warmupS * 1000));
    System.out.println("window-start");
    System.out.flush();
    long t0 = System.nanoTime();
    counting.set(true);
    Thread.sleep((long) (windowS * 1000));
    counting.set(false);
    long wall = System.nanoTime() - t0;
    System.out.println("window-end");
    System.out.println("requests=" + requests.get());
    System.out.println("errors=" + errors.get());
    System.out.println("wallNs=" + wall);
    System.out.flush();
    stop.set(true);
  }

  private static void load(
      int port,
      int id,
      AtomicBoolean counting,
      AtomicBoolean stop,
      AtomicLong requests,
      AtomicLong errors) {
    int user = id * 7919;
    while (!stop.get()) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
        while (!stop.get()) {
          user = (user + 1) & 0xffff;
          out.write(
              ("GET /orders?user=" + user + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          readResponse(in);
          if (counting.get()) {
            requests.incrementAndGet();
          }
        }
      } catch (IOException | RuntimeException e) {
        if (counting.get()) {
          errors.incrementAndGet();
        }
      }
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length body; throws unless it is a 200. */
  private static void readResponse(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int length = -1;
    boolean first = true;
    while (true) {
      line.setLength(0);
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new IOException("connection closed");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      if (line.length() == 0) {
        break;
      }
      String h = line.toString();
      if (first && !h.startsWith("HTTP/1.1 200")) {
        throw new IOException("status " + h);
      }
      first = false;
      if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length");
    }
    for (int n = 0; n < length; ) {
      long k = in.skip(length - n);
      if (k <= 0) {
        if (in.read() < 0) {
          throw new IOException("short body");
        }
        k = 1;
      }
      n += (int) k;
    }
  }
}
