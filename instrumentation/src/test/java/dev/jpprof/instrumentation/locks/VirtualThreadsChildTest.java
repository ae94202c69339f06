package dev.jpprof.instrumentation.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.locks.VirtualThreadsMain;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual threads (JDK 25 child JVM) contending on a ReentrantLock: block and mutex agree. */
class VirtualThreadsChildTest {
  @TempDir Path dir;

  @Test
  void virtualThreadWaitsAreRecordedThroughTheSameHooks() throws Exception {
    String home = System.getProperty("jdk25.home");
    assertTrue(new File(home, "bin/java").canExecute(), "no JDK at " + home);
    String cp =
        String.join(
            File.pathSeparator,
            location(VirtualThreadsMain.class),
            location(LockProfiler.class),
            location(AgentBuilder.class),
            location(ByteBuddyAgent.class));
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process p =
        new ProcessBuilder(
                List.of(
                    home + "/bin/java",
                    "-XX:+EnableDynamicAgentLoading",
                    "-Djdk.attach.allowAttachSelf=true",
                    "-cp",
                    cp,
                    VirtualThreadsMain.class.getName()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
    String text = Files.readString(out).trim();
    assertEquals(0, p.exitValue(), text + Files.readString(err));
    assertEquals("", Files.readString(err));
    assertTrue(text.startsWith("ok "), text);
    Map<String, Long> v = new HashMap<>();
    for (String kv : text.substring(3).split(" ")) {
      String[] pair = kv.split("=");
      v.put(pair[0], Long.parseLong(pair[1]));
    }
    long waited = v.get("waited");
    assertTrue(v.get("block") <= waited, text);
    assertEquals(waited, v.get("block"), waited * 0.2, text);
    assertTrue(v.get("mutex") <= waited, text);
    assertEquals(waited, v.get("mutex"), waited * 0.2, text);
  }

  private static String location(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation().getPath();
  }
}
