package dev.jpprof.demo;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * A frame whose names are HTML, for the UI's test that frame names are shown as text: the class
 * {@code <img src=x onerror=alert(1)>} (default package) from the source file {@code
 * <script>alert(1)</script>}. The JVM allows {@code <}, {@code >}, spaces and parentheses in a
 * class name, and anything in a SourceFile attribute; Java source allows neither, so the class is
 * {@link HostileSpin}'s bytes with those two names swapped in, defined by a loader of its own
 * (which also answers its class file, so the agent reads the source file from it as from any
 * class).
 */
final class HostileFrame {
  static final String CLASS = "<img src=x onerror=alert(1)>";
  static final String SOURCE = "<script>alert(1)</script>";

  private HostileFrame() {}

  /** An instance of the renamed class: its applyAsLong burns CPU under the hostile names. */
  static LongUnaryOperator load() {
    try {
      byte[] template;
      try (InputStream in = HostileFrame.class.getResourceAsStream("HostileSpin.class")) {
        template = in.readAllBytes();
      }
      byte[] bytes =
          renamed(
              template,
              Map.of(
                  HostileSpin.class.getName().replace('.', '/'),
                  CLASS,
                  "HostileFrame.java",
                  SOURCE));
      Class<?> c = new Loader(bytes).loadClass(CLASS);
      java.lang.reflect.Constructor<?> init = c.getDeclaredConstructor();
      init.setAccessible(true);
      return (LongUnaryOperator) init.newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Defines the one class from its bytes and answers them as its class file. */
  private static final class Loader extends ClassLoader {
    private final byte[] bytes;

    Loader(byte[] bytes) {
      super(HostileFrame.class.getClassLoader());
      this.bytes = bytes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      if (!name.equals(CLASS)) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(null, bytes, 0, bytes.length);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      return name.equals(CLASS + ".class")
          ? new java.io.ByteArrayInputStream(bytes)
          : super.getResourceAsStream(name);
    }
  }

  /**
   * The class file with its Utf8 constants replaced where they equal a key of {@code names} (JVMS
   * §4.4: the constant pool is the only place a name is spelled).
   */
  static byte[] renamed(byte[] classFile, Map<String, String> names) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + 64);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(in.readInt()); // magic
    out.writeInt(in.readInt()); // minor, major
    int count = in.readUnsignedShort();
    out.writeShort(count);
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      out.writeByte(tag);
      if (tag == 1) { // Utf8
        String s = in.readUTF();
        out.writeUTF(names.getOrDefault(s, s));
        continue;
      }
      int size;
      switch (tag) {
        case 7: // Class
        case 8: // String
        case 16: // MethodType
        case 19: // Module
        case 20: // Package
          size = 2;
          break;
        case 15: // MethodHandle
          size = 3;
          break;
        case 5: // Long
        case 6: // Double
          size = 8;
          i++; // takes two entries
          break;
        default: // Integer, Float, the refs, NameAndType, (Invoke)Dynamic
          size = 4;
      }
      out.write(in.readNBytes(size));
    }
    out.write(in.readAllBytes()); // the rest refers to constants by index
    return bytes.toByteArray();
  }
}

/** The code of the hostile class; its names are replaced when it is loaded (see HostileFrame). */
final class HostileSpin implements LongUnaryOperator {
  @Override
  public long applyAsLong(long seed) {
    long x = seed | 1;
    for (int i = 0; i < Demo.UNIT / 4; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }
}
