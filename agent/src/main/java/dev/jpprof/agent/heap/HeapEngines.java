package dev.jpprof.agent.heap;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.Config;
import dev.jpprof.instrumentation.alloc.AllocSampler;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the heap engine {@code alloc.engine} names, in two steps: {@link #early} in premain (or
 * agentmain), {@link #late} on the agent's start thread after the server is up.
 *
 * <ul>
 *   <li>{@code auto}, {@code jvmti}: libjpprof early, so that sampling covers the whole run (it
 *       loads in a few milliseconds and rewrites nothing); where it cannot run, JFR late, with the
 *       reason on the index page.
 *   <li>{@code jfr}: late; JFR is not loaded in premain.
 *   <li>{@code bytebuddy}: the load-time rewriting registered early (application classes are
 *       rewritten as they load), the JDK classes already loaded rewritten late.
 * </ul>
 */
public final class HeapEngines {
  private final Config config;
  private final AtomicReference<HeapEngine> engine = new AtomicReference<>();
  private final AtomicBoolean installing = new AtomicBoolean(true);
  private volatile String jvmtiFailure;
  private volatile String failure;

  public HeapEngines(Config config) {
    this.config = config;
  }

  /** The running engine, or null (off, not started yet, or failed). */
  public HeapEngine get() {
    return engine.get();
  }

  /** In premain/agentmain. {@code atStartup}: premain, before any application class loads. */
  public void early(Instrumentation inst, boolean atStartup) {
    if (config.allocRate() == 0) {
      return; // Go's MemProfileRate = 0: heap and allocs stay empty
    }
    String name = config.allocEngine();
    if (name.equals("auto") || name.equals("jvmti")) {
      try {
        engine.set(
            JvmtiHeap.start(
                config.allocRate(),
                config.stackDepth(),
                config.allocMaxBuckets(),
                config.allocMaxLive(),
                config.allocMaxSamplesPerSecond()));
      } catch (RuntimeException | LinkageError e) {
        jvmtiFailure = AgentLog.describe(e);
      }
    } else if (name.equals("bytebuddy") && atStartup) {
      engine.set(installBytecode(inst, false));
    }
  }

  /** On the start thread, after the server: the fallback, JFR, and bytebuddy's JDK classes. */
  public void late(Instrumentation inst, boolean attached) {
    try {
      if (config.allocRate() == 0) {
        return;
      }
      String name = config.allocEngine();
      HeapEngine current = engine.get();
      if (name.equals("bytebuddy")) {
        if (attached) {
          engine.set(installBytecode(inst, true));
        } else if (current instanceof BytecodeHeap) {
          retransformLoaded(((BytecodeHeap) current).sampler());
        }
      } else if (current == null) {
        String why = name.equals("jfr") ? "alloc.engine=jfr" : jvmtiFailure;
        if (jvmtiFailure != null) {
          AgentLog.info(
              "allocation sampling: JVMTI engine unavailable ("
                  + jvmtiFailure
                  + "); using JFR allocation samples (allocs only)");
        }
        startJfr(why);
      }
    } finally {
      installing.set(false);
    }
  }

  private void startJfr(String why) {
    try {
      engine.set(JfrHeap.start(why, config.stackDepth(), config.allocMaxBuckets()));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      failure =
          "JFR allocation samples unavailable too (" + AgentLog.describe(e) + "; JDK 16+ has them)";
      AgentLog.info("allocation sampling off (heap and allocs stay empty): " + failure);
    }
  }

  private BytecodeHeap installBytecode(Instrumentation inst, boolean retransformLoaded) {
    try {
      return new BytecodeHeap(
          AllocSampler.install(
              inst,
              config.allocRate(),
              config.stackDepth(),
              config.allocMaxBuckets(),
              retransformLoaded),
          installing::get);
    } catch (RuntimeException | LinkageError e) {
      failure = AgentLog.describe(e);
      AgentLog.info("allocation sampling off (heap and allocs stay empty): " + failure);
      return null;
    }
  }

  private static void retransformLoaded(AllocSampler sampler) {
    try {
      sampler.retransformLoaded();
    } catch (RuntimeException | LinkageError e) {
      AgentLog.info(
          "allocation sampling: loaded JDK classes not rewritten: " + AgentLog.describe(e));
    }
  }

  /** The index page's line on the allocation engine: what runs and what it could not cover. */
  public String status() {
    HeapEngine e = engine.get();
    if (e != null) {
      return e.status();
    }
    if (config.allocRate() == 0) {
      return "allocation sampling: off (alloc.rate=0)";
    }
    if (failure != null) {
      return "allocation sampling: off: " + failure;
    }
    return installing.get() ? "allocation sampling: starting" : "allocation sampling: off";
  }
}
