#!/usr/bin/env bash
# Runs pulse-ingest with the given arguments (see README, "Use your own
# data"), after building what is missing: DuckDB's shared library from npm
# into .tools/ and the binary (cargo profile `ingest`) into target/ingest/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
if [ ! -f "$DUCKDB_LIB_DIR/libduckdb.so" ]; then
  "$root/scripts/setup.sh" --ingest >&2
fi
(cd "$root" && cargo build --quiet --profile ingest -p pulse-ingest >&2)
exec "$root/target/ingest/pulse-ingest" "$@"
