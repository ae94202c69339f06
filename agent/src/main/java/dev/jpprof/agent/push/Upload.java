package dev.jpprof.agent.push;

/** One profile waiting in the queue: the gzipped pprof bytes and what the ingest request says. */
final class Upload {
  final PushType type;

  /** The interval it covers, in Unix seconds (Pyroscope's from and until). */
  final long fromSeconds;

  final long untilSeconds;

  final byte[] gzipped;

  /** Failed attempts so far. */
  int attempts;

  /** System.nanoTime before which it is not tried again (backoff). */
  long notBefore;

  Upload(PushType type, long fromSeconds, long untilSeconds, byte[] gzipped) {
    this.type = type;
    this.fromSeconds = fromSeconds;
    this.untilSeconds = untilSeconds;
    this.gzipped = gzipped;
  }
}
