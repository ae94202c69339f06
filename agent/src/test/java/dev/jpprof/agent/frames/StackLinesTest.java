package dev.jpprof.agent.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StackLinesTest {
  @Test
  void moduleAndLine() {
    StackTraceElement e =
        StackLines.parse("java.base/java.lang.VirtualThread.park(VirtualThread.java:742)");
    assertEquals("java.lang.VirtualThread", e.getClassName());
    assertEquals("park", e.getMethodName());
    assertEquals("VirtualThread.java", e.getFileName());
    assertEquals(742, e.getLineNumber());
  }

  @Test
  void loaderWithoutModule() {
    StackTraceElement e = StackLines.parse("app//com.example.Main$Worker.run(Main.java:12)");
    assertEquals("com.example.Main$Worker", e.getClassName());
    assertEquals("run", e.getMethodName());
    assertEquals(12, e.getLineNumber());
  }

  @Test
  void nativeUnknownAndHidden() {
    StackTraceElement n = StackLines.parse("java.base/java.lang.Object.wait0(Native Method)");
    assertTrue(n.isNativeMethod());
    assertNull(n.getFileName());
    StackTraceElement u = StackLines.parse("D$$Lambda/0x000001c4.run(Unknown Source)");
    assertEquals("D$$Lambda/0x000001c4", u.getClassName());
    assertEquals("run", u.getMethodName());
    assertEquals(-1, u.getLineNumber());
    StackTraceElement f = StackLines.parse("a.B.c(B.java)");
    assertEquals("B.java", f.getFileName());
    assertEquals(-1, f.getLineNumber());
  }

  @Test
  void roundTripsTheJdksOwnText() {
    StackTraceElement here = new Throwable().getStackTrace()[0];
    StackTraceElement back = StackLines.parse(here.toString());
    assertEquals(here.getClassName(), back.getClassName());
    assertEquals(here.getMethodName(), back.getMethodName());
    assertEquals(here.getFileName(), back.getFileName());
    assertEquals(here.getLineNumber(), back.getLineNumber());
  }
}
