// The benchmark's static file server, run as a child process of run.mjs:
//   node serve.mjs '{"/site/": "/abs/dir", ...}'
// Serves each URL prefix from its folder on 127.0.0.1 (no caching), and
// sends the port to the parent once listening.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

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

const server = http.createServer((req, res) => {
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
    res.writeHead(200, {
      "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      "Content-Length": st.size,
      "Cache-Control": "no-store",
    });
    fs.createReadStream(file).pipe(res);
  });
});

server.listen(0, "127.0.0.1", () => process.send(server.address().port));
process.on("disconnect", () => process.exit(0));
