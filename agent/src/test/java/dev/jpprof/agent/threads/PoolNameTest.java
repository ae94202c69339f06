package dev.jpprof.agent.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PoolNameTest {
  @Test
  void poolsOfTheCommonThreadFactories() {
    assertEquals("pool-3", PoolName.of("pool-3-thread-7"));
    assertEquals("ForkJoinPool.commonPool", PoolName.of("ForkJoinPool.commonPool-worker-1"));
    assertEquals("ForkJoinPool-1", PoolName.of("ForkJoinPool-1-worker-12"));
    assertEquals("http-nio-8080-exec", PoolName.of("http-nio-8080-exec-10"));
    assertEquals("nioEventLoopGroup-2", PoolName.of("nioEventLoopGroup-2-1"));
    assertEquals("jpprof", PoolName.of("jpprof-worker-1"));
  }

  @Test
  void namesThatAreNoPool() {
    assertNull(PoolName.of("Thread-4"));
    assertNull(PoolName.of("main"));
    assertNull(PoolName.of("Reference Handler"));
    assertNull(PoolName.of("C2 CompilerThread0"));
    assertNull(PoolName.of(""));
    assertNull(PoolName.of("-1"));
    assertNull(PoolName.of("worker-"));
  }
}
