#!/usr/bin/env bash
# Lighthouse on every view and an embedded panel of each, mobile (its
# default run) and desktop, against the release build served as a CDN
# serves it (HTTP/2 over TLS, gzip; `--http1` for plain HTTP/1.1): prints
# a table and writes it to target/lighthouse/results.md.
#
#   scripts/lighthouse.sh [--only NAME,...] [--mode mobile|desktop] [--http1]
#
# Builds dist/ first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
if [ ! -f dist/index.html ] || [ -n "$(find src style public index.html Cargo.toml Cargo.lock Trunk.toml scripts/split scripts/minify.mjs -newer dist/index.html -print -quit)" ]; then
  printf '\033[1m==> %s\033[0m\n' "release build (trunk)"
  trunk build --release
fi
exec node scripts/lighthouse.mjs --site dist "$@"
