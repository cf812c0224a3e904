# Sourced by the scripts: puts the project's tools first on PATH and tells
# trunk and the test runners where things are.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export CHROME=/usr/bin/chromium
# Fail at once instead of trying to download a tool.
export TRUNK_OFFLINE=true
