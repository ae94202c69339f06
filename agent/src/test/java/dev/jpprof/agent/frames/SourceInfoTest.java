package dev.jpprof.agent.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** File names and first lines read from real class files. */
class SourceInfoTest {
  private final SourceInfo.Batch sources = new SourceInfo(null).batch();

  /** Its first line is the line of the {@code return}: what the stack trace reports. */
  static int probe() {
    return new Throwable().getStackTrace()[0].getLineNumber();
  }

  /** Returns its own first line, the one before the {@code return}, plus {@code add}. */
  static int probe(int add) {
    int sum = add;
    return sum + new Throwable().getStackTrace()[0].getLineNumber() - 1;
  }

  static final class Nested {
    static int probe() {
      return new Throwable().getStackTrace()[0].getLineNumber();
    }
  }

  @Test
  void readsSourceFileAndFirstLinesOfOverloads() {
    ClassSource source = sources.get(SourceInfoTest.class.getName());
    assertEquals("SourceInfoTest.java", source.file);
    assertEquals(probe(), source.firstLine("probe", "()I"));
    assertEquals(probe(0), source.firstLine("probe", "(I)I"));
    assertTrue(source.firstLine("probe", "(J)V") > 0, "unknown descriptor: any overload's line");
    assertEquals(0, source.firstLine("noSuchMethod", "()V"));
  }

  @Test
  void nestedClassesUseTheirOwnClassFile() {
    ClassSource nested = sources.get(Nested.class.getName());
    assertEquals("SourceInfoTest.java", nested.file);
    assertEquals(Nested.probe(), nested.firstLine("probe", "()I"));
  }

  @Test
  void jdkClassesAreFound() {
    ClassSource string = sources.get("java.lang.String");
    assertEquals("String.java", string.file);
    assertTrue(string.firstLine("length", "()I") > 0);
  }

  @Test
  void unknownAndHiddenClassesFallBackToTheOuterClassName() {
    ClassSource missing = sources.get("com.example.Missing$Inner");
    assertEquals("Missing.java", missing.file);
    assertEquals(0, missing.firstLine("run", "()V"));
    assertEquals("Demo.java", sources.get("com.example.Demo$$Lambda$14").file);
    assertEquals("Demo.java", sources.get("com.example.Demo$$Lambda").file);
  }

  @Test
  void hiddenClassSuffixesAreDroppedAndSlashesBecomeDots() {
    assertEquals(
        "com.example.Demo$$Lambda$14",
        SourceInfo.javaClassName("com/example/Demo$$Lambda$14/0x0000000800c03000"));
    assertEquals(
        "com.example.Demo$$Lambda", SourceInfo.javaClassName("com/example/Demo$$Lambda/0x01"));
    assertEquals("com.example.Outer$Inner", SourceInfo.javaClassName("com/example/Outer$Inner"));
    assertEquals("Top", SourceInfo.javaClassName("Top"));
    for (String jdkJfr :
        new String[] {"App$$Lambda$19+0x00007fc710003db0.258952499", "App$$Lambda$19+0x7f/12"}) {
      assertEquals("App$$Lambda$19", SourceInfo.javaClassName(jdkJfr));
    }
    assertEquals(
        "com.example.Demo$$Lambda",
        SourceInfo.javaClassName("com/example/Demo$$Lambda.0x00007f9b28001c00"));
    assertEquals(
        "Demo.java",
        SourceInfo.fallbackFile(
            SourceInfo.javaClassName("com/example/Demo$$Lambda.0x00007f9b28001c00")));
  }
}
