#!/usr/bin/env bash
# Configures and builds spotform into build/ (two parallel jobs: the machines have 2 cores).
#
# Environment:
#   BUILD_TYPE   CMake build type (default RelWithDebInfo)
#   OPT_FLAGS    optimisation and debug-info flags of that build type (default "-O2 -g");
#                scripts/test.sh uses "-O1 -g1": the suites run as fast, the build takes ~40%
#                less CPU, and backtraces still have function names and lines
#   TARGETS      what to build (default: everything but the benchmarks; scripts/demo.sh asks
#                for spotform and spotform-sim only)
#   JOBS         parallel jobs (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${BUILD_TYPE:-RelWithDebInfo}
flags_var="CMAKE_CXX_FLAGS_$(echo "$build_type" | tr '[:lower:]' '[:upper:]')"
configure=(-DCMAKE_BUILD_TYPE="$build_type")
[[ "$build_type" == RelWithDebInfo ]] && configure+=("-D$flags_var=${OPT_FLAGS:--O2 -g} -DNDEBUG")
cmake -S . -B build "${configure[@]}" >/dev/null
targets=()
for target in ${TARGETS:-}; do targets+=(--target "$target"); done
cmake --build build -j"${JOBS:-2}" "${targets[@]}"
