/**
 * The CPU engine behind {@code /debug/pprof/profile}: async-profiler samples (perf_events where
 * allowed, else itimer or ctimer) read back from JFR and served as Go-shaped pprof profiles, with
 * Java source files, first lines and inlined frames. Where async-profiler cannot run, the JDK's own
 * Flight Recorder execution samples feed the same profile ({@code cpu.engine=auto|jfr}).
 *
 * <pre>
 * go tool pprof http://localhost:6060/debug/pprof/profile?seconds=30
 * curl -o cpu.pb.gz 'http://localhost:6060/debug/pprof/profile?seconds=10'
 * go tool pprof -top -lines cpu.pb.gz
 * </pre>
 *
 * <p>Entry point: {@link dev.jpprof.agent.cpu.CpuProfiler}.
 */
package dev.jpprof.agent.cpu;
