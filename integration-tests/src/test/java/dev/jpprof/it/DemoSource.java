package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The line numbers of the demo's methods, read from Demo.java itself, so the tests can check that a
 * profile's line numbers point into the right method without hard-coding them.
 */
final class DemoSource {
  private final List<String> lines;

  private DemoSource(List<String> lines) {
    this.lines = lines;
  }

  /** Demo.java, found from {@code jpprof.demoClasses} (= integration-tests/target/classes). */
  static DemoSource load() {
    Path module = AgentJvm.demoClasses().getParent().getParent();
    Path file = module.resolve("src/main/java/dev/jpprof/demo/Demo.java");
    try {
      return new DemoSource(Files.readAllLines(file, UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A method's lines: the declaration and the closing brace, 1-based. */
  static final class Method {
    final int declaration;
    final int end;

    Method(int declaration, int end) {
      this.declaration = declaration;
      this.end = end;
    }

    boolean containsBody(long line) {
      return line > declaration && line < end;
    }

    @Override
    public String toString() {
      return "lines " + declaration + ".." + end;
    }
  }

  /** The method whose declaration line contains {@code " name("} and is not a call. */
  Method method(String name) {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.matches("\\s*(public |private )?static \\w+ " + name + "\\(.*\\{\\s*")) {
        String indent = l.substring(0, l.indexOf(l.trim()));
        for (int j = i + 1; j < lines.size(); j++) {
          if (lines.get(j).equals(indent + "}")) {
            return new Method(i + 1, j + 1);
          }
        }
      }
    }
    throw new AssertionError("no method " + name + " in Demo.java");
  }

  /** 1-based numbers of the lines inside {@code m} that contain {@code text}. */
  List<Integer> linesContaining(Method m, String text) {
    List<Integer> found = new ArrayList<>();
    for (int n = m.declaration + 1; n < m.end; n++) {
      if (lines.get(n - 1).contains(text)) {
        found.add(n);
      }
    }
    return found;
  }
}
