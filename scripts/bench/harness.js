// In-page drivers of the benchmark harness page (target/bench/harness):
// each figure times Pulse (the wasm exports of src/bin/pulse_bench.rs and
// its ChartCanvas) and its peer (uPlot, or the plain-JS code of peers.js)
// in the same page, on the same data. scripts/bench/run.mjs calls these
// through page.evaluate and does the statistics.
(() => {
  "use strict";

  const now = () => performance.now();
  // Resolves after every pending microtask (both charts commit their draws
  // in microtasks) without the clamping of setTimeout.
  const task = () =>
    new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve();
      ch.port2.postMessage(null);
    });
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

  function wasm() {
    const w = window.wasmBindings;
    if (!w || typeof w.chart_mount !== "function") throw new Error("the harness wasm is not loaded");
    return w;
  }

  // A deterministic random walk: x = 0..n-1.
  function walk(n, seed) {
    let s = seed >>> 0 || 1;
    const rand = () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s / 4294967296;
    };
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    let v = 1000;
    for (let i = 0; i < n; i++) {
      v += (rand() - 0.5) * 10;
      x[i] = i;
      y[i] = v;
    }
    return { x, y };
  }

  function close(a, b) {
    if (a.length !== b.length) return false;
    return a.every((v, i) => Math.abs(v - b[i]) <= 1e-6 * Math.max(1, Math.abs(v), Math.abs(b[i])));
  }

  // ---- Pulse's chart (ChartCanvas mounted by the harness wasm) ----

  const pulse = {
    el: () => document.querySelector("#pulse-chart [data-chart]"),
    draws() {
      const v = this.el()?.getAttribute("data-draws");
      return v == null ? NaN : Number(v);
    },
    async mount() {
      if (!this.el()) wasm().chart_mount(document.getElementById("pulse-chart"));
      for (let i = 0; i < 200 && !(this.el() && this.el().querySelector("canvas")?.width >= 1000); i++) await frame();
      if (!this.el()) throw new Error("ChartCanvas did not mount");
    },
    // Time from handing a new spec to the chart to both layers drawn and
    // flushed (a one-pixel read forces the canvases' pending work).
    async draw(trigger) {
      const before = this.draws();
      const t0 = now();
      if (!trigger()) throw new Error("the chart is not mounted");
      await task();
      for (let i = 0; i < 50 && Number.isFinite(before) && !(this.draws() > before); i++) await task();
      const el = this.el();
      for (const c of el.querySelectorAll("canvas")) c.getContext("2d").getImageData(0, 0, 1, 1);
      const ms = now() - t0;
      if (Number.isFinite(before) && !(this.draws() > before)) throw new Error("the chart did not redraw");
      return {
        ms,
        build_ms: wasm().chart_last_build_ms(),
        draw_ms: Number(el.getAttribute("data-draw-ms")),
        raster_ms: Number(el.getAttribute("data-raster-ms")),
      };
    },
  };

  // ---- uPlot (the peer), same size, same line width ----

  const uplot = {
    u: null,
    drawn: 0,
    make(data) {
      const el = document.getElementById("uplot-chart");
      if (this.u) this.u.destroy();
      el.textContent = "";
      this.u = new uPlot(
        {
          width: 1200,
          height: 400,
          scales: { x: { time: false } },
          series: [{ label: "x" }, { label: "value", stroke: "#2563eb", width: 1.5 }],
          hooks: { draw: [() => (this.drawn += 1)] },
        },
        data,
        el,
      );
    },
    async draw(trigger) {
      const before = this.drawn;
      const t0 = now();
      trigger();
      await task();
      for (let i = 0; i < 50 && this.drawn === before; i++) await task();
      this.u.ctx.getImageData(0, 0, 1, 1);
      const ms = now() - t0;
      if (this.drawn === before) throw new Error("uPlot did not redraw");
      return { ms };
    },
  };

  // n pointer moves across the middle of `target`'s box, each followed by
  // a forced style and layout of `probe` (the tooltip or legend that moved).
  function moves(target, probe, n) {
    const r = target.getBoundingClientRect();
    const y = r.top + r.height * 0.4;
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const x = r.left + r.width * (0.15 + (0.8 * i) / Math.max(1, n - 1));
      target.dispatchEvent(new MouseEvent("mousemove", { clientX: x, clientY: y, bubbles: true }));
      probe().getBoundingClientRect();
    }
    return (now() - t0) / n;
  }

  async function repeat(runs, fn) {
    const out = [];
    for (let i = 0; i < runs; i++) {
      out.push(await fn(i));
      await task();
    }
    return out;
  }

  // Runs `a` and `b` alternately (a first in even runs, b first in odd
  // ones), so a change of load on the machine hits both alike.
  async function paired(runs, a, b) {
    const as = [];
    const bs = [];
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        as.push(await a(i));
        await task();
        bs.push(await b(i));
      } else {
        bs.push(await b(i));
        await task();
        as.push(await a(i));
      }
      await task();
    }
    return [as, bs];
  }

  const data = { delivery: null, line: null };

  const figures = {
    async setup() {
      wasm();
      if (typeof uPlot !== "function") throw new Error("uPlot is not loaded");
      if (!window.benchPeers) throw new Error("peers.js is not loaded");
      await pulse.mount();
      return true;
    },

    // Capacity planner: fit + sweep for the loaded day resized to `posts`
    // posts, `workers` workers now. The figure is the plan alone (the
    // harness parses the day first, untimed by it).
    async capacity(runs, posts, workers) {
      const { body, day } = data.delivery;
      const plan = [];
      let result = null;
      for (let i = 0; i < runs; i++) {
        const r = Array.from(wasm().capacity_plan(body, day, posts, workers));
        plan.push(r[6]);
        result = r;
        await task();
      }
      const [n, scale, share, w95, w99, rows] = result;
      const reach = (w) => (w < 0 ? `more than ${-w}` : w);
      return { pulse: plan, check: { posts: n, scale_s: scale, share_at_current: share, workers_95: reach(w95), workers_99: reach(w99), sweep_rows: rows } };
    },

    async loadDelivery(url, day) {
      const res = await fetch(url, { cache: "no-store" });
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      data.delivery = { body: await res.text(), day };
      return data.delivery.body.length;
    },

    // Parse + validate + aggregate: Pulse (the string crosses into wasm
    // inside the timing) vs JSON.parse + the same in plain JS.
    async delivery(runs) {
      const { body, day } = data.delivery;
      const pulseSums = wasm().delivery_aggregate(body, day);
      const peerSums = window.benchPeers.deliveryAggregate(body, day);
      if (!close(Array.from(pulseSums).slice(0, 14), peerSums)) {
        throw new Error(`delivery results differ: Pulse ${Array.from(pulseSums)} vs JS ${peerSums}`);
      }
      const parts = { parse: [], aggregate: [] };
      const [pulseMs, peerMs] = await paired(
        runs,
        () => {
          const t0 = now();
          const r = wasm().delivery_aggregate(body, day);
          const ms = now() - t0;
          parts.parse.push(r[14]);
          parts.aggregate.push(r[15]);
          return ms;
        },
        () => {
          const t0 = now();
          window.benchPeers.deliveryAggregate(body, day);
          return now() - t0;
        },
      );
      return { pulse: pulseMs, peer: peerMs, pulse_parse: parts.parse, pulse_aggregate: parts.aggregate, check: Array.from(pulseSums).slice(0, 14) };
    },

    // The same n-point series handed to both charts.
    async series(n) {
      data.line = walk(n, 0x5eed);
      const { x, y } = data.line;
      const kept = wasm().chart_set_series(x, y);
      uplot.make([x, y]);
      await task();
      return kept;
    },

    // Full redraw with new data of the whole series.
    async drawLine(runs) {
      const { x, y } = data.line;
      const [p, u] = await paired(
        runs,
        () => pulse.draw(() => wasm().chart_show_line(NaN, NaN)),
        () => uplot.draw(() => uplot.u.setData([x, y])),
      );
      return {
        pulse: p.map((r) => r.ms),
        peer: u.map((r) => r.ms),
        pulse_spec: p.map((r) => r.build_ms),
        pulse_engine: p.map((r) => r.draw_ms),
        pulse_raster: p.map((r) => r.raster_ms),
      };
    },

    // Crosshair + tooltip (uPlot: cursor + legend) per pointer move, over
    // the chart last drawn with the whole series.
    async hover(runs, n) {
      const pEl = pulse.el();
      const tip = () => pEl.querySelector(".chart-tooltip");
      const legend = () => uplot.u.root.querySelector(".u-legend") || uplot.u.root;
      const [p, u] = await paired(
        runs,
        () => moves(pEl, tip, n),
        () => moves(uplot.u.over, legend, n),
      );
      if (tip().style.display !== "block" || !tip().textContent) throw new Error("Pulse showed no tooltip");
      if (uplot.u.cursor.idx == null) throw new Error("uPlot's cursor found no point");
      pEl.dispatchEvent(new MouseEvent("mouseleave", { bubbles: false }));
      return { pulse: p, peer: u };
    },

    // Redraw per x window while panning a 10 % window across the series.
    async zoom(runs, steps) {
      const n = data.line.x.length;
      const windows = Array.from({ length: steps }, (_, i) => {
        const lo = ((n * 0.9) / Math.max(1, steps - 1)) * i;
        return [lo, lo + n * 0.1];
      });
      const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const engine = [];
      const [p, u] = await paired(
        runs,
        async () => {
          const each = [];
          const inner = [];
          for (const [lo, hi] of windows) {
            const r = await pulse.draw(() => wasm().chart_show_line(lo, hi));
            each.push(r.ms);
            inner.push(r.draw_ms);
          }
          engine.push(mean(inner));
          return mean(each);
        },
        async () => {
          const each = [];
          for (const [lo, hi] of windows) each.push((await uplot.draw(() => uplot.u.setScale("x", { min: lo, max: hi }))).ms);
          return mean(each);
        },
      );
      return { pulse: p, peer: u, pulse_engine: engine };
    },

    async heatmap(runs) {
      const { body, day } = data.delivery;
      const cells = wasm().chart_set_heatmap(body, day);
      const p = await repeat(runs, () => pulse.draw(() => wasm().chart_show_heatmap()));
      return { pulse: p.map((r) => r.ms), pulse_engine: p.map((r) => r.draw_ms), cells };
    },

    // Movements + forecast (Pulse) vs the same movements in plain JS, on
    // the same generated events.
    async revenue(runs, customers, events) {
      const w = wasm();
      const count = w.revenue_generate(customers, events, 2016);
      const [plans, nCustomers] = w.revenue_shape();
      const cols = {
        customer: w.revenue_customer_ids(),
        at: w.revenue_times_ms(),
        plan: w.revenue_plan_ids(),
        mrr: w.revenue_mrr_cents(),
        plans,
        customers: nCustomers,
      };
      const first = Array.from(w.revenue_run());
      const peerSums = window.benchPeers.movements(cols);
      if (!close(first.slice(2, 10), peerSums)) {
        throw new Error(`revenue results differ: Pulse ${first.slice(2, 10)} vs JS ${peerSums}`);
      }
      const parts = { model: [], forecast: [] };
      const [p, u] = await paired(
        runs,
        () => {
          const t0 = now();
          const r = w.revenue_run();
          const ms = now() - t0;
          parts.model.push(r[0]);
          parts.forecast.push(r[1]);
          return ms;
        },
        () => {
          const t0 = now();
          window.benchPeers.movements(cols);
          return now() - t0;
        },
      );
      return { pulse: p, peer: u, pulse_model: parts.model, pulse_forecast: parts.forecast, events: count, customers: nCustomers, months: first[2] };
    },
  };

  window.benchFigures = figures;
})();
