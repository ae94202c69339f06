package dev.jpprof.agent.jfr;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.AgentThreadGroup;
import dev.jpprof.agent.frames.SourceInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * An in-process JFR event stream ({@code jdk.jfr.consumer.RecordingStream}, JDK 14+, reached by
 * reflection since the agent compiles for 11), run on one agent daemon thread. The lock engine
 * reads monitor events from one; the JFR heap engine reads allocation samples.
 *
 * <pre>{@code
 * JfrStream s = JfrStream.open()
 *     .enable("jdk.JavaMonitorEnter", Map.of("threshold", "1 ms", "stackTrace", "true"))
 *     .onEvent("jdk.JavaMonitorEnter", this::onEnter);
 * s.start("jpprof-monitor-events", "JFR monitor events");
 * }</pre>
 */
public final class JfrStream {
  private final Object stream;
  private final Class<?> streamClass;

  private JfrStream(Object stream, Class<?> streamClass) {
    this.stream = stream;
    this.streamClass = streamClass;
  }

  /**
   * A new, not yet started stream.
   *
   * @throws ClassNotFoundException on a JDK without RecordingStream (before 14)
   */
  public static JfrStream open() throws ReflectiveOperationException {
    Class<?> streamClass = Class.forName("jdk.jfr.consumer.RecordingStream");
    return new JfrStream(streamClass.getConstructor().newInstance(), streamClass);
  }

  /** Enables an event with JFR's own setting names and values ({@code threshold}, ...). */
  public JfrStream enable(String event, Map<String, String> settings)
      throws ReflectiveOperationException {
    Object s = invoke(streamClass.getMethod("enable", String.class), stream, event);
    Method with =
        Class.forName("jdk.jfr.EventSettings").getMethod("with", String.class, String.class);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      invoke(with, s, e.getKey(), e.getValue());
    }
    return this;
  }

  /** Calls {@code action} on the stream's thread for each such event. */
  public JfrStream onEvent(String event, Consumer<RecordedEvent> action)
      throws ReflectiveOperationException {
    invoke(streamClass.getMethod("onEvent", String.class, Consumer.class), stream, event, action);
    return this;
  }

  /**
   * Starts the stream on a daemon thread {@code threadName}; a failure is reported as {@code kind}.
   */
  public void start(String threadName, String kind) throws ReflectiveOperationException {
    Method run = streamClass.getMethod("start");
    AgentThreadGroup.daemon(
            () -> {
              try {
                run.invoke(stream);
              } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof IllegalStateException)) { // closed: a normal end
                  AgentLog.failure(kind, e.getCause());
                }
              } catch (ReflectiveOperationException | RuntimeException e) {
                AgentLog.failure(kind, e);
              }
            },
            threadName)
        .start();
  }

  /** Stops the stream; its thread ends. */
  public void close() {
    try {
      streamClass.getMethod("close").invoke(stream);
    } catch (ReflectiveOperationException | RuntimeException e) {
      AgentLog.failure("closing a JFR stream", e);
    }
  }

  private static Object invoke(Method m, Object target, Object... args)
      throws ReflectiveOperationException {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }

  /** The agent's own threads' events are not the application's. */
  public static boolean byAgent(RecordedEvent e) {
    RecordedThread t = e.getThread();
    return t != null && t.getJavaName() != null && t.getJavaName().startsWith("jpprof-");
  }

  /** JFR's Java frames as stack trace elements, leaf first; JFR records no file names. */
  public static StackTraceElement[] frames(RecordedStackTrace stack, int depth) {
    if (stack == null) {
      return new StackTraceElement[0];
    }
    List<RecordedFrame> frames = stack.getFrames();
    int n = Math.min(frames.size(), depth);
    StackTraceElement[] out = new StackTraceElement[n];
    for (int i = 0; i < n; i++) {
      RecordedFrame f = frames.get(i);
      out[i] =
          new StackTraceElement(
              SourceInfo.javaClassName(f.getMethod().getType().getName()),
              f.getMethod().getName(),
              null,
              f.getLineNumber());
    }
    return out;
  }
}
