#!/usr/bin/env bash
# Installs whatever Pulse needs that this machine lacks; each step is
# skipped when already done. Nothing is downloaded from GitHub: Rust tools
# come from crates.io, wasm-opt from npm, Chromium and wasm-split from
# Debian. `scripts/setup.sh --ingest` installs only what pulse-ingest
# needs (the npm tools, which hold DuckDB's shared library).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
console=true
if [ "${1:-}" = "--ingest" ]; then console=false; fi

# The wasm-bindgen version is pinned in Cargo.toml (`=0.2.x`); the CLI must match it exactly.
wbg_version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
trunk_version=0.22.1

if $console && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if $console && ! trunk --version 2>/dev/null | grep -q " $trunk_version"; then
  step "cargo install trunk $trunk_version (about 12 minutes on 2 cores)"
  # trunk 0.22 declares Rust 1.96 but builds and runs on 1.95.
  cargo install trunk --version "$trunk_version" --locked --ignore-rust-version
fi

if $console && ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg_version"; then
  step "cargo install wasm-bindgen-cli $wbg_version"
  # Not --locked: one of its locked dependencies is no longer on the registry.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

if [ ! -x "$root/.tools/node_modules/.bin/wasm-opt" ] || [ ! -f "$root/.tools/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so" ] || ! cmp -s scripts/tools/package-lock.json .tools/package-lock.json; then
  step "npm ci (wasm-opt from binaryen, DuckDB's shared library, benchmark peers) into .tools/"
  mkdir -p .tools
  cp scripts/tools/package.json scripts/tools/package-lock.json .tools/
  (cd .tools && npm ci --no-audit --no-fund)
fi

if $console && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  step "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver
fi

# openssl makes the certificate of the Lighthouse runs' HTTP/2 server
# (scripts/bench/serve.mjs).
if $console && ! command -v openssl >/dev/null; then
  step "apt-get install openssl"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq openssl
fi

# wasm-split (splits the release module for the first view, scripts/split)
# from Debian's binaryen package, unpacked into .tools/binaryen and not
# installed: its wasm-opt (108) must never stand in for npm's 132.
if $console && [ ! -x "$root/.tools/binaryen/usr/bin/wasm-split" ]; then
  step "binaryen's wasm-split from Debian, unpacked into .tools/binaryen"
  deb=$(mktemp -d)
  (cd "$deb" && { apt-get download binaryen 2>/dev/null || { apt-get update -qq && apt-get download binaryen; }; })
  dpkg-deb -x "$deb"/binaryen_*.deb "$root/.tools/binaryen"
  rm -rf "$deb"
fi

if [ ! -f "$root/target/.fetched" ] || [ Cargo.lock -nt "$root/target/.fetched" ]; then
  step "cargo fetch"
  cargo fetch
  mkdir -p target && touch target/.fetched
fi
