package dev.jpprof.agent.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Pyroscope's ingest API, one request per profile: {@code POST {url}/ingest?name=app{k=v,...}
 * &from=&until=&spyName=jpprof&sampleRate=} with a multipart/form-data body of a {@code profile}
 * part (gzipped pprof) and, where the type has one, a {@code sample_type_config} part. This is what
 * Pyroscope's Go SDK sends (pyroscope-go upstream/remote). There is deliberately no {@code
 * format=pprof}: Pyroscope's handler then takes the whole body as one raw pprof and never looks for
 * the multipart fields (pkg/ingester/pyroscope/ingest_handler.go), so sample_type_config would be
 * lost.
 *
 * <p>Plain HttpURLConnection on the caller's thread: no client threads of its own, connect and read
 * timeouts, a fresh connection per request ({@code Connection: close}) so nothing is kept open
 * between intervals.
 */
final class Ingest {
  /** The result of one attempt. */
  static final class Outcome {
    /** The HTTP status, or 0 when no answer came (refused, timed out, reset). */
    final int status;

    /** "" on success, else one line saying what went wrong (no credentials). */
    final String error;

    Outcome(int status, String error) {
      this.status = status;
      this.error = error;
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** No answer, 429 or 5xx: worth another try; any other 4xx will fail the same way again. */
    boolean retry() {
      return status == 0 || status == 429 || status >= 500;
    }
  }

  /** Of an error answer's body, the start shown in the last error. */
  private static final int ERROR_BODY_CHARS = 200;

  private final String ingestUrl;
  private final String name;
  private final String authorization;
  private final String tenant;
  private final Map<String, String> headers;
  private final int timeoutMillis;
  private final long sampleRate;

  /**
   * @param url Pyroscope's base URL, no trailing slash
   * @param name the application name with its labels, {@code app{k=v,...}}
   * @param authorization the Authorization header value, or ""
   * @param tenant X-Scope-OrgID, or ""
   * @param sampleRate CPU samples per second, sent with CPU profiles
   */
  Ingest(
      String url,
      String name,
      String authorization,
      String tenant,
      Map<String, String> headers,
      long timeoutNanos,
      long sampleRate) {
    this.ingestUrl = url + "/ingest";
    this.name = name;
    this.authorization = authorization;
    this.tenant = tenant;
    this.headers = headers;
    this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000));
    this.sampleRate = sampleRate;
  }

  /** {@code app{k=v,k=v}}, Pyroscope's name with labels; just {@code app} without labels. */
  static String name(String app, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return app;
    }
    StringJoiner j = new StringJoiner(",", app + "{", "}");
    labels.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  /** The request's URL for this upload. */
  String url(Upload u) {
    StringBuilder q = new StringBuilder(ingestUrl);
    q.append("?name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
    q.append("&from=").append(u.fromSeconds);
    q.append("&until=").append(u.untilSeconds);
    q.append("&spyName=jpprof");
    if (u.type == PushType.CPU) {
      q.append("&sampleRate=").append(sampleRate);
    }
    return q.toString();
  }

  int timeoutMillis() {
    return timeoutMillis;
  }

  /** One attempt, with connect and read timeouts of {@code timeoutMillis}; never throws. */
  Outcome send(Upload u, int timeoutMillis) {
    HttpURLConnection c = null;
    try {
      Multipart body = new Multipart();
      body.file("profile", "profile.pprof", u.gzipped);
      if (u.type.sampleTypeConfig != null) {
        body.file(
            "sample_type_config",
            "sample_type_config.json",
            u.type.sampleTypeConfig.getBytes(StandardCharsets.UTF_8));
      }
      byte[] bytes = body.finish();
      c = (HttpURLConnection) URI.create(url(u)).toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      c.setConnectTimeout(timeoutMillis);
      c.setReadTimeout(timeoutMillis);
      c.setFixedLengthStreamingMode(bytes.length);
      c.setRequestProperty("Content-Type", body.contentType());
      c.setRequestProperty("Connection", "close");
      c.setRequestProperty("User-Agent", "jpprof");
      if (!authorization.isEmpty()) {
        c.setRequestProperty("Authorization", authorization);
      }
      if (!tenant.isEmpty()) {
        c.setRequestProperty("X-Scope-OrgID", tenant);
      }
      headers.forEach(c::setRequestProperty);
      try (OutputStream out = c.getOutputStream()) {
        out.write(bytes);
      }
      int status = c.getResponseCode();
      if (status >= 200 && status < 300) {
        drain(c.getInputStream());
        return new Outcome(status, "");
      }
      return new Outcome(status, "HTTP " + status + " from /ingest" + errorBody(c));
    } catch (IOException | RuntimeException e) {
      // The exception names the host at most, never the query or the credentials.
      return new Outcome(0, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  private static String errorBody(HttpURLConnection c) {
    try (InputStream in = c.getErrorStream()) {
      if (in == null) {
        return "";
      }
      byte[] head = in.readNBytes(ERROR_BODY_CHARS);
      String text = new String(head, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
      return text.isEmpty() ? "" : ": " + text;
    } catch (IOException e) {
      return "";
    }
  }

  /** Reads a success body away (Pyroscope answers empty), at most a little of it. */
  private static void drain(InputStream in) throws IOException {
    try (InputStream body = in) {
      body.readNBytes(4096);
    }
  }
}
