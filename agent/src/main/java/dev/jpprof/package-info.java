/**
 * jpprof's API for applications: {@link dev.jpprof.Vars}, Go's expvar.Publish for {@code
 * /debug/vars}. Everything else in the agent jar is internal.
 */
package dev.jpprof;
