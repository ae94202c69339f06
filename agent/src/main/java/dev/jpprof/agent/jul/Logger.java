package dev.jpprof.agent.jul;

import dev.jpprof.agent.AgentLog;

/**
 * The part of java.util.logging.Logger that the bundled protobuf-java calls: warnings and worse are
 * reported once per logger on stderr through {@link AgentLog}; the rest is dropped. {@link
 * #isLoggable} is false for every level, so Netty's JDK logger (never chosen: the agent installs
 * its own Netty logger factory first) would not log through here either.
 */
public final class Logger {
  private final String name;

  private Logger(String name) {
    this.name = name;
  }

  public static Logger getLogger(String name) {
    return new Logger(name);
  }

  public String getName() {
    return name;
  }

  public boolean isLoggable(Level level) {
    return false;
  }

  public void warning(String message) {
    log(Level.WARNING, message);
  }

  public void severe(String message) {
    log(Level.SEVERE, message);
  }

  public void info(String message) {}

  public void fine(String message) {}

  public void log(Level level, String message) {
    if (level.intValue() >= Level.WARNING.intValue()) {
      AgentLog.failure(name, new RuntimeException(message));
    }
  }

  public void log(Level level, String message, Throwable thrown) {
    log(level, message + ": " + thrown);
  }
}
