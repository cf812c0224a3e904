#!/usr/bin/env node
// Checks a trunk build folder before it is benchmarked: every file
// index.html loads exists and is not empty, the wasm is valid, and the JS
// glue is wasm-bindgen's module for that very wasm (it names every import).
// Other builds sharing target/ can overwrite trunk's intermediate files
// while they are copied; scripts/bench.sh builds again when this fails.
//
//   node scripts/bench/check-build.mjs DIR

import fs from "node:fs";
import path from "node:path";
import { loaderParts } from "./parts.mjs";

const dir = process.argv[2];
const problems = [];
try {
  const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const refs = [...new Set([...html.matchAll(/(?:href|src)="\.\/([^"]+\.(?:js|wasm|css))"/g)].map((m) => m[1]))];
  const glue = refs.filter((r) => r.endsWith(".js") && !r.startsWith("start-"));
  // The split build's loader names a first and a second module per view
  // (`const parts = {view: {first, rest, …}}`); otherwise index.html
  // names the one module.
  const loader = refs.find((r) => r.startsWith("start-"));
  const table = loader && loaderParts(fs.readFileSync(path.join(dir, loader), "utf8"));
  const parts = table ? Object.values(table) : [];
  const wasm = parts.length ? [...new Set(parts.map((p) => p.first))] : refs.filter((r) => r.endsWith(".wasm"));
  const rests = parts.map((p) => p.rest);
  for (const r of [...refs, ...wasm, ...rests]) {
    const file = path.join(dir, r);
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) problems.push(`${r} is missing or empty`);
  }
  if (wasm.length === 0 || glue.length !== 1) problems.push(`expected a .wasm and one wasm-bindgen .js, found ${wasm.length} and ${glue.length}`);
  if (problems.length === 0) {
    const js = fs.readFileSync(path.join(dir, glue[0]), "utf8");
    if (!/export default|as default\s*[,}]/.test(js)) problems.push(`${glue[0]} is not wasm-bindgen's module`);
    for (const r of rests) {
      if (!WebAssembly.validate(fs.readFileSync(path.join(dir, r)))) problems.push(`${r} is not valid WebAssembly`);
    }
    for (const w of wasm) {
      const bytes = fs.readFileSync(path.join(dir, w));
      if (!WebAssembly.validate(bytes)) {
        problems.push(`${w} is not valid WebAssembly`);
        continue;
      }
      // The glue's own imports: `./pulse_bg.js`, or `w` with the split's
      // short names; each is a key of the glue's imports object (the
      // placeholders of a split module come from its loader).
      const missing = WebAssembly.Module.imports(new WebAssembly.Module(bytes))
        .filter((i) => (i.module === "w" || i.module.endsWith("_bg.js")) && !new RegExp(`[{,\\s]${i.name}\\s*:`).test(js));
      if (missing.length) problems.push(`${glue[0]} does not match ${w} (${missing.length} imports unknown, e.g. ${missing[0].name})`);
    }
  }
} catch (e) {
  problems.push(String(e.message || e));
}
if (problems.length) {
  for (const p of problems) console.error(`check-build: ${dir}: ${p}`);
  process.exit(1);
}
