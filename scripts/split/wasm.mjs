// Just enough of the wasm binary format for split.mjs and data.mjs: the
// sections of a module, the tables it defines or imports, its table exports.

const FUNCREF = 0x70;
const EXTERNREF = 0x6f;

export function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

// [{ id, headerAt, start, end }]: where each section's header and
// payload begin, and where it ends.
export function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    out.push({ id, headerAt: at, start, end: start + size });
    at = start + size;
  }
  return out;
}

function name(bytes, at) {
  const [len, start] = leb(bytes, at);
  return [Buffer.from(bytes.subarray(start, start + len)).toString("utf8"), start + len];
}

function skipLimits(bytes, at) {
  const flags = bytes[at];
  [, at] = leb(bytes, at + 1);
  if (flags & 1) [, at] = leb(bytes, at);
  return at;
}

// The element type of every table, imported ones first (index order).
function tableTypes(bytes) {
  const types = [];
  for (const s of sections(bytes)) {
    if (s.id === 2) {
      let [count, at] = leb(bytes, s.start);
      for (let i = 0; i < count; i++) {
        [, at] = name(bytes, at);
        [, at] = name(bytes, at);
        const kind = bytes[at++];
        if (kind === 0) [, at] = leb(bytes, at);
        else if (kind === 1) { types.push(bytes[at]); at = skipLimits(bytes, at + 1); }
        else if (kind === 2) at = skipLimits(bytes, at);
        else if (kind === 3) at += 2;
        else throw new Error(`wasm: import kind ${kind}`);
      }
    } else if (s.id === 4) {
      let [count, at] = leb(bytes, s.start);
      for (let i = 0; i < count; i++) { types.push(bytes[at]); at = skipLimits(bytes, at + 1); }
    }
  }
  return types;
}

// [{ name, index, type, at }] for each exported table; `at` is the offset
// of its index.
export function tableExports(bytes) {
  const types = tableTypes(bytes);
  const out = [];
  for (const s of sections(bytes)) {
    if (s.id !== 7) continue;
    let [count, at] = leb(bytes, s.start);
    for (let i = 0; i < count; i++) {
      let exported;
      [exported, at] = name(bytes, at);
      const kind = bytes[at++];
      const indexAt = at;
      let index;
      [index, at] = leb(bytes, at);
      if (kind === 1) {
        const t = types[index];
        out.push({ name: exported, index, at: indexAt, type: t === EXTERNREF ? "externref" : t === FUNCREF ? "funcref" : `0x${t?.toString(16)}` });
      }
    }
  }
  return out;
}

// Points the `__wbindgen_externrefs` export at the module's externref
// table when it names another table (the index is patched in place).
export function fixTableExports(bytes) {
  const types = tableTypes(bytes);
  const externref = types.indexOf(EXTERNREF);
  for (const t of tableExports(bytes)) {
    if (t.name !== "__wbindgen_externrefs" || t.type === "externref") continue;
    if (externref < 0 || externref > 0x7f || bytes[t.at] > 0x7f) {
      throw new Error("wasm: cannot point __wbindgen_externrefs at the externref table");
    }
    bytes[t.at] = externref;
  }
  return bytes;
}

// The module without the custom sections named in `names` (metadata no
// browser reads: the toolchain's `producers`, `target_features`).
export function withoutCustomSections(bytes, names) {
  const keep = [bytes.subarray(0, 8)];
  for (const s of sections(bytes)) {
    if (s.id === 0 && names.includes(name(bytes, s.start)[0])) continue;
    keep.push(bytes.subarray(s.headerAt, s.end));
  }
  return Buffer.concat(keep);
}

