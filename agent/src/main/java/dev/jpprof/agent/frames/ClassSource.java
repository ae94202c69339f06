package dev.jpprof.agent.frames;

import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** The source file name of one class and the first line of each of its methods. */
public final class ClassSource {
  /** The source file name, e.g. {@code HashMap.java}. */
  public final String file;

  /** First line by method name + descriptor, and by name alone for callers without one. */
  private final Map<String, Integer> firstLines;

  ClassSource(String file, Map<String, Integer> firstLines) {
    this.file = file;
    this.firstLines = firstLines;
  }

  /** The method's first line, 0 if unknown. Overloads differ by descriptor. */
  public int firstLine(String method, String descriptor) {
    Integer line = firstLines.get(method + descriptor);
    if (line == null) {
      line = firstLines.get(method);
    }
    return line == null ? 0 : line;
  }

  /** Reads SourceFile and LineNumberTable from class bytes; code and frames are skipped. */
  static ClassSource parse(byte[] classBytes, String fallbackFile) {
    Collector collector = new Collector();
    new ClassReader(classBytes).accept(collector, ClassReader.SKIP_FRAMES);
    String file = collector.source != null ? collector.source : fallbackFile;
    return new ClassSource(file, collector.lines);
  }

  private static final class Collector extends ClassVisitor {
    String source;
    final Map<String, Integer> lines = new HashMap<>();

    Collector() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visitSource(String source, String debug) {
      this.source = source;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitLineNumber(int line, Label start) {
          lines.merge(name + descriptor, line, Math::min);
          lines.merge(name, line, Math::min);
        }
      };
    }
  }
}
