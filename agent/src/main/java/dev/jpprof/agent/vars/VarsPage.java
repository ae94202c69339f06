package dev.jpprof.agent.vars;

import dev.jpprof.Vars;
import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.json.JsonWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The body of /debug/vars, laid out as Go's expvarHandler writes it: {@code {}, a newline, one
 * {@code "name": value} per var sorted by name and separated by {@code ,\n}, then {@code \n}\n}.
 * Each value is compact JSON. Vars: {@code cmdline}, {@code memstats}, {@code jvm}, and every var
 * the application published through {@link Vars}.
 */
public final class VarsPage {
  private VarsPage() {}

  /** The document; {@code cmdline} is the process's arguments. */
  public static String render(List<String> cmdline) {
    Map<String, Supplier<?>> vars = new TreeMap<>(Vars.all());
    vars.put("cmdline", () -> cmdline);
    vars.put("memstats", MemStats::read);
    vars.put("jvm", JvmVars::read);
    StringBuilder b = new StringBuilder(8192).append("{\n");
    boolean first = true;
    for (Map.Entry<String, Supplier<?>> var : vars.entrySet()) {
      if (!first) {
        b.append(",\n");
      }
      first = false;
      JsonWriter.string(b, var.getKey());
      b.append(": ");
      b.append(value(var.getKey(), var.getValue()));
    }
    return b.append("\n}\n").toString();
  }

  /** One var's JSON; null when its supplier fails, so one bad var never hides the others. */
  private static String value(String name, Supplier<?> supplier) {
    try {
      return JsonWriter.write(supplier.get());
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      AgentLog.failure("var " + name, e);
      return "null";
    }
  }
}
