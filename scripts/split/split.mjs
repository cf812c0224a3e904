// Splits the release site's wasm module in two for each view, so that
// whichever view an address opens loads only the code it runs up to its
// first content (run by scripts/trunk-post-build.sh on release builds;
// `PULSE_SPLIT=0` turns it off).
//
//   node scripts/split/split.mjs <site dir>
//
// 1. Instrument a copy of the module (binaryen's wasm-split --instrument).
// 2. Serve a copy of the site with it on 127.0.0.1 and open each view's
//    pages in headless Chromium with the bundled data (bare, from a shared
//    address, an embedded panel in an iframe): read which functions ran
//    up to the view's first content (the panels built later wait for the
//    second module, and the page never answers that wait here).
// 3. Per view, split the module by that view's profile: its first module
//    keeps what ran, its second holds the rest and is loaded by
//    `src/rest.rs` after the first paint. The static data only the second
//    module uses goes with it (data.mjs), and the glue's imports get short
//    names, the same in every first module.
// 4. Patch the JS glue to supply the placeholders and the loader, and
//    index.html's loader to fetch the first module of the view the
//    address opens, beside the glue. A page that opens anything but a
//    profiled page (another embedded panel, an unknown view, a parameter
//    its profile never set) fetches the second module beside the first,
//    both streamed and compiled asynchronously, and starts once both are
//    in.
// 5. Open every profiled page on the split site at desktop and phone
//    width: the build fails if one calls into the second module before
//    it is in.
//
// The profile only decides where code goes, never what it does, and code
// never loads synchronously: a call the profile missed that comes before
// the second module is in (a value no profile saw, say) starts the page
// again with both modules, and the end-to-end test `sync_xhr` walks such
// addresses.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { repeatPosts } from "../bench/hour.mjs";
import { moveData } from "./data.mjs";
import { fixTableExports, renameExports, renameImports, functionInSlot, tableExports, withoutCustomSections } from "./wasm.mjs";

const site = process.argv[2];
if (!site) throw new Error("usage: split.mjs <site dir>");
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const { chromium } = createRequire(path.join(root, ".tools/node_modules/"))("playwright-core");

const files = fs.readdirSync(site);
const modules = files.filter((f) => /^pulse-[0-9a-f]+_bg\.wasm$/.test(f));
if (modules.length === 0) {
  // Another page of the project (the benchmark harness): not split.
  console.log(`split: no pulse-*_bg.wasm in ${site}, nothing to split`);
  process.exit(0);
}
const wasmName = one(modules, "pulse-*_bg.wasm");
const jsName = one(files.filter((f) => /^pulse-[0-9a-f]+\.js$/.test(f)), "pulse-*.js");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulse-split-"));
// The import module of the placeholders: one import per function split
// out, so a short name saves bytes.
const PLACEHOLDERS = "p";
// The placeholders' names: their table slot in base 64 with these digits
// (two characters up to slot 4095, instead of four decimal ones).
const SLOT_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-";
const slotName = (n) => (n < 64 ? "" : slotName(Math.floor(n / 64))) + SLOT_DIGITS[n % 64];
// A page that shows an embedded panel in an iframe, for the profile.
const HOST_PAGE = "embed-host.html";
// The folder the site is also served from, as on a CDN under a path (two
// levels deep: how long a path is changes which code resolves it).
const SITE_FOLDER = "cdn/pulse/";
// The layouts the app reads from `layout` (src/route.rs), and the
// embedded panels that show one whatever the address says
// (src/views/queue/state.rs).
const LAYOUTS = ["list", "grid"];
const LAYOUT_EMBEDS = { "queue-list": "list", "queue-grid": "grid" };
// Custom sections no browser reads.
const METADATA = ["producers", "target_features", "__wasm_split_unstable"];
// The glue's import module, and its short name in the first module.
const BINDGEN_MODULE = "./pulse_bg.js";
const SHORT_BINDGEN_MODULE = "w";
// wasm-bindgen's exports through which the glue calls closures.
const INVOKER = /^wasm_bindgen__convert__closures_____invoke__\w+$/;

