#!/usr/bin/env bash
# Checks that the crate's layers only point down (ARCHITECTURE.md): every
# `crate::X` a module under src/ names, outside comments, must be in its
# own layer or a lower one. Prints each import that points up and fails.
#
#   0 base     console, format, timing, turn
#   1 api      the data contract
#   2 model    pure analytics
#   3 chart    the drawing engine
#   4 state    route, load, state, styles, rest
#   5 ui       shared widgets
#   6 views    the views and their registry
#   7 app      the shell; demo (native tool)
set -euo pipefail
cd "$(dirname "$0")/.."

rank() {
  case "$1" in
    console|format|timing|turn) echo 0 ;;
    api) echo 1 ;;
    model) echo 2 ;;
    chart) echo 3 ;;
    route|load|state|styles|rest) echo 4 ;;
    ui) echo 5 ;;
    views) echo 6 ;;
    app|demo) echo 7 ;;
    *) echo "" ;;
  esac
}

status=0
while IFS= read -r file; do
  top=${file#src/}
  top=${top%%/*}
  top=${top%.rs}
  own=$(rank "$top")
  [ -n "$own" ] || continue
  # `crate::name` and `crate::{a, b::c}` outside // comments.
  while IFS=: read -r line text; do
    for used in $(printf '%s\n' "$text" | grep -oE 'crate::(\{[^}]*\}|[a-z_]+)' \
        | sed -E 's/^crate:://; s/[{}]//g; s/::[a-zA-Z_:]*//g; s/,/ /g'); do
      level=$(rank "$used")
      if [ -z "$level" ]; then
        echo "layers: $file:$line: crate::$used is in no layer (add it to scripts/layers.sh)"
        status=1
      elif [ "$level" -gt "$own" ]; then
        echo "layers: $file:$line: $top (layer $own) imports crate::$used (layer $level), a higher layer"
        status=1
      fi
    done
  done < <(grep -nE 'crate::' "$file" | grep -vE '^[0-9]+:[[:space:]]*//')
done < <(find src -name '*.rs' ! -path 'src/bin/*' ! -name main.rs ! -name lib.rs | sort)
[ "$status" = 0 ] && echo "layers: every import points down"
exit "$status"
