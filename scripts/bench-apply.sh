#!/usr/bin/env bash
# Builds spotform, spotform-sim and bench/apply_bench, then runs the apply benchmark: a cvm
# environment scaled 0 -> 1,000 instances and back to 0 against spotform-sim with its rate
# limits on and 50 ms latency per call; prints calls per action and wall time against the
# bound the rate limits set. Extra arguments go to apply_bench (--count N --latency-ms MS).
# BUILD_DIR chooses the build folder (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}" --target spotform spotform-sim apply_bench
exec "$build_dir/bench/apply_bench" --sim "$build_dir/cmd/spotform-sim" \
  --spotform "$build_dir/cmd/spotform" "$@"
