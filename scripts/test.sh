#!/usr/bin/env bash
# Installs what vigil needs (scripts/setup.sh), builds the tests and runs the whole suite with ctest.
# Usage: scripts/test.sh            release build in build/
#        scripts/test.sh --asan     AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --asan ]]; then
    scripts/setup.sh build-asan -DVIGIL_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_BUILD_BENCH=OFF
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ctest --test-dir build-asan --output-on-failure -j2
else
    scripts/setup.sh build
    ctest --test-dir build --output-on-failure -j2
fi
