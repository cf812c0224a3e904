#!/usr/bin/env bash
# Sets up whatever is missing, then runs every check Pulse has: the
# layers, formatting, clippy (host and wasm32, warnings are errors), host tests,
# browser tests in headless Chromium, and end-to-end tests against the
# release build served under a sub-path.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

step() { printf '\n\033[1m==> %s\033[0m (%d s so far)\n' "$*" "$SECONDS"; }

step "layers: imports only point down"
scripts/layers.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (host: the app, its end-to-end suite and pulse-ingest)"
cargo clippy --workspace --all-targets --offline -- -D warnings

# The browser test files (tests/browser*.rs) are the wasm32 test targets.
browser_tests=()
for f in tests/browser*.rs; do browser_tests+=(--test "$(basename "$f" .rs)"); done

step "cargo clippy (wasm32)"
cargo clippy --lib --bins "${browser_tests[@]}" --target wasm32-unknown-unknown --offline -- -D warnings

step "release build (trunk)"
trunk build --release

step "host tests: data layer, models, demo data, contract"
cargo test --offline -- --test-threads 2

step "end-to-end tests (WebDriver, dist/ under a sub-path)"
# The importer's end-to-end test runs scripts/ingest.sh on the debug build
# made here, so it never waits for cargo while cargo runs the tests.
cargo build --offline -p pulse-ingest --bins
PULSE_INGEST_NO_BUILD=1 cargo test --offline -p pulse-e2e -- --test-threads 2

step "pulse-ingest tests: rules, whole runs, DuckDB and PostgreSQL writing identical documents (a private server)"
PULSE_PG="$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop' EXIT
# The dev profile, like the host tests above (and the end-to-end test,
# through PULSE_INGEST_PROFILE=dev): pulse and its dependencies build once.
PULSE_PG="$PULSE_PG" cargo test -p pulse-ingest --offline -- --test-threads 2
scripts/pg.sh stop
trap - EXIT

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --offline --target wasm32-unknown-unknown "${browser_tests[@]}"

step "all tests passed"
