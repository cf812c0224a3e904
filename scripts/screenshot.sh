#!/usr/bin/env bash
# Takes a headless Chromium screenshot of a Pulse address once its panels
# have loaded (scripts/screenshot.mjs):
#   scripts/screenshot.sh 'http://127.0.0.1:8080/?view=delivery&theme=dark' out.png [width] [height]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$root/.tools/node_modules/playwright-core" ] || (cd "$root" && bash scripts/setup.sh)
exec node "$root/scripts/screenshot.mjs" "$@"
