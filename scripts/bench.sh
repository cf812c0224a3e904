#!/usr/bin/env bash
# Benchmarks Pulse against its fastest peers, side by side, in one headless
# Chromium (see BENCHMARKS.md):
#
#   scripts/bench.sh [--scale N] [--runs R] [--smoke]
#
#   --scale N  demo dataset scale (posts and customers ×N; default 5, whose
#              busiest hour holds the 50,000 posts of the queue figure)
#   --runs R   timed runs per figure after one warm-up (default 5, at least 5)
#   --smoke    tiny sizes, scale 1, one run, no warm-up, budgets not judged:
#              proves the harness runs and produces every figure
#
# Builds the release site into target/bench/site (plus the generated
# dataset) and the harness page into target/bench/harness, then runs
# scripts/bench/run.mjs, which prints the table and writes
# target/bench/results.json (and results.md). Peers come from npm into
# .tools/ and are never part of dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

scale=5
runs=5
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="${2:-}"; shift 2 ;;
    --runs) runs="${2:-}"; shift 2 ;;
    --smoke) smoke=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$scale" in ''|*[!0-9]*|0) echo "bench.sh: --scale needs a whole number of 1 or more" >&2; exit 2 ;; esac
case "$runs" in ''|*[!0-9]*) echo "bench.sh: --runs needs a whole number" >&2; exit 2 ;; esac
if [ "$smoke" = 1 ]; then
  scale=1
  runs=1
elif [ "$runs" -lt 5 ]; then
  echo "bench.sh: --runs must be at least 5 (use --smoke for a quick check)" >&2
  exit 2
fi

scripts/setup.sh
source scripts/env.sh

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
site=target/bench/site
harness=target/bench/harness
builds_started=$(date +%s)

# Other builds sharing target/ can overwrite trunk's intermediate files
# while they are copied (an empty .js, a wasm of zeros, glue of another
# build): check what index.html loads, and build again if it is broken.
build() {
  local dir=$1 try
  shift
  for try in 1 2 3; do
    trunk build "$@" --dist "$dir" && node scripts/bench/check-build.mjs "$dir" && return 0
    echo "bench.sh: build of $dir incomplete (attempt $try), building again" >&2
    sleep 5
  done
  return 1
}

step "release site (trunk build --release --dist $site)"
build "$site" --release

step "demo dataset, scale $scale, into $site"
cargo run --release --offline --bin demo-data -- "$site" --scale "$scale"

step "harness page (trunk build tests/bench/index.html --release --dist $harness)"
build "$harness" tests/bench/index.html --release

bench_started=$(date +%s)
step "benchmark ($((bench_started - builds_started)) s of builds so far)"
args=(--site "$site" --harness "$harness" --runs "$runs" --scale "$scale" --out target/bench/results.json)
[ "$smoke" = 1 ] && args+=(--smoke)
status=0
node scripts/bench/run.mjs "${args[@]}" || status=$?
echo "bench.sh: benchmark took $(( $(date +%s) - bench_started )) s after the builds"
exit "$status"
