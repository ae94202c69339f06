package dev.jpprof.instrumentation;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads files of the agent jar in premain by opening the jar itself. {@code getResourceAsStream}
 * would first open the JDK's module image to look for the package there and then go through jar:
 * URL connections, ~20–50 ms of the application's start on JDK 25 (BENCHMARKS.md, startup).
 */
public final class AgentJar {
  private AgentJar() {}

  /**
   * The bytes of {@code name} (e.g. {@code dev/jpprof/native/linux-x64/libjpprof.so}) from the jar
   * or directory {@code of} was loaded from; null if there is no such file.
   */
  public static byte[] read(Class<?> of, String name) throws IOException {
    return readAll(of, List.of(name)).get(name);
  }

  /**
   * The bytes of each of {@code names} that exists, with the jar opened once (its central directory
   * is read at every open).
   */
  public static Map<String, byte[]> readAll(Class<?> of, List<String> names) throws IOException {
    Map<String, byte[]> found = new HashMap<>();
    File jar = jarOf(of);
    if (jar == null) { // classes from a directory (unit tests)
      for (String name : names) {
        try (InputStream in = of.getClassLoader().getResourceAsStream(name)) {
          if (in != null) {
            found.put(name, in.readAllBytes());
          }
        }
      }
      return found;
    }
    try (ZipFile zip = new ZipFile(jar)) {
      for (String name : names) {
        ZipEntry entry = zip.getEntry(name);
        if (entry != null) {
          try (InputStream in = zip.getInputStream(entry)) {
            found.put(name, in.readAllBytes());
          }
        }
      }
    }
    return found;
  }

  private static File jarOf(Class<?> of) {
    try {
      CodeSource source = of.getProtectionDomain().getCodeSource();
      URL url = source == null ? null : source.getLocation();
      if (url == null || !url.getProtocol().equals("file") || !url.getPath().endsWith(".jar")) {
        return null;
      }
      return new File(url.toURI());
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return null;
    }
  }
}
