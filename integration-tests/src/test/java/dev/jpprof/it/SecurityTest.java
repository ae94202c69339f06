package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Safe by default, on a real server: loopback on both 127.0.0.1 and [::1], the Host-header guard
 * against DNS rebinding, refusal to serve other addresses without allowRemote and a token, and the
 * token on every request when it is set. All traffic stays on loopback.
 */
class SecurityTest {
  @EveryJdk
  void loopbackOnBothFamiliesAndTheHostGuard(Jdk jdk) throws IOException {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo().start()) {
      InetAddress v6 = Inet6Address.getByName("::1");
      String viaV6 =
          raw(
              v6,
              jvm.port(),
              "GET /debug/pprof/symbol HTTP/1.1\r\nHost: [::1]:" + jvm.port() + "\r\n\r\n");
      assertTrue(viaV6.startsWith("HTTP/1.1 200 OK\r\n"), "[::1] is served too: " + viaV6);

      Http.Response rebound =
          Http.request(
              jvm.port(), "GET", "/debug/pprof/cmdline", Map.of("Host", "attacker.example"), null);
      assertEquals(403, rebound.status(), rebound::text);
      assertFalse(rebound.text().contains("java"), "no profile data in a refusal");
    }
  }

  @EveryJdk
  void anyAddressNeedsAllowRemoteAndAToken(Jdk jdk) throws Exception {
    for (String args :
        new String[] {"host=0.0.0.0,port=0", "host=0.0.0.0,port=0,allowRemote=true"}) {
      try (AgentJvm jvm = AgentJvm.on(jdk).agent(args).main(AgentJvm.DEMO, "30").launch()) {
        String refusal = jvm.awaitRefusal();
        assertTrue(refusal.startsWith("jpprof: not serving: "), refusal);
        assertTrue(refusal.contains("token"), "says what to set: " + refusal);
        // Not a wait for an event: the time in which an agent that took the JVM down would have.
        Thread.sleep(300);
        assertTrue(jvm.isAlive(), "the application runs on without the agent");
        assertEquals(0, jvm.stdout().length, "nothing on stdout");
      }
    }
  }

  @EveryJdk
  void theTokenGuardsEveryRequest(Jdk jdk) {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("host=0.0.0.0,port=0,allowRemote=true,token=s3cret")
            .main(AgentJvm.DEMO, "60")
            .start()) {
      for (String path :
          new String[] {
            "/debug/pprof/", "/debug/pprof/cmdline", "/debug/pprof/profile?seconds=1"
          }) {
        Http.Response none = Http.get(jvm.port(), path);
        assertEquals(401, none.status(), path);
        assertFalse(none.text().contains("s3cret") || none.text().contains("java"), none.text());
        Http.Response wrong =
            Http.request(jvm.port(), "GET", path, Map.of("Authorization", "Bearer s3cres"), null);
        assertEquals(401, wrong.status(), path);
      }
      Http.Response ok =
          Http.request(
              jvm.port(),
              "GET",
              "/debug/pprof/cmdline",
              Map.of("Authorization", "Bearer s3cret"),
              null);
      assertEquals(200, ok.status(), ok::text);
      Http.Response index =
          Http.request(
              jvm.port(), "GET", "/debug/pprof/", Map.of("Authorization", "Bearer s3cret"), null);
      assertFalse(index.text().contains("s3cret"), "the index never shows the token");
    }
  }

  private static String raw(InetAddress address, int port, String request) throws IOException {
    try (Socket s = new Socket(address, port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int n = in.read(buf);
      return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }
  }
}
