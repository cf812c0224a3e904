#!/usr/bin/env bash
# Runs pulse-ingest with the given arguments (see README, "Use your own
# data"), after building what is missing: DuckDB's shared library from npm
# into .tools/ and the binary, optimised (cargo profile `ingest`, in
# target/ingest/).
#
# PULSE_INGEST_PROFILE=dev builds and runs the debug binary instead
# (target/debug/): the tests use it so that CI compiles pulse and its
# dependencies once, shared with the console's host tests. Any other cargo
# profile name works too. PULSE_INGEST_NO_BUILD=1 runs the binary that is
# there without asking cargo first (scripts/test.sh builds it before the
# end-to-end tests, which run this script while cargo runs them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
if [ ! -f "$DUCKDB_LIB_DIR/libduckdb.so" ]; then
  "$root/scripts/setup.sh" --ingest >&2
fi
profile="${PULSE_INGEST_PROFILE:-ingest}"
case "$profile" in
  dev | test) dir=debug ;;
  bench) dir=release ;;
  *) dir="$profile" ;;
esac
if [ "${PULSE_INGEST_NO_BUILD:-0}" != 1 ] || [ ! -x "$root/target/$dir/pulse-ingest" ]; then
  (cd "$root" && cargo build --quiet --profile "$profile" -p pulse-ingest >&2)
fi
exec "$root/target/$dir/pulse-ingest" "$@"
