package dev.jpprof.instrumentation.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * BootstrapHooks.CLASSES is the whole dev.jpprof.bootstrap package: a hook class missing from it
 * would be loaded by the agent's loader as a second copy (instrumentation/NOTES.md, "Shape").
 */
class BootstrapHooksTest {
  @Test
  void theClassListIsThePackage() throws IOException, URISyntaxException {
    Path dir =
        Path.of(
                dev.jpprof.bootstrap.HookGuard.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI())
            .resolve("dev/jpprof/bootstrap");
    Set<String> compiled;
    try (Stream<Path> files = Files.list(dir)) {
      compiled =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
              .map(n -> "dev.jpprof.bootstrap." + n.substring(0, n.length() - ".class".length()))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(compiled, new TreeSet<>(BootstrapHooks.CLASSES));
  }

  /** Definition order: a nested class before its outer class, a listener before its hook. */
  @Test
  void usedClassesComeFirst() {
    List<String> order = BootstrapHooks.CLASSES;
    for (String name : order) {
      int dollar = name.indexOf('$');
      if (dollar > 0) {
        assertTrue(order.indexOf(name) < order.indexOf(name.substring(0, dollar)), name);
      }
      if (name.endsWith("Hook")) {
        String listener = name.substring(0, name.length() - "Hook".length()) + "Listener";
        assertTrue(order.indexOf(listener) < order.indexOf(name), name);
      }
    }
    assertEquals("dev.jpprof.bootstrap.AgentThreads", order.get(0));
  }
}
