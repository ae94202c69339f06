package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.profiles.ProfileSource;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.Labels;
import dev.jpprof.pprof.ProfileBuilder;
import dev.jpprof.pprof.Profiles;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Go's named-profile protocol: parameters, errors, delta windows, gc, debug text. */
class NamedProfileEndpointTest {
  /** A count profile whose one sample grows by 5 per snapshot; text is "text N". */
  static final class Growing implements ProfileSource {
    long snapshots;
    int gcs;
    boolean broken;

    @Override
    public long count() {
      return 42;
    }

    @Override
    public Profile snapshot() {
      if (broken) {
        throw new IllegalStateException("broken");
      }
      snapshots++;
      ProfileBuilder b =
          new ProfileBuilder(snapshots * 1_000_000_000L, FrameAddresses.SHARED)
              .sampleType("goroutine", "count")
              .period("goroutine", "count", 1);
      long loc = b.location(new ProfileBuilder.Frame("a.B.c", "B.java", 1, 2));
      b.addSample(new long[] {loc}, new long[] {5 * snapshots}, Labels.NONE);
      return b.build();
    }

    @Override
    public String text(int debug) {
      return "text " + debug + "\n";
    }

    @Override
    public void collectGarbage() {
      gcs++;
    }
  }

  private final Growing source = new Growing();

  private EmbeddedChannel channel() {
    OffLoop now = new OffLoop(Runnable::run);
    List<Route> rows =
        List.of(
            EndpointTable.heap(source, now, 600),
            EndpointTable.allocs(source, now, 600),
            Route.profile("custom", "", Route.Seconds.NO_DELTA, source, now, 600));
    return new EmbeddedChannel(
        new PprofHandler(
            new Routes(rows, () -> "e", Map.of()), Access.loopbackOnly(), new InFlight(16)));
  }

