package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures what the agent adds to JVM start: the time from launching {@link Idle} to its main()
 * without the agent, and to the agent's serving line (and to main) with it. Not a test: timing on a
 * shared machine is for reading, not asserting. Run after {@code mvn verify}:
 *
 * <pre>
 * java -Djpprof.agentJar=agent/target/profiler.jar -Djpprof.jdk25=/usr/lib/jvm/temurin-25-jdk-amd64 \
 *   -cp integration-tests/target/test-classes dev.jpprof.it.StartupTime [runs]
 * </pre>
 */
public final class StartupTime {
  private StartupTime() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Path agent = Paths.get(System.getProperty("jpprof.agentJar")).toAbsolutePath();
    String classes =
        Paths.get(StartupTime.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    for (Jdk jdk : Jdk.all()) {
      List<Long> bare = new ArrayList<>();
      List<Long> serving = new ArrayList<>();
      List<Long> agentMain = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        bare.add(run(jdk, null, classes)[1]);
        long[] withAgent = run(jdk, agent, classes);
        serving.add(withAgent[0]);
        agentMain.add(withAgent[1]);
      }
      System.out.printf(
          "%s, %d runs, median ms: no agent: to main %d | agent: to serving line %d, to main %d%n",
          jdk, runs, median(bare), median(serving), median(agentMain));
      System.out.printf("  raw: bare %s serving %s main %s%n", bare, serving, agentMain);
    }
  }

  /** Returns {ms to serving line or -1, ms to "main"}. */
  private static long[] run(Jdk jdk, Path agent, String classes)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(jdk.java().toString());
    cmd.addAll(jdk.agentFlags());
    if (agent != null) {
      cmd.add("-javaagent:" + agent + "=port=0");
    }
    cmd.add("-cp");
    cmd.add(classes);
    cmd.add(Idle.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    long start = System.nanoTime();
    Process p = pb.start();
    long serving = -1;
    long main = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (AgentJvm.SERVING.matcher(line).matches()) {
          serving = ms;
        } else if (line.equals("main")) {
          main = ms;
        }
        if (main >= 0 && (agent == null || serving >= 0)) {
          break;
        }
      }
    }
    p.destroy();
    p.waitFor();
    return new long[] {serving, main};
  }

  private static long median(List<Long> xs) {
    List<Long> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
