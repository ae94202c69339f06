package dev.jpprof.agent.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * One JFR recording with the JDK's {@code profile} settings: the JVM's answer to Go's execution
 * trace. JFR runs several recordings at once, so concurrent trace requests each get their own. This
 * class is the only one that touches jdk.jfr, so JFR loads on the first trace request and never in
 * premain.
 */
public final class JfrTrace {
  private final Recording recording;

  private JfrTrace(Recording recording) {
    this.recording = recording;
  }

  /**
   * Starts recording now.
   *
   * @throws IOException, ParseException if the {@code profile} settings cannot be read
   * @throws IllegalStateException, SecurityException if JFR cannot record in this JVM
   */
  public static JfrTrace start() throws IOException, ParseException {
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.setName("jpprof-trace");
    recording.setToDisk(true);
    try {
      recording.start();
    } catch (RuntimeException e) {
      recording.close();
      throw e;
    }
    return new JfrTrace(recording);
  }

  /** Stops recording and returns the JFR file's bytes; the recording and its files are gone. */
  public byte[] finish() throws IOException {
    Path file = Files.createTempFile("jpprof-trace-", ".jfr");
    try {
      recording.stop();
      recording.dump(file);
      return Files.readAllBytes(file);
    } finally {
      recording.close();
      Files.deleteIfExists(file);
    }
  }

  /** Stops and discards the recording (the client went away). */
  public void cancel() {
    recording.close();
  }
}
