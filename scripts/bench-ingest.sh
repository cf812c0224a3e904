#!/usr/bin/env bash
# The ingest benchmark: POSTS posts in Parquet over DAYS days through
# `pulse-ingest --post-days 1`, and EVENTS Stripe events, each beside
# DuckDB's bare aggregation query on the same file (ingest-tools
# bare-query): rows per second, wall time and peak memory (/usr/bin/time),
# judged against the budgets in BENCHMARKS.md. Beside them, DuckDB's own
# floor: the bare query and a bare read of the posts the pages list
# (ingest-tools bare-posts), the least the engine does for the run. The posts file has the days
# shuffled through it (the headline figures); the same posts written in
# due order (ingest-tools due-order, as a log exported ORDER BY due_at)
# are measured too, on their own row; a run that writes every day's
# pages, and one over a long history (HISTORY_POSTS posts over
# HISTORY_DAYS days, --post-days 1), for their peak memory.
#   scripts/bench-ingest.sh [--posts 10000000] [--days 30] [--events 1000000]
#                           [--history-posts 3000000] [--history-days 730]
# Data and results go to target/bench-ingest/ (the data is made once per size).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
posts=10000000 days=30 events=1000000 history_posts=3000000 history_days=730
while [ $# -gt 0 ]; do
  case "$1" in
    --posts) posts=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --history-posts) history_posts=$2; shift 2 ;;
    --history-days) history_days=$2; shift 2 ;;
    *) echo "usage: scripts/bench-ingest.sh [--posts N] [--days N] [--events N] [--history-posts N] [--history-days N]" >&2; exit 2 ;;
  esac