try {
  const original = path.join(work, "original.wasm");
  fs.copyFileSync(path.join(site, wasmName), original);

  // 1-2: the profile of each view's first pages.
  const views = viewGroups();
  const instrumented = path.join(work, "instrumented.wasm");
  wasmSplit(["--instrument", original, "-o", instrumented]);
  fixFile(instrumented);
  const profiles = await profileFirstViews(instrumented, views);

  // 3: a split per view, all of the same module. The glue's imports get
  // the same short names in each first module.
  const names = new Map();
  const invokers = new Map();
  const parts = {};
  const kb = (b) => `${(b.length / 1024).toFixed(0)} KB`;
  for (const [i, group] of views.entries()) {
    const files = profiles[i].map(({ bytes }, j) => {
      const file = path.join(work, `profile-${i}-${j}.bin`);
      fs.writeFileSync(file, bytes);
      return file;
    });
    const profile = path.join(work, `profile-${i}.bin`);
    wasmSplit(["--merge-profiles", ...files, "-o", profile]);
    const first = path.join(work, `first-${i}.wasm`);
    const rest = path.join(work, `rest-${i}.wasm`);
    wasmSplit(["--placeholder-namespace", PLACEHOLDERS, "--profile", profile, original, "-o1", first, "-o2", rest]);
    fixFile(first);
    moveStaticData(original, first, rest, group.part);
    shortenImports(first, names, invokers);
    const firstBytes = fs.readFileSync(first);
    const restBytes = withoutCustomSections(fs.readFileSync(rest), METADATA);
    const firstName = `pulse-${hash(firstBytes)}_bg.wasm`;
    const restName = `pulse-${hash(restBytes)}_rest.wasm`;
    fs.writeFileSync(path.join(site, firstName), firstBytes);
    fs.writeFileSync(path.join(site, restName), restBytes);
    parts[group.part] = {
      first: firstName,
      integrity: integrity(path.join(site, firstName), "sha256"),
      rest: restName,
      pages: profiledPages(group.runs),
      keys: profiledKeys(group.runs),
      docs: inEvery(profiles[i], "docs"),
      sheets: inEvery(profiles[i], "sheets"),
    };
    console.log(`split: ${group.part}: ${firstName} (${kb(firstBytes)}, first view) + ${restName} (${kb(restBytes)})`);
  }

  // 4: glue, loader and page.
  const glue = patchGlue(fs.readFileSync(path.join(site, jsName), "utf8"), names, invokers);
  const glueName = `pulse-${hash(glue)}.js`;
  for (const f of [wasmName, jsName]) fs.rmSync(path.join(site, f));
  fs.writeFileSync(path.join(site, glueName), glue);
  const indexPath = path.join(site, "index.html");
  fs.writeFileSync(indexPath, patchPage(fs.readFileSync(indexPath, "utf8"), glueName, parts, views[0].part));
  await checkFirstViews(views.flatMap((g) => g.runs.map((r) => ({ ...r, rest: parts[g.part].rest }))));
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

function one(list, what) {
  if (list.length !== 1) throw new Error(`split: expected one ${what} in ${site}, found ${list.length}`);
  return list[0];
}

// 3b: the static data only the second module uses goes with it
// (data.mjs). Needs the module as linked and the linker's map of it, from
// cargo's target directory (build.rs asks for the map); without them the
// data stays in the first module.
function moveStaticData(original, first, rest, view) {
  const dir = path.join(cargoTargetDir(), "wasm32-unknown-unknown", "release");
  const linked = path.join(dir, "pulse.wasm");
  const map = path.join(dir, "pulse.map");
  if (!fs.existsSync(linked) || !fs.existsSync(map)) {
    console.warn(`split: no ${map}: the static data stays in the first modules`);
    return;
  }
  const result = moveData({
    first: fs.readFileSync(first),
    rest: fs.readFileSync(rest),
    original: fs.readFileSync(original),
    linked: fs.readFileSync(linked),
    map: fs.readFileSync(map, "utf8"),
    disassemble: (bytes) => {
      const file = path.join(work, "disassemble.wasm");
      fs.writeFileSync(file, bytes);
      return execFileSync(path.join(root, ".tools/node_modules/.bin/wasm-dis"), [file], { maxBuffer: 1 << 30 }).toString();
    },
  });
  if (result.skipped) {
    console.warn(`split: ${view}: the static data stays in the first module: ${result.skipped}`);
    return;
  }
  fs.writeFileSync(first, result.first);
  fs.writeFileSync(rest, result.rest);
  console.log(`split: ${view}: ${(result.moved / 1024).toFixed(0)} KB of static data moved to the second module, ${(result.kept / 1024).toFixed(0)} KB kept`);
}

// 3c: wasm-bindgen names each import of the glue by its function and a
// hash (`__wbg_getBoundingClientRect_329ca748ec918b0c`), and both the
// module and the glue carry every name: a short one in each saves about
// 4 KB (gzip) of the first module and as much of the glue. `names` maps
// the long names to the short ones, shared by every first module (one
// glue serves them all); patchGlue gives the glue the same names.
//
// The same goes for the exports the glue calls the app's closures through
// (`wasm_bindgen__convert__closures_____invoke__h10c7cea53597491f`):
// `_0`, `_1`, … in `invokers`, shared the same way (the second modules
// import none of them).
function shortenImports(file, names, invokers) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const short = (i) => (i < letters.length ? "" : short(Math.floor(i / letters.length) - 1)) + letters[i % letters.length];
  const exported = renameExports(fs.readFileSync(file), (name) => {
    // wasm-split's own export names have no digits.
    if (/^_\d+$/.test(name)) throw new Error(`split: the module already exports ${name}`);
    if (!INVOKER.test(name)) return name;
    if (!invokers.has(name)) invokers.set(name, `_${invokers.size}`);
    return invokers.get(name);
  });
  const bytes = renameImports(exported, (module, field) => {
    if (module === PLACEHOLDERS) {
      if (!/^\d+$/.test(field)) throw new Error(`split: placeholder ${field} is not a table slot`);
      return [module, slotName(Number(field))];
    }
    if (module !== BINDGEN_MODULE) return [module, field];
    if (!names.has(field)) names.set(field, short(names.size));
    return [SHORT_BINDGEN_MODULE, names.get(field)];
  });
  fs.writeFileSync(file, withoutCustomSections(bytes, METADATA));
}

