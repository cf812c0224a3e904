// The benchmark's static file server, run as a child process of run.mjs
// (and of scripts/lighthouse.mjs):
//   node serve.mjs '{"/site/": "/abs/dir", "/a/file.json": "/abs/file", ...}' ['{"gzip": true, "tls": true}']
// Serves each URL prefix from its folder (or one path from one file) on
// 127.0.0.1 (no caching), and sends the port to the parent once
// listening. With `gzip`, text, JSON and wasm go out gzip-compressed to
// clients that accept it, as a CDN sends them. With `tls`, it speaks
// HTTP/2 over TLS (HTTP/1.1 to clients without it), as a CDN does, with a
// certificate for 127.0.0.1 made for this run (openssl): a browser must
// be told to accept it (Chromium: --ignore-certificate-errors). With `probe` (a script
// file), each HTML page gets that script first in its head, and what a
// page posts to `/__probe` goes to the parent as `{ probe: … }`.
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import http from "node:http";
import http2 from "node:http2";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

const mounts = JSON.parse(process.argv[2] || "{}");
const options = JSON.parse(process.argv[3] || "{}");
const COMPRESSED = new Set([".html", ".js", ".mjs", ".wasm", ".css", ".json", ".svg"]);
// Compressed bodies by file, modification time and size.
const gzipped = new Map();

function gzipOf(file, st) {
  const key = `${file}:${st.mtimeMs}:${st.size}`;
  let body = gzipped.get(key);
  if (!body) {
    body = zlib.gzipSync(fs.readFileSync(file), { level: 9 });
    gzipped.set(key, body);
  }
  return body;
}

const probe = options.probe ? `<script>${fs.readFileSync(options.probe, "utf8")}</script>` : null;

// A report posted by the probe, for the parent.
function probed(req, res) {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    try {
      process.send({ probe: JSON.parse(body) });
    } catch {}
    res.writeHead(204, { "Cache-Control": "no-store" }).end();
  });
}

// A key and a self-signed certificate for 127.0.0.1, made for this run
// and removed at once (they stay in memory).
function certificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulse-serve-"));
  try {
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    ], { stdio: ["ignore", "ignore", "pipe"] });
    return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function handle(req, res) {
  if (probe && req.method === "POST" && req.url === "/__probe") {
    probed(req, res);
    return;
  }
  const url = new URL(req.url, "http://127.0.0.1");
  let pathname;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const mount = Object.keys(mounts).find((m) => pathname.startsWith(m));
  if (!mount) {
    res.writeHead(404).end();
    return;
  }
  const base = mounts[mount];
  let file = path.normalize(path.join(base, pathname.slice(mount.length)));
  if (!file.startsWith(base)) {
    res.writeHead(403).end();
    return;
  }
  if (pathname.endsWith("/")) file = path.join(file, "index.html");
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404, { "Cache-Control": "no-store" }).end();
      return;
    }
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    if (probe && path.extname(file) === ".html") {
      const html = fs.readFileSync(file, "utf8").replace("<head>", `<head>${probe}`);
      res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" }).end(html);
      return;
    }
    const accepts = /\bgzip\b/.test(req.headers["accept-encoding"] || "");
    if (options.gzip && accepts && COMPRESSED.has(path.extname(file))) {
      const body = gzipOf(file, st);
      res.writeHead(200, { "Content-Type": type, "Content-Length": body.length, "Content-Encoding": "gzip", Vary: "Accept-Encoding", "Cache-Control": "no-store" });
      res.end(body);
      return;
    }
    res.writeHead(200, {
      "Content-Type": type,
      "Content-Length": st.size,
      "Cache-Control": "no-store",
    });
    fs.createReadStream(file).pipe(res);
  });
}

const server = options.tls
  ? http2.createSecureServer({ ...certificate(), allowHTTP1: true }, handle)
  : http.createServer(handle);
server.listen(0, "127.0.0.1", () => process.send(server.address().port));
process.on("disconnect", () => process.exit(0));