// The module with each import's module and field names replaced by
// `rename(module, field)` → [module, field].
export function renameImports(bytes, rename) {
  const s = sections(bytes).find((x) => x.id === 2);
  if (!s) return bytes;
  const out = [];
  let [count, at] = leb(bytes, s.start);
  out.push(...uleb(count));
  for (let i = 0; i < count; i++) {
    let module;
    let field;
    [module, at] = name(bytes, at);
    [field, at] = name(bytes, at);
    const descStart = at;
    const kind = bytes[at++];
    if (kind === 0) [, at] = leb(bytes, at);
    else if (kind === 1) at = skipLimits(bytes, at + 1);
    else if (kind === 2) at = skipLimits(bytes, at);
    else if (kind === 3) at += 2;
    else throw new Error(`wasm: import kind ${kind}`);
    const [m, f] = rename(module, field);
    out.push(...encodedName(m), ...encodedName(f), ...bytes.subarray(descStart, at));
  }
  if (at !== s.end) throw new Error("wasm: import section not read to its end");
  return withSection(bytes, s, 2, Uint8Array.from(out));
}

// The module with each export's name replaced by `rename(name)`.
export function renameExports(bytes, rename) {
  const s = sections(bytes).find((x) => x.id === 7);
  if (!s) return bytes;
  const out = [];
  let [count, at] = leb(bytes, s.start);
  out.push(...uleb(count));
  for (let i = 0; i < count; i++) {
    let exported;
    [exported, at] = name(bytes, at);
    const descStart = at;
    [, at] = leb(bytes, at + 1);
    out.push(...encodedName(rename(exported)), ...bytes.subarray(descStart, at));
  }
  if (at !== s.end) throw new Error("wasm: export section not read to its end");
  return withSection(bytes, s, 7, Uint8Array.from(out));
}

function encodedName(text) {
  const b = new TextEncoder().encode(text);
  return [...uleb(b.length), ...b];
}

// `bytes` with section `s` (of id `id`) holding `payload` instead.
function withSection(bytes, s, id, payload) {
  const header = Uint8Array.from([id, ...uleb(payload.length)]);
  const result = new Uint8Array(s.headerAt + header.length + payload.length + (bytes.length - s.end));
  result.set(bytes.subarray(0, s.headerAt), 0);
  result.set(header, s.headerAt);
  result.set(payload, s.headerAt + header.length);
  result.set(bytes.subarray(s.end), s.headerAt + header.length + payload.length);
  return result;
}

export function uleb(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return Uint8Array.from(out);
}

// The function a module puts in table slot `slot` with its active element
// segments (constant offsets), by its name when the module has a name
// section, else by its index; null when no segment fills the slot.
export function functionInSlot(bytes, slot) {
  const all = sections(bytes);
  const elements = all.find((s) => s.id === 9);
  if (!elements) return null;
  const constant = (at) => {
    if (bytes[at] !== 0x41) return [null, at];
    const [value, next] = leb(bytes, at + 1);
    return [value, next + 1];
  };
  let [count, at] = leb(bytes, elements.start);
  let found = null;
  for (let i = 0; i < count && found === null; i++) {
    let flags;
    [flags, at] = leb(bytes, at);
    let offset = null;
    if (flags === 2 || flags === 6) [, at] = leb(bytes, at);
    if ((flags & 1) === 0) [offset, at] = constant(at);
    if (flags & 3) at++;
    let n;
    [n, at] = leb(bytes, at);
    for (let j = 0; j < n; j++) {
      let func;
      if (flags & 4) {
        if (bytes[at] !== 0xd2) return null;
        [func, at] = leb(bytes, at + 1);
        at++;
      } else {
        [func, at] = leb(bytes, at);
      }
      if (offset !== null && offset + j === slot) found = func;
    }
  }
  if (found === null) return null;
  for (const s of all.filter((x) => x.id === 0)) {
    let [section, p] = name(bytes, s.start);
    if (section !== "name") continue;
    while (p < s.end) {
      const kind = bytes[p];
      const [size, start] = leb(bytes, p + 1);
      if (kind === 1) {
        let [names, q] = leb(bytes, start);
        for (let k = 0; k < names; k++) {
          let index;
          let text;
          [index, q] = leb(bytes, q);
          [text, q] = name(bytes, q);
          if (index === found) return text;
        }
      }
      p = start + size;
    }
  }
  return `function ${found}`;
}
