#!/usr/bin/env bash
# Sets up whatever is missing, then runs every check Pulse has: the
# layers, formatting, clippy's lints (host and wasm32, in the builds;
# warnings are errors), host tests,
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

# The browser test files (tests/browser*.rs) are the wasm32 test targets.
browser_tests=()
for f in tests/browser*.rs; do browser_tests+=(--test "$(basename "$f" .rs)"); done

# Clippy's lints come with the builds: clippy's compiler builds the
# workspace's own crates (RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` sets
# it, but for a build rather than a check), so every target `cargo clippy
# --all-targets` checks, on both targets, gets clippy's lints, and nothing
# is compiled once more for a check. Warnings are errors through
# CLIPPY_ARGS, the variable in which `cargo clippy -- -D warnings` hands
# those flags to clippy's compiler (its own separator): the dependencies'
# flags stay as they are. The wasm32 code gets its lints in the release
# build (the app) and in the browser tests' build (their tests, the app
# in a debug build and its bins, which cargo builds for integration
# tests); the host's in the host build.
# The tests then run in one `cargo test` of the whole workspace with the
# same settings (a run of one package would unify the dependencies'
# features differently and build them again).
export RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

step "release build (trunk), with clippy's lints on the app's wasm32 code"
trunk build --release

step "host build with clippy's lints: the app, its tests and tools, the end-to-end suite, pulse-ingest"
cargo build --workspace --bins --tests --offline

step "host tests (data layer, models, demo data, contract), end-to-end tests (WebDriver, dist/ under a sub-path) and pulse-ingest's (rules, whole runs, DuckDB and PostgreSQL writing identical documents on a private server)"
PULSE_PG="$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop' EXIT
# The importer's end-to-end test runs scripts/ingest.sh on the debug build
# made above (PULSE_INGEST_PROFILE=dev), so it never waits for cargo while
# cargo runs the tests.
PULSE_PG="$PULSE_PG" PULSE_INGEST_NO_BUILD=1 cargo test --workspace --offline -- --test-threads 2
scripts/pg.sh stop
trap - EXIT

step "browser tests (wasm-bindgen-test in headless Chromium), with clippy's lints on the wasm32 tests and bins"
cargo test --offline --target wasm32-unknown-unknown "${browser_tests[@]}"

step "all tests passed"
