// Minifies the release site's JS glue and style sheets (run by
// scripts/trunk-post-build.sh on release builds, after the split): about
// 4 KB less of the first view's download (gzip). Each file gets a new
// content-hashed name, and index.html its new names and integrity hashes.
//
// The views' own sheets that load with their view (`queue.css`,
// `revenue.css`: copied unhashed by trunk, see src/styles.rs) are
// named the same way and announced to the app by a
// `<meta name="pulse-style-queue" content="./queue-….css"
// data-integrity="sha384-…">` in index.html.
//
//   node scripts/minify.mjs <site dir> css|js
//   node scripts/minify.mjs <site dir> loader <file>
//
// The style sheets go first, before the split, so that the pages the
// split profiles load the views' sheets as the site will; the glue
// after it, once the split has patched it; the page's loader last, once
// trunk-post-build.sh has taken it out of index.html (it names the
// glue, and the post-build names it after its content).

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [site, kind, loaderFile] = process.argv.slice(2);
if (!site || !["css", "js", "loader"].includes(kind) || (kind === "loader") !== Boolean(loaderFile)) {
  throw new Error("usage: minify.mjs <site dir> css|js | minify.mjs <site dir> loader <file>");
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const esbuild = createRequire(path.join(root, ".tools/node_modules/"))("esbuild");
const JS = { format: "esm", target: "es2020" };

if (kind === "loader") {
  const read = fs.readFileSync(loaderFile, "utf8");
  // It waits for the module at its top level: ES2022.
  const { code } = esbuild.transformSync(read, { loader: "js", minify: true, legalComments: "none", ...JS, target: "es2022" });
  fs.writeFileSync(loaderFile, code);
  console.log(`minify: loader ${read.length} → ${code.length} bytes`);
  process.exit(0);
}

const indexPath = path.join(site, "index.html");
let index = fs.readFileSync(indexPath, "utf8");
let before = 0;
let after = 0;
const lazy = [];
for (const file of fs.readdirSync(site)) {
  const hashed = /^([a-z]+)-[0-9a-f]+\.(js|css)$/.exec(file);
  const plain = /^([a-z]+)\.(css)$/.exec(file);
  const linked = index.includes(`./${file}`);
  const m = hashed && linked ? hashed : plain && !linked ? plain : null;
  if (!m || m[2] !== kind) continue;
  const [, stem, ext] = m;
  const read = fs.readFileSync(path.join(site, file), "utf8");
  const source = ext === "js" ? withoutUnmadeClasses(read) : read;
  const { code } = esbuild.transformSync(source, {
    loader: ext,
    minify: true,
    legalComments: "none",
    ...(ext === "js" ? JS : {}),
  });
  const name = `${stem}-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.${ext}`;
  fs.rmSync(path.join(site, file));
  fs.writeFileSync(path.join(site, name), code);
  if (linked) index = index.replaceAll(`./${file}`, `./${name}`);
  else lazy.push(`<meta name="pulse-style-${stem}" content="./${name}" data-integrity="${sri(name)}">`);
  before += read.length;
  after += code.length;
}
// Integrity hashes of every file index.html links with one.
index = index.replace(/(href="\.\/([^"]+)"[^>]*?integrity=")sha384-[^"]*"/g, (_, head, name) => `${head}${sri(name)}"`);
if (lazy.length) {
  if (!index.includes("</head>")) throw new Error("minify: index.html has no </head>");
  index = index.replace("</head>", `${lazy.join("")}</head>`);
}
fs.writeFileSync(indexPath, index);

// The glue exports a class for every Rust type a dependency exports to
// JS. Those that nothing in the glue ever makes (no `__wrap`, no other
// mention: leptos's server functions bring wasm-streams' stream sources,
// which Pulse never hands to JS) go, with their finalization registries
// and the enums only they read: some 0.3 KB of every first view (gzip).
// Their wasm exports stay, unused.
function withoutUnmadeClasses(glue) {
  let out = glue;
  for (const [, name] of glue.matchAll(/^export class (\w+) \{$/gm)) {
    const block = new RegExp(`^export class ${name} \\{\n[\\s\\S]*?^\\}\nif \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\n`, "m");
    const registry = new RegExp(`^const ${name}Finalization = [^;]*;\n`, "m");
    const without = out.replace(block, "").replace(registry, "");
    if (without === out || new RegExp(`\\b${name}\\b`).test(without)) continue;
    out = without;
  }
  // Enums no longer read by anything.
  for (const [line, name] of out.matchAll(/^const (__wbindgen_enum_\w+) = \[[^\]]*\];\n/gm)) {
    if (out.split(name).length === 2) out = out.replace(line, "");
  }
  return out;
}

function sri(name) {
  return `sha384-${createHash("sha384").update(fs.readFileSync(path.join(site, name))).digest("base64")}`;
}
console.log(`minify: ${kind === "js" ? "JS glue" : "style sheets"} ${(before / 1024).toFixed(0)} KB → ${(after / 1024).toFixed(0)} KB`);
