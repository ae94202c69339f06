package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.ProfileValidator;
import dev.jpprof.pprof.Profiles;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** godeltaprof's delta_* paths: each answer is the change since the previous one to that path. */
class DeltaEndpointTest {
  private final TwoStackHeap heap = new TwoStackHeap();

  /** One set of rows for the test: the delta state lives in them, across connections. */
  private final List<Route> rows = rows();

  private List<Route> rows() {
    OffLoop now = new OffLoop(Runnable::run);
    return List.of(
        EndpointTable.delta(DeltaEndpoint.DELTA_HEAP, heap, EndpointTable.HEAP_CURRENT, now),
        EndpointTable.delta("delta_mutex", heap, Set.of(), now));
  }

  /** One HTTP/1.0 request on a connection of its own (1.0 closes after the answer). */
  private Map<String, List<Long>> get(String uri) throws Exception {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new PprofHandler(
                new Routes(rows, () -> "e", Map.of()), Access.loopbackOnly(), new InFlight(16)));
    ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, uri));
    ch.runPendingTasks();
    FullHttpResponse r = ch.readOutbound();
    assertEquals(200, r.status().code(), uri);
    assertTrue(r.headers().get("Content-Type").startsWith("application/octet-stream"));
    Profile p = Profiles.parse(ByteBufUtil.getBytes(r.content()));
    ProfileValidator.checkGoConventions(p);
    Map<String, List<Long>> byFunction = new TreeMap<>();
    for (Sample s : p.getSampleList()) {
      long function = p.getLocation((int) s.getLocationId(0) - 1).getLine(0).getFunctionId();
      String name = p.getStringTable((int) p.getFunction((int) function - 1).getName());
      byFunction.put(name, new ArrayList<>(s.getValueList()));
    }
    return byFunction;
  }

  @Test
  void heapAnswersAllocationsSinceTheLastRequestAndWhatIsInUseNow() throws Exception {
    assertEquals(
        Map.of("x.A.alloc", List.of(10L, 160L, 3L, 48L), "x.B.alloc", List.of(1L, 16L, 1L, 16L)),
        get("/debug/pprof/delta_heap"),
        "the first answer is everything so far");
    assertEquals(
        Map.of("x.A.alloc", List.of(10L, 160L, 3L, 48L), "x.B.alloc", List.of(0L, 0L, 1L, 16L)),
        get("/debug/pprof/delta_heap"),
        "alloc_* are the change, inuse_* the values now; b allocated nothing but still holds 1");
    assertEquals(0, heap.gcs);
    get("/debug/pprof/delta_heap?gc=1");
    assertEquals(1, heap.gcs);
  }

  @Test
  void eachPathKeepsItsOwnBaseAndUnchangedSamplesAreLeftOut() throws Exception {
    get("/debug/pprof/delta_heap"); // snapshot 1, the heap path's base
    // The mutex path's first answer is everything so far, whatever the heap path answered.
    assertEquals(List.of(20L, 320L, 3L, 48L), get("/debug/pprof/delta_mutex").get("x.A.alloc"));
    // All of b's values are a difference on this path, all zero: b is left out.
    assertEquals(Map.of("x.A.alloc", List.of(10L, 160L, 0L, 0L)), get("/debug/pprof/delta_mutex"));
  }
}
