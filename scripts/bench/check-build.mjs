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

const dir = process.argv[2];
const problems = [];
try {
  const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const refs = [...new Set([...html.matchAll(/(?:href|src)="\.\/([^"]+\.(?:js|wasm|css))"/g)].map((m) => m[1]))];
  const wasm = refs.filter((r) => r.endsWith(".wasm"));
  const glue = refs.filter((r) => r.endsWith(".js") && !r.startsWith("start-"));
  for (const r of refs) {
    const file = path.join(dir, r);
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) problems.push(`${r} is missing or empty`);
  }
  if (wasm.length !== 1 || glue.length !== 1) problems.push(`expected one .wasm and one wasm-bindgen .js, found ${wasm.length} and ${glue.length}`);
  if (problems.length === 0) {
    const bytes = fs.readFileSync(path.join(dir, wasm[0]));
    if (!WebAssembly.validate(bytes)) {
      problems.push(`${wasm[0]} is not valid WebAssembly`);
    } else {
      const js = fs.readFileSync(path.join(dir, glue[0]), "utf8");
      if (!/export default|as default\s*[,}]/.test(js)) problems.push(`${glue[0]} is not wasm-bindgen's module`);
      // Placeholders of a split module (scripts/split) are supplied by a
      // loader in the glue; the second module must be valid too.
      // The glue's own imports: `./pulse_bg.js`, or `w` with the split's
      // short names; each is a key of the glue's imports object.
      const missing = WebAssembly.Module.imports(new WebAssembly.Module(bytes))
        .filter((i) => (i.module === "w" || i.module.endsWith("_bg.js")) && !new RegExp(`[{,\\s]${i.name}\\s*:`).test(js));
      for (const m of js.matchAll(/new URL\(['"]([^'"]+_rest\.wasm)['"]/g)) {
        const rest = path.join(dir, m[1]);
        if (!fs.existsSync(rest) || !WebAssembly.validate(fs.readFileSync(rest))) problems.push(`${m[1]} is missing or not valid WebAssembly`);
      }
      if (missing.length) problems.push(`${glue[0]} does not match ${wasm[0]} (${missing.length} imports unknown, e.g. ${missing[0].name})`);
    }
  }
} catch (e) {
  problems.push(String(e.message || e));
}
if (problems.length) {
  for (const p of problems) console.error(`check-build: ${dir}: ${p}`);
  process.exit(1);
}
