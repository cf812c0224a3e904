#!/usr/bin/env bash
# Takes a headless Chromium screenshot of a Pulse address:
#   scripts/screenshot.sh 'http://127.0.0.1:8080/?view=delivery&theme=dark' out.png [width] [height]
set -euo pipefail
url=$1 out=$2 w=${3:-1280} h=${4:-900}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
/usr/bin/chromium --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$profile" \
  --window-size="$w,$h" --virtual-time-budget=8000 --screenshot="$out" "$url" 2>/dev/null
echo "$out"
