// Just enough of the wasm binary format for split.mjs: the tables a module
// defines or imports, and its table exports.

const FUNCREF = 0x70;
const EXTERNREF = 0x6f;

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    out.push({ id, start, end: start + size });
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
