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
