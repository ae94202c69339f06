/**
 * The goroutine profile for the JVM: every live thread (platform threads from ThreadMXBean, virtual
 * threads from the JDK's JSON thread dump) grouped by stack as Go groups goroutines, with Go's
 * debug=1 text and debug=2 panic-style dump.
 *
 * <pre>
 * go tool pprof -top http://localhost:6060/debug/pprof/goroutine
 * curl 'http://localhost:6060/debug/pprof/goroutine?debug=1'
 * curl 'http://localhost:6060/debug/pprof/goroutine?debug=2'
 * go tool pprof -top 'http://localhost:6060/debug/pprof/goroutine?seconds=30'   # what changed
 * </pre>
 *
 * <p>Entry point: {@link dev.jpprof.agent.threads.GoroutineSource}.
 */
package dev.jpprof.agent.threads;
