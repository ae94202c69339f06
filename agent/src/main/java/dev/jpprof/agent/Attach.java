package dev.jpprof.agent;

import com.sun.tools.attach.VirtualMachine;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code java -jar profiler.jar attach <pid> [key=value,...]}: loads the agent into a running JVM
 * through the Attach API. The target then runs the same start as {@code -javaagent} (agentmain),
 * serves the same endpoints, and publishes its URL in the system property {@link #URL_PROPERTY},
 * which is how this command learns it and how a second attach is told that the agent already runs.
 */
final class Attach {
  /** Set by a serving agent; not under jpprof.*, which is configuration. */
  static final String URL_PROPERTY = "dev.jpprof.url";

  private Attach() {}

  /** Returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2
        || args.length > 3
        || !args[0].equals("attach")
        || !args[1].matches("\\d+")) {
      err.println("usage: java -jar profiler.jar attach <pid> [key=value,...]");
      return 2;
    }
    String pid = args[1];
    String options = args.length == 3 ? args[2] : "";
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(pid);
    } catch (Exception | LinkageError e) {
      err.println(
          "jpprof: cannot attach to "
              + pid
              + ": "
              + AgentLog.describe(e)
              + " (same user as the target? a JDK, not a JRE, with the jdk.attach module?)");
      return 1;
    }
    try {
      String running = vm.getSystemProperties().getProperty(URL_PROPERTY);
      if (running != null) {
        out.println("jpprof: already serving " + running + " in process " + pid);
        return options.trim().isEmpty() ? 0 : applyRunning(vm, options, out, err);
      }
      vm.loadAgent(agentJar().toString(), options);
      for (int i = 0; i < 100; i++) { // the server starts on a thread of its own: up to 10 s
        String url = vm.getSystemProperties().getProperty(URL_PROPERTY);
        if (url != null) {
          out.println("jpprof: serving " + url + " in process " + pid);
          return 0;
        }
        Thread.sleep(100);
      }
      err.println(
          "jpprof: loaded into " + pid + ", but it is not serving; see that process's stderr");
      return 1;
    } catch (Exception | LinkageError e) {
      err.println("jpprof: attach to " + pid + " failed: " + AgentLog.describe(e));
      return 1;
    } finally {
      try {
        vm.detach();
      } catch (Exception e) {
        // The target is gone or stopped listening; nothing left to release here.
      }
    }
  }

  /**
   * Asks the running agent to apply the run-time keys (block.rate, mutex.fraction) and prints what
   * changed, one line a key; 1 when a value was refused.
   */
  private static int applyRunning(
      VirtualMachine vm, String options, PrintStream out, PrintStream err) throws Exception {
    String nonce = Long.toHexString(new java.security.SecureRandom().nextLong());
    vm.loadAgent(agentJar().toString(), RunTimeSettings.args(nonce, options));
    String result = vm.getSystemProperties().getProperty(RunTimeSettings.RESULT_PROPERTY, "");
    if (!result.startsWith(nonce + "\n")) {
      err.println("jpprof: the running agent did not answer; it may be older than this jar");
      return 1;
    }
    int status = 0;
    for (String line : result.substring(nonce.length() + 1).split("\n")) {
      if (line.startsWith("error: ")) {
        err.println("jpprof: " + line);
        status = 1;
      } else if (!line.isEmpty()) {
        out.println("jpprof: " + line);
      }
    }
    return status;
  }

  private static Path agentJar() throws URISyntaxException {
    return Paths.get(Attach.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