  private static FullHttpResponse get(EmbeddedChannel ch, String uri) {
    ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, uri));
    ch.runPendingTasks();
    return ch.readOutbound();
  }

  private static String body(FullHttpResponse r) {
    return r.content().toString(StandardCharsets.UTF_8);
  }

  private static void assertGoError(FullHttpResponse r, int status, String text) {
    assertEquals(status, r.status().code());
    assertEquals(text + "\n", body(r));
    assertEquals("1", r.headers().get("X-Go-Pprof"));
    assertNull(r.headers().get("Content-Disposition"));
  }

  @Test
  void badSecondsAre400() {
    for (String s : new String[] {"abc", "0", "-1", "1.5", "99999999999999999999"}) {
      assertGoError(
          get(channel(), "/debug/pprof/heap?seconds=" + s),
          400,
          "invalid value for \"seconds\" - must be a positive integer");
    }
  }

  @Test
  void secondsOverTheLimitAre400() {
    assertGoError(
        get(channel(), "/debug/pprof/heap?seconds=601"),
        400,
        "\"seconds\" must not exceed 600 (the agent's maxSeconds)");
  }

  @Test
  void secondsOnlyForDeltaProfiles() {
    assertGoError(
        get(channel(), "/debug/pprof/custom?seconds=1"),
        400,
        "\"seconds\" parameter is not supported for this profile type");
  }

  @Test
  void secondsAndDebugAreIncompatible() {
    assertGoError(
        get(channel(), "/debug/pprof/heap?seconds=1&debug=1"),
        400,
        "seconds and debug params are incompatible");
  }

  @Test
  void protobufIsAnAttachmentNamedAfterTheProfile() throws Exception {
    FullHttpResponse r = get(channel(), "/debug/pprof/allocs");
    assertEquals(200, r.status().code());
    assertEquals("application/octet-stream", r.headers().get("Content-Type"));
    assertEquals("attachment; filename=\"allocs\"", r.headers().get("Content-Disposition"));
    Profile p = Profiles.parse(ByteBufUtil.getBytes(r.content()));
    assertEquals(5, p.getSample(0).getValue(0));
  }

  /** Ours, for the UI: one sample type, by name or position; one the profile lacks is a 400. */
  @Test
  void sampleIndexKeepsOneType() throws Exception {
    FullHttpResponse r = get(channel(), "/debug/pprof/heap?sample_index=goroutine");
    assertEquals(200, r.status().code());
    Profile p = Profiles.parse(ByteBufUtil.getBytes(r.content()));
    assertEquals(1, p.getSampleTypeCount());
    assertEquals("goroutine", p.getStringTable((int) p.getDefaultSampleType()));
    assertEquals(200, get(channel(), "/debug/pprof/heap?sample_index=0").status().code());
    assertGoError(
        get(channel(), "/debug/pprof/heap?sample_index=delay"),
        400,
        "sample_index=delay is not one of this profile's sample types [goroutine]");
  }

  /** A window with a bad sample_index is refused at once, not after the window. */
  @Test
  void badSampleIndexEndsAWindowBeforeItStarts() {
    EmbeddedChannel ch = channel();
    FullHttpResponse r = get(ch, "/debug/pprof/heap?seconds=600&sample_index=nope");
    assertGoError(
        r, 400, "sample_index=nope is not one of this profile's sample types [goroutine]");
    assertEquals(1, source.snapshots);
  }

  @Test
  void debugGivesText() {
    FullHttpResponse r = get(channel(), "/debug/pprof/heap?debug=2");
    assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
    assertNull(r.headers().get("Content-Disposition"));
    assertEquals("text 2\n", body(r));
    assertEquals(
        "text/plain; charset=utf-8",
        get(channel(), "/debug/pprof/heap?debug=1").headers().get("Content-Type"));
    assertEquals(
        "application/octet-stream",
        get(channel(), "/debug/pprof/heap?debug=x").headers().get("Content-Type"),
        "Atoi(x) = 0");
  }

  @Test
  void gcOnlyForHeap() {
    get(channel(), "/debug/pprof/heap?gc=1");
    assertEquals(1, source.gcs);
    get(channel(), "/debug/pprof/allocs?gc=1");
    get(channel(), "/debug/pprof/heap?gc=0");
    assertEquals(1, source.gcs);
  }

  @Test
  void deltaIsTheDifferenceOverTheWindow() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_0, HttpMethod.GET, "/debug/pprof/heap?seconds=2"));
    ch.runPendingTasks();
    assertNull(ch.readOutbound(), "nothing before the window ends");
    ch.advanceTimeBy(2, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    FullHttpResponse r = ch.readOutbound();
    assertEquals(200, r.status().code());
    assertEquals("attachment; filename=\"heap-delta\"", r.headers().get("Content-Disposition"));
    Profile p = Profiles.parse(ByteBufUtil.getBytes(r.content()));
    assertEquals(5, p.getSample(0).getValue(0), "10 - 5");
    assertEquals(1_000_000_000L, p.getDurationNanos());
    assertEquals(2_000_000_000L, p.getTimeNanos());
  }

  @Test
  void deltaOfAnUnchangedProfileDropsTheSample() throws Exception {
    ProfileSource still =
        new ProfileSource() {
          @Override
          public long count() {
            return 1;
          }

          @Override
          public Profile snapshot() {
            ProfileBuilder b =
                new ProfileBuilder(1, FrameAddresses.SHARED).sampleType("goroutine", "count");
            long loc = b.location(new ProfileBuilder.Frame("f", "", 0, 0));
            b.addSample(new long[] {loc}, new long[] {3}, Labels.NONE);
            return b.build();
          }
        };
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new PprofHandler(
                new Routes(
                    List.of(EndpointTable.goroutine(still, new OffLoop(Runnable::run), 600)),
                    () -> "e",
                    Map.of()),
                Access.loopbackOnly(),
                new InFlight(16)));
    ch.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_0, HttpMethod.GET, "/debug/pprof/goroutine?seconds=1"));
    ch.runPendingTasks();
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    FullHttpResponse r = ch.readOutbound();
    assertEquals(0, Profiles.parse(ByteBufUtil.getBytes(r.content())).getSampleCount());
  }

  @Test
  void aFailingSourceIsGos500() {
    source.broken = true;
    assertGoError(get(channel(), "/debug/pprof/heap"), 500, "failed to collect profile");
    assertGoError(get(channel(), "/debug/pprof/heap?seconds=1"), 500, "failed to collect profile");
  }

  @Test
  void indexShowsTheSourcesCounts() {
    String html = body(get(channel(), "/debug/pprof/"));
    assertTrue(html.contains("<tr><td>42</td><td><a href='heap?debug=1'>heap</a></td></tr>"), html);
  }
}
