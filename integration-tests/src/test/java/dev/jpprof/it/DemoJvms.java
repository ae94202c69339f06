package dev.jpprof.it;

import java.util.HashMap;
import java.util.Map;

/**
 * One demo child JVM per JDK, shared by the tests of a class and closed after them. A JDK whose
 * child failed to start fails every later test at once with the same error, instead of each test
 * waiting for a start of its own.
 */
final class DemoJvms implements AutoCloseable {
  private final Map<Jdk, AgentJvm> jvms = new HashMap<>();
  private final Map<Jdk, Throwable> failures = new HashMap<>();
  private final String agentArgs;

  /** Demo children with the default test configuration (port=0). */
  DemoJvms() {
    this("port=0");
  }

  /** Demo children started with these agent arguments (include port=0). */
  DemoJvms(String agentArgs) {
    this.agentArgs = agentArgs;
  }

  synchronized AgentJvm get(Jdk jdk) {
    Throwable failed = failures.get(jdk);
    if (failed != null) {
      throw new AssertionError("the " + jdk + " child did not start earlier: " + failed, failed);
    }
    AgentJvm jvm = jvms.get(jdk);
    if (jvm == null) {
      try {
        jvm = AgentJvm.on(jdk).agent(agentArgs).main(AgentJvm.DEMO, AgentJvm.DEMO_SECONDS).start();
      } catch (RuntimeException | Error e) {
        failures.put(jdk, e);
        throw e;
      }
      jvms.put(jdk, jvm);
    }
    return jvm;
  }

  @Override
  public synchronized void close() {
    jvms.values().forEach(AgentJvm::close);
    jvms.clear();
  }
}
