// The split build's table of first and second modules, read from its
// loader (`start-*.js`, scripts/split/split.mjs): the value of the
// loader's first declaration, `const parts = {view: {first, integrity,
// rest, pages, docs}}`, minified or not. `null` for a loader without one
// (a build not split).

export function loaderParts(loader) {
  const start = /^const\s+\w+\s*=\s*\{/.exec(loader);
  if (!start) return null;
  // The object literal's end: its braces balance, strings aside.
  let depth = 0;
  let quote = null;
  for (let i = start[0].length - 1; i < loader.length; i++) {
    const c = loader[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") {
      quote = c;
    } else if (c === "{") {
      depth++;
    } else if (c === "}" && --depth === 0) {
      const literal = loader.slice(start[0].length - 1, i + 1);
      if (!literal.includes("_bg.wasm")) return null;
      // The build's own object literal: names, hashes and strings only.
      return Function(`"use strict"; return (${literal});`)();
    }
  }
  return null;
}
