package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar profiler.jar attach <pid>} loads the agent into a JVM started without it: the
 * same server and endpoints; a second attach says the agent already serves and starts nothing.
 */
class AttachTest {
  private static final Pattern SERVING =
      Pattern.compile(
          "jpprof: serving (http://127\\.0\\.0\\.1:(\\d+)/debug/pprof/) in process \\d+");

  @EveryJdk
  void attachServesOnceAndSaysSoTheSecondTime(Jdk jdk, @TempDir Path dir) throws Exception {
    List<String> target = new ArrayList<>(List.of(jdk.java().toString()));
    target.addAll(jdk.agentFlags());
    // JDK 21+ warns about agents loaded into a running JVM unless the JVM allows it up front.
    if (jdk.feature() >= 21) {
      target.add("-XX:+EnableDynamicAgentLoading");
    }
    target.addAll(
        List.of("-Xmx64m", "-cp", AgentJvm.demoClasses().toString(), AgentJvm.DEMO, "120"));
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process app =
        new ProcessBuilder(target).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      Thread.sleep(500); // the attach listener answers once the JVM is up
      Result first = attach(jdk, app.pid(), "port=0");
      assertEquals(0, first.code, first.text);
      Matcher m = SERVING.matcher(first.text);
      assertTrue(m.find(), first.text);
      int port = Integer.parseInt(m.group(2));

      Http.Response index = Http.get(port, "/debug/pprof/");
      assertEquals(200, index.status(), index::text);
      Http.Response cpu = Http.get(port, "/debug/pprof/profile?seconds=1");
      assertEquals(200, cpu.status(), cpu::text);
      ProfileView.parse(cpu.body()).assertGoConventions();

      Result second = attach(jdk, app.pid(), "port=0");
      assertEquals(0, second.code, second.text);
      assertTrue(second.text.contains("already serving " + m.group(1)), second.text);
      assertTrue(app.isAlive(), "the application runs on");
      assertEquals("", Files.readString(out), "nothing on the application's stdout");
      String stderr = Files.readString(err);
      assertEquals(1, stderr.split("jpprof: serving", -1).length - 1, "one server: " + stderr);
    } finally {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The attach command's exit code and its output (stdout and stderr together). */
  static final class Result {
    final int code;
    final String text;

    Result(int code, String text) {
      this.code = code;
      this.text = text;
    }
  }

  /** Runs {@code java -jar profiler.jar attach <pid> <options>} on {@code jdk}. */
  static Result attach(Jdk jdk, long pid, String options) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                jdk.java().toString(),
                "-jar",
                AgentJvm.agentJar().toString(),
                "attach",
                Long.toString(pid),
                options)
            .redirectErrorStream(true)
            .start();
    byte[] text = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "attach did not finish");
    return new Result(p.exitValue(), new String(text, StandardCharsets.UTF_8));
  }
}
