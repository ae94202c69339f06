package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * maxConnections: idle sockets beyond the cap are closed as soon as they are accepted, so a client
 * that opens many and sends nothing cannot make the application hold a file descriptor for each
 * until idleTimeout; once they are gone, requests are served again. One JDK: the cap is Netty code
 * of ours, nothing in it depends on the JVM.
 */
class ConnectionCapTest {
  private static final int CAP = 20;
  private static final int EXTRA = 50;

  @Test
  void connectionsOverTheCapAreClosedAtOnce() throws Exception {
    Jdk jdk = Jdk.all().get(0);
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("port=0,maxConnections=" + CAP)
            .main(AgentJvm.DEMO, AgentJvm.DEMO_SECONDS, "--stdin")
            .start()) {
      String index = Http.get(jvm.port(), "/debug/pprof/").text();
      assertTrue(
          index.contains(" maxConnections=" + CAP + " "), "the index page shows the cap: " + index);
      int socketsBefore = jvm.openSockets();
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < CAP + EXTRA; i++) {
          sockets.add(new Socket(InetAddress.getLoopbackAddress(), jvm.port()));
        }
        int[] closed = {0};
        Waits.until(Duration.ofSeconds(2), () -> (closed[0] = closedByServer(sockets)) >= EXTRA);
        assertEquals(
            EXTRA, closed[0], "the sockets over the cap were closed within 2 s, the rest kept");
        int socketsWith = jvm.openSockets();
        System.out.printf(
            "ConnectionCapTest: the child has %d sockets before, %d with %d client sockets open (cap %d)%n",
            socketsBefore, socketsWith, sockets.size(), CAP);
        assertTrue(
            socketsWith <= socketsBefore + CAP + 5,
            "the child's sockets stay bounded: "
                + socketsBefore
                + " before, "
                + socketsWith
                + " with "
                + sockets.size()
                + " sockets open");
        assertTrue(jvm.isAlive(), jvm.describe());
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
      // The server sees the closes and frees every slot: a full cap of requests is served again.
      Waits.until(Duration.ofSeconds(5), () -> jvm.openSockets() <= socketsBefore + 2);
      List<Socket> again = new ArrayList<>();
      try {
        for (int i = 0; i < CAP - 1; i++) {
          again.add(new Socket(InetAddress.getLoopbackAddress(), jvm.port()));
        }
        // Not a wait for an event: a connection over the cap is closed at once, so 200 ms is the
        // time in which one would be; none may be.
        Thread.sleep(200);
        assertEquals(0, closedByServer(again), "a cap's worth of connections is admitted again");
        assertEquals(
            200, Http.get(jvm.port(), "/debug/pprof/cmdline").status(), "the last slot serves");
      } finally {
        for (Socket s : again) {
          s.close();
        }
      }
      String vars = Http.get(jvm.port(), "/debug/vars").text();
      assertTrue(
          vars.contains("\"connections.refused\": " + EXTRA)
              || vars.contains("\"connections.refused\":" + EXTRA),
          vars);
    }
  }

  /** How many of {@code sockets} the server has closed (a read sees end of stream). */
  private static int closedByServer(List<Socket> sockets) {
    int closed = 0;
    for (Socket s : sockets) {
      try {
        s.setSoTimeout(1);
      } catch (SocketException e) {
        throw new UncheckedIOException(e);
      }
      try {
        if (s.getInputStream().read() < 0) {
          closed++;
        }
      } catch (SocketTimeoutException e) {
        // Open and idle: the server keeps it.
      } catch (IOException e) {
        closed++; // reset: closed as well
      }
    }
    return closed;
  }
}
