#!/usr/bin/env bash
# Builds and runs bench/describe_bench: 10,000 emulator instances described by id through the
# full client stack with the emulator's rate limits on and 50 ms latency per call.
# BUILD_DIR (default build) chooses the build directory; extra arguments go to the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build_dir" --target describe_bench -j"${JOBS:-2}"
exec "$build_dir/bench/describe_bench" "$@"
