#!/usr/bin/env bash
# Sets up whatever is missing, builds the release site and serves it with
# the bundled demo data at http://127.0.0.1:8080/ (PORT=… to change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
trunk serve --release --port "${PORT:-8080}"
