#!/usr/bin/env node
// Lighthouse on every view and one embedded panel of each, as a new
// visitor on a phone (Lighthouse's default mobile run: simulated slow 4G,
// 4× slower CPU) and on a desktop (its desktop preset) sees them: the
// release build served as a CDN serves it (HTTP/2 over TLS, gzip), the
// Queue on an hour of 30,000 posts. Prints performance, LCP, TBT and best
// practices per page and writes them to target/lighthouse/results.md (and
// every report to target/lighthouse/*.json).
//
//   node scripts/lighthouse.mjs [--site DIR] [--only NAME,...] [--mode mobile|desktop] [--http1]
//
// `--http1` serves plain HTTP/1.1 instead (still gzip): the simulation
// then gives each of the page's parallel requests a connection of its
// own, each with its handshake and slow start.
//
// Run through scripts/lighthouse.sh, which builds the site first when
// needed. Lighthouse (npm, dev-only) comes from .tools/ or $LIGHTHOUSE;
// Chromium from $CHROME_PATH (Debian's /usr/bin/chromium by default).

import { execFileSync, fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { repeatPosts } from "./bench/hour.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "target/lighthouse");

const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const site = path.resolve(arg("--site") || path.join(root, "dist"));
const only = arg("--only")?.split(",");
const modes = arg("--mode") ? [arg("--mode")] : ["mobile", "desktop"];
const tls = !args.includes("--http1");

// The Queue's hour: the demo's 08 hour of this day, made 30,000 posts long.
const QUEUE_DAY = "2016-08-03";
const QUEUE_HOUR = "08";
const QUEUE_POSTS = 30_000;

const PAGES = [
  { name: "overview", query: "?view=overview" },
  { name: "delivery", query: "?view=delivery" },
  { name: "revenue", query: "?view=revenue" },
  { name: "queue (30,000 posts)", query: `?view=queue&day=${QUEUE_DAY}&hour=${QUEUE_HOUR}` },
  { name: "embed overview-services", query: "?view=overview&embed=overview-services" },
  { name: "embed delivery-minutes", query: "?view=delivery&embed=delivery-minutes" },
  { name: "embed revenue-mrr", query: "?view=revenue&embed=revenue-mrr" },
  { name: "embed queue-list (30,000 posts)", query: `?view=queue&day=${QUEUE_DAY}&hour=${QUEUE_HOUR}&embed=queue-list` },
].filter((p) => !only || only.some((o) => p.name.startsWith(o)));

const CHROME_FLAGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
  // The server's certificate is made for the run (scripts/bench/serve.mjs).
  ...(tls ? ["--ignore-certificate-errors"] : []),
];

