package dev.jpprof.pprof;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Encoding and decoding of whole profiles, as pprof clients read them. */
public final class Profiles {
  private Profiles() {}

  /**
   * Gzips the serialized profile at BestSpeed, as Go's runtime/pprof does. The 10-byte header is
   * Go's too: {@code 1f 8b 08 00 00000000 04 ff} (no name, no time, "fastest", unknown OS).
   */
  public static byte[] gzip(Profile profile) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(profile.getSerializedSize() / 2 + 64);
    try (GZIPOutputStream gz = new FastGzip(out)) {
      profile.writeTo(gz);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: in-memory stream
    }
    byte[] bytes = out.toByteArray();
    // Java writes extra flags 0, and OS 0 before JDK 16; Go writes 4 ("fastest") and 255
    // ("unknown"). No checksum covers these two bytes.
    bytes[8] = 4;
    bytes[9] = (byte) 0xff;
    return bytes;
  }

  /** Decodes a profile, gunzipping first when the bytes start with the gzip magic, as pprof. */
  public static Profile parse(byte[] bytes) throws IOException {
    if (bytes.length == 0) {
      throw new IOException("empty input file");
    }
    byte[] raw = bytes;
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        raw = in.readAllBytes();
      }
    }
    try {
      return Profile.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("unrecognized profile format: " + e.getMessage(), e);
    }
  }

  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(ByteArrayOutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
