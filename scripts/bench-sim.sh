#!/usr/bin/env bash
# Builds spotform-sim and bench/sim_bench, then runs the emulator benchmark: memory with
# 100,000 live instances, 1-id lookup latency at 1k vs 100k, and a Describe-heavy load.
# Extra arguments go to sim_bench (--instances N --threads N --seconds S --sim PATH).
# BUILD_DIR chooses the build folder (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}" --target spotform-sim sim_bench
exec "$build_dir/bench/sim_bench" --sim "$build_dir/cmd/spotform-sim" "$@"
