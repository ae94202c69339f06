package dev.jpprof.agent.cpu;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.lang.instrument.Instrumentation;

/**
 * PLACEHOLDER until the async-profiler engine (branch cpu) is merged: it refuses every window,
 * so /debug/pprof/profile answers 500 "Could not enable CPU profiling". The public API is the
 * contract the server codes against.
 */
public final class CpuProfiler {
  public CpuProfiler(String event, long intervalNanos, int stackDepth, Instrumentation inst) {}

  public Window open() throws CpuProfilerException {
    throw new CpuProfilerException("CPU engine not built yet");
  }

  public String describe() {
    return "none yet";
  }

  /** One profiling window. */
  public final class Window {
    public Profile finish() throws CpuProfilerException {
      throw new CpuProfilerException("CPU engine not built yet");
    }

    public void cancel() {}
  }
}
