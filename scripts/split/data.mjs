// Moves the static data only the second module uses out of the first one
// (run by split.mjs after wasm-split, which moves functions only: the whole
// data section would otherwise stay in the first view's download).
//
// What the first module can reach is read from its code: every `i32.const`
// and load/store offset that points into the static data marks the static
// it falls in (the linker map, `pulse.map` from build.rs, gives each
// static's extent; in the linker's pool of merged strings, the string),
// then every pointer stored in a marked static marks the static it points
// to, until nothing changes. Bytes move only when the second module's code
// reaches them in the same way and the first module's never does. The
// second module gets them as active data segments: the browser writes them
// into the shared memory when it instantiates that module, before any of
// its code can run; until then those bytes are zero, and no code that can
// run reads them.
//
// Everything is checked before anything moves: the map must describe the
// linked module (same data section, same bytes at the same addresses as
// the optimised one), every segment must be active, and the result is
// compared byte for byte with the original memory image. When a check
// fails, nothing moves and the reason is returned.

import { leb, sections, uleb } from "./wasm.mjs";

// The smallest run of zero bytes worth ending a moved segment at: the
// memory is zero there already.
const ZERO_RUN = 8;
// The largest constant the linker merges (`.rodata.cst32`).
const MERGED_CONSTANT = 32;

/**
 * @param {object} o
 * @param {Uint8Array} o.first the first module (wasm-split's primary)
 * @param {Uint8Array} o.rest the second module
 * @param {Uint8Array} o.original the module before the split
 * @param {Uint8Array} o.linked the module as the linker wrote it
 * @param {string} o.map the linker's map of `linked`
 * @param {(bytes: Uint8Array) => string} o.disassemble text form of a module
 * @returns {{ first: Uint8Array, rest: Uint8Array, moved: number, kept: number } | { skipped: string }}
 */
export function moveData({ first, rest, original, linked, map, disassemble }) {
  const layout = readMap(map);
  if (!layout) return { skipped: "the linker map has no DATA section" };
  const linkedData = sectionOf(linked, 11);
  if (!linkedData || linkedData.headerAt !== layout.dataOff || linkedData.end - linkedData.headerAt !== layout.dataSize) {
    return { skipped: "the linker map is not the map of the linked module" };
  }
  const firstSegs = segments(first);
  if (!firstSegs) return { skipped: "the first module has passive data segments" };
  const memory = image(segments(original) ?? []);
  if (!sameImage(memory, image(segments(linked) ?? [])) || !sameImage(memory, image(firstSegs))) {
    return { skipped: "the data of the linked, optimised and split modules differ" };
  }
  if (sectionOf(rest, 11) || sectionOf(rest, 12)) return { skipped: "the second module has data already" };

  const units = layout.units;
  if (units.length === 0) return { skipped: "the linker map lists no statics" };
  const unitAt = unitFinder(units);
  const span = [units[0].addr, units.at(-1).addr + units.at(-1).size];
  const reach = (text) => closure(references(text, span), unitAt, units, memory, span);
  const keep = reach(disassemble(first));
  const ranges = subtractRanges(reach(disassemble(rest)), keep);
  if (ranges.length === 0) return { skipped: "no data is used by the second module only" };

  const firstOut = withSegments(first, subtract(firstSegs, ranges));
  const restSegs = pieces(memory, ranges);
  const restOut = withSegments(rest, restSegs);

  // The two images together are the original one, and the moved bytes are
  // no longer in the first.
  const firstImage = image(segments(firstOut));
  const joined = image([...segments(firstOut), ...restSegs]);
  if (!sameImage(memory, joined)) throw new Error("split: moving data changed the memory image");
  for (const [a, b] of ranges) {
    for (let addr = a; addr < b; addr++) {
      if (byteAt(firstImage, addr) !== 0) throw new Error(`split: moved data at ${addr} is still in the first module`);
    }
  }
  const movedBytes = restSegs.reduce((n, s) => n + s.data.length, 0);
  return { first: firstOut, rest: restOut, moved: movedBytes, kept: imageBytes(firstOut) };
}

