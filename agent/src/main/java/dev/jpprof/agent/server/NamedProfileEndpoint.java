package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.pprof.ProfileMerge;
import dev.jpprof.pprof.SampleIndex;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Go's handler for a named profile (protocol.md §4): {@code seconds=N} answers the difference of
 * two snapshots N seconds apart; {@code gc=1} on heap collects first; {@code debug} ≠ 0 answers the
 * legacy text form; otherwise the protobuf. Ours, not Go's: {@code sample_index=T} answers only
 * sample type T (a name or position, as pprof's flag), for the UI's viewer, which draws one.
 */
final class NamedProfileEndpoint implements Endpoint {
  private static final Function<Throwable, String> FAILED =
      OffLoop.says("failed to collect profile");

  private final String name;
  private final ProfileSource source;
  private final boolean supportsDelta;
  private final OffLoop offLoop;
  private final long maxSeconds;

  NamedProfileEndpoint(
      String name, ProfileSource source, boolean supportsDelta, OffLoop offLoop, long maxSeconds) {
    this.name = name;
    this.source = source;
    this.supportsDelta = supportsDelta;
    this.offLoop = offLoop;
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
    boolean gc = name.equals(EndpointTable.HEAP) && atoi(ex.param("gc")) > 0;
    int debug = atoi(ex.param("debug"));
    String sampleIndex = ex.param("sample_index");
    offLoop.answer(
        ex,
        name + " profile",
        FAILED,
        () -> {
          if (gc) {
            source.collectGarbage();
          }
          String text = debug != 0 ? source.text(debug) : null;
          if (text != null) {
            return Responses.ok(Responses.TEXT, Responses.utf8(text));
          }
          Profile p = source.snapshot();
          FullHttpResponse refused = refusal(p, sampleIndex);
          return refused != null ? refused : Responses.profile(name, only(p, sampleIndex));
        });
  }

  /** A 400 naming the profile's sample types when {@code sample_index} names none of them. */
  private static FullHttpResponse refusal(Profile p, String sampleIndex) {
    try {
      if (!sampleIndex.isEmpty()) {
        SampleIndex.position(p, sampleIndex);
      }
      return null;
    } catch (IllegalArgumentException e) {
      return Responses.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
    }
  }

  /** The profile with only the sample type asked for; all of it when none was. */
  private static Profile only(Profile p, String sampleIndex) {
    return sampleIndex.isEmpty() ? p : SampleIndex.only(p, sampleIndex);
  }

  private void serveDelta(Exchange ex, String secondsText) {
    long seconds;
    try {
      seconds = Long.parseLong(secondsText);
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    if (seconds <= 0) {
      ex.respond(
          Responses.error(
              HttpResponseStatus.BAD_REQUEST,
              "invalid value for \"seconds\" - must be a positive integer"));
      return;
    }
    if (!supportsDelta) {
      ex.respond(
          Responses.error(
              HttpResponseStatus.BAD_REQUEST,
              "\"seconds\" parameter is not supported for this profile type"));
      return;
    }
    if (seconds > maxSeconds) {
      ex.respond(Responses.secondsOverLimit(maxSeconds));
      return;
    }
    if (atoi(ex.param("debug")) != 0) {
      ex.respond(
          Responses.error(
              HttpResponseStatus.BAD_REQUEST, "seconds and debug params are incompatible"));
      return;
    }
    long window = TimeUnit.SECONDS.toNanos(seconds);
    String sampleIndex = ex.param("sample_index");
    offLoop.answer(
        ex,
        name + " profile",
        FAILED,
        () -> {
          Profile p0 = source.snapshot();
          FullHttpResponse refused = refusal(p0, sampleIndex); // now, not after the window
          if (refused != null) {
            return refused;
          }
          offLoop.afterWindow(
              ex,
              window,
              () -> {},
              name + " profile",
              FAILED,
              () -> ex.isOpen() ? delta(p0, source.snapshot(), sampleIndex) : null);
          return null;
        });
  }

  /** The delta's own failure is told apart from a snapshot's, as Go's texts are. */
  private FullHttpResponse delta(Profile p0, Profile p1, String sampleIndex) {
    try {
      return Responses.profile(name + "-delta", only(ProfileMerge.delta(p0, p1), sampleIndex));
    } catch (Exception | LinkageError e) {
      AgentLog.failure(name + " delta", e);
      return Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "failed to compute delta");
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
