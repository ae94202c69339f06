package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.pprof.ProfileMerge;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Go's handler for a named profile (net/http/pprof handler.ServeHTTP and serveDeltaProfile):
 * {@code seconds=N} answers the difference of two snapshots N seconds apart; {@code gc=1} on
 * heap collects first; {@code debug} ≠ 0 answers the legacy text form; otherwise the protobuf.
 */
final class NamedProfileEndpoint implements Endpoint {
  /** Go's profileSupportsDelta. */
  static final Set<String> SUPPORTS_DELTA =
      Set.of("allocs", "block", "goroutine", "heap", "mutex", "threadcreate");

  private final String name;
  private final ProfileSource source;
  private final Executor workers;
  private final long maxSeconds;

  NamedProfileEndpoint(String name, ProfileSource source, Executor workers, long maxSeconds) {
    this.name = name;
    this.source = source;
    this.workers = workers;
    this.maxSeconds = maxSeconds;
  }

  long count() {
    try {
      return source.count();
    } catch (RuntimeException e) {
      AgentLog.failure(name + " count", e);
      return 0;
    }
  }

  @Override
  public void serve(Exchange ex) {
    String seconds = ex.param("seconds");
    if (!seconds.isEmpty()) {
      serveDelta(ex, seconds);
      return;
    }
    boolean gc = name.equals("heap") && atoi(ex.param("gc")) > 0;
    int debug = atoi(ex.param("debug"));
    workers.execute(() -> {
      try {
        if (gc) {
          source.collectGarbage();
        }
        String text = debug != 0 ? source.text(debug) : null;
        if (text != null) {
          ex.respond(Responses.ok(Responses.TEXT, Responses.utf8(text)));
        } else {
          ex.respond(Responses.profile(name, source.snapshot()));
        }
      } catch (Exception | LinkageError e) {
        AgentLog.failure(name + " profile", e);
        ex.respond(Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "failed to collect profile"));
      }
    });
  }

  private void serveDelta(Exchange ex, String secondsText) {
    long seconds;
    try {
      seconds = Long.parseLong(secondsText);
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    if (seconds <= 0) {
      ex.respond(Responses.error(HttpResponseStatus.BAD_REQUEST,
          "invalid value for \"seconds\" - must be a positive integer"));
      return;
    }
    if (!SUPPORTS_DELTA.contains(name)) {
      ex.respond(Responses.error(HttpResponseStatus.BAD_REQUEST,
          "\"seconds\" parameter is not supported for this profile type"));
      return;
    }
    if (seconds > maxSeconds) {
      ex.respond(Responses.secondsOverLimit(maxSeconds));
      return;
    }
    if (atoi(ex.param("debug")) != 0) {
      ex.respond(Responses.error(HttpResponseStatus.BAD_REQUEST,
          "seconds and debug params are incompatible"));
      return;
    }
    long wait = seconds;
    workers.execute(() -> {
      Profile p0 = collect(ex);
      if (p0 == null) {
        return;
      }
      ScheduledFuture<?> end = ex.ctx.executor().schedule(
          () -> workers.execute(() -> finishDelta(ex, p0)), wait, TimeUnit.SECONDS);
      ex.onClose(() -> end.cancel(false));
    });
  }

  private void finishDelta(Exchange ex, Profile p0) {
    if (!ex.isOpen()) {
      return;
    }
    Profile p1 = collect(ex);
    if (p1 == null) {
      return;
    }
    try {
      Profile delta = ProfileMerge.delta(p0, p1);
      ex.respond(Responses.profile(name + "-delta", delta));
    } catch (Exception | LinkageError e) {
      AgentLog.failure(name + " delta", e);
      ex.respond(Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "failed to compute delta"));
    }
  }

  /** A snapshot, or null after answering Go's 500 when it cannot be taken. */
  private Profile collect(Exchange ex) {
    try {
      return source.snapshot();
    } catch (Exception | LinkageError e) {
      AgentLog.failure(name + " profile", e);
      ex.respond(Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "failed to collect profile"));
      return null;
    }
  }

  /** Go's strconv.Atoi with the error ignored: anything unparsable is 0. */
  static int atoi(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
