package dev.jpprof.agent.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * /debug/pprof/cmdline: the process's arguments joined by NUL, as Go prints os.Args. The JVM's argv
 * is read from /proc/self/cmdline where it exists (exactly what was typed, launcher options
 * included), else rebuilt from ProcessHandle.
 */
final class Cmdline implements Endpoint {
  private final byte[] body = Responses.utf8(String.join("\0", arguments()));

  @Override
  public void serve(Exchange exchange) {
    exchange.respond(Responses.ok(Responses.TEXT, body));
  }

  static List<String> arguments() {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
      List<String> args = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          args.add(new String(raw, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      if (start < raw.length) {
        args.add(
            new String(raw, start, raw.length - start, java.nio.charset.StandardCharsets.UTF_8));
      }
      if (!args.isEmpty()) {
        return args;
      }
    } catch (IOException | RuntimeException e) {
      // No procfs (macOS, Windows): fall through to what the JDK knows.
    }
    ProcessHandle.Info info = ProcessHandle.current().info();
    List<String> args = new ArrayList<>();
    info.command().ifPresent(args::add);
    info.arguments().map(List::of).ifPresent(args::addAll);
    if (args.isEmpty()) {
      Optional.ofNullable(System.getProperty("sun.java.command")).ifPresent(args::add);
    }
    return args;
  }
}
