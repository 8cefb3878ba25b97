#!/usr/bin/env bash
# Builds spotform-sim and bench/sim_bench, then runs the emulator benchmark: memory with
# 100,000 live instances, 1-id lookup latency at 1k vs 100k, owner-tag searches (tag index),
# the cold first describe of every instance, and a Describe-heavy load (target: >= 2,000
# DescribeInstances/s with 1..100 ids per call; exit status 2 when missed). The machine's
# other load skews every figure: the sim CPU us/req columns are the steadier ones.
# Extra arguments go to sim_bench (--instances N --threads N --seconds S --sim PATH).
# BUILD_DIR chooses the build folder (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}" --target spotform-sim sim_bench
exec "$build_dir/bench/sim_bench" --sim "$build_dir/cmd/spotform-sim" "$@"
