package dev.jpprof.agent.threads;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.jpprof.agent.frames.StackLines;
import dev.jpprof.agent.json.JsonReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Virtual threads (JDK 21+), which ThreadMXBean does not list. The one supported way to see them
 * all is the JDK's thread dump, {@code HotSpotDiagnosticMXBean.dumpThreads(file, JSON)}: public
 * API, no {@code --add-opens}, no warning. It writes to a new file only, so the dump goes to a
 * private temporary directory that is deleted at once. JDK 25's dump gives state and lock; JDK
 * 21–24's gives stacks only (state then null). Called through reflection: the agent compiles for
 * Java 11.
 */
final class VirtualThreads {
  private static final Method DUMP = dumpMethod();
  private static final Object JSON = DUMP == null ? null : jsonFormat(DUMP);

  private VirtualThreads() {}

  /** Whether this JDK can list virtual threads. */
  static boolean supported() {
    return DUMP != null;
  }

  /**
   * Every virtual thread, skipping ids in {@code platformIds} (a JDK 21–24 dump does not mark which
   * threads are virtual, so those ids tell them apart). Empty before JDK 21.
   */
  static List<ThreadSample> dump(Set<Long> platformIds) throws Exception {
    if (DUMP == null) {
      return Collections.emptyList();
    }
    Path dir = Files.createTempDirectory("jpprof-threads-");
    Path file = dir.resolve("threads.json");
    try {
      DUMP.invoke(
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class),
          file.toAbsolutePath().toString(),
          JSON);
      String json = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      return parse(json, platformIds);
    } finally {
      deleteQuietly(file);
      deleteQuietly(dir);
    }
  }

  /** The virtual threads of one JSON thread dump. */
  @SuppressWarnings("unchecked")
  static List<ThreadSample> parse(String json, Set<Long> platformIds) {
    Map<String, Object> root = (Map<String, Object>) JsonReader.parse(json);
    Map<String, Object> dump = (Map<String, Object>) root.get("threadDump");
    List<ThreadSample> threads = new ArrayList<>();
    for (Object c : (List<Object>) dump.get("threadContainers")) {
      Object list = ((Map<String, Object>) c).get("threads");
      for (Object t : list == null ? Collections.emptyList() : (List<Object>) list) {
        Map<String, Object> thread = (Map<String, Object>) t;
        long id = Long.parseLong(String.valueOf(thread.get("tid")));
        // JDK 25 writes "state" for every thread and "virtual": true for virtual ones only;
        // JDK 21–24 write neither, so there a thread ThreadMXBean did not list is virtual.
        boolean virtual =
            Boolean.TRUE.equals(thread.get("virtual"))
                || !thread.containsKey("state") && !platformIds.contains(id);
        if (!virtual) {
          continue;
        }
        threads.add(sample(id, thread));
      }
    }
    return threads;
  }

  @SuppressWarnings("unchecked")
  private static ThreadSample sample(long id, Map<String, Object> thread) {
    Object stateName = thread.get("state");
    Thread.State state = null;
    if (stateName != null) {
      try {
        state = Thread.State.valueOf(stateName.toString());
      } catch (IllegalArgumentException e) {
        // a state this JDK does not name: the stack still tells the wait reason
      }
    }
    List<Object> lines = (List<Object>) thread.get("stack");
    StackTraceElement[] stack = new StackTraceElement[lines == null ? 0 : lines.size()];
    for (int i = 0; i < stack.length; i++) {
      stack[i] = StackLines.parse(String.valueOf(lines.get(i)));
    }
    return new ThreadSample(id, (String) thread.get("name"), state, true, lock(thread), stack);
  }

  /** JDK 25 writes blockedOn, waitingOn or parkBlocker.object, each as {@code class@hash}. */
  @SuppressWarnings("unchecked")
  private static String lock(Map<String, Object> thread) {
    for (String key : new String[] {"blockedOn", "waitingOn"}) {
      if (thread.get(key) instanceof String) {
        return (String) thread.get(key);
      }
    }
    Object blocker = thread.get("parkBlocker");
    if (blocker instanceof Map) {
      Object object = ((Map<String, Object>) blocker).get("object");
      return object == null ? null : object.toString();
    }
    return null;
  }

  private static Method dumpMethod() {
    try {
      Class<?> format =
          Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
      return HotSpotDiagnosticMXBean.class.getMethod("dumpThreads", String.class, format);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null; // before JDK 21
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object jsonFormat(Method dump) {
    return Enum.valueOf((Class) dump.getParameterTypes()[1], "JSON");
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // the directory is private and under the temporary directory; nothing else to do
    }
  }
}
