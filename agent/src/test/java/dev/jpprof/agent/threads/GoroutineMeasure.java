package dev.jpprof.agent.threads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time and memory to serve goroutine with 10 000 threads. Slow and noisy on a shared machine, so it
 * runs only when asked: {@code mvn ... -Dtest=GoroutineMeasure
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GoroutineMeasure {
  @TempDir Path dir;

  @Test
  void tenThousandPlatformThreads() throws Exception {
    System.err.println("JDK here, 10000 platform:\n" + run(ChildJvm.JDK_HERE, "10000", "0"));
  }

  @Test
  void tenThousandVirtualThreadsOnJdk25() throws Exception {
    assertTrue(Files.isExecutable(ChildJvm.JDK25.resolve("bin/java")), "no JDK 25");
    System.err.println("JDK 25, 10000 virtual:\n" + run(ChildJvm.JDK25, "0", "10000"));
  }

  private String run(Path jdk, String platform, String virtual) throws Exception {
    Path err = dir.resolve("measure.err");
    Process p =
        new ProcessBuilder(
                jdk.resolve("bin/java").toString(),
                "-Xss256k",
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                MeasureChild.class.getName(),
                platform,
                virtual)
            .redirectError(err.toFile())
            .redirectOutput(dir.resolve("measure.out").toFile())
            .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "measurement did not finish");
    String text = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
    assertTrue(text.contains("MEASURED"), text);
    return text;
  }
}
