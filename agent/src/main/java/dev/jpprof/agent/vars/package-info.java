/**
 * /debug/vars, Go's expvar for the JVM: {@code cmdline}, {@code memstats} (Go's field names where a
 * JVM value maps, see {@code MemStats}), {@code jvm} (memory pools, collectors, threads, classes,
 * uptime, the agent's counters) and the application's vars ({@link dev.jpprof.Vars}).
 *
 * <pre>
 * curl http://localhost:6060/debug/vars
 * curl -s http://localhost:6060/debug/vars | jq .memstats.HeapAlloc
 * </pre>
 *
 * <p>Entry point: {@link dev.jpprof.agent.vars.VarsPage}.
 */
package dev.jpprof.agent.vars;
