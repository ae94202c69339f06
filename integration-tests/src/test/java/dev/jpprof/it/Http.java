package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw-socket HTTP/1.1 client that returns exactly what the server sent: the status line, every
 * header in order, and the body bytes (de-chunked, never decompressed). java.net.http.HttpClient
 * would follow nothing here but still hides the status line and may merge headers.
 */
public final class Http {
  private Http() {}

  /** {@code GET target}, waiting at most 20 s for the response. */
  public static Response get(int port, String target) {
    return request(port, "GET", target, null, Duration.ofSeconds(20));
  }

  /**
   * Sends one request with {@code Connection: close} and reads one response. {@code body} null
   * means no body; otherwise it is sent with Content-Length and {@code Content-Type:
   * application/octet-stream} (what pprof's symbolizer sends).
   */
  public static Response request(
      int port, String method, String target, byte[] body, Duration timeout) {
    return request(port, method, target, Map.of(), body, timeout);
  }

  /** A request with extra headers; a {@code Host} among them replaces the default one. */
  public static Response request(
      int port, String method, String target, Map<String, String> headers, byte[] body) {
    return request(port, method, target, headers, body, Duration.ofSeconds(60));
  }

  private static Response request(
      int port,
      String method,
      String target,
      Map<String, String> headers,
      byte[] body,
      Duration timeout) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) timeout.toMillis());
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      if (!headers.containsKey("Host")) {
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
      }
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("User-Agent: jpprof-it\r\n");
      head.append("Connection: close\r\n");
      if (body != null) {
        head.append("Content-Type: application/octet-stream\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()), method.equals("HEAD"));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + target + " on port " + port + " failed", e);
    }
  }

  /**
   * Sends {@code request} exactly as given (the bytes of a malformed request, or several pipelined
   * ones) and reads up to {@code count} responses in order, skipping interim 1xx ones. The list is
   * shorter when the server closes the connection first: empty means it answered nothing at all. A
   * {@code HEAD} as the only request reads no body.
   */
  public static List<Response> raw(int port, byte[] request, int count, Duration timeout) {
    List<Response> responses = new ArrayList<>();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      boolean head =
          count == 1
              && new String(request, 0, Math.min(5, request.length), ISO_8859_1).equals("HEAD ");
      while (responses.size() < count) {
        in.mark(1);
        if (in.read() < 0) {
          break; // closed between responses
        }
        in.reset();
        Response r = read(in, head);
        if (r.status() / 100 != 1) {
          responses.add(r);
        }
      }
      return responses;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "raw request on port "
              + port
              + " failed after "
              + responses.size()
              + " responses: "
              + new String(request, ISO_8859_1),
          e);
    }
  }

  private static Response read(InputStream in, boolean head) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("bad status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    List<String[]> headers = new ArrayList<>();
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new IOException("bad header line: " + h);
      }
      headers.add(new String[] {h.substring(0, colon), h.substring(colon + 1).trim()});
    }
    Response r = new Response(statusLine, status, headers, new byte[0]);
    if (head) {
      // Connection: close was asked for, so whatever follows the head is a body sent in error.
      return new Response(statusLine, status, headers, in.readAllBytes());
    }
    if (status == 204 || status == 304 || status / 100 == 1) {
      return r;
    }
    byte[] body;
    String te = r.header("Transfer-Encoding");
    String cl = r.header("Content-Length");
    if (te != null && te.equalsIgnoreCase("chunked")) {
      body = chunked(in);
    } else if (cl != null) {
      body = exactly(in, Integer.parseInt(cl));
    } else {
      body = in.readAllBytes();
    }
    return new Response(statusLine, status, headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
          // Trailers are not used by the agent; skip them.
        }
        return body.toByteArray();
      }
      body.write(exactly(in, size));
      if (!line(in).isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
    }
  }

  private static byte[] exactly(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("body ended after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  /** One CRLF-terminated line, without the CRLF; a bare LF is an error (servers send CRLF). */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed mid-line after: " + b.toString(ISO_8859_1));
      }
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
          throw new IOException("line not ended by CRLF: " + b.toString(ISO_8859_1));
        }
        return new String(bytes, 0, bytes.length - 1, ISO_8859_1);
      }
      b.write(c);
    }
  }

  /** One HTTP response as received. */
  public static final class Response {
    private final String statusLine;
    private final int status;
    private final List<String[]> headers;
    private final byte[] body;

    Response(String statusLine, int status, List<String[]> headers, byte[] body) {
      this.statusLine = statusLine;
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    /** E.g. {@code HTTP/1.1 404 Not Found}. */
    public String statusLine() {
      return statusLine;
    }

    public int status() {
      return status;
    }

    /**
     * The value of a header sent at most once (name case-insensitive), or null if absent.
     *
     * @throws AssertionError if the header was sent more than once
     */
    public String header(String name) {
      List<String> values = headers(name);
      if (values.size() > 1) {
        throw new AssertionError("header " + name + " sent " + values.size() + " times: " + values);
      }
      return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a header, in order. */
    public List<String> headers(String name) {
      List<String> values = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          values.add(h[1]);
        }
      }
      return values;
    }

    /** All headers, names lower-cased, for messages and for checking what is absent. */
    public Map<String, List<String>> headerMap() {
      Map<String, List<String>> map = new LinkedHashMap<>();
      for (String[] h : headers) {
        map.computeIfAbsent(h[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h[1]);
      }
      return map;
    }

    public byte[] body() {
      return body.clone();
    }

    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return statusLine + " " + headerMap() + " (" + body.length + " body bytes)";
    }
  }
}
