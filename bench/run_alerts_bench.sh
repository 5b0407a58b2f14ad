#!/usr/bin/env bash
# vigil alerts against R surveillance on the synthetic weekly series of ../shared/refs/synthetic/aberration
# (1,000 and 10,000 series x 520 weeks, judging weeks 469-520), on this machine, side by side.
# Usage: bench/run_alerts_bench.sh [BUILD_DIR]   (needs the vigil and vigil_bench targets; R's side runs when
# Rscript with the surveillance package is installed: apt-get install r-cran-surveillance)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
dir=../shared/refs/synthetic/aberration
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%F)"
echo "== vigil kernels, series in memory (Google Benchmark)"
"$build/bench/vigil_bench" --benchmark_filter='Ears|Cusum' 2>/dev/null | grep -E '^BM_'
echo "== vigil alerts end to end (read the gzip file, judge, write CSV)"
for n in 1000 10000; do
    for m in ears-c1 ears-c2 ears-c3 cusum; do
        /usr/bin/time -f "vigil $m $n series: %e s wall, %M KB" "$build/apps/vigil/vigil" -q alerts \
            --series "$dir/weekly_${n}_x_520/input.csv.gz" --method "$m" --range 469:520 --format csv --out /dev/null
    done
done
if command -v Rscript >/dev/null && Rscript -e 'library(surveillance)' >/dev/null 2>&1; then
    echo "== R surveillance, the call alone (sts built beforehand, as in refs/timings.csv)"
    for m in C1 C2 C3 cusum; do Rscript bench/alerts_r_timing.R "$dir/weekly_1000_x_520/input.csv.gz" "$m"; done
else
    echo "== R surveillance not installed: see ../shared/refs/timings.csv for its timings"
fi
