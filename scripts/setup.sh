#!/usr/bin/env bash
# Installs the Debian 12 packages vigil builds with, then configures and builds it (Release).
# Usage: scripts/setup.sh [BUILD_DIR [CMAKE_ARGS...]]   (default build/, Release)   as root or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true

packages=(
    g++ cmake make pkg-config ccache ca-certificates
    libsqlite3-dev libproj-dev proj-data libgeos-dev libgdal-dev zlib1g-dev
    libeigen3-dev libboost-math-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
    libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build_dir" -j "$(nproc)"