// The linker map's DATA section and the statics in it: the input sections
// (`path:(.rodata.name)`, one per static) under its .rodata, .data and .bss.
function readMap(text) {
  const lines = text.split("\n");
  const head = lines.findIndex((l) => /^\s+-\s+[0-9a-f]+\s+[0-9a-f]+ DATA$/.test(l));
  if (head < 0) return null;
  const [, off, size] = lines[head].trim().split(/\s+/);
  const units = [];
  for (const line of lines.slice(head + 1)) {
    const m = /^\s+([0-9a-f]+|-)\s+([0-9a-f]+)\s+([0-9a-f]+) (\s*)(\S.*)$/.exec(line);
    if (!m) continue;
    const depth = m[4].length;
    if (depth === 0 && m[1] === "-") break; // the next section of the file
    if (depth !== 8 || m[1] === "-") continue; // .rodata/.data/.bss themselves, and symbols
    const unit = { addr: parseInt(m[1], 16), size: parseInt(m[3], 16), name: m[5] };
    if (unit.size > 0) units.push(unit);
  }
  units.sort((a, b) => a.addr - b.addr);
  return { dataOff: parseInt(off, 16), dataSize: parseInt(size, 16), units };
}

function sectionOf(bytes, id) {
  return sections(bytes).find((x) => x.id === id);
}

// The active data segments of a module ([] without a data section), or
// null when one is passive or has a non-constant offset.
function segments(bytes) {
  const s = sections(bytes).find((x) => x.id === 11);
  if (!s) return [];
  const out = [];
  let [count, at] = leb(bytes, s.start);
  for (let i = 0; i < count; i++) {
    let flags;
    [flags, at] = leb(bytes, at);
    if (flags !== 0 || bytes[at] !== 0x41) return null;
    let offset;
    [offset, at] = sleb(bytes, at + 1);
    if (bytes[at++] !== 0x0b) return null;
    let len;
    [len, at] = leb(bytes, at);
    out.push({ offset, data: bytes.subarray(at, at + len) });
    at += len;
  }
  return out;
}

function image(segs) {
  if (segs.length === 0) return { lo: 0, mem: new Uint8Array(0) };
  const lo = Math.min(...segs.map((s) => s.offset));
  const hi = Math.max(...segs.map((s) => s.offset + s.data.length));
  const mem = new Uint8Array(hi - lo);
  for (const s of segs) mem.set(s.data, s.offset - lo);
  return { lo, mem };
}

function byteAt(img, addr) {
  const i = addr - img.lo;
  return i >= 0 && i < img.mem.length ? img.mem[i] : 0;
}

function sameImage(a, b) {
  const lo = Math.min(a.lo, b.lo);
  const hi = Math.max(a.lo + a.mem.length, b.lo + b.mem.length);
  for (let addr = lo; addr < hi; addr++) if (byteAt(a, addr) !== byteAt(b, addr)) return false;
  return true;
}

function imageBytes(bytes) {
  return segments(bytes).reduce((n, s) => n + s.data.length, 0);
}

