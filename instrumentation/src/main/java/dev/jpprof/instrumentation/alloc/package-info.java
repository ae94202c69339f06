/**
 * Allocation sampling for the {@code heap} and {@code allocs} profiles, the Go way: every
 * allocation charges a per-thread byte countdown, and the allocation that crosses zero (on average
 * one per {@code rate} bytes, exponentially spaced) is recorded with its stack; a weak reference to
 * it counts its free. What a user types once the agent serves it:
 *
 * <pre>
 * go tool pprof http://localhost:6060/debug/pprof/heap          # in-use space
 * go tool pprof -sample_index=alloc_space http://localhost:6060/debug/pprof/allocs
 * curl -s 'http://localhost:6060/debug/pprof/heap?gc=1' &gt; heap.pb.gz
 * </pre>
 *
 * <p>{@link dev.jpprof.instrumentation.alloc.AllocSampler} is the entry point; see {@code
 * instrumentation/NOTES.md} for what it costs.
 */
package dev.jpprof.instrumentation.alloc;
