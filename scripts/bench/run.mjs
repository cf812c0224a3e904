#!/usr/bin/env node
// Drives the benchmark (see BENCHMARKS.md): serves the release site,
// the harness page and the dev-only peers on 127.0.0.1, runs every figure in
// one headless Chromium (Pulse and its peer in the same page, on the same
// data), prints the table and writes it as JSON.
//
//   node scripts/bench/run.mjs --site target/bench/site --harness target/bench/harness
//        [--runs 5] [--scale 5] [--smoke] [--only ID,ID] [--out FILE]
//
// Results go to target/bench/results.json (results-only.json with --only).
//
// Run by scripts/bench.sh, which builds both folders first.

import { createRequire } from "node:module";
import { execFileSync, fork, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { repeatPosts } from "./hour.mjs";
import { loaderParts } from "./parts.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tools = path.join(root, ".tools");
const require = createRequire(path.join(tools, "package.json"));
const { chromium } = require("playwright-core");

// ---------------------------------------------------------------- options

function options(argv) {
  const o = {
    site: "target/bench/site",
    harness: "target/bench/harness",
    out: null,
    runs: 5,
    scale: null,
    smoke: false,
    only: null,
    chromium: process.env.CHROME || "/usr/bin/chromium",
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--site") o.site = value();
    else if (a === "--harness") o.harness = value();
    else if (a === "--out") o.out = value();
    else if (a === "--runs") o.runs = Number(value());
    else if (a === "--scale") o.scale = Number(value());
    else if (a === "--smoke") o.smoke = true;
    else if (a === "--only") o.only = new Set(value().split(","));
    else if (a === "--chromium") o.chromium = value();
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error("--runs needs a whole number of 1 or more");
  o.site = path.resolve(root, o.site);
  o.harness = path.resolve(root, o.harness);
  // A partial run keeps the full run's results.
  o.out = path.resolve(root, o.out || (o.only ? "target/bench/results-only.json" : "target/bench/results.json"));
  return o;
}

const opt = options(process.argv.slice(2));

// Sizes of the figures: the full scale BENCHMARKS.md states, tiny for --smoke.
const size = opt.smoke
  ? { runs: 1, warmup: 0, points: 50_000, zoomPoints: 10_000, zoomSteps: 5, hoverMoves: 50, customers: 5_000, events: 25_000, queuePosts: 2_000, scrollFrames: 60, capacityPosts: 4_000 }
  : { runs: opt.runs, warmup: 1, points: 1_000_000, zoomPoints: 100_000, zoomSteps: 20, hoverMoves: 200, customers: 100_000, events: 500_000, queuePosts: 50_000, scrollFrames: 300, capacityPosts: 40_000 };

const DELIVERY_DAY = "2016-08-03";
const CAPACITY_WORKERS = 24;
const QUEUE_DAY = "2016-08-03";
const QUEUE_HOUR = "08";
const OTHER_HOUR = "09";
const VIEWPORT = { width: 1280, height: 900 };

const log = (...a) => console.error("bench:", ...a);

// ---------------------------------------------------------------- data

// The queue hour: exactly `n` posts, from the demo's own hour; when it has
// fewer, its posts are repeated with new ids (same times and content).
// The demo's file is kept beside the results, so running this script again
// on the same site starts from the demo's hour, not from the last output.
function prepareQueueHour(site, n) {
  const file = path.join(site, "api/v1/posts", QUEUE_DAY, `${QUEUE_HOUR}.json`);
  const keep = path.join(path.dirname(opt.out), "queue-hour-source.json");
  const mark = path.join(path.dirname(opt.out), "queue-hour-written.sha256");
  const sha = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");
  const current = fs.readFileSync(file);
  const ours = fs.existsSync(mark) && fs.existsSync(keep) && fs.readFileSync(mark, "utf8").trim() === sha(current);
  if (!ours) {
    fs.mkdirSync(path.dirname(keep), { recursive: true });
    fs.writeFileSync(keep, current);
  }
  const doc = JSON.parse(fs.readFileSync(ours ? keep : file, "utf8"));
  const source = doc.posts;
  if (!Array.isArray(source) || source.length === 0) throw new Error(`${file} has no posts`);
  const posts = repeatPosts(source, n);
  doc.posts = posts;
  const out = JSON.stringify(doc);
  fs.writeFileSync(file, out);
  fs.writeFileSync(mark, sha(out) + "\n");
  return { file: path.relative(root, file), posts: posts.length, demo_posts: source.length, repeated: source.length < n };
}

// ---------------------------------------------------------------- server

// The files are served by a child process (scripts/bench/serve.mjs): in
// this process, the browser driver's own traffic would delay responses
// and add to the page's load times.
function serve(mounts, options = {}) {
  const child = fork(path.join(root, "scripts/bench/serve.mjs"), [JSON.stringify(mounts), JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (port) => resolve({ port, child, close: () => child.kill() }));
    child.once("exit", (code) => reject(new Error(`the file server stopped (${code})`)));
  });
}

// ---------------------------------------------------------------- statistics

function stats(samples) {
  const xs = samples.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, min: xs[0], max: xs[xs.length - 1], n: xs.length, samples };
}

const drop = (samples) => samples.slice(size.warmup);

// ---------------------------------------------------------------- in-page code

