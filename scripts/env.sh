# Sourced by the scripts: puts the project's tools first on PATH and tells
# trunk and the test runners where things are.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export CHROME=/usr/bin/chromium
# Fail at once instead of trying to download a tool.
export TRUNK_OFFLINE=true
# pulse-ingest links DuckDB's shared library from npm's
# @duckdb/node-bindings-linux-x64 (scripts/tools/package.json): no C++ to
# compile. The binary records this folder as its run path.
export DUCKDB_LIB_DIR="${DUCKDB_LIB_DIR:-$root/.tools/node_modules/@duckdb/node-bindings-linux-x64}"
export LD_LIBRARY_PATH="$DUCKDB_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Panic messages in the browser build name a dependency's file from its
# crate's folder (`leptos-0.8.23/src/…`) rather than from this machine's
# cargo home: shorter texts in every module (80-100 bytes gzip less in
# each view's first module). Cargo adds these to the target's flags in
# .cargo/config.toml. The registry's folders exist once `cargo fetch`
# has run (scripts/setup.sh, before the scripts source this file).
remap=""
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$dir" ] && remap="$remap --remap-path-prefix=$dir="
done
if [ -n "$remap" ]; then
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${remap# }"
fi
unset remap dir
