#!/usr/bin/env bash
# Builds spotform-sim and bench/plan_bench, then runs issue 4's benchmark of the declarative
# core: 1,000 cvm environments with 100,000 recorded instances in a spotform-sim child; state
# Load, Refresh (API calls against ceil(instances/100) + environments + tag search pages),
# MakePlan + rendering (< 1 s) and peak memory (< 500 MB). Exit status 0 when all targets hold.
# Extra arguments go to plan_bench (--environments N --per-env N --reclaim N --unthrottled).
# BUILD_DIR chooses the build folder (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}" --target spotform-sim plan_bench
exec "$build_dir/bench/plan_bench" "$build_dir/cmd/spotform-sim" "$@"
