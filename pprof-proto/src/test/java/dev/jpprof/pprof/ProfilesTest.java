package dev.jpprof.pprof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class ProfilesTest {
  @Test
  void gzipHeaderIsGos() {
    byte[] gz = Profiles.gzip(TestProfiles.cpu());
    byte[] go = {0x1f, (byte) 0x8b, 0x08, 0, 0, 0, 0, 0, 0x04, (byte) 0xff};
    assertArrayEquals(go, Arrays.copyOf(gz, 10));
  }

  @Test
  void compressesAtBestSpeed() {
    Profile p = TestProfiles.heap();
    byte[] gz = Profiles.gzip(p);
    byte[] body = Arrays.copyOfRange(gz, 10, gz.length - 8); // minus header and CRC/size trailer
    assertArrayEquals(deflate(p.toByteArray(), Deflater.BEST_SPEED), body);
  }

  @Test
  void parseReadsUncompressedBytesToo() throws IOException {
    Profile p = TestProfiles.cpu();
    assertEquals(p, Profiles.parse(p.toByteArray()));
  }

  @Test
  void parseRejectsWhatPprofRejects() {
    IOException e = assertThrows(IOException.class, () -> Profiles.parse(new byte[0]));
    assertEquals("empty input file", e.getMessage());
    e = assertThrows(IOException.class, () -> Profiles.parse(new byte[] {(byte) 0xff, 1, 2}));
    assertEquals("unrecognized profile format", e.getMessage().split(":")[0]);
  }

  private static byte[] deflate(byte[] data, int level) {
    Deflater d = new Deflater(level, true);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }
}
