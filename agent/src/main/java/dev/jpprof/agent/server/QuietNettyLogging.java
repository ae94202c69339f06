package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentLog;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.lang.reflect.Proxy;

/**
 * Keeps our (shaded) Netty away from the application's logging. Left alone, Netty picks SLF4J,
 * Log4j or java.util.logging and may initialise it before the application has configured it
 * (WildFly's log manager, for one, must come first). Debug and info are dropped; a warning or error
 * becomes one jpprof line on stderr per logger.
 */
final class QuietNettyLogging extends InternalLoggerFactory {
  private static volatile boolean installed;

  private QuietNettyLogging() {}

  /** Must run before the first Netty class asks for a logger. */
  static synchronized void install() {
    if (!installed) {
      InternalLoggerFactory.setDefaultFactory(new QuietNettyLogging());
      installed = true;
    }
  }

  @Override
  protected InternalLogger newInstance(String name) {
    return (InternalLogger)
        Proxy.newProxyInstance(
            InternalLogger.class.getClassLoader(),
            new Class<?>[] {InternalLogger.class},
            (proxy, method, args) -> {
              String m = method.getName();
              if (m.equals("name")) {
                return name;
              }
              if (method.getReturnType() == boolean.class) {
                return false; // isDebugEnabled() and friends: nothing is enabled
              }
              if ((m.equals("warn") || m.equals("error")) && args != null && args.length > 0) {
                AgentLog.failure(
                    "netty (" + name + ")", new RuntimeException(String.valueOf(args[0])));
              }
              if (m.equals("hashCode")) {
                return System.identityHashCode(proxy);
              }
              if (m.equals("equals")) {
                return proxy == args[0];
              }
              if (m.equals("toString")) {
                return "QuietNettyLogger(" + name + ")";
              }
              return null;
            });
  }
}
