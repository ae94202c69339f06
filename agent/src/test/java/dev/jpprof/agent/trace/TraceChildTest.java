package dev.jpprof.agent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jpprof.agent.ChildJvm;
import dev.jpprof.agent.threads.ThreadsChild;
import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /debug/pprof/trace of a real JVM: a JFR file of the window, concurrent and cancelled. */
class TraceChildTest {
  @TempDir Path dir;

  @Test
  void twoConcurrentTracesAreJfrFilesOfTheirWindow() throws Exception {
    twoConcurrentTraces(ChildJvm.JDK_HERE);
  }

  @Test
  void twoConcurrentTracesOnJdk25() throws Exception {
    assumeTrue(Files.isExecutable(ChildJvm.JDK25.resolve("bin/java")), "no JDK 25");
    twoConcurrentTraces(ChildJvm.JDK25);
  }

  private void twoConcurrentTraces(Path jdk) throws Exception {
    try (ChildJvm child = new ChildJvm(jdk, dir, ThreadsChild.class, "1", "0", "burn")) {
      Instant start = Instant.now();
      CompletableFuture<HttpResponse<byte[]>> a = async(child, "trace?seconds=1.5", 60);
      CompletableFuture<HttpResponse<byte[]>> b = async(child, "trace", 60);
      HttpResponse<byte[]> ra = a.get(90, TimeUnit.SECONDS);
      HttpResponse<byte[]> rb = b.get(90, TimeUnit.SECONDS);
      Instant end = Instant.now();
      for (HttpResponse<byte[]> r : List.of(ra, rb)) {
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(
            "attachment; filename=\"trace.jfr\"",
            r.headers().firstValue("Content-Disposition").orElse(""));
      }
      Path file = dir.resolve("trace.jfr");
      Files.write(file, ra.body());
      List<RecordedEvent> events = RecordingFile.readAllEvents(file);
      long samples = 0;
      long burning = 0;
      for (RecordedEvent e : events) {
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        samples++;
        assertFalse(e.getStartTime().isBefore(start.minusSeconds(1)), "sample before the window");
        assertFalse(e.getStartTime().isAfter(end.plusSeconds(1)), "sample after the window");
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
          burning += f.getMethod().getName().equals("burnHere") ? 1 : 0;
        }
      }
      assertTrue(samples > 0, "no execution samples among " + events.size() + " events");
      assertTrue(burning > 0, "no sample in burnHere");
      assertEquals("", child.stdout());
    }
  }

  @Test
  void aClientThatLeavesEndsItsRecording() throws Exception {
    try (ChildJvm child = new ChildJvm(ChildJvm.JDK_HERE, dir, ThreadsChild.class, "1")) {
      try {
        async(child, "trace?seconds=60", 2).get(90, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause() instanceof HttpTimeoutException, e.toString());
      }
      String[] recordings = {""};
      Waits.until(
          Duration.ofSeconds(10),
          Duration.ofMillis(200),
          () -> !(recordings[0] = jfrCheck(child.pid())).contains("jpprof-trace"));
      assertFalse(recordings[0].contains("jpprof-trace"), recordings[0]);
    }
  }

  private static CompletableFuture<HttpResponse<byte[]>> async(
      ChildJvm child, String path, int timeoutSeconds) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(child.base + path))
            .timeout(Duration.ofSeconds(timeoutSeconds))
            .build();
    return child.http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String jfrCheck(long pid) {
    Path jcmd = ChildJvm.JDK_HERE.resolve("bin/jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JFR.check")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("jcmd JFR.check failed", e);
    }
  }
}