// Installed before any page script: wasm memory from trunk's start event,
// and the first drawn delivery chart (pixels on a canvas of a delivery
// chart that says it drew), timed when the frame that shows it has been
// produced. A chart may draw inside a frame's rendering update (from a
// resize observer, after the frame's animation callbacks): its pixels are
// then in that frame, which ends before the next task runs; a chart drawn
// in an ordinary task shows in the next frame.
function pageProbe({ chart }) {
  const b = (window.__bench = { started: null, wasm: null, detected: null, firstChart: null, placeholder: false, inFrame: null });
  addEventListener("TrunkApplicationStarted", (e) => {
    b.started = performance.now();
    b.wasm = e.detail && e.detail.wasm;
  });
  if (!chart) return;
  // Runs `cb` as the next task, ahead of the page's own (after the
  // current frame, when called during a rendering update).
  const afterFrame = (cb) => {
    if (window.scheduler && scheduler.postTask) {
      scheduler.postTask(cb, { priority: "user-blocking" });
      return;
    }
    const ch = new MessageChannel();
    ch.port1.onmessage = cb;
    ch.port2.postMessage(null);
  };
  let inFrame = false;
  const drawn = (c) => {
    if (!c.width || !c.height) return false;
    let d;
    try {
      d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    } catch {
      return false;
    }
    let first = -1;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      if (first < 0) first = v;
      else if (v !== first) return true;
    }
    return false;
  };
  const check = () => {
    if (b.detected !== null) return;
    if (document.querySelector('[data-panel="delivery-placeholder"]')) b.placeholder = true;
    for (const c of document.querySelectorAll('[data-chart^="delivery"][data-draws] canvas')) {
      if (drawn(c)) {
        b.detected = performance.now();
        b.inFrame = inFrame;
        const done = () => (b.firstChart = performance.now());
        if (inFrame) afterFrame(done);
        else requestAnimationFrame(() => afterFrame(done));
        return;
      }
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-draws", "data-panel"],
  });
  const poll = () => {
    inFrame = true;
    afterFrame(() => (inFrame = false));
    check();
    if (b.detected === null) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

// Switches the queue to another hour inside the app (history + popstate,
// as the back button does) and times it until the rows of that hour are in
// the list and the frame showing them has been produced.
async function queueSwitch({ url, count, timeout }) {
  const task = () =>
    new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r();
      ch.port2.postMessage(null);
    });
  const rows = () => document.querySelectorAll(".qlist [data-post-id]");
  const firstBefore = rows()[0]?.getAttribute("data-post-id") ?? null;
  const ready = () => {
    const r = rows();
    if (r.length === 0 || r[0].getAttribute("data-post-id") === firstBefore) return false;
    if (count == null) return true;
    const k = document.querySelector('[data-kpi="posts_count"]');
    return !!k && k.getAttribute("data-value") === String(count);
  };
  performance.clearResourceTimings();
  const t0 = performance.now();
  history.pushState(null, "", url);
  dispatchEvent(new PopStateEvent("popstate", { state: null }));
  const dom = await new Promise((resolve, reject) => {
    if (ready()) return resolve(performance.now());
    const mo = new MutationObserver(() => {
      if (ready()) {
        mo.disconnect();
        clearTimeout(timer);
        resolve(performance.now());
      }
    });
    mo.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-value", "data-post-id"] });
    const timer = setTimeout(() => {
      mo.disconnect();
      reject(new Error(`the queue showed no rows for ${url} within ${timeout} ms`));
    }, timeout);
  });
  await new Promise((r) => requestAnimationFrame(() => r()));
  await task();
  const shown = performance.now() - t0;
  // The hour is fetched by a worker: its end is the page's own mark.
  const got = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("pulse:got posts/") && m.startTime >= t0);
  return { dom: dom - t0, shown, rows: rows().length, fetched: got.length ? got[0].startTime - t0 : null };
}

