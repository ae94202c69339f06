package dev.jpprof.agent.push;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A multipart/form-data body (RFC 7578) of file parts, as Go's mime/multipart writes them for
 * Pyroscope: each part with a Content-Disposition naming the field and a file name, and
 * application/octet-stream. The boundary is random, so it cannot occur in gzipped bytes except by a
 * 2^-120 chance.
 */
final class Multipart {
  private final String boundary;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Multipart() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    this.boundary = Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  void file(String field, String filename, byte[] content) {
    ascii(
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + field
            + "\"; filename=\""
            + filename
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    out.writeBytes(content);
    ascii("\r\n");
  }

  /** The whole body, closing delimiter included. */
  byte[] finish() {
    ascii("--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  private void ascii(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