done
if [ ! -f "$DUCKDB_LIB_DIR/libduckdb.so" ]; then "$root/scripts/setup.sh" --ingest; fi
if [ ! -x /usr/bin/time ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; fi
(cd "$root" && cargo build --quiet --profile ingest -p pulse-ingest)
bin="$root/target/ingest"
dir="$root/target/bench-ingest"
data="$dir/data-$posts-$days-$events"
if [ ! -f "$data/stripe.jsonl" ]; then
  echo "making $posts posts over $days days and $events Stripe events in $data" >&2
  rm -rf "$data"
  "$bin/ingest-tools" bench-data "$data" "$posts" "$days" "$events"
fi
history="$dir/history-$history_posts-$history_days"
if [ ! -f "$history/stripe.jsonl" ]; then
  echo "making $history_posts posts over $history_days days in $history" >&2
  rm -rf "$history"
  "$bin/ingest-tools" bench-data "$history" "$history_posts" "$history_days" 1
fi
if [ ! -f "$data/posts-due.parquet" ]; then
  echo "writing the same posts in due order into $data/posts-due.parquet" >&2
  "$bin/ingest-tools" due-order "$data/posts.parquet" "$data/posts-due.parquet.part"
  mv "$data/posts-due.parquet.part" "$data/posts-due.parquet"
fi

# measure NAME COMMAND...: wall seconds and peak RSS in MB into $dir/NAME.*
measure() {
  local name=$1; shift
  rm -rf "$dir/out-$name"
  /usr/bin/time -v -o "$dir/$name.time" "$@" >"$dir/$name.log" 2>&1 || {
    cat "$dir/$name.log" >&2; echo "$name failed" >&2; exit 1; }
}
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' "$dir/$1.time"; }
peak() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$dir/$1.time"; }

measure bare "$bin/ingest-tools" bare-query "$data/posts.parquet"
measure posts "$bin/pulse-ingest" --out "$dir/out-posts" --posts "$data/posts.parquet" --post-days 1
measure bare-due "$bin/ingest-tools" bare-query "$data/posts-due.parquet"
measure bare-posts "$bin/ingest-tools" bare-posts "$data/posts.parquet"
measure bare-posts-due "$bin/ingest-tools" bare-posts "$data/posts-due.parquet"
measure posts-due "$bin/pulse-ingest" --out "$dir/out-posts-due" --posts "$data/posts-due.parquet" --post-days 1
measure stripe "$bin/pulse-ingest" --out "$dir/out-stripe" --stripe-events "$data/stripe.jsonl"
# Every day's pages (no --post-days): read in passes of whole days, so
# memory stays bounded however many days are written.
measure every-day "$bin/pulse-ingest" --out "$dir/out-every-day" --posts "$data/posts.parquet"
rm -rf "$dir/out-every-day"
# A long history: every day's histograms, one day held at a time.
measure bare-history "$bin/ingest-tools" bare-query "$history/posts.parquet"
measure history "$bin/pulse-ingest" --out "$dir/out-history" --posts "$history/posts.parquet" --post-days 1
rm -rf "$dir/out-history"
passes=$(grep -o 'in [0-9]* passes' "$dir/every-day.log" || echo "in 1 pass")

bare_s=$(wall bare) posts_s=$(wall posts) stripe_s=$(wall stripe)
bare_due_s=$(wall bare-due) posts_due_s=$(wall posts-due)
bare_posts_s=$(wall bare-posts) bare_posts_due_s=$(wall bare-posts-due)
verdict() { if awk "BEGIN { exit !($1) }"; then echo ok; else echo MISS; fi; }
rate=$(awk "BEGIN { printf \"%.0f\", $posts / $posts_s }")
bare_rate=$(awk "BEGIN { printf \"%.0f\", $posts / $bare_s }")
ratio=$(awk "BEGIN { printf \"%.2f\", $posts_s / $bare_s }")
due_ratio=$(awk "BEGIN { printf \"%.2f\", $posts_due_s / $bare_due_s }")
floor=$(awk "BEGIN { printf \"%.2f\", ($bare_s + $bare_posts_s) / $bare_s }")
due_floor=$(awk "BEGIN { printf \"%.2f\", ($bare_due_s + $bare_posts_due_s) / $bare_due_s }")
{
  echo "| figure | pulse-ingest | DuckDB bare query | budget | verdict |"
  echo "|---|---|---|---|---|"
  echo "| posts per second, $posts posts over $days days (--post-days 1) | $rate | $bare_rate | ≥ 1,000,000 | $(verdict "$rate >= 1000000") |"
  echo "| wall time, posts | ${posts_s} s | ${bare_s} s | ≤ 1.5 × bare query (× $ratio) | $(verdict "$ratio <= 1.5") |"
  echo "| wall time, the same posts in due order | ${posts_due_s} s | ${bare_due_s} s | ≤ 1.5 × bare query (× $due_ratio) | $(verdict "$due_ratio <= 1.5") |"
  echo "| DuckDB's floor, posts: the bare query and the post day's posts read bare (nothing written) | – | ${bare_s} + ${bare_posts_s} s | (× $floor of the bare query) | – |"
  echo "| DuckDB's floor, posts in due order | – | ${bare_due_s} + ${bare_posts_due_s} s | (× $due_floor of the bare query) | – |"
  echo "| wall time, $events Stripe events | ${stripe_s} s | – | ≤ 10 s | $(verdict "$stripe_s <= 10") |"
  echo "| peak memory, posts | $(peak posts) MB | $(peak bare) MB | ≤ 2048 MB | $(verdict "$(peak posts) <= 2048") |"
  echo "| peak memory, posts in due order | $(peak posts-due) MB | $(peak bare-due) MB | ≤ 2048 MB | $(verdict "$(peak posts-due) <= 2048") |"
  echo "| peak memory, Stripe events | $(peak stripe) MB | – | ≤ 2048 MB | $(verdict "$(peak stripe) <= 2048") |"
  echo "| every day's pages ($posts posts, $days days: read $passes): wall time, peak memory | $(wall every-day) s, $(peak every-day) MB | – | ≤ 2048 MB | $(verdict "$(peak every-day) <= 2048") |"
  echo "| a long history ($history_posts posts over $history_days days, --post-days 1): wall time, peak memory | $(wall history) s, $(peak history) MB | $(wall bare-history) s, $(peak bare-history) MB | ≤ 2048 MB | $(verdict "$(peak history) <= 2048") |"
} | tee "$dir/results.md"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); logs in $dir" >&2
