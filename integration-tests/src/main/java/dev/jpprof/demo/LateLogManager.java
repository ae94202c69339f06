package dev.jpprof.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * An application that installs its own log manager after start, as WildFly does: it touches no
 * java.util.logging class until the line {@code install} arrives on stdin (a test sends it after it
 * has asked the agent for every endpoint), then sets {@code java.util.logging.manager}, reads back
 * {@code LogManager.getLogManager()} and logs one record through its own handler. It answers on
 * stderr: {@code logmanager <class> loggers-added <n>} and {@code applog: <level> <message>}.
 * {@link Busy} keeps a thread working meanwhile so profiles have samples.
 */
public final class LateLogManager {
  private LateLogManager() {}

  public static void main(String[] args) throws IOException {
    Busy.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("install")) {
        install();
      }
    }
  }

  private static void install() {
    System.setProperty("java.util.logging.manager", AppLogManager.class.getName());
    LogManager manager = LogManager.getLogManager();
    Logger logger = Logger.getLogger("app.orders");
    logger.setUseParentHandlers(false);
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            System.err.println("applog: " + record.getLevel() + " " + record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    System.err.println(
        "logmanager "
            + manager.getClass().getName()
            + " loggers-added "
            + AppLogManager.loggersAdded.get());
    logger.info("hello from the application");
  }
}
