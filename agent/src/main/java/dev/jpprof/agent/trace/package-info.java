/**
 * /debug/pprof/trace for the JVM: a JFR recording of the requested window with the JDK's {@code
 * profile} settings, since a JVM has no Go execution trace.
 *
 * <pre>
 * curl -o trace.jfr 'http://localhost:6060/debug/pprof/trace?seconds=5'
 * jfr print --events jdk.ExecutionSample trace.jfr
 * jmc trace.jfr      # JDK Mission Control
 * </pre>
 */
package dev.jpprof.agent.trace;