function cargoTargetDir() {
  if (process.env.CARGO_TARGET_DIR) return path.resolve(root, process.env.CARGO_TARGET_DIR);
  const meta = execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: root, maxBuffer: 1 << 28 });
  return JSON.parse(meta.toString()).target_directory;
}

// `PULSE_SPLIT_NAMES=1` keeps the functions' names in the split modules,
// when the module has them: to find what an early call into the second
// module was for (the slot the build's check names).
function wasmSplit(args) {
  const names = process.env.PULSE_SPLIT_NAMES === "1" && args.includes("--profile") ? ["-g"] : [];
  execFileSync(path.join(root, ".tools/binaryen/usr/bin/wasm-split"), ["--all-features", "--quiet", ...names, ...args], { stdio: ["ignore", "ignore", "inherit"] });
}

// wasm-split (binaryen 108) writes wasm-bindgen's externref table export
// against the funcref table; point it back at the externref table.
function fixFile(file) {
  const bytes = fixTableExports(fs.readFileSync(file));
  for (const t of tableExports(bytes)) {
    if (t.name === "__wbindgen_externrefs" && t.type !== "externref") {
      throw new Error(`split: ${file}: __wbindgen_externrefs exports a ${t.type} table`);
    }
  }
  fs.writeFileSync(file, bytes);
}

// A file name's content hash: 8 hex digits (the loader names ten files,
// and every byte of it is in every first view).
function hash(data) {
  return createHash("sha256").update(data).digest("hex").slice(0, 8);
}

// A file's subresource integrity: SHA-384 as trunk writes it in
// index.html, or SHA-256 where every byte counts (the loader names each
// view's first module with it: 20 characters less each).
function integrity(file, algorithm = "sha384") {
  return `${algorithm}-${createHash(algorithm).update(fs.readFileSync(file)).digest("base64")}`;
}

// The glue's start: the page's loader calls it once (and only it), with
// the response to its request for the first module (or a promise of
// it). A server that does not send wasm as `application/wasm` gets it
// compiled once it is all in rather than while it streams in.
function ownStart() {
  return `
export default async function start(response) {
    const got = await response;
    if (!got.ok) throw new Error(\`HTTP \${got.status} fetching \${got.url}\`);
    const imports = __wbg_get_imports();
    const { instance, module } = got.headers.get('Content-Type') === 'application/wasm'
        ? await WebAssembly.instantiateStreaming(got, imports)
        : await WebAssembly.instantiate(await got.arrayBuffer(), imports);
    if (restAtStart) {
        // The app starts with the second module in: its first call into
        // it must not wait for a download. A failed load is reported by
        // that call, which tries again.
        wasmInstance = instance;
        await loadRest().catch((e) => console.warn(\`Pulse: \${restUrl.pathname} not loaded at start: \${e.message || e}\`));
    }
    return __wbg_finalize_init(instance, module);
}
`;
}