function unitFinder(units) {
  return (addr) => {
    let lo = 0;
    let hi = units.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = units[mid];
      if (addr < u.addr) hi = mid - 1;
      else if (addr >= u.addr + u.size) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
}

// Addresses in a module's code that point into the static data: constants
// and memory-access offsets (data segments and their offsets excluded).
function references(text, [lo, hi]) {
  const out = [];
  for (const line of text.split("\n")) {
    if (line.trimStart().startsWith("(data ")) continue;
    for (const m of line.matchAll(/i32\.const (-?\d+)|offset=(\d+)/g)) {
      const v = Number(m[1] ?? m[2]);
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

// The byte ranges the addresses reach: the statics they fall in, and
// every static a pointer stored in one of those points to, transitively.
//
// The linker merges all constant strings and small constants into one
// section (`<internal>` in the map): there an address reaches only its
// own entry, a string up to its NUL terminator (the linker merges only
// strings without another NUL) or a constant of at most 32 bytes.
// Neither holds pointers.
function closure(addrs, unitAt, units, memory, [lo, hi]) {
  const seen = new Set();
  const merged = [];
  const todo = [];
  const mark = (addr) => {
    const u = unitAt(addr);
    if (u < 0) return;
    const unit = units[u];
    if (unit.name.startsWith("<internal>")) {
      const end = unit.addr + unit.size;
      let nul = addr;
      while (nul < end && byteAt(memory, nul) !== 0) nul++;
      merged.push([addr, Math.min(end, Math.max(addr + MERGED_CONSTANT, nul + 1))]);
    } else if (!seen.has(u)) {
      seen.add(u);
      todo.push(u);
    }
  };
  addrs.forEach(mark);
  while (todo.length) {
    const u = units[todo.pop()];
    for (let p = u.addr - (u.addr % 4); p < u.addr + u.size; p += 4) {
      const v = byteAt(memory, p) | (byteAt(memory, p + 1) << 8) | (byteAt(memory, p + 2) << 16) | (byteAt(memory, p + 3) << 24);
      if (v >= lo && v <= hi) mark(v);
    }
  }
  return mergeRanges([...[...seen].map((u) => [units[u].addr, units[u].addr + units[u].size]), ...merged]);
}

// The parts of the ranges `a` outside the ranges `b` (both merged).
function subtractRanges(a, b) {
  const out = [];
  for (const [start, end] of a) {
    let at = start;
    for (const [s, e] of b) {
      if (e <= at || s >= end) continue;
      if (s > at) out.push([at, s]);
      at = Math.max(at, e);
    }
    if (at < end) out.push([at, end]);
  }
  return out;
}

function mergeRanges(ranges) {
  ranges.sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const r of ranges) {
    const last = out.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([...r]);
  }
  return out;
}

// The segments with the ranges cut out.
function subtract(segs, ranges) {
  const out = [];
  for (const s of segs) {
    let start = s.offset;
    const end = s.offset + s.data.length;
    for (const [a, b] of ranges) {
      if (b <= start || a >= end) continue;
      if (a > start) out.push({ offset: start, data: s.data.subarray(start - s.offset, a - s.offset) });
      start = Math.max(start, b);
    }
    if (start < end) out.push({ offset: start, data: s.data.subarray(start - s.offset) });
  }
  return out;
}

// The non-zero parts of the ranges as segments.
function pieces(memory, ranges) {
  const out = [];
  for (const [a, b] of ranges) {
    let at = a;
    while (at < b) {
      while (at < b && byteAt(memory, at) === 0) at++;
      if (at >= b) break;
      let end = at;
      let zeros = 0;
      while (end < b && zeros < ZERO_RUN) {
        zeros = byteAt(memory, end) === 0 ? zeros + 1 : 0;
        end++;
      }
      end -= zeros;
      const data = new Uint8Array(end - at);
      for (let i = at; i < end; i++) data[i - at] = byteAt(memory, i);
      out.push({ offset: at, data });
      at = end;
    }
  }
  return out;
}

// The module with its data section (and data count) replaced by the given
// segments; a module without one gets it after its code section.
function withSegments(bytes, segs) {
  const body = [uleb(segs.length)];
  for (const s of segs) body.push(Uint8Array.of(0, 0x41), sleb32(s.offset), Uint8Array.of(0x0b), uleb(s.data.length), s.data);
  const data = section(11, concat(body));
  const parts = [];
  let placed = false;
  let at = 8;
  parts.push(bytes.subarray(0, 8));
  for (const s of sections(bytes)) {
    const whole = bytes.subarray(s.headerAt, s.end);
    if (s.id === 11) {
      parts.push(data);
      placed = true;
    } else if (s.id === 12) {
      parts.push(section(12, uleb(segs.length)));
    } else {
      parts.push(whole);
      if (s.id === 10 && !sections(bytes).some((x) => x.id === 11)) {
        parts.push(data);
        placed = true;
      }
    }
    at = s.end;
  }
  if (!placed || at !== bytes.length) throw new Error("split: could not place the data section");
  return concat(parts);
}

function section(id, payload) {
  return concat([Uint8Array.of(id), uleb(payload.length), payload]);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sleb32(value) {
  const out = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(b & 0x40)) || (value === -1 && b & 0x40)) {
      out.push(b);
      return Uint8Array.from(out);
    }
    out.push(b | 0x80);
  }
}

function sleb(bytes, at) {
  let value = 0;
  let shift = 0;
  let b;
  do {
    b = bytes[at++];
    value |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 32 && b & 0x40) value |= -1 << shift;
  return [value, at];
}
