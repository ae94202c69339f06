package dev.jpprof.agent.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The libraries the native module puts in the agent jar, read as ELF files: the right machine, no
 * libc or other library needed (one file serves glibc and musl), and exactly our JNI entry points
 * exported. This is what lets the jar load on a distribution we never ran on.
 */
class NativeLibraryTest {
  private static final int EM_X86_64 = 62;
  private static final int EM_AARCH64 = 183;
  private static final Set<String> EXPORTS =
      new TreeSet<>(
          List.of(
              "JNI_OnLoad",
              "Java_dev_jpprof_agent_heap_NativeHeap_start",
              "Java_dev_jpprof_agent_heap_NativeHeap_collect",
              "Java_dev_jpprof_agent_heap_NativeHeap_method",
              "Java_dev_jpprof_agent_heap_NativeHeap_startLine",
              "Java_dev_jpprof_agent_heap_NativeHeap_interval",
              "Java_dev_jpprof_agent_heap_NativeHeap_stats"));

  @Test
  void x64LibraryIsSelfContained() throws IOException {
    check("linux-x64", EM_X86_64);
  }

  /** Built whenever Debian's cross compiler is installed (CI installs it). */
  @Test
  void arm64LibraryIsSelfContainedWhereItCanBeBuilt() throws IOException {
    boolean compiler =
        onPath("aarch64-linux-gnu-gcc") || System.getProperty("os.arch").equals("aarch64");
    byte[] lib = resource("linux-arm64");
    if (compiler) {
      assertNotNull(lib, "aarch64-linux-gnu-gcc is installed but no linux-arm64 library is built");
    }
    if (lib != null) {
      check("linux-arm64", EM_AARCH64);
    }
  }

  @Test
  void platformNames() {
    assertEquals(
        System.getProperty("os.arch").equals("aarch64") ? "linux-arm64" : "linux-x64",
        NativeHeap.platform());
  }

  private static void check(String platform, int machine) throws IOException {
    byte[] bytes = resource(platform);
    assertNotNull(bytes, platform + " library missing from the native module");
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x7f, b.get(0) & 0xff);
    assertEquals("ELF", new String(bytes, 1, 3, "US-ASCII"));
    assertEquals(2, b.get(4), "64-bit");
    assertEquals(1, b.get(5), "little-endian");
    assertEquals(3, b.getShort(16), "ET_DYN (shared object)");
    assertEquals(machine, b.getShort(18), "e_machine");

    long shoff = b.getLong(0x28);
    int shentsize = b.getShort(0x3A);
    int shnum = b.getShort(0x3C);
    List<String> needed = new ArrayList<>();
    Set<String> undefined = new TreeSet<>();
    Set<String> exported = new TreeSet<>();
    boolean sawDynamic = false;
    boolean sawDynsym = false;
    for (int i = 0; i < shnum; i++) {
      int sh = (int) (shoff + (long) i * shentsize);
      int type = b.getInt(sh + 4);
      int offset = (int) b.getLong(sh + 0x18);
      int size = (int) b.getLong(sh + 0x20);
      int link = b.getInt(sh + 0x28);
      int strtab = (int) b.getLong((int) (shoff + (long) link * shentsize) + 0x18);
      if (type == 6) { // SHT_DYNAMIC
        sawDynamic = true;
        for (int e = offset; e + 16 <= offset + size; e += 16) {
          long tag = b.getLong(e);
          if (tag == 0) {
            break;
          }
          if (tag == 1) { // DT_NEEDED
            needed.add(string(bytes, strtab + (int) b.getLong(e + 8)));
          }
        }
      } else if (type == 11) { // SHT_DYNSYM
        sawDynsym = true;
        for (int s = offset + 24; s + 24 <= offset + size; s += 24) { // entry 0 is null
          String name = string(bytes, strtab + b.getInt(s));
          int bind = (b.get(s + 4) & 0xff) >> 4;
          int shndx = b.getShort(s + 6) & 0xffff;
          if (name.isEmpty()) {
            continue;
          }
          if (shndx == 0 && bind != 2) { // undefined and not weak
            undefined.add(name);
          } else if (shndx != 0 && bind == 1) { // defined global
            exported.add(name);
          }
        }
      }
    }
    assertTrue(sawDynamic && sawDynsym, "no dynamic section or symbols");
    assertEquals(List.of(), needed, platform + ": needs no other library (not even libc)");
    assertEquals(Set.of(), undefined, platform + ": every symbol is defined inside");
    assertEquals(EXPORTS, exported, platform + ": exports our JNI entry points only");
  }

  private static String string(byte[] bytes, int at) {
    int end = at;
    while (bytes[end] != 0) {
      end++;
    }
    return new String(bytes, at, end - at, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static byte[] resource(String platform) throws IOException {
    try (InputStream in =
        NativeHeap.class.getResourceAsStream("/dev/jpprof/native/" + platform + "/libjpprof.so")) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, command).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
