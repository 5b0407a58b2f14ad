#!/usr/bin/env bash
# Rows per second for parsing and for ingest into SQLite of the real police.uk files in ../shared/data
# (Northumbria street-level, all crime types, 25 monthly gzip files, 401,207 rows).
# Usage: bench/run_ingest_bench.sh [BUILD_DIR]      (default build/; needs the vigil and vigil_bench targets)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
files=(../shared/data/police_uk/northumbria/street/*.csv.gz)
[[ -e ${files[0]} ]] || { echo "needs ../shared/data/police_uk/northumbria/street"; exit 2; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%F)"

echo "== parse (Google Benchmark, one core)"
"$build/bench/vigil_bench" --benchmark_filter='CsvParse' --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true 2>/dev/null | grep -E 'median|Benchmark'

echo "== ingest end to end (vigil ingest police, new store, 25 gzip files)"
rows=$(for f in "${files[@]}"; do zcat "$f" | tail -n +2; done | wc -l)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in 1 2 3; do
    rm -f "$tmp"/b.db*
    start=$(date +%s.%N)
    "$build/apps/vigil/vigil" --db "$tmp/b.db" -q ingest police "${files[@]}"
    end=$(date +%s.%N)
    awk -v r="$rows" -v s="$start" -v e="$end" -v n="$run" \
        'BEGIN { printf "run %d: %d rows in %.2f s = %.0f rows/s\n", n, r, e - s, r / (e - s) }'
done
