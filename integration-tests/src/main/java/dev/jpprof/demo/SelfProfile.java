package dev.jpprof.demo;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An application that asks its own agent for a 30 s CPU profile on a background (daemon) thread,
 * then returns from main at once. Without the agent such a JVM exits when main returns; with it, it
 * must too: the agent's threads are daemons and hold nothing the JVM waits for.
 *
 * <p>Argument: the agent's port. Prints "main returns" on stderr as its last act.
 */
public final class SelfProfile {
  private SelfProfile() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    CountDownLatch sent = new CountDownLatch(1);
    Thread client = new Thread(() -> askForAProfile(port, sent), "self-profile-client");
    client.setDaemon(true);
    client.start();
    sent.await(20, TimeUnit.SECONDS);
    // The port accepts as soon as it is bound; the agent sets dev.jpprof.url and prints its
    // serving line just after. Wait for it (bounded), so that a loaded machine cannot end the
    // JVM between the two.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.getProperty("dev.jpprof.url") == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(500); // the window opens on the agent's worker meanwhile
    System.err.println("main returns");
  }

  /** Retries until the agent listens (it starts in the background), then waits for the answer. */
  private static void askForAProfile(int port, CountDownLatch sent) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = s.getOutputStream();
        out.write(
            ("GET /debug/pprof/profile?seconds=30 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(US_ASCII));
        out.flush();
        sent.countDown();
        s.getInputStream().readAllBytes(); // blocks for the 30 s window, or until the JVM exits
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }
}
