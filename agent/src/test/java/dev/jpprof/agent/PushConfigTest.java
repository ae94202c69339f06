package dev.jpprof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push.* keys: defaults, list separators in each source, credentials, bad values. */
class PushConfigTest {
  private static PushConfig push(String args, Map<?, ?> props, Map<String, String> env) {
    return PushConfig.of(Config.parse(args, props, env));
  }

  private static PushConfig push(String args) {
    return push(args, Map.of(), Map.of());
  }

  @Test
  void offByDefaultWithGoZerosDefaults() {
    PushConfig p = push(null);
    assertFalse(p.enabled());
    assertEquals(List.of("cpu", "allocs", "goroutine"), p.types());
    assertEquals(15_000_000_000L, p.intervalNanos());
    assertEquals(120_000_000_000L, p.durationNanos());
    assertEquals(0, p.cpuThreshold());
    assertEquals(10_000_000_000L, p.timeoutNanos());
  }

  @Test
  void listsTakeSemicolonsInAgentArgumentsAndCommasElsewhere() {
    PushConfig args =
        push("push.url=http://p:4040/,push.types=cpu;heap;mutex,push.labels=env=prod;zone=a");
    assertEquals("http://p:4040", args.url());
    assertEquals(List.of("cpu", "allocs", "mutex"), args.types());
    assertEquals(Map.of("env", "prod", "zone", "a"), args.labels());
    PushConfig props = push(null, Map.of("jpprof.push.types", "block,goroutine"), Map.of());
    assertEquals(List.of("block", "goroutine"), props.types());
    PushConfig env = push(null, Map.of(), Map.of("JPPROF_PUSH_LABELS", "env=dev,zone=b"));
    assertEquals(Map.of("env", "dev", "zone", "b"), env.labels());
  }

  @Test
  void appDefaultsToTheMainClassOrJarName() {
    assertEquals("orders", PushConfig.appFromCommand("/opt/app/orders.jar --port 1"));
    assertEquals("com.example.Main", PushConfig.appFromCommand("com.example.Main a b"));
    assertEquals("java", PushConfig.appFromCommand(null));
    assertEquals("shop", push("push.app=shop").app("x.Main"));
  }

  @Test
  void credentials(@TempDir Path dir) throws Exception {
    assertEquals("Bearer t0k", push("push.token=t0k").authorization());
    Path file = Files.writeString(dir.resolve("token"), "f1le\n");
    assertEquals("Bearer f1le", push("push.tokenFile=" + file).authorization());
    assertEquals("Basic dTpwdw==", push("push.basicAuth=u:pw").authorization());
    Path basic = Files.writeString(dir.resolve("basic"), "u:pw\n");
    assertEquals("Basic dTpwdw==", push("push.basicAuth=" + basic).authorization());
    assertEquals("", push(null).authorization());
  }

  @Test
  void secretsAreNeverShown() {
    Config c =
        Config.parse(
            "push.url=https://user:pw@p.example:4040,push.token=s3cret,push.headers=X-Key=k3y",
            Map.of(),
            Map.of());
    String shown = c.effective().toString();
    assertFalse(shown.contains("s3cret") || shown.contains("k3y") || shown.contains("pw@"), shown);
    assertEquals("https://p.example:4040", c.effective().get("push.url"));
    assertEquals("https://p.example:4040", PushConfig.of(c).shownUrl());
  }

  @Test
  void badValuesNameTheirKey() {
    for (String bad :
        List.of(
            "push.url=ftp://x",
            "push.types=cpu;trace",
            "push.labels=env",
            "push.labels=__name__=x",
            "push.interval=10ms",
            "push.cpuThreshold=-1",
            "push.duration=2",
            "push.app=my app",
            "push.headers=Bad Header=1")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> push(bad), bad);
      String key = bad.substring(0, bad.indexOf('='));
      assertTrue(e.getMessage().contains("\"" + key + "\""), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> push("push.token=a,push.tokenFile=/f"));
    assertThrows(IllegalArgumentException.class, () -> push("push.token=a,push.basicAuth=u:p"));
  }
}