// Adds the loader of the second module and the placeholder imports that
// wasm-split gives the first one: placeholder N stands for the function in
// slot N of the table until the second module fills that slot. Which
// second module, and whether the page waits for it at start, the page's
// loader says (patchPage).
function patchGlue(js, names, invokers) {
  const shortNames = new Map(names);
  const calledInvokers = new Set();
  const anchor = /\n(\s*)"\.\/pulse_bg\.js": (import0,)/;
  // wasm-bindgen's start, from its loader to its exports: it takes a
  // path, a URL, a request, a module or an older form of its argument,
  // and has a synchronous twin (`initSync`). The page's loader hands it
  // the first module's response, always: the glue gets a start of its
  // own (`ownStart`), 0.5 KB less of every first view (gzip).
  const bindgenStart = /\nasync function __wbg_load\(module, imports\) \{\n[\s\S]*\n *const \{ instance, module \} = await __wbg_load\(await module_or_path, imports\);\n\s*return __wbg_finalize_init\(instance, module\);\n\}\n+export \{ initSync, __wbg_init as default \};\n*$/;
  if (!anchor.test(js) || !bindgenStart.test(js) || !js.includes("function __wbg_get_imports() {") || !js.includes("function __wbg_finalize_init(instance, module) {")) {
    throw new Error("split: the wasm-bindgen glue does not have the expected shape");
  }
  const loader = `
// The second part of the module (scripts/split/split.mjs): loaded when
// src/rest.rs asks for it, or before the app starts on a page the split
// was not profiled on.
const { rest: restUrl, restAtStart } = globalThis.__pulse_split;
let restIn = false;
let restPromise = null;
function restImports() {
    return { primary: wasmInstance.exports };
}
// A call into the second module before it is in: a path the profile did
// not see. The page never waits for code synchronously: it starts again
// with the second module loaded before it starts (asked for in its
// history entry's state), and the call that needed it stops here. Where
// that was done already, or the module failed to load, the page says it
// stopped.
let restError = null;
let restarting = false;
const restart = new Error('Pulse: restarting');
function loadRestNow(slot) {
    if (restIn) return;
    if (!restarting) {
        if (restError || restAtStart) {
            const e = restError || new Error('not loaded');
            restFailed(e);
            throw e;
        }
        restarting = true;
        // The exception that stops the call is no error: the page is
        // starting again.
        for (const type of ['error', 'unhandledrejection']) {
            addEventListener(type, (e) => (e.error ?? e.reason) === restart && e.preventDefault());
        }
        history.replaceState({ pulseRest: slot }, '');
        location.reload();
    }
    throw restart;
}
// The call that needed the code cannot go on: say so as the app's own
// "Pulse stopped" banner does (its code may be the part that is missing).
function restFailed(e) {
    const text = \`Part of its code (\${restUrl.pathname.split('/').pop()}) could not be loaded: \${e.message || e}.\`;
    console.error('Pulse stopped: ' + text);
    if (document.getElementById('pulse-stopped') || !document.body) return;
    const make = (tag, props) => Object.assign(document.createElement(tag), props);
    const banner = make('div', { id: 'pulse-stopped', className: 'stopped' });
    banner.setAttribute('role', 'alert');
    banner.append(
        make('strong', { textContent: 'Pulse stopped. ' }),
        text + ' Reload to try again. ',
        make('button', { className: 'button', textContent: 'Reload', onclick: () => location.reload() }),
    );
    document.body.prepend(banner);
}
// Compiled while it streams in, and instantiated once: a second instance
// would write its data segments into the shared memory again, over
// statics the app has changed since.
let restCompiled = null;
function compileRest() {
    restCompiled ??= fetch(restUrl)
        .then((r) => {
            if (!r.ok) throw new Error(\`HTTP \${r.status}\`);
            return WebAssembly.compileStreaming(r);
        })
        .catch((e) => { restCompiled = null; restError = e; throw e; });
    return restCompiled;
}
function loadRest() {
    if (restIn) return Promise.resolve();
    restPromise ??= compileRest()
        .then((module) => {
            if (restIn) return;
            new WebAssembly.Instance(module, restImports());
            restIn = true;
            restError = null;
            restArrived();
        }, (e) => { restPromise = null; throw e; });
    return restPromise;
}
globalThis.__pulse_load_rest = loadRest;
// What a person (or a script) does before the second module is in waits
// for it: the page's handlers see each click, change and input once it
// is in (most of them need it), which is asked for at once.
if (!restAtStart) {
    for (const type of ['click', 'change', 'input', 'submit']) {
        addEventListener(type, (e) => {
            if (restIn) return;
            e.stopImmediatePropagation();
            e.preventDefault();
            loadRest().then(() => e.target.dispatchEvent(new e.constructor(type, e)), () => {});
        }, true);
    }
}
// Settles when the second module is in, without asking for it.
let restArrived;
globalThis.__pulse_rest_arrived = new Promise((resolve) => { restArrived = resolve; });
// A page the split was not profiled on (an embedded panel, say) asks
// for the second module now, beside the first, and starts when both are
// in.
if (restAtStart) compileRest().catch(() => {});
// Finalizers run when the garbage collector decides, and the code that
// drops a value (a closure, a stream's source) may be in the second
// module: until it is in they wait for it, rather than load it at once.
function whenRestIn(cleanup) {
    return (held) => {
        if (restIn) cleanup(held);
        else globalThis.__pulse_rest_arrived.then(() => cleanup(held));
    };
}
// A placeholder's name is its table slot in base 64 (scripts/split).
function slotOf(name) {
    let n = 0;
    for (const c of name) n = n * 64 + '${SLOT_DIGITS}'.indexOf(c);
    return n;
}
const placeholders = new Proxy({}, {
    get(_, slot) {
        return (...args) => {
            loadRestNow(slotOf(slot));
            return wasm.table.get(slotOf(slot))(...args);
        };
    },
});
`;
  const registries = /new FinalizationRegistry\((\w+ => [^\n]*)\);\n/g;
  if (js.match(registries)?.length !== js.match(/new FinalizationRegistry\(/g)?.length) {
    throw new Error("split: a FinalizationRegistry of the glue does not have the expected shape");
  }
  const patched = js
    .replace(registries, (_, cleanup) => `new FinalizationRegistry(whenRestIn(${cleanup}));\n`)
    .replace("function __wbg_get_imports() {", `${loader}\nfunction __wbg_get_imports() {`)
    .replace(anchor, `\n$1${SHORT_BINDGEN_MODULE}: $2\n$1${PLACEHOLDERS}: placeholders,`)
    .replace(bindgenStart, ownStart)
    .replace(/\b[A-Za-z_$][\w$]*(?=: function\()/g, (key) => {
      const short = shortNames.get(key);
      if (!short) return key;
      shortNames.delete(key);
      return short;
    })
    .replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (call, name) => {
      if (!INVOKER.test(name)) return call;
      const short = invokers.get(name);
      if (!short) throw new Error(`split: the glue calls ${name}, which no first module exports`);
      calledInvokers.add(name);
      return `wasm.${short}`;
    });
  if (shortNames.size) throw new Error(`split: the glue does not supply ${[...shortNames.keys()].join(", ")}`);
  const uncalled = [...invokers.keys()].filter((name) => !calledInvokers.has(name));
  if (uncalled.length) throw new Error(`split: the glue does not call ${uncalled.join(", ")}`);
  // The glue's own functions of the same names are its wrappers (the
  // minifier renames them); a name in quotes would be an export asked
  // for by name.
  if (/["'`]wasm_bindgen__convert__closures_____invoke__/.test(patched)) {
    throw new Error("split: the glue names a closure export in a string");
  }
  return patched;
}

// The page's loader: trunk's inline module script, rewritten to fetch the
// first module of the view the address opens (the bare address and an
// unknown view open `defaultView`), with the glue imported beside it,
// and to tell the glue which second module goes with it. The wasm
// preload goes: it named one first module for every view.
function patchPage(html, glueName, parts, defaultView) {
  const script = /<script type="module">\n[\s\S]*?<\/script>/;
  const inline = script.exec(html)?.[0] ?? "";
  if (!inline.includes(jsName) || !inline.includes(wasmName) || !inline.includes("TrunkApplicationStarted")) {
    throw new Error("split: index.html's loader does not have the expected shape");
  }
  const preload = new RegExp(`<link rel="preload" href="\\./${wasmName.replace(".", "\\.")}"[^>]*>`);
  if (!preload.test(html)) throw new Error(`split: index.html does not preload ${wasmName}`);
  // Each view has its own first module, what it runs up to its first
  // content, and a second one with the rest. A view with layouts has one
  // per layout (`queue:grid`), the list's under the view's own name; the
  // layout is the one the app reads: an embedded panel's own, else the
  // address's last valid `layout`.
  //
  // The loader also asks for the view's own style sheets (a preload the
  // app's link to them takes, src/styles.rs) and the first documents
  // while the module downloads: `config.json` (which index.html preloads), then, from its
  // `api_base` when the app will use it (an `https:` address or the page's
  // own origin, as src/api/config.rs checks), `meta.json` and the
  // documents the view's address alone names (`docs`, from the profile).
  // The app's own requests for them (src/api/client.rs) take these
  // responses: \`fetch\` hands a GET of a request whose URL is one of them
  // its response, once, aborted with the app's request (its time limit).
  // Where the app resolves a URL otherwise, or a document was never asked
  // for early, its request goes out as before. The app has read the
  // early requests' URLs only once it has `config.json`, which it is
  // handed after they are out. The loader carries no comments: every
  // first view fetches it.
  const loader = `<script type="module">
const parts = ${JSON.stringify(parts)};
const query = new URLSearchParams(location.search);
const view = query.get('view');
const embed = query.get('embed');
const layout = ${JSON.stringify(LAYOUT_EMBEDS)}[embed] ?? query.getAll('layout').filter((l) => ${JSON.stringify(LAYOUTS)}.includes(l)).pop();
const part = parts[[\`\${view}:\${layout}\`, view].find((k) => Object.hasOwn(parts, k)) ?? ${JSON.stringify(defaultView)}];
globalThis.__pulse_split = {
  rest: new URL(part.rest, import.meta.url),
  restAtStart: history.state?.pulseRest !== undefined || !part.pages.some(([v, e]) => view === v && embed === e) || [...query.keys()].some((k) => !part.keys.split(' ').includes(k)),
};
const early = new Map();
const pageFetch = fetch;
const ask = (url) => {
  const abort = new AbortController();
  return [abort, pageFetch(url, { signal: abort.signal })];
};
globalThis.fetch = function (input, init) {
  const got = !init && input instanceof Request && input.method === 'GET' && early.get(input.url);
  if (!got) return pageFetch.apply(this, arguments);
  early.delete(input.url);
  const [abort, response] = got;
  const stop = () => abort.abort(input.signal.reason);
  if (input.signal.aborted) stop();
  else input.signal.addEventListener('abort', stop);
  return response;
};
for (const name of part.sheets) {
  const meta = document.querySelector('[name=pulse-style-' + name + ']');
  const link = { rel: 'preload', as: 'style', href: meta.content, integrity: meta.dataset.integrity };
  document.head.append(Object.assign(document.createElement('link'), link));
}
const configUrl = new URL('config.json', location.href).href;
const [configAbort, config] = ask(configUrl);
early.set(configUrl, [configAbort, config.then(async (response) => {
  const copy = response.clone();
  try {
    const base = new URL((await response.json()).api_base.trim(), location.href);
    if (response.ok && (base.protocol === 'https:' || base.origin === location.origin)) {
      const dir = base.href.endsWith('/') ? base.href : base.href + '/';
      for (const doc of ['meta.json', ...part.docs]) early.set(dir + doc, ask(dir + doc));
    }
  } catch {}
  return copy;
})]);
const first = fetch(new URL(part.first, import.meta.url), { integrity: part.integrity });
const bindings = await import('./${glueName}');
const wasm = await bindings.default(first);
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
</script>`;
  return html
    .replace(script, () => loader)
    .replace(preload, "")
    .replaceAll(jsName, glueName)
    .replace(/(href="\.\/([^"]+)"[^>]*?integrity=")sha384-[^"]*"/g, (all, head, name) =>
      name === glueName ? `${head}${integrity(path.join(site, name))}"` : all);
}

// Each view, with the pages its first module is profiled on: the view
// bare, from a shared address that sets its controls and the dark theme
// (each reads and builds a little differently), and an embedded panel of
// it. The first is the view the bare address opens (the first row of
// `views::VIEWS`); the build's check fails if it is not. `ready` is what
// shows the view's first content.
function viewGroups() {
  let meta = {};
  try {
    meta = JSON.parse(fs.readFileSync(path.join(site, "api/v1/meta.json"), "utf8"));
  } catch {
    // A site built without the bundled data: the views' addresses
    // without a day, month or plan.
  }
  const days = meta.delivery_days ?? [];
  const postDays = meta.post_days ?? [];
  const months = meta.report_months ?? [];
  const net = meta.networks?.[0];
  const plan = meta.plans?.[0]?.id;
  const q = (params) => `?${new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined))}`;
  // The second page of each view as over a slow network: documents sent
  // late and in pieces, so the code that waits for them runs too, and
  // with every field of `config.json` that the fast reader takes (the
  // README's example among them). The third in another page's iframe
  // (where it tells its host its height), in the light theme.
  const group = ({ view, layout, ready, bare = {}, shared, sharedReady = ready, embed, embedReady = ready, more = [] }) => ({
    view,
    part: layout && layout !== "list" ? `${view}:${layout}` : view,
    runs: [
      { address: q({ view, ...bare }), ready },
      { address: q({ view, ...shared, theme: "dark" }), ready: sharedReady, slow: true, config: fullConfig() },
      { address: q({ view, ...bare, embed, theme: "light" }), ready: embedReady, framed: true },
      ...more.map(({ params, ready, large, slow }) => ({ address: q({ view, ...params }), ready, large, slow })),
    ],
  });
  // The Queue has a first module per layout, each profiled only on its
  // own pages: a list never fetches the grid's code, nor a grid the
  // list's. Each has the busy hour (3 MB) bare, sorted and filtered from
  // a shared address, embedded, as an hour of 30,000 posts (8.5 MB), once
  // fast and once still arriving when the view takes it, and a quiet
  // hour (a small body read in one go, a list shorter than the screen).
  // A body that large is read by the second module's code (the stepped
  // reading waits for it): those runs profile the view painted before
  // its hour and the download itself.
  const queue = { day: postDays[0], hour: "08" };
  const large = { ...queue, posts: 30000 };
  const queueLayout = (layout, ready, embed) => {
    const at = layout === "grid" ? { ...queue, layout } : queue;
    const painted = `[data-panel=queue-${layout}] .panel-title`;
    return group({
      view: "queue", layout, ready, bare: at, embed, shared: { ...at, sort: "-delay", late: "1" },
      more: [
        { params: { ...at, theme: "light" }, ready: painted, large },
        { params: { ...at, sort: "due" }, ready: painted, large, slow: true },
        { params: { ...at, hour: "09" }, ready },
      ],
    });
  };
  const groups = [
    group({
      view: "overview", ready: "[data-panel^=overview-] [data-kpi]", shared: { month: months.at(-1), hide: "note" },
      embed: "overview-services", embedReady: "[data-panel=overview-services] table, [data-panel=overview-services] [data-kpi]",
    }),
    group({
      view: "delivery", ready: "[data-chart=delivery-minutes][data-draws]", embed: "delivery-minutes",
      shared: { day: days.at(-1), compare: days.length > 1 ? days[0] : undefined, from: "07:55", to: "08:10", net, media: "video" },
    }),
    group({ view: "revenue", ready: "[data-chart=revenue-mrr][data-draws]", shared: { plan, target: "1000000", month: months.at(-2) }, embed: "revenue-mrr" }),
    queueLayout("list", "[data-panel=queue-list] .qrow", "queue-list"),
    queueLayout("grid", "[data-panel=queue-grid] .tile", "queue-grid"),
  ];
  // The bare address opens the first view.
  groups[0].runs.unshift({ address: "?", ready: groups[0].runs[0].ready });
  return groups;
}

// The site's config.json with every field the fast reader takes set.
function fullConfig() {
  let config = {};
  try {
    config = JSON.parse(fs.readFileSync(path.join(site, "config.json"), "utf8"));
  } catch {
    config = { api_base: "api/v1" };
  }
  // Its data folder written with a trailing slash (the bare pages read
  // the site's own, without one).
  const base = String(config.api_base ?? "api/v1").replace(/\/*$/, "/");
  return JSON.stringify({
    refresh_seconds: 60, title: "Ops console", timeout_seconds: 20, embed_parent_origins: [],
    broadcast_workers: 24, media_cost: { text: 1, image: 2, video: 8, link: 1 }, ...config, api_base: base,
  });
}

// What every profiled page of a view asked for early (`key` of each
// visit): `docs`, the documents its address alone names (the Revenue
// view's events), asked for before `meta.json` was read; `sheets`, its
// own style sheets, asked for before the app mounted. The loader asks
// for them as it starts (patchPage).
function inEvery(visits, key) {
  const [first = [], ...others] = visits.map((v) => v[key]);
  return first.filter((x) => others.every((xs) => xs.includes(x)));
}

// The pages the profile opened, as [view, embedded panel or null]: an
// address of one of them whose parameters are all among those its runs
// set (`profiledKeys`) starts on the first module alone (others load
// both modules before they start).
function profiledPages(runs) {
  const pages = runs.map((r) => {
    const q = new URLSearchParams(r.address);
    return JSON.stringify([q.get("view"), q.get("embed")]);
  });
  return [...new Set(pages)].map((p) => JSON.parse(p));
}

// The address parameters any of `runs` set, separated by spaces.
function profiledKeys(runs) {
  const keys = new Set(runs.flatMap((r) => [...new URLSearchParams(r.address).keys()]));
  return [...keys].sort().join(" ");
}

// Serves a copy of the site with the instrumented module and returns, per
// view, the profile of each of its pages at desktop and phone width
// (some parts are laid out differently), written once its first content
// shows.
async function profileFirstViews(instrumented, views) {
  const copy = path.join(work, "site");
  fs.cpSync(site, copy, { recursive: true });
  fs.copyFileSync(instrumented, path.join(copy, wasmName));
  const indexPath = path.join(copy, "index.html");
  fs.writeFileSync(indexPath, fs.readFileSync(indexPath, "utf8").replace(/ integrity="[^"]*"/g, ""));
  const runs = views.flatMap((g, i) => g.runs.map((r) => ({ ...r, group: i })));
  const widths = [1280, 390];
  const profiles = await visitEach(copy, runs, widths, (browser, url, run, width) => profile(browser, url, run, width));
  // visitEach returns each run's visits at every width, in order.
  return views.map((_, i) => profiles.filter((_, j) => runs[Math.floor(j / widths.length)].group === i));
}

// Opens the profiled pages on the split site as it will be served, at
// desktop and phone width, and fails the build if any of them calls into
// the second module before it is in (a path the profile did not see that
// runs before the module is in): the page would start again.
async function checkFirstViews(runs) {
  const copy = path.join(work, "checked");
  fs.cpSync(site, copy, { recursive: true });
  const found = (await visitEach(copy, runs, [1280, 390], (browser, url, run, width) => restarts(browser, url, run, width))).flat();
  if (found.length) {
    const named = found.map(({ address, width, slots, rest }) => `${address} at ${width} px (by ${slots.map((s) => describeSlot(rest, s)).join(", ")})`);
    throw new Error(`split: the second module is needed before it is in on ${named.join("; ")}`);
  }
}

// The function a placeholder stands for: the one the second module puts
// in table slot `slot`, named when the module has names (a build with
// `-g` in index.html's `data-wasm-opt-params` and `PULSE_SPLIT_NAMES=1`).
function describeSlot(rest, slot) {
  if (slot === undefined) return "an unknown function";
  const named = functionInSlot(fs.readFileSync(path.join(site, rest)), slot);
  return named ? `slot ${slot}, ${named}` : `slot ${slot}`;
}

// The posts document `data` made `posts` posts long.
function largeHour(data, posts) {
  const doc = JSON.parse(data.toString());
  doc.posts = repeatPosts(doc.posts, posts);
  return Buffer.from(JSON.stringify(doc));
}

// Serves `dir` on 127.0.0.1 and calls `visit(browser, url, run, width)`
// for each run at each width: with the run's `config.json`, its documents
// late and in pieces when it is `slow`, its Queue hour `large` (day, hour
// and number of posts) made that long, inside a host page's iframe when
// it is `framed`; at the first width from the server's root, at the
// others from a folder (`SITE_FOLDER`: addresses resolve differently
// there). Returns what the visits return.
async function visitEach(dir, runs, widths, visit) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json" };
  let slow = false;
  let config = null;
  let large = null;
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (p.startsWith(`/${SITE_FOLDER}`)) p = p.slice(SITE_FOLDER.length);
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(dir, path.normalize(p));
    fs.readFile(file, (err, data) => {
      if (config !== null && p === "/config.json") data = Buffer.from(config);
      if (large !== null && p === large.path && !err) data = largeHour(data, large.posts);
      if (err) { res.writeHead(404); res.end(); return; }
      const type = types[path.extname(file)] || "application/octet-stream";
      if (!slow || !file.endsWith(".json")) {
        res.writeHead(200, { "Content-Type": type, "Content-Length": data.length });
        res.end(data);
        return;
      }
      res.writeHead(200, { "Content-Type": type });
      // A large hour comes in ten pieces over 1.5 s, as over a slow
      // network: the view reads it while it still arrives, which runs
      // code of its own (the stream's chunks with turns between them).
      const [pieces, every] = large !== null && p === large.path ? [10, 150] : [2, 40];
      const size = Math.ceil(data.length / pieces);
      for (let i = 0; i < pieces; i++) {
        const piece = data.subarray(i * size, (i + 1) * size);
        setTimeout(() => (i === pieces - 1 ? res.end(piece) : res.write(piece)), every * (i + 1));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROME || "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu"],
  });
  try {
    const out = [];
    for (const run of runs) {
      slow = Boolean(run.slow);
      config = run.config ?? null;
      large = run.large ? { path: `/api/v1/posts/${run.large.day}/${run.large.hour}.json`, posts: run.large.posts } : null;
      const root = `http://127.0.0.1:${server.address().port}/`;
      if (run.framed) {
        const src = `./${run.address}`.replaceAll("&", "&amp;");
        fs.writeFileSync(path.join(dir, HOST_PAGE), `<!doctype html><title>host</title><iframe src="${src}" width="640" height="480"></iframe>`);
      }
      for (const [i, width] of widths.entries()) {
        const base = i === 0 ? root : `${root}${SITE_FOLDER}`;
        out.push(await visit(browser, run.framed ? `${base}${HOST_PAGE}` : `${base}${run.address}`, run, width));
      }
    }
    return out;
  } finally {
    await browser.close();
    server.close();
  }
}

// Whether `url` (the run's address, in an iframe when it is `framed`)
// called into the second module before its first chart was drawn and
// that module was in: [{ address, width, slots, rest }] if it did (the
// page then starts again with both modules, see the glue's loader;
// `slots`: the table slots of the placeholders that asked), else [].
async function restarts(browser, url, run, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  try {
    await page.goto(url);
    const frame = run.framed ? await (await page.waitForSelector("iframe")).contentFrame() : page;
    const ready = (ready) => document.querySelector(ready)
      && performance.getEntriesByType("resource").some((r) => r.name.endsWith("_rest.wasm") && r.responseEnd > 0);
    for (let waited = 0; !(await frame.evaluate(ready, run.ready).catch(() => false)); waited += 100) {
      if (waited > 30000) throw new Error(`split: ${run.address} at ${width} px: no first content`);
      await page.waitForTimeout(100);
    }
    await page.waitForTimeout(300);
    // A page that started again was reloaded (and its history entry
    // names the slot, unless the app has replaced it since).
    const [reloaded, slot] = await frame.evaluate(() => [
      performance.getEntriesByType("navigation")[0]?.type === "reload",
      history.state?.pulseRest,
    ]);
    return reloaded ? [{ address: run.address, width, slots: [slot], rest: run.rest }] : [];
  } finally {
    await page.close();
  }
}

// The profile of `url` at `width` once the run's first content shows, and
// what it asked for early (`{ bytes, docs, sheets }`, see inEvery); when the run is `framed`, `url` is a host page and
// the profile is of the page in its iframe.
async function profile(browser, url, { framed, ready, large }, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  try {
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(() => {
      // The panels built after the first content wait for this: never.
      globalThis.__pulse_load_rest = () => new Promise(() => {});
      globalThis.__pulse_rest_arrived = new Promise(() => {});
      addEventListener("TrunkApplicationStarted", (e) => { globalThis.__pulse_wasm = e.detail.wasm; });
    });
    await page.goto(url);
    const frame = framed ? await (await page.waitForSelector("iframe")).contentFrame() : page;
    await frame.waitForFunction((ready) => document.querySelector(ready), ready, { timeout: 30000 });
    // A large hour downloads while the view waits for the rest: profile
    // the download to its end (the page's mark: a worker fetches it).
    if (large) {
      await frame.waitForFunction(
        () => performance.getEntriesByType("mark").some((m) => m.name.startsWith("pulse:got posts/")),
        null, { timeout: 60000 });
    }
    // What a person does before the rest arrives: scrolls the page and
    // the lists, and the window changes size (a phone turns, a wiki
    // page lays out its frames).
    await page.waitForTimeout(300);
    await frame.evaluate(() => {
      scrollBy(0, 40);
      for (const list of document.querySelectorAll(".vscroll")) list.scrollTop += 120;
    });
    await page.setViewportSize({ width: width - 24, height: 860 });
    await page.waitForTimeout(1000);
    if (errors.length) throw new Error(`split: ${url} failed: ${errors.join("; ")}`);
    const bytes = await frame.evaluate(() => {
      const w = globalThis.__pulse_wasm;
      const size = 1 << 20;
      const at = w.__wbindgen_malloc(size, 8);
      const n = w.__write_profile(at, size);
      return Array.from(new Uint8Array(w.memory.buffer, at, n));
    });
    if (bytes.length < 8) throw new Error(`split: ${url}: empty profile`);
    // The documents asked for before meta.json was read (src/timing.rs),
    // and the views' own style sheets (src/styles.rs) asked for before
    // the app mounted, by their names in index.html.
    const { docs, sheets } = await frame.evaluate(() => {
      const marks = performance.getEntriesByType("mark");
      const before = (name) => {
        const mark = marks.find((m) => m.name === name);
        return (t) => !mark || t < mark.startTime;
      };
      const beforeMeta = before("pulse:got meta.json");
      const beforeMount = before("pulse:mounted");
      const requested = performance.getEntriesByType("resource").filter((r) => beforeMount(r.startTime)).map((r) => r.name);
      return {
        docs: marks
          .filter((m) => m.name.startsWith("pulse:fetch ") && beforeMeta(m.startTime))
          .map((m) => m.name.slice("pulse:fetch ".length))
          .filter((doc) => doc !== "config.json" && doc !== "meta.json"),
        sheets: [...document.querySelectorAll('meta[name^="pulse-style-"]')]
          .filter((m) => requested.includes(new URL(m.content, location.href).href))
          .map((m) => m.name.slice("pulse-style-".length)),
      };
    });
    return { bytes: Buffer.from(bytes), docs, sheets };
  } finally {
    await page.close();
  }
}
