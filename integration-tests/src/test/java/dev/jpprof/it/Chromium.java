package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpprof.agent.json.JsonReader;
import dev.jpprof.agent.json.JsonWriter;
import dev.jpprof.testing.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium (Debian's {@code chromium}) driven through its DevTools protocol over the JDK's
 * WebSocket client: one page, commands answered in order of their ids, events kept. A JavaScript
 * dialog (alert) is recorded and dismissed at once, so a page that opens one cannot stall the test.
 * {@link #close} ends the browser and its child processes and deletes its profile directory.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");

  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration CALL = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final Path profileDir;
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Map<Long, CompletableFuture<Map<String, Object>>> calls = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
  private final List<String> dialogs = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private WebSocket page;

  private Chromium(Process process, Path profileDir) {
    this.process = process;
    this.profileDir = profileDir;
  }

  /** Starts a headless browser of {@code width} × {@code height} CSS pixels showing about:blank. */
  static Chromium start(int width, int height) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(BINARY + " is missing: apt-get install -y chromium (.ci/run does)");
    }
    Path dir = Files.createTempDirectory("jpprof-chromium");
    Process p =
        new ProcessBuilder(
                BINARY.toString(),
                "--headless",
                "--no-sandbox", // tests run as root, where Chromium's sandbox refuses to start
                "--remote-debugging-port=0",
                "--user-data-dir=" + dir,
                "--window-size=" + width + "," + height,
                "--force-device-scale-factor=1",
                // speedscope draws with WebGL: software rendering, as there is no GPU here.
                "--use-angle=swiftshader",
                "--enable-unsafe-swiftshader",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Chromium c = new Chromium(p, dir);
    try {
      c.connect();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void connect() throws IOException, InterruptedException {
    CompletableFuture<String> browserUrl = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(process.getErrorStream(), UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  stderr.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    browserUrl.complete(m.group(1));
                  }
                }
              } catch (IOException e) {
                // The browser ended.
              }
              browserUrl.completeExceptionally(new IOException("chromium exited"));
            },
            "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    URI browser;
    try {
      browser = URI.create(browserUrl.get(START.toSeconds(), TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("chromium did not start its DevTools server: " + describe(), e);
    }
    HttpClient http = HttpClient.newHttpClient();
    String pageUrl = null;
    for (Object target : (List<?>) get(http, browser, "/json/list")) {
      Map<?, ?> t = (Map<?, ?>) target;
      if ("page".equals(t.get("type"))) {
        pageUrl = (String) t.get("webSocketDebuggerUrl");
      }
    }
    if (pageUrl == null) {
      throw new AssertionError("chromium has no page target: " + describe());
    }
    page = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Listener()).join();
  }

  private static Object get(HttpClient http, URI browser, String path)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://" + browser.getAuthority() + path);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(CALL).build(),
            HttpResponse.BodyHandlers.ofString());
    return JsonReader.parse(r.body());
  }

  /** Sends a DevTools command and returns its result; fails on a protocol error or after 30 s. */
  Map<String, Object> call(String method, Map<String, Object> params) {
    long id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    calls.put(id, answer);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("id", id);
    message.put("method", method);
    message.put("params", params);
    page.sendText(JsonWriter.write(message), true).join();
    try {
      return answer.get(CALL.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during " + method, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(method + " failed: " + e + "; " + describe(), e);
    } finally {
      calls.remove(id);
    }
  }

  /** The value of a JavaScript expression (promises awaited), as JSON values. */
  Object eval(String expression) {
    Map<String, Object> r =
        call(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.containsKey("exceptionDetails")) {
      throw new AssertionError(
          "JavaScript failed: " + expression + "\n" + r.get("exceptionDetails"));
    }
    return ((Map<?, ?>) r.get("result")).get("value");
  }

  /** Evaluates {@code expression} until it is true, or fails after {@code timeout}. */
  void await(String expression, Duration timeout, String what) {
    if (!Waits.until(timeout, POLL, () -> Boolean.TRUE.equals(eval(expression)))) {
      throw new AssertionError(what + " within " + timeout + "; " + describe());
    }
  }

  /** Runs {@code script} in every document before its own scripts (from now on). */
  void beforeEveryPage(String script) {
    call("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
  }

  void navigate(String url) {
    call("Page.navigate", Map.of("url", url));
  }

  /** Moves the mouse to (x, y) CSS pixels of the viewport. */
  void hover(double x, double y) {
    mouse("mouseMoved", x, y, 0);
  }

  /** A double click at (x, y), as a person's: two presses and releases, the second counted 2. */
  void doubleClick(double x, double y) {
    hover(x, y);
    for (int count = 1; count <= 2; count++) {
      mouse("mousePressed", x, y, count);
      mouse("mouseReleased", x, y, count);
    }
  }

  private void mouse(String type, double x, double y, int clicks) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", type);
    p.put("x", x);
    p.put("y", y);
    if (clicks > 0) {
      p.put("button", "left");
      p.put("clickCount", clicks);
    }
    call("Input.dispatchMouseEvent", p);
  }

  /** Ctrl+F, as a keyboard sends it. */
  void ctrlF() {
    key("f", "KeyF", 70, 2);
  }

  /** The key 0, as typed (keyDown with its text, then keyUp). */
  void type0() {
    call(
        "Input.dispatchKeyEvent",
        Map.of("type", "keyDown", "key", "0", "code", "Digit0", "text", "0"));
    call("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", "0", "code", "Digit0"));
  }

  void escape() {
    key("Escape", "Escape", 27, 0);
  }

  /** A key down and up; {@code modifiers} as DevTools counts them (2 is Ctrl). */
  private void key(String key, String code, int keyCode, int modifiers) {
    for (String type : List.of("rawKeyDown", "keyUp")) {
      call(
          "Input.dispatchKeyEvent",
          Map.of(
              "type",
              type,
              "key",
              key,
              "code",
              code,
              "windowsVirtualKeyCode",
              keyCode,
              "modifiers",
              modifiers));
    }
  }

  /** Types {@code text} into the focused element. */
  void type(String text) {
    call("Input.insertText", Map.of("text", text));
  }

  /** Writes a PNG of the viewport to {@code file}. */
  void screenshot(Path file) throws IOException {
    String png = (String) call("Page.captureScreenshot", Map.of("format", "png")).get("data");
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(png));
  }

  /** The messages of the JavaScript dialogs (alert, confirm, prompt) the page opened. */
  List<String> dialogs() {
    return new ArrayList<>(dialogs);
  }

  /** The events of a method received so far (e.g. Runtime.exceptionThrown), their params. */
  List<Map<String, Object>> events(String method) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> e : events) {
      if (method.equals(e.get("method"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) e.get("params");
        out.add(params);
      }
    }
    return out;
  }

  String describe() {
    return "chromium "
        + (process.isAlive() ? "running" : "exited " + process.exitValue())
        + ", stderr:\n"
        + String.join("\n", stderr.subList(Math.max(0, stderr.size() - 40), stderr.size()));
  }

  @Override
  public void close() {
    if (page != null) {
      page.abort();
    }
    ExternalProgram.end(process, profileDir);
  }

  /** Collects a message's frames, then answers a call or keeps an event. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        dispatch(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @SuppressWarnings("unchecked")
    private void dispatch(String json) {
      Map<String, Object> m = (Map<String, Object>) JsonReader.parse(json);
      Object id = m.get("id");
      if (id != null) {
        CompletableFuture<Map<String, Object>> answer = calls.get(((Number) id).longValue());
        if (answer == null) {
          return;
        }
        if (m.containsKey("error")) {
          answer.completeExceptionally(new IOException("DevTools error: " + m.get("error")));
        } else {
          answer.complete((Map<String, Object>) m.get("result"));
        }
        return;
      }
      events.add(m);
      if ("Page.javascriptDialogOpening".equals(m.get("method"))) {
        dialogs.add(String.valueOf(((Map<String, Object>) m.get("params")).get("message")));
        // Not call(): this runs on the WebSocket's thread, which must stay free for the answer.
        page.sendText(
            JsonWriter.write(
                Map.of(
                    "id",
                    ids.incrementAndGet(),
                    "method",
                    "Page.handleJavaScriptDialog",
                    "params",
                    Map.of("accept", true))),
            true);
      }
    }
  }
}