// Scrolls the queue list from top to bottom in `frames` animation frames
// (each frame lands on rows not rendered before) and returns the frame
// times and the most rows the list held at once.
async function queueScroll({ frames }) {
  const el = document.querySelector(".qlist");
  if (!el) throw new Error("no queue list on the page");
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  el.scrollTop = 0;
  await frame();
  await frame();
  const max = el.scrollHeight - el.clientHeight;
  const step = max / frames;
  const stamps = [];
  const work = [];
  let maxRows = 0;
  const ch = new MessageChannel();
  let frameStart = 0;
  ch.port1.onmessage = () => work.push(performance.now() - frameStart);
  await new Promise((resolve) => {
    let i = 0;
    const tick = (ts) => {
      stamps.push(ts);
      frameStart = ts;
      ch.port2.postMessage(null);
      maxRows = Math.max(maxRows, el.querySelectorAll("[data-post-id]").length);
      if (i >= frames) return resolve();
      i += 1;
      el.scrollTop = Math.min(max, i * step);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await new Promise((r) => requestAnimationFrame(() => r()));
  const deltas = stamps.slice(1).map((t, i) => t - stamps[i]);
  const p95of = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
  };
  const sorted = [...deltas].sort((a, b) => a - b);
  // The page clock ticks in 0.1 ms, so on-time frames read 16.6 or 16.8
  // ms at 60 Hz. Each interval is counted in whole display frames (the
  // median interval is one frame): p95 is then one frame when no frame
  // was dropped, two when 5 % were late by one, and so on.
  const period = sorted[sorted.length >> 1];
  const counted = deltas.map((d) => Math.max(1, Math.round(d / period)));
  const p95 = p95of(counted) * period;
  const rawP95 = p95of(deltas);
  const last = el.querySelectorAll("[data-post-id]");
  return {
    p95,
    rawP95,
    period,
    dropped: counted.reduce((a, f) => a + f - 1, 0),
    mean: deltas.reduce((a, b) => a + b, 0) / deltas.length,
    worst: sorted[sorted.length - 1],
    workP95: p95of(work.slice(1)),
    maxRows,
    frames: deltas.length,
    bottom: el.scrollTop >= max - 2,
    lastRowId: last.length ? last[last.length - 1].getAttribute("data-post-id") : null,
  };
}

function memoryNow() {
  if (typeof window.gc === "function") window.gc();
  const heap = performance.memory ? performance.memory.usedJSHeapSize : NaN;
  const mem = window.__bench && window.__bench.wasm && window.__bench.wasm.memory;
  const wasm = mem ? mem.buffer.byteLength : NaN;
  return { heap, wasm };
}

// ---------------------------------------------------------------- figures

const figures = [];

// `--only views` selects every first-view figure (`view_…`).
const wanted = (id) => !opt.only || opt.only.has(id) || (id.startsWith("view_") && opt.only.has("views"));

function figure(id, label, unit, budget, peerName) {
  const f = { id, figure: label, unit, budget, peer_name: peerName, pulse: null, peer: null, ratio: null, verdict: null, note: null, extra: {} };
  figures.push(f);
  return f;
}

async function attempt(f, fn) {
  if (!wanted(f.id)) {
    f.skipped = true;
    return;
  }
  const t0 = Date.now();
  try {
    await fn(f);
  } catch (e) {
    f.error = String(e && e.message ? e.message : e).split("\n")[0];
    log(`${f.id}: ${f.error}`);
  }
  log(`${f.id}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function ctxOptions() {
  return { viewport: VIEWPORT, deviceScaleFactor: 1 };
}

async function harnessFigures(browser, base) {
  const ctx = await browser.newContext(ctxOptions());
  const page = await ctx.newPage();
  page.on("pageerror", (e) => log("harness page error:", e.message));
  await page.goto(`${base}/harness/index.html`);
  await page.waitForFunction(() => window.wasmBindings && typeof window.wasmBindings.chart_mount === "function", null, { timeout: 30_000 });
  await page.addStyleTag({ url: `${base}/peer/uPlot.min.css` });
  await page.addScriptTag({ url: `${base}/peer/uPlot.iife.min.js` });
  await page.addScriptTag({ url: `${base}/bench/peers.js` });
  await page.addScriptTag({ url: `${base}/bench/harness.js` });
  await page.evaluate(() => window.benchFigures.setup());
  const total = size.warmup + size.runs;
  const run = (name, ...args) => page.evaluate(([n, a]) => window.benchFigures[n](...a), [name, args]);

  const delivery = figure("delivery", "parse + validate + aggregate one delivery day (24 series)", "ms", { ratio: 1.0 }, "JSON.parse + same aggregation, plain JS");
  await attempt(delivery, async (f) => {
    const bytes = await run("loadDelivery", `${base}/site/api/v1/delivery/${DELIVERY_DAY}.json`, DELIVERY_DAY);
    const r = await run("delivery", total);
    f.pulse = stats(drop(r.pulse));
    f.peer = stats(drop(r.peer));
    f.extra = { day: DELIVERY_DAY, bytes, pulse_parse_ms: stats(drop(r.pulse_parse)), pulse_aggregate_ms: stats(drop(r.pulse_aggregate)), checksums: r.check };
  });

  const draw = figure("draw_1m", `draw a ${size.points.toLocaleString("en")}-point time series, 1200×400 canvas`, "ms", { ratio: 1.0 }, "uPlot setData + draw");
  const hover = figure("hover", `hover: crosshair + tooltip per move (${size.points.toLocaleString("en")}-point chart)`, "ms", { max: 2 }, "uPlot cursor + legend");
  await attempt(draw, async (f) => {
    await run("series", size.points);
    const r = await run("drawLine", total);
    f.pulse = stats(drop(r.pulse));
    f.peer = stats(drop(r.peer));
    f.extra = {
      pulse_spec_ms: stats(drop(r.pulse_spec)),
      pulse_engine_ms: stats(drop(r.pulse_engine)),
      pulse_raster_ms: stats(drop(r.pulse_raster)),
      note: "Pulse = build the spec (copy of the series) + ChartCanvas (spec memo, Frame, raster, putImageData, text layer) + flush; engine = ChartCanvas's own data-draw-ms",
    };
  });
  await attempt(hover, async (f) => {
    if (draw.error || draw.skipped) throw new Error("needs the drawn chart of draw_1m");
    const r = await run("hover", total, size.hoverMoves);
    f.pulse = stats(drop(r.pulse));
    f.peer = stats(drop(r.peer));
    f.extra = { moves_per_run: size.hoverMoves };
  });

  const zoom = figure("zoom", `zoom/pan redraw at ${size.zoomPoints.toLocaleString("en")} points`, "ms", { ratio: 1.0 }, "uPlot setScale");
  await attempt(zoom, async (f) => {
    await run("series", size.zoomPoints);
    const r = await run("zoom", total, size.zoomSteps);
    f.pulse = stats(drop(r.pulse));
    f.peer = stats(drop(r.peer));
    f.extra = { windows_per_run: size.zoomSteps, window: "10 % of the series, panned start to end", pulse_engine_ms: stats(drop(r.pulse_engine)) };
  });

  const heat = figure("heatmap", "heatmap 1440 × 12 cells (delivery day, 1200×400)", "ms", { max: 10 }, null);
  await attempt(heat, async (f) => {
    if (delivery.skipped) await run("loadDelivery", `${base}/site/api/v1/delivery/${DELIVERY_DAY}.json`, DELIVERY_DAY);
    const r = await run("heatmap", total);
    f.pulse = stats(drop(r.pulse));
    f.extra = { cells: r.cells, pulse_engine_ms: stats(drop(r.pulse_engine)) };
  });

  const capacity = figure("capacity", `capacity planner: fit + sweep for a day of ${size.capacityPosts.toLocaleString("en")} posts, ${CAPACITY_WORKERS} workers now`, "ms", { max: 300 }, null);
  await attempt(capacity, async (f) => {
    if (delivery.skipped) await run("loadDelivery", `${base}/site/api/v1/delivery/${DELIVERY_DAY}.json`, DELIVERY_DAY);
    const r = await run("capacity", total, size.capacityPosts, CAPACITY_WORKERS);
    f.pulse = stats(drop(r.pulse));
    f.extra = { day: DELIVERY_DAY, ...r.check, note: "the day's per-minute, per-media counts resized to the figure's posts (same shape), its observed share within 60 s; 4 replications per evaluation" };
  });

  const revenue = figure(
    "revenue",
    `revenue: ${size.customers.toLocaleString("en")} customers / ${size.events.toLocaleString("en")} events → movements + forecast`,
    "ms",
    { max: 500, ratio: 1.0 },
    "same movements, plain JS",
  );
  await attempt(revenue, async (f) => {
    const r = await run("revenue", total, size.customers, size.events);
    f.pulse = stats(drop(r.pulse));
    f.peer = stats(drop(r.peer));
    f.extra = { events: r.events, customers: r.customers, months: r.months, pulse_model_ms: stats(drop(r.pulse_model)), pulse_forecast_ms: stats(drop(r.pulse_forecast)) };
  });
  await ctx.close();
}

async function coldStart(browser, base) {
  const f = figure("cold_start", "cold start: navigation → first drawn delivery chart (no cache)", "ms", { max: 300 }, null);
  await attempt(f, async () => {
    const samples = [];
    const started = [];
    const detail = { wasm_loaded_ms: [], delivery_doc_loaded_ms: [], pixels_ms: [], meta_parsed_ms: [], day_parsed_ms: [], drawn_in_frame: 0, rest_before_chart: 0 };
    for (let i = 0; i < size.warmup + size.runs; i++) {
      const ctx = await browser.newContext(ctxOptions());
      await ctx.addInitScript(pageProbe, { chart: true });
      const page = await ctx.newPage();
      await page.goto(`${base}/site/?view=delivery`, { waitUntil: "commit" });
      let r;
      try {
        // Asked from outside, first after 800 ms, then every 100 ms: a
        // page-side waiting function would add its own script to the
        // page, and its work, while the page starts.
        const read = () => {
          const b = window.__bench;
          if (!b) return null;
          if (b.firstChart !== null) {
            const res = performance.getEntriesByType("resource");
            const end = (part) => res.find((e) => e.name.includes(part))?.responseEnd ?? null;
            const mark = (name) => performance.getEntriesByName(name, "mark")[0]?.startTime ?? null;
            return {
              t: b.firstChart,
              detected: b.detected,
              inFrame: b.inFrame,
              started: b.started,
              wasm: end("_bg.wasm"),
              // The second part of a split module: asked for after the
              // first chart, unless the first view called into it.
              rest: res.find((e) => e.name.includes("_rest.wasm"))?.startTime ?? null,
              doc: end("/delivery/"),
              meta: mark("pulse:parsed meta.json"),
              parsed: performance.getEntriesByType("mark").find((m) => m.name.startsWith("pulse:parsed delivery/"))?.startTime ?? null,
            };
          }
          if (b.placeholder && b.started !== null && performance.now() - b.started > 3000) return { placeholder: true };
          return null;
        };
        const deadline = Date.now() + 20_000;
        for (let wait = 800; ; wait = 100) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          r = await page.evaluate(read);
          if (r) break;
          if (Date.now() > deadline) throw new Error("no delivery chart was drawn within 20 s");
        }
      } finally {
        await ctx.close();
      }
      if (r.placeholder) {
        f.pending = true;
        f.note = "the Delivery view shows its placeholder: no delivery chart to time yet";
        return;
      }
      samples.push(r.t);
      started.push(r.started);
      detail.wasm_loaded_ms.push(r.wasm);
      detail.delivery_doc_loaded_ms.push(r.doc);
      detail.pixels_ms.push(r.detected);
      detail.meta_parsed_ms.push(r.meta);
      detail.day_parsed_ms.push(r.parsed);
      if (i >= size.warmup && r.inFrame) detail.drawn_in_frame += 1;
      if (i >= size.warmup && r.rest !== null && r.rest < r.detected) detail.rest_before_chart += 1;
    }
    f.pulse = stats(drop(samples));
    f.extra = {
      url: "?view=delivery",
      wasm_loaded_ms: stats(drop(detail.wasm_loaded_ms)),
      app_started_ms: stats(drop(started)),
      meta_parsed_ms: stats(drop(detail.meta_parsed_ms)),
      delivery_doc_loaded_ms: stats(drop(detail.delivery_doc_loaded_ms)),
      day_parsed_ms: stats(drop(detail.day_parsed_ms)),
      chart_pixels_ms: stats(drop(detail.pixels_ms)),
      runs_drawn_inside_a_frame: detail.drawn_in_frame,
      runs_loading_the_second_module_before_the_chart: detail.rest_before_chart,
      note: "times from navigation start (the app's pulse:* performance marks for meta and day); the figure is the end of the frame that shows the first chart pixels",
    };
  });
}

// ---------------------------------------------------------------- first views

// Every view and an embedded panel of each, opened first (no cache), at
// desktop and phone width: the code the page fetched before the view's
// first content showed (gzip of each wasm, JS and CSS file it had asked
// for by then), when that was, the longest task from navigation until a
// second after it (the performance timeline's long tasks), and whether
// the second part of the split module was fetched synchronously or
// needed before it was in (the page then starts again with both parts).
const FIRST_VIEWS = [
  ["overview", "?view=overview", "[data-kpi='requests:buffer.com']"],
  ["delivery", `?view=delivery&day=${DELIVERY_DAY}`, "[data-chart=delivery-minutes][data-draws]"],
  ["revenue", "?view=revenue", "[data-chart=revenue-mrr][data-draws]"],
  ["queue", `?view=queue&day=${QUEUE_DAY}&hour=${QUEUE_HOUR}`, "[data-panel=queue-list] .qrow", "[data-panel=queue-list] .panel-head"],
  ["queue grid", `?view=queue&day=${QUEUE_DAY}&hour=${QUEUE_HOUR}&layout=grid`, "[data-panel=queue-grid] .tile", "[data-panel=queue-grid] .panel-head"],
  ["embed overview-services", "?view=overview&embed=overview-services", "[data-panel=overview-services] table, [data-panel=overview-services] [data-kpi]"],
  ["embed delivery-minutes", `?view=delivery&day=${DELIVERY_DAY}&embed=delivery-minutes`, "[data-chart=delivery-minutes][data-draws]"],
  ["embed revenue-mrr", "?view=revenue&embed=revenue-mrr", "[data-chart=revenue-mrr][data-draws]"],
  ["embed queue-list", `?view=queue&day=${QUEUE_DAY}&hour=${QUEUE_HOUR}&embed=queue-list`, "[data-panel=queue-list] .qrow", "[data-panel=queue-list] .panel-head"],
];
const WIDTHS = [
  [1280, 900],
  [390, 844],
];

// Installed before any page script: long tasks, and the first time the
// view's content matches `ready` (and `painted`).
function viewProbe({ ready, painted }) {
  const v = (window.__view = { ready: null, painted: null, tasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) v.tasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  const check = () => {
    if (v.ready === null && document.querySelector(ready)) v.ready = performance.now();
    if (v.painted === null && document.querySelector(painted)) v.painted = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
}

// Opens `url` in a Chromium of its own that no DevTools client is
// attached to (a client's agents add main-thread work of their own: the
// network agent decodes every text response it keeps, 70 ms for the
// Queue's 8.5 MB hour), the page reporting its long tasks through the
// probe of `server` (serve.mjs). Settles with the page's report once the
// page is `until` ms old.
async function quietRun(server, url, width, height, until) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "pulse-quiet-"));
  // Reports of a page opened before this run (a late one) are not this run's.
  const spawned = Date.now();
  const child = spawn(opt.chromium, [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--force-device-scale-factor=1",
    `--window-size=${width},${height}`, `--user-data-dir=${profile}`, url,
  ], { stdio: "ignore", detached: true });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let onReport;
  const listener = (m) => m && m.probe && onReport(m.probe);
  server.child.on("message", listener);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${url} reported nothing past ${until} ms within 30 s`)), 30_000);
      onReport = (r) => {
        if (r.origin >= spawned && r.now >= until) {
          clearTimeout(timer);
          resolve(r);
        }
      };
    });
  } finally {
    server.child.off("message", listener);
    // The browser and its helper processes, which share its group
    // (none left when the browser stopped by itself and took them along).
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 200));
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

