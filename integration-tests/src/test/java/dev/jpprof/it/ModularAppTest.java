package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.proto.ProfileProto.Sample;
import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;

/**
 * A named-module application (src/jpms: module {@code app}, compiled here, run with {@code
 * --module-path ... -m app/app.Main}) with the agent: CPU, allocation sampling (the allocation
 * sites inside the module are rewritten to call the bootstrap hooks, which a named module must be
 * able to reach), threadcreate and goroutine all work and name the module's frames, and nothing but
 * the serving line reaches stderr (no IllegalAccessError, no warnings).
 */
class ModularAppTest {
  private static Path modules;

  @BeforeAll
  static void compileTheModule() throws IOException {
    Path sources = AgentJvm.demoClasses().getParent().getParent().resolve("src/jpms/app");
    modules = AgentJvm.demoClasses().getParent().resolve("jpms");
    List<String> args =
        new ArrayList<>(List.of("--release", "11", "-d", modules.resolve("app").toString()));
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    assertEquals(
        0,
        ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0])),
        "javac " + args);
  }

  @EveryJdk
  void aNamedModuleIsProfiledWholly(Jdk jdk) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("port=0")
            .application(List.of("--module-path", modules.toString(), "-m", "app/app.Main"))
            .start()) {
      Waits.until(
          Duration.ofSeconds(20),
          () -> new String(jvm.stdout(), UTF_8).contains("app ready app\n"));
      assertEquals(
          "app ready app\n",
          new String(jvm.stdout(), UTF_8),
          "runs in module app; " + jvm.describe());

      ProfileView cpu = profile(jvm, "/debug/pprof/profile?seconds=1");
      assertTrue(cpu.sumWhereStackContains("app.Main.build", 0) > 0, "CPU samples in the module");

      // The ArrayList that build() itself allocates: a sample whose leaf is the module's method
      // exists only if the module's own class was rewritten.
      ProfileView allocs = profile(jvm, "/debug/pprof/allocs");
      long ownSites = 0;
      for (Sample s : allocs.profile.getSampleList()) {
        List<String> stack = allocs.stack(s);
        // A sample taken on a thread with no Java frame (the JVM's own, during start) has none.
        if (!stack.isEmpty() && stack.get(0).equals("app.Main.build")) {
          ownSites += s.getValue(0);
        }
      }
      assertTrue(ownSites > 0, "allocation sites inside module app are sampled");

      ProfileView threads = profile(jvm, "/debug/pprof/threadcreate");
      assertTrue(
          threads.sumWhereStackContains("app.Main.spawn", 0) > 0, "threads started in the module");
      ProfileView goroutines = profile(jvm, "/debug/pprof/goroutine");
      assertTrue(
          goroutines.sumWhereStackContains("app.Main.work", 0) > 0
              || goroutines.sumWhereStackContains("app.Main.build", 0) > 0,
          "the module's thread app-work");
      String dump = Http.get(jvm.port(), "/debug/pprof/goroutine?debug=2").text();
      assertTrue(dump.contains("app.Main.main"), dump);

      List<String> stderr =
          jvm.stderrLines().stream()
              .filter(l -> !l.startsWith("jpprof: serving"))
              .collect(Collectors.toList());
      assertEquals(List.of(), stderr, "nothing on stderr but the serving line; " + jvm.describe());
    }
  }

  private static ProfileView profile(AgentJvm jvm, String path) {
    Http.Response r = Http.get(jvm.port(), path);
    assertEquals(200, r.status(), r::text);
    ProfileView p = ProfileView.parse(r.body());
    p.assertPprofAccepts();
    return p;
  }
}
