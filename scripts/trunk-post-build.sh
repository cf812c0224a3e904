#!/bin/sh
# Trunk post-build hook: moves trunk's inline loader <script> out of
# index.html into its own file, so the page runs under a strict content
# security policy (script-src 'self', no inline script).
#
# Release builds first split the wasm module in two (scripts/split), so
# the first view loads only the code it runs (PULSE_SPLIT=0 skips that),
# between minifying the style sheets and the JS glue (scripts/minify.mjs);
# the loader taken out of index.html is minified too.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}"
if [ "${TRUNK_PROFILE:-}" = release ]; then
  node scripts/minify.mjs "$dir" css
  if [ "${PULSE_SPLIT:-1}" != 0 ]; then
    node scripts/split/split.mjs "$dir"
  fi
  node scripts/minify.mjs "$dir" js
fi
html="$dir/index.html"
tmp="$dir/start.js.tmp"
awk -v out="$tmp" '
  /<script type="module">/ && !done { inside = 1; print "<script type=\"module\" src=\"./START_JS\"></script>"; next }
  inside && /<\/script>/ { inside = 0; done = 1; next }
  inside { print > out; next }
  { print }
' "$html" > "$html.tmp"
[ -s "$tmp" ] || { echo "trunk-post-build: no inline loader found in index.html" >&2; exit 1; }
if [ "${TRUNK_PROFILE:-}" = release ]; then
  node scripts/minify.mjs "$dir" loader "$tmp"
fi
name="start-$(cksum < "$tmp" | cut -d' ' -f1).js"
mv "$tmp" "$dir/$name"
sed "s/START_JS/$name/" "$html.tmp" > "$html"
rm -f "$html.tmp"
