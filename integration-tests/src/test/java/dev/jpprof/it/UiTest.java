package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flame-graph page in a real browser: headless Chromium opens /debug/pprof/ui/ of a demo JVM,
 * follows its 5 s CPU link into speedscope, and reads what speedscope draws on its canvas (through
 * canvas-recorder.js): Demo.hot and Demo.cold as wide as their samples in the profile it read,
 * search and zoom working, values on hover, and a frame whose names are HTML shown as text with no
 * script run. A screenshot of the flame graph is kept in target/ui-screenshots/.
 */
class UiTest {
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 800;
  private static final Duration DRAWN = Duration.ofSeconds(40);
  private static final Duration REDRAWN = Duration.ofSeconds(10);

  /** speedscope's light theme: the fill of the rectangles it draws around search matches. */
  private static final String MATCH = "#ffac02";

  private static final String HOT = "dev.jpprof.demo.Demo.hot";
  private static final String COLD = "dev.jpprof.demo.Demo.cold";

  /** The flame graph's canvas record: the largest canvas that draws text. */
  private static final String FLAME =
      "window.__jpprof.canvases.filter(r => r.texts.length > 0)"
          + ".sort((a, b) => b.canvas.width * b.canvas.height - a.canvas.width * a.canvas.height)[0]";

  @EveryJdk
  void cpuFlameGraphOfTheDemo(Jdk jdk) throws Exception {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo("--hostile").start();
        Chromium browser = Chromium.start(WIDTH, HEIGHT)) {
      browser.call("Page.enable", Map.of());
      browser.call("Runtime.enable", Map.of());
      browser.call("Network.enable", Map.of()); // to read the profile speedscope fetched
      browser.beforeEveryPage(resource("canvas-recorder.js"));

      // The list page, then its own link: CPU over 5 s.
      browser.navigate(jvm.url("/debug/pprof/ui/"));
      browser.await("!!document.querySelector('#CPU a')", REDRAWN, "the list page's CPU row");
      assertEquals(
          Boolean.TRUE,
          browser.eval("document.querySelectorAll('#wall a').length === 4"),
          "the wall row: 5, 10, 30, 60 s");
      browser.eval(
          "[...document.querySelectorAll('#CPU a')].find(a => a.textContent === '5 s').click()");
      browser.await(
          "!!window.__jpprof && " + FLAME + "?.texts.some(t => t.text.includes('Demo.hot'))",
          DRAWN,
          "speedscope drew no Demo.hot label");
      Path shot =
          AgentJvm.demoClasses()
              .getParent()
              .resolve("ui-screenshots/cpu-flame-graph-jdk" + jdk.feature() + ".png");
      browser.screenshot(shot);
      System.out.printf("UiTest %s: screenshot %s%n", jdk, shot);

      // Search draws a box around every match: their widths are the frames' widths.
      List<Map<String, Object>> hot = search(browser, "Demo.hot");
      List<Map<String, Object>> cold = search(browser, "Demo.cold");
      double ratio = width(hot) / width(cold);
      // What was drawn is checked against the very profile speedscope read, not against the
      // demo's nominal 3:1 (a window this early in the JVM's life can stray from it while the
      // JIT compiles hot() and cold() at different moments; CpuProfileTest checks the split).
      ProfileView fetched = ProfileView.parse(responseBody(browser, "/debug/pprof/profile"));
      double samples =
          fetched.sumWhereStackContains(HOT, 0) / (double) fetched.sumWhereStackContains(COLD, 0);
      System.out.printf(
          "UiTest %s: Demo.hot %.0f px, Demo.cold %.0f px, ratio %.3f; in the profile %.3f%n",
          jdk, width(hot), width(cold), ratio, samples);
      assertTrue(samples > 1.5, "the demo's hot/cold split in the profile: " + samples);
      assertEquals(
          1.0, ratio / samples, 0.03, "Demo.hot / Demo.cold widths " + ratio + " vs " + samples);

      // Hover: speedscope's tooltip gives the frame's value and share.
      Map<String, Object> coldBox = cold.get(0);
      double[] at = centre(browser, coldBox);
      browser.hover(at[0], at[1]);
      browser.await(
          "/\\(\\d+(\\.\\d+)?%\\) dev\\.jpprof\\.demo\\.Demo\\.cold/.test(document.body.innerText)",
          REDRAWN, "no tooltip with Demo.cold's value");

      // Zoom: a double click on Demo.cold makes it as wide as the view.
      browser.doubleClick(at[0], at[1]);
      double canvas = ((Number) browser.eval(FLAME + ".canvas.width")).doubleValue();
      browser.await(
          FLAME
              + ".fills.some(f => f.style === '"
              + MATCH
              + "' && f.rects.some(r => r.w > "
              + 0.95 * canvas
              + "))",
          REDRAWN,
          "Demo.cold not zoomed to the view's width (" + canvas + " px)");

      // The hostile frame: found by search, zoomed to, its names drawn and shown as text.
      closeSearch(browser);
      browser.type0(); // speedscope's "zoom all the way out"
      List<Map<String, Object>> hostile = search(browser, "onerror");
      double[] h = centre(browser, hostile.get(0));
      browser.doubleClick(h[0], h[1]);
      String name = "<img src=x onerror=alert(1)>.applyAsLong";
      browser.await(
          FLAME + ".texts.some(t => t.text === " + js(name) + ")",
          REDRAWN,
          "the hostile frame's name not drawn whole as text");
      browser.hover(h[0] + 200, h[1]);
      String file = "<script>alert(1)</script>";
      browser.await(
          "document.body.innerText.includes("
              + js(name)
              + ")"
              + " && document.body.innerText.includes("
              + js(file + ":")
              + ")",
          REDRAWN,
          "the tooltip does not show the hostile names as text");
      browser.screenshot(shot.resolveSibling("hostile-frame-jdk" + jdk.feature() + ".png"));
      assertEquals(
          Boolean.TRUE,
          browser.eval(
              "document.querySelector('[onerror]') === null"
                  + " && document.querySelectorAll('script').length === 1"
                  + " && !document.querySelector('img[src=\"x\"]')"),
          "an element made from a frame name");
      Thread.sleep(500); // an image error or a script would have run by now
      assertEquals(List.of(), browser.dialogs(), "a dialog opened");
      assertEquals(
          List.of(),
          browser.events("Runtime.exceptionThrown"),
          "the page threw: " + browser.events("Runtime.exceptionThrown"));
    }
  }

  /**
   * Every profile the list page links to (but the windows, which take seconds) answers a valid
   * profile, with only the sample type its link names: the page's types are the profiles' own.
   */
  @EveryJdk
  void everyLinkOfTheListPageAnswersItsSampleType(Jdk jdk) {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo().start()) {
      Matcher m =
          Pattern.compile("profileURL=\\.\\.%2F\\.\\.%2F\\.\\.%2F\\.\\.%2F([^&]+)&")
              .matcher(Http.get(jvm.port(), "/debug/pprof/ui/").text());
      int checked = 0;
      while (m.find()) {
        String target = "/" + URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        if (target.contains("seconds=")) {
          continue;
        }
        Http.Response r = Http.get(jvm.port(), target);
        assertEquals(200, r.status(), () -> target + ": " + r.text());
        ProfileView p = ProfileView.parse(r.body());
        p.assertGoConventions();
        Matcher type = Pattern.compile("sample_index=(\\w+)").matcher(target);
        if (type.find()) {
          assertEquals(1, p.profile.getSampleTypeCount(), target);
          assertEquals(type.group(1), p.string(p.profile.getSampleType(0).getType()), target);
        }
        checked++;
      }
      // heap 4, allocs 4, block 2, mutex 2, goroutine, threadcreate
      assertEquals(14, checked, "links checked");
    }
  }

  /**
   * Opens speedscope's search (Ctrl+F), asks for {@code query}, waits for the redraw that boxes its
   * matches and returns the boxes; closes the search first if it is open.
   */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> search(Chromium browser, String query) {
    closeSearch(browser);
    browser.ctrlF();
    browser.await(
        "document.activeElement && document.activeElement.nodeName === 'INPUT'",
        REDRAWN,
        "no search box after Ctrl+F");
    // The box opens with the last query: replace it, then wait for the redraw it causes.
    browser.eval("document.activeElement.select()");
    long before = ((Number) browser.eval(FLAME + ".redraws")).longValue();
    browser.type(query);
    browser.await(
        "document.activeElement.value === "
            + js(query)
            + " && "
            + FLAME
            + ".redraws > "
            + before
            + " && "
            + FLAME
            + ".fills.some(f => f.style === '"
            + MATCH
            + "' && f.rects.length > 0)",
        REDRAWN,
        "no match drawn for " + query);
    return (List<Map<String, Object>>)
        browser.eval(
            FLAME + ".fills.filter(f => f.style === '" + MATCH + "').flatMap(f => f.rects)");
  }

  /** Escape in speedscope's search box (when open) closes it and its boxes go. */
  private static void closeSearch(Chromium browser) {
    browser.eval("document.querySelector('input')?.focus()");
    browser.escape();
    browser.await(
        "!" + FLAME + ".fills.some(f => f.style === '" + MATCH + "')",
        REDRAWN,
        "search boxes still drawn after Escape");
  }

  /** The body of the one response whose URL contains {@code path}, as Chromium received it. */
  private static byte[] responseBody(Chromium browser, String path) {
    List<Map<String, Object>> got = new ArrayList<>();
    for (Map<String, Object> e : browser.events("Network.responseReceived")) {
      Map<?, ?> response = (Map<?, ?>) e.get("response");
      if (String.valueOf(response.get("url")).contains(path)) {
        got.add(e);
      }
    }
    assertEquals(1, got.size(), "responses for " + path);
    Map<String, Object> body =
        browser.call("Network.getResponseBody", Map.of("requestId", got.get(0).get("requestId")));
    String text = (String) body.get("body");
    return Boolean.TRUE.equals(body.get("base64Encoded"))
        ? Base64.getDecoder().decode(text)
        : text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static double width(List<Map<String, Object>> boxes) {
    double sum = 0;
    for (Map<String, Object> b : boxes) {
      sum += ((Number) b.get("w")).doubleValue();
    }
    return sum;
  }

  /** The centre of a box on the canvas, in the viewport's CSS pixels. */
  private static double[] centre(Chromium browser, Map<String, Object> box) {
    double x = ((Number) box.get("x")).doubleValue() + ((Number) box.get("w")).doubleValue() / 2;
    double y = ((Number) box.get("y")).doubleValue() + ((Number) box.get("h")).doubleValue() / 2;
    @SuppressWarnings("unchecked")
    Map<String, Object> r =
        (Map<String, Object>)
            browser.eval(
                "(() => { const c = "
                    + FLAME
                    + ".canvas, b = c.getBoundingClientRect();"
                    + " return {left: b.left, top: b.top, scale: c.width / b.width}; })()");
    double scale = ((Number) r.get("scale")).doubleValue();
    return new double[] {
      ((Number) r.get("left")).doubleValue() + x / scale,
      ((Number) r.get("top")).doubleValue() + y / scale
    };
  }

  /** A JavaScript string literal. */
  private static String js(String s) {
    return dev.jpprof.agent.json.JsonWriter.write(s);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = UiTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
