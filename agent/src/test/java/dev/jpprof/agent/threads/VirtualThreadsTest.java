package dev.jpprof.agent.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JDK's JSON thread dump, as JDK 25 and JDK 21 write it (trimmed). */
class VirtualThreadsTest {
  private static final String JDK25 =
      "{\"threadDump\": {\"processId\": \"1\", \"threadContainers\": ["
          + "{\"container\": \"<root>\", \"parent\": null, \"owner\": null, \"threads\": ["
          + "{\"tid\": \"3\", \"name\": \"main\", \"state\": \"RUNNABLE\", \"stack\": []},"
          + "{\"tid\": \"23\", \"virtual\": true, \"name\": \"\", \"state\": \"WAITING\","
          + " \"parkBlocker\": {\"object\": \"java.util.concurrent.CountDownLatch$Sync@1a\"},"
          + " \"stack\": [\"java.base\\/java.lang.VirtualThread.park(VirtualThread.java:742)\","
          + " \"app\\/\\/D.lambda$main$0(D.java:8)\"]},"
          + "{\"tid\": \"29\", \"virtual\": true, \"name\": \"v\\u00e9\", \"state\": \"BLOCKED\","
          + " \"blockedOn\": \"java.lang.Object@12468a38\", \"stack\": []}"
          + "], \"threadCount\": \"3\"}, {\"container\": \"x\", \"threads\": [], \"threadCount\": \"0\"}]}}";

  private static final String JDK21 =
      "{\"threadDump\": {\"threadContainers\": [{\"container\": "
          + "\"<root>\", \"threads\": [{\"tid\": \"1\", \"name\": \"main\", \"stack\": []},"
          + "{\"tid\": \"40\", \"name\": \"\", \"stack\": [\"java.base/java.lang.VirtualThread.park(VirtualThread.java:582)\"]}]}]}}";

  @Test
  void jdk25MarksVirtualThreadsAndTheirLocks() {
    List<ThreadSample> threads = VirtualThreads.parse(JDK25, Set.of());
    assertEquals(2, threads.size());
    ThreadSample parked = threads.get(0);
    assertEquals(23, parked.id);
    assertTrue(parked.virtual);
    assertEquals(Thread.State.WAITING, parked.state);
    assertEquals("java.util.concurrent.CountDownLatch$Sync@1a", parked.lock);
    assertEquals("D", parked.stack[1].getClassName());
    assertEquals(8, parked.stack[1].getLineNumber());
    assertEquals("vé", threads.get(1).name);
    assertEquals("java.lang.Object@12468a38", threads.get(1).lock);
  }

  @Test
  void jdk21IsToldApartByThePlatformIds() {
    List<ThreadSample> threads = VirtualThreads.parse(JDK21, Set.of(1L));
    assertEquals(1, threads.size());
    assertEquals(40, threads.get(0).id);
    assertNull(threads.get(0).state);
    assertEquals("chan receive", WaitReason.of(threads.get(0), false));
  }
}