function lighthouseBin() {
  if (process.env.LIGHTHOUSE) return process.env.LIGHTHOUSE;
  const bin = path.join(root, ".tools/node_modules/.bin/lighthouse");
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run scripts/setup.sh (or set LIGHTHOUSE)`);
  return bin;
}

// The large hour, beside the results; served in place of the demo's.
function largeHour() {
  const source = path.join(site, "api/v1/posts", QUEUE_DAY, `${QUEUE_HOUR}.json`);
  const doc = JSON.parse(fs.readFileSync(source, "utf8"));
  doc.posts = repeatPosts(doc.posts, QUEUE_POSTS);
  const file = path.join(out, `queue-${QUEUE_DAY}-${QUEUE_HOUR}.json`);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

function serve(mounts) {
  const child = fork(path.join(root, "scripts/bench/serve.mjs"), [JSON.stringify(mounts), JSON.stringify({ gzip: true, tls })], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (port) => resolve({ port, close: () => child.kill() }));
    child.once("exit", (code) => reject(new Error(`the file server stopped (${code})`)));
  });
}

// One Lighthouse run; its report as JSON.
function lighthouse(url, mode, file) {
  const flags = [
    url,
    "--quiet",
    "--output=json",
    `--output-path=${file}`,
    "--only-categories=performance,best-practices",
    `--chrome-flags=${CHROME_FLAGS.join(" ")} --user-data-dir=${fs.mkdtempSync(path.join(out, "profile-"))}`,
    "--max-wait-for-load=60000",
  ];
  if (mode === "desktop") flags.push("--preset=desktop");
  execFileSync(lighthouseBin(), flags, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH || "/usr/bin/chromium" },
  });
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

const score = (c) => (c && c.score != null ? Math.round(c.score * 100) : "n/a");
const seconds = (a) => (a && a.numericValue != null ? `${(a.numericValue / 1000).toFixed(1)} s` : "n/a");
const millis = (a) => (a && a.numericValue != null ? `${Math.round(a.numericValue)} ms` : "n/a");

// What costs the most: best-practice audits that failed, and the main
// thread's largest share during load.
function findings(report) {
  const bp = report.categories["best-practices"]?.auditRefs || [];
  const failed = bp.filter((r) => r.weight > 0 && report.audits[r.id]?.score !== null && report.audits[r.id]?.score < 1).map((r) => r.id);
  const work = report.audits["mainthread-work-breakdown"]?.details?.items || [];
  const top = [...work].sort((a, b) => b.duration - a.duration)[0];
  const boot = report.audits["bootup-time"]?.details?.items || [];
  const script = [...boot].sort((a, b) => b.scripting - a.scripting)[0];
  const parts = [];
  if (failed.length) parts.push(`best practices: ${failed.join(", ")}`);
  if (top) parts.push(`main thread: ${top.groupLabel || top.group} ${Math.round(top.duration)} ms`);
  if (script) parts.push(`most script: ${path.basename(new URL(script.url).pathname) || script.url} ${Math.round(script.scripting)} ms`);
  return parts.join("; ");
}

fs.mkdirSync(out, { recursive: true });
if (!fs.existsSync(path.join(site, "index.html"))) throw new Error(`${site} has no index.html: build first (scripts/lighthouse.sh does)`);
const hour = largeHour();
const prefix = "/pulse/";
const server = await serve({ [`${prefix}api/v1/posts/${QUEUE_DAY}/${QUEUE_HOUR}.json`]: hour, [prefix]: site });
const rows = [];
try {
  for (const mode of modes) {
    for (const page of PAGES) {
      const url = `${tls ? "https" : "http"}://127.0.0.1:${server.port}${prefix}${page.query}`;
      const slug = `${mode}-${page.name.replace(/[^a-z0-9]+/gi, "-").replace(/-+$/, "")}`;
      process.stderr.write(`lighthouse ${mode} ${page.name} …\n`);
      let row;
      try {
        const r = lighthouse(url, mode, path.join(out, `${slug}.json`));
        row = [
          page.name, mode, score(r.categories.performance), seconds(r.audits["largest-contentful-paint"]),
          millis(r.audits["total-blocking-time"]), score(r.categories["best-practices"]), findings(r),
        ];
      } catch (e) {
        row = [page.name, mode, "ERROR", "", "", "", String(e.message).split("\n")[0]];
      }
      rows.push(row);
      process.stderr.write(`  ${row.slice(2, 6).join(" | ")}\n`);
    }
  }
} finally {
  server.close();
  for (const d of fs.readdirSync(out)) if (d.startsWith("profile-")) fs.rmSync(path.join(out, d), { recursive: true, force: true });
}

const head = ["page", "mode", "performance", "LCP", "TBT", "best practices", "what dominates"];
const table = [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
const chrome = execFileSync(process.env.CHROME_PATH || "/usr/bin/chromium", ["--version"]).toString().trim();
const text = `Lighthouse ${JSON.parse(fs.readFileSync(path.join(path.dirname(fs.realpathSync(lighthouseBin())), "../package.json"), "utf8")).version} (${chrome}), ${new Date().toISOString()}, site ${path.relative(root, site) || site} served ${tls ? "over HTTP/2 and TLS" : "over HTTP/1.1"} with gzip; Queue hour ${QUEUE_DAY} ${QUEUE_HOUR}:00 with ${QUEUE_POSTS} posts.\n\n${table}\n`;
fs.writeFileSync(path.join(out, "results.md"), text);
console.log(text);
if (rows.some((r) => r[2] === "ERROR")) process.exit(1);
