package dev.jpprof.demo;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * An application's own java.util.logging manager, as WildFly installs one: named by the system
 * property {@code java.util.logging.manager}, which the JDK reads only once, when something first
 * initialises JUL. It counts the loggers registered through it, so the application can tell that
 * its loggers really go through it.
 */
public final class AppLogManager extends LogManager {
  static final AtomicInteger loggersAdded = new AtomicInteger();

  public AppLogManager() {}

  @Override
  public boolean addLogger(Logger logger) {
    loggersAdded.incrementAndGet();
    return super.addLogger(logger);
  }
}
