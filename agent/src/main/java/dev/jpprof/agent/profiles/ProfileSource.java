package dev.jpprof.agent.profiles;

import dev.jpprof.pprof.proto.ProfileProto.Profile;

/**
 * A named profile served at /debug/pprof/NAME, the JVM's counterpart of Go's runtime/pprof.Profile:
 * heap, allocs, goroutine, threadcreate, block, mutex. The server does the HTTP protocol
 * (parameters, delta windows, errors, headers); a source only takes snapshots. Snapshots run on a
 * worker thread, never on the event loop, and may block briefly.
 */
public interface ProfileSource {
  /** The count the index page shows next to the name (Go: buckets, records or threads). */
  long count();

  /** The profile as it is now, as protobuf (cumulative; the server computes deltas). */
  Profile snapshot() throws Exception;

  /**
   * The legacy text form for {@code debug} ≠ 0 (Go's WriteTo with debug ≥ 1; goroutine also has
   * debug=2). A source without one returns null and the protobuf is sent instead, as Go does for
   * profiles whose text form does not exist.
   */
  default String text(int debug) throws Exception {
    return null;
  }

  /** Runs for {@code heap?gc=1} before the snapshot: collect garbage and account for it. */
  default void collectGarbage() throws Exception {}
}