// `quiet` serves the same files with the probe in each page, for the runs
// without DevTools.
async function viewFigures(browser, base, site, quiet) {
  const gz = new Map();
  const gzipOf = (rel) => {
    if (!gz.has(rel)) {
      const file = path.join(site, rel);
      gz.set(rel, fs.existsSync(file) ? zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length : NaN);
    }
    return gz.get(rel);
  };
  for (const [name, query, ready, firstPaint] of FIRST_VIEWS) {
    // The Queue paints its panel (title, progress) first; the rows of a
    // large hour come with the second module, asked for once the first
    // megabyte of the hour is in.
    const painted = firstPaint || ready;
    for (const [width, height] of WIDTHS) {
      const slug = `${name.replace(/\s+/g, "_")}@${width}`;
      const f = figure(`view_${slug}`, `first view: ${name}, ${width} px: code before its first content, gzip`, "KB", { max: 200, task: 50, async: true }, null);
      await attempt(f, async () => {
        const kb = [];
        const shown = [];
        const paints = [];
        const task = [];
        let sync = 0;
        for (let i = 0; i < size.warmup + size.runs; i++) {
          const ctx = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
          await ctx.addInitScript(viewProbe, { ready, painted });
          const page = await ctx.newPage();
          let r;
          try {
            await page.goto(`${base}/site/${query}`, { waitUntil: "commit" });
            const deadline = Date.now() + 20_000;
            for (;;) {
              await new Promise((resolve) => setTimeout(resolve, 250));
              const t = await page.evaluate(() => window.__view && window.__view.ready);
              if (t !== null && t !== undefined) break;
              if (Date.now() > deadline) throw new Error(`${ready} did not show within 20 s`);
            }
            await new Promise((resolve) => setTimeout(resolve, 1000));
            r = await page.evaluate(() => {
              const v = window.__view;
              const res = performance.getEntriesByType("resource").map((e) => [new URL(e.name).pathname, e.startTime, e.initiatorType]);
              const restarted = performance.getEntriesByType("navigation")[0]?.type === "reload";
              return { ready: v.ready, painted: v.painted ?? v.ready, tasks: v.tasks, res, restarted };
            });
          } finally {
            await ctx.close();
          }
          const code = r.res.filter(([p, start]) => start < r.painted && /\.(wasm|js|css)$/.test(p));
          const bytes = code.reduce((a, [p]) => a + gzipOf(decodeURIComponent(p.replace(/^\/site\//, ""))), 0);
          const until = r.ready + 1000;
          const longest = r.tasks.filter(([start]) => start < until).reduce((a, [, d]) => Math.max(a, d), 0);
          const restSync = r.restarted || r.res.some(([p, , init]) => p.endsWith("_rest.wasm") && init === "xmlhttprequest");
          if (i < size.warmup) continue;
          kb.push(bytes / 1000);
          shown.push(r.ready);
          paints.push(r.painted);
          task.push(longest);
          if (restSync) sync += 1;
        }
        const shownAt = stats(shown);
        // The same page's long tasks with no DevTools client, up to a
        // second after the view showed in the runs above.
        const until = shownAt.median + 1000;
        const quietTask = [];
        for (let i = 0; i < size.warmup + size.runs; i++) {
          const q = await quietRun(quiet, `http://127.0.0.1:${quiet.port}/site/${query}`, width, height, until);
          if (i < size.warmup) continue;
          quietTask.push(q.tasks.filter(([start]) => start < until).reduce((a, [, d]) => Math.max(a, d), 0));
        }
        f.pulse = stats(kb);
        f.task = stats(quietTask);
        f.devtoolsTask = stats(task);
        f.sync = sync > 0;
        const paintedAt = stats(paints);
        const firstPaintText = painted === ready ? "" : `painted at ${fmt(paintedAt.median, "ms")} ms, first rows at `;
        f.suffix = `; ${firstPaintText || "shown at "}${fmt(shownAt.median, "ms")} ms; longest task ${fmt(f.task.median, "ms")} ms (${fmt(f.devtoolsTask.median, "ms")} ms with DevTools attached)${f.sync ? `; second module fetched synchronously or needed before it was in, in ${sync} of ${size.runs} runs` : ""}`;
        f.extra = { url: query, width, ready, painted, painted_ms: paintedAt, shown_ms: shownAt, longest_task_ms: f.task, longest_task_devtools_ms: f.devtoolsTask, synchronous_runs: sync };
      });
    }
  }
}

async function queueFigures(browser, base, queueInfo) {
  const load = figure("queue_load", `queue: ${queueInfo.posts.toLocaleString("en")} posts loaded and first rows shown`, "ms", { max: 300 }, null);
  const scroll = figure("queue_scroll", "queue: scroll top to bottom, p95 frame time (max DOM rows)", "ms", { max: 16.7, rows: 300 }, null);
  const memory = figure("memory", "memory after the queue benchmark (wasm memory + JS heap)", "MB", { max: 150 }, null);
  const ctx = await browser.newContext(ctxOptions());
  await ctx.addInitScript(pageProbe, { chart: false });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => log("site page error:", e.message));
  const at = (hour) => `?view=queue&day=${QUEUE_DAY}&hour=${hour}`;
  const timeout = 30_000;
  let ready = false;
  await attempt(load, async (f) => {
    await page.goto(`${base}/site/${at(OTHER_HOUR)}`);
    await page.waitForSelector(".qlist [data-post-id]", { timeout });
    const shown = [];
    const dom = [];
    const fetched = [];
    for (let i = 0; i < size.warmup + size.runs; i++) {
      const r = await page.evaluate(queueSwitch, { url: at(QUEUE_HOUR), count: queueInfo.posts, timeout });
      shown.push(r.shown);
      dom.push(r.dom);
      fetched.push(r.fetched);
      if (i + 1 < size.warmup + size.runs) await page.evaluate(queueSwitch, { url: at(OTHER_HOUR), count: null, timeout });
    }
    f.pulse = stats(drop(shown));
    f.extra = {
      document_fetched_ms: stats(drop(fetched)),
      rows_in_dom_ms: stats(drop(dom)),
      document_bytes: fs.statSync(path.join(root, queueInfo.file)).size,
      from: `hour ${OTHER_HOUR}`,
      navigation: "in-app (history.pushState + popstate); times from the address change",
      ...queueInfo,
    };
    ready = true;
  });
  await attempt(scroll, async (f) => {
    if (!ready) throw new Error("needs the loaded queue of queue_load (--only queue_load,queue_scroll)");
    const runs = [];
    for (let i = 0; i < size.warmup + size.runs; i++) runs.push(await page.evaluate(queueScroll, { frames: size.scrollFrames }));
    const kept = drop(runs);
    if (!kept.every((r) => r.bottom)) throw new Error("the list did not reach the bottom");
    f.pulse = stats(kept.map((r) => r.p95));
    f.rows = Math.max(...kept.map((r) => r.maxRows));
    f.extra = {
      frames_per_run: size.scrollFrames,
      mean_frame_ms: stats(kept.map((r) => r.mean)),
      worst_frame_ms: stats(kept.map((r) => r.worst)),
      p95_frame_work_ms: stats(kept.map((r) => r.workP95)),
      p95_raw_interval_ms: stats(kept.map((r) => r.rawP95)),
      display_frame_ms: stats(kept.map((r) => r.period)),
      dropped_frames: stats(kept.map((r) => r.dropped)),
      max_dom_rows: f.rows,
      note: "frame time = interval between animation frames, counted in whole display frames (the median interval); frame work = frame start to the end of its rendering on the main thread",
    };
  });
  await attempt(memory, async (f) => {
    if (!ready) throw new Error("needs the loaded queue of queue_load (--only queue_load,memory)");
    const m = await page.evaluate(memoryNow);
    if (!Number.isFinite(m.wasm)) throw new Error("the wasm memory was not captured (TrunkApplicationStarted)");
    if (!Number.isFinite(m.heap)) throw new Error("performance.memory is not available");
    f.pulse = stats([(m.wasm + m.heap) / 1e6]);
    f.extra = { wasm_mb: m.wasm / 1e6, js_heap_mb: m.heap / 1e6 };
  });
  await ctx.close();
}

// gzip -9 of the files each view's first content needs: the JS and CSS
// that index.html links, the view's first wasm module (the split build's
// loader names one per view, scripts/split) and the view's own style
// sheet (loaded before the app mounts when that view is the first); the
// figure is the largest view's. The second parts of the split module,
// which the page asks for after its first paint, are reported beside it,
// not counted.
function transferFigure(site) {
  const f = figure("transfer", "transfer size of the first view: wasm + JS + CSS, gzip (the largest view's)", "KB", { max: 200 }, "uPlot (min.js + min.css)");
  try {
    const html = fs.readFileSync(path.join(site, "index.html"), "utf8");
    const refs = new Set();
    for (const m of html.matchAll(/(?:href|src)="\.?\/?([^"?#]+\.(?:wasm|js|css))"/g)) refs.add(m[1]);
    const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(site, file)), { level: 9 }).length;
    const entry = (file) => ({ file, bytes: fs.statSync(path.join(site, file)).size, gzip: gz(file) });
    const shared = [...refs].map(entry);
    const sheets = new Map();
    for (const m of html.matchAll(/<meta name="pulse-style-([a-z]+)" content="\.?\/?([^"]+\.css)"/g)) sheets.set(m[1], m[2]);
    // The split build's loader: `const parts = {view: {first, rest, …}}`
    // (a layout's own as `view:layout`, with the view's style sheet).
    let parts = null;
    for (const x of shared.filter((x) => x.file.endsWith(".js"))) {
      parts ??= loaderParts(fs.readFileSync(path.join(site, x.file), "utf8"));
    }
    const views = parts
      ? Object.entries(parts).map(([view, p]) => {
        const sheet = sheets.get(view.split(":")[0]);
        return { view, files: [...shared, entry(p.first), ...(sheet ? [entry(sheet)] : [])], later: [entry(p.rest)] };
      })
      : [{ view: "every view", files: shared, later: [] }];
    const sum = (xs) => xs.reduce((a, x) => a + x.gzip, 0) / 1000;
    for (const v of views) {
      if (!v.files.some((x) => x.file.endsWith(".wasm"))) throw new Error(`no .wasm for ${v.view} in index.html or its loader`);
    }
    const largest = views.reduce((a, v) => (sum(v.files) > sum(a.files) ? v : a));
    const uplotDir = path.join(tools, "node_modules/uplot/dist");
    const peer = ["uPlot.iife.min.js", "uPlot.min.css"].map((r) => ({ file: r, bytes: fs.statSync(path.join(uplotDir, r)).size, gzip: zlib.gzipSync(fs.readFileSync(path.join(uplotDir, r)), { level: 9 }).length }));
    f.pulse = stats([sum(largest.files)]);
    f.peer = stats([sum(peer)]);
    f.extra = {
      views: views.map((v) => ({ view: v.view, kb: sum(v.files), files: v.files, after_first_paint_kb: sum(v.later), after_first_paint: v.later })),
      peer_files: peer,
      note: "1 KB = 1000 bytes",
    };
    f.suffix = ` (${largest.view}; ${views.map((v) => `${v.view} ${fmt(sum(v.files), "KB")}`).join(", ")})`;
  } catch (e) {
    f.error = String(e.message || e);
  }
}

// ---------------------------------------------------------------- report

function judge(f) {
  if (f.pulse && f.peer) f.ratio = f.pulse.median / f.peer.median;
  if (f.error) return (f.verdict = "ERROR");
  if (f.pending) return (f.verdict = "n/a");
  if (!f.pulse) return (f.verdict = "ERROR");
  if (opt.smoke) return (f.verdict = "not judged");
  const misses = [];
  // Judged as printed: the page's clock ticks in 0.1 ms, so a frame of
  // exactly one 60 Hz interval reads 16.666… or 16.700000000000728.
  if (f.budget.max !== undefined && !(Number(fmt(f.pulse.median, f.unit)) <= f.budget.max)) misses.push(`${fmt(f.pulse.median, f.unit)} > ${f.budget.max} ${f.unit}`);
  if (f.budget.ratio !== undefined && f.ratio !== null && !(f.ratio <= f.budget.ratio)) misses.push(`ratio ${ratioText(f.ratio)} > ${f.budget.ratio.toFixed(1)}`);
  if (f.budget.rows !== undefined && !(f.rows <= f.budget.rows)) misses.push(`${f.rows} rows > ${f.budget.rows}`);
  if (f.budget.task !== undefined && !(f.task && Number(fmt(f.task.median, "ms")) <= f.budget.task)) misses.push(`longest task ${f.task ? fmt(f.task.median, "ms") : "n/a"} ms > ${f.budget.task} ms`);
  if (f.budget.async && f.sync) misses.push("code loaded synchronously");
  f.misses = misses;
  return (f.verdict = misses.length ? "MISS" : "ok");
}

function fmt(v, unit) {
  if (!Number.isFinite(v)) return "n/a";
  const digits = unit === "ms" ? (v < 10 ? 2 : v < 100 ? 1 : 0) : 1;
  return v.toFixed(digits);
}

function cell(s, unit, f) {
  if (!s) return "—";
  const spread = s.n > 1 ? ` (${fmt(s.min, unit)}–${fmt(s.max, unit)})` : "";
  const rows = f && f.rows !== undefined ? `, ${f.rows} rows` : "";
  return `${fmt(s.median, unit)} ${unit}${spread}${rows}${f?.suffix ?? ""}`;
}

// Two decimals, or three when two would hide which side of 1.0 it is.
function ratioText(r) {
  const two = r.toFixed(2);
  return (two === "1.00" && r !== 1) || (two === "0.00" && r > 0) ? r.toFixed(3) : two;
}

function budgetText(b, unit) {
  const parts = [];
  if (b.max !== undefined) parts.push(`≤ ${b.max} ${unit}`);
  if (b.rows !== undefined) parts.push(`rows ≤ ${b.rows}`);
  if (b.ratio !== undefined) parts.push(`ratio ≤ ${b.ratio.toFixed(1)}`);
  if (b.task !== undefined) parts.push(`longest task ≤ ${b.task} ms`);
  if (b.async) parts.push("no synchronous load");
  return parts.join(", ");
}

function rowsOf() {
  return figures.map((f) => {
    const peer = f.peer ? `${cell(f.peer, f.unit)} ${f.peer_name}` : f.peer_name ? "—" : "—";
    const verdict = f.verdict === "ERROR" ? `ERROR: ${f.error || "no figure"}` : f.verdict === "n/a" ? `n/a: ${f.note}` : f.verdict;
    return [f.figure, cell(f.pulse, f.unit, f), peer, f.ratio === null ? "—" : ratioText(f.ratio), budgetText(f.budget, f.unit), verdict];
  });
}

const HEAD = ["figure", "Pulse", "peer", "ratio", "budget", "verdict"];

function textTable(rows) {
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(" | ").trimEnd();
  return [line(HEAD), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

function markdownTable(rows) {
  const esc = (c) => c.replace(/\|/g, "\\|");
  return [`| ${HEAD.join(" | ")} |`, `|${HEAD.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

const loadAtStart = os.loadavg();

function machine(browserVersion) {
  let free = "";
  try {
    free = execFileSync("free", ["-h"], { encoding: "utf8" }).trim();
  } catch {
    free = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total`;
  }
  const mem = free.split("\n").find((l) => l.startsWith("Mem:")) || free;
  const load = (l) => l.map((x) => x.toFixed(1)).join(" ");
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0] ? os.cpus()[0].model : "",
    memory: mem.replace(/\s+/g, " "),
    chromium: browserVersion,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    load_average_start: load(loadAtStart),
    load_average_end: load(os.loadavg()),
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  for (const dir of [opt.site, opt.harness]) {
    if (!fs.existsSync(path.join(dir, "index.html"))) throw new Error(`${dir}/index.html is missing: run scripts/bench.sh`);
  }
  const queueInfo = prepareQueueHour(opt.site, size.queuePosts);
  log(`queue hour ${queueInfo.file}: ${queueInfo.posts} posts (${queueInfo.demo_posts} from the demo${queueInfo.repeated ? ", repeated with new ids" : ""})`);

  const server = await serve({
    "/site/": opt.site,
    "/harness/": opt.harness,
    "/peer/": path.join(tools, "node_modules/uplot/dist"),
    "/bench/": path.join(root, "scripts/bench"),
  });
  const base = `http://127.0.0.1:${server.port}`;
  const browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--enable-precise-memory-info",
      "--js-flags=--expose-gc",
    ],
  });
  const version = browser.version();
  log(`Chromium ${version}, serving on ${base}, ${size.runs} run(s) + ${size.warmup} warm-up${opt.smoke ? " (smoke)" : ""}`);
  try {
    transferFigure(opt.site);
    await coldStart(browser, base);
    const any = (ids) => ids.some(wanted);
    if (any(["delivery", "draw_1m", "hover", "zoom", "heatmap", "capacity", "revenue"])) await harnessFigures(browser, base);
    if (any(["queue_load", "queue_scroll", "memory"])) await queueFigures(browser, base, queueInfo);
    const quiet = await serve({ "/site/": opt.site }, { probe: path.join(root, "scripts/bench/probe.js") });
    try {
      await viewFigures(browser, base, opt.site, quiet);
    } finally {
      quiet.close();
    }
  } finally {
    await browser.close();
    server.close();
  }

  const order = ["transfer", "cold_start", "delivery", "draw_1m", "hover", "zoom", "heatmap", "capacity", "queue_load", "queue_scroll", "revenue", "memory"];
  for (let i = figures.length - 1; i >= 0; i--) if (figures[i].skipped || !wanted(figures[i].id)) figures.splice(i, 1);
  const rank = (id) => (id.startsWith("view_") ? order.length : order.indexOf(id));
  figures.sort((a, b) => rank(a.id) - rank(b.id));
  figures.forEach(judge);
  const rows = rowsOf();
  const seconds = (Date.now() - started) / 1000;
  const result = {
    date: new Date().toISOString(),
    smoke: opt.smoke,
    scale: opt.scale,
    runs: size.runs,
    warmup: size.warmup,
    sizes: size,
    machine: machine(version),
    seconds,
    figures,
    table: markdownTable(rows),
  };
  fs.mkdirSync(path.dirname(opt.out), { recursive: true });
  fs.writeFileSync(opt.out, JSON.stringify(result, null, 2) + "\n");
  fs.writeFileSync(opt.out.replace(/\.json$/, ".md"), result.table + "\n");
  console.log(textTable(rows));
  const m = result.machine;
  console.log(`\n${m.nproc} CPUs (${m.cpu}), ${m.memory}; Chromium ${m.chromium}; load average ${m.load_average_start} → ${m.load_average_end}; ${size.runs} run(s) + ${size.warmup} warm-up; ${seconds.toFixed(0)} s`);
  console.log(`written: ${path.relative(root, opt.out)} (and .md)`);
  const errors = figures.filter((f) => f.verdict === "ERROR");
  if (errors.length) {
    console.error(`bench: ${errors.length} figure(s) could not be measured: ${errors.map((f) => f.id).join(", ")}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e}`);
  process.exit(1);
});
