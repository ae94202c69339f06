// Installed before speedscope's page runs (Page.addScriptToEvaluateOnNewDocument): records what
// each 2D canvas draws since its last full clear, so the UI test can read the flame graph speedscope
// draws (its frame labels, and the rectangles it fills around search matches) without reading
// pixels. window.__jpprof.canvases holds one record per canvas: its element, how many times it was
// cleared whole (one per redraw), and the fills (fillStyle and the path's rectangles) and texts
// drawn since.
(() => {
  const proto = CanvasRenderingContext2D.prototype;
  const records = new WeakMap();
  const canvases = [];
  window.__jpprof = {canvases};
  const record = ctx => {
    let r = records.get(ctx);
    if (!r) {
      r = {canvas: ctx.canvas, redraws: 0, path: [], fills: [], texts: []};
      records.set(ctx, r);
      canvases.push(r);
    }
    return r;
  };
  const wrap = (name, note) => {
    const original = proto[name];
    proto[name] = function (...args) {
      try {
        note(record(this), this, args);
      } catch (e) {
        // Recording must never change what the page does.
      }
      return original.apply(this, args);
    };
  };
  wrap('clearRect', (r, ctx, [x, y, w, h]) => {
    if (x <= 0 && y <= 0 && w >= ctx.canvas.width && h >= ctx.canvas.height) {
      r.redraws++;
      r.fills = [];
      r.texts = [];
    }
  });
  wrap('beginPath', r => {
    r.path = [];
  });
  wrap('rect', (r, ctx, [x, y, w, h]) => {
    r.path.push({x, y, w, h});
  });
  wrap('fill', (r, ctx) => {
    r.fills.push({style: String(ctx.fillStyle), rects: r.path.slice()});
  });
  wrap('fillText', (r, ctx, [text, x, y]) => {
    r.texts.push({text: String(text), x, y});
  });
})();
