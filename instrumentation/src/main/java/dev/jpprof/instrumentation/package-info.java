/**
 * Byte Buddy transformers and the recorders they call: allocation sampling (heap, allocs), lock
 * waits (block, mutex) and thread creation (threadcreate). Filled in by the issues that add those
 * profiles; the CPU profile comes from async-profiler in the agent module.
 */
package dev.jpprof.instrumentation;
