package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PathsTest {
  @Test
  void cleansAsGoServeMux() {
    assertEquals("/debug/pprof/", Paths.clean("/debug/pprof/"));
    assertEquals("/debug/pprof", Paths.clean("/debug/pprof"));
    assertEquals("/debug/pprof/heap", Paths.clean("/debug//pprof/./heap"));
    assertEquals("/etc/passwd", Paths.clean("/debug/pprof/../../etc/passwd"));
    assertEquals("/", Paths.clean("/../.."));
    assertEquals("/", Paths.clean(""));
    assertEquals("/a/", Paths.clean("/a/b/../"));
  }
}
