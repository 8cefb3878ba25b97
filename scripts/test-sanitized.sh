#!/usr/bin/env bash
# The hardening build: everything compiled with clang, AddressSanitizer + UndefinedBehaviorSanitizer
# (and libFuzzer coverage) into build-asan; runs every test suite there (unit, e2e with the
# instrumented spotform and spotform-sim, the Node.js conformance suite), then the fuzz gate
# (scripts/fuzz.sh). Fails on any failing test and on any sanitizer report from any process,
# including the spotform and spotform-sim children the tests start.
#
# Usage: scripts/test-sanitized.sh [--build-only | --test-only] [CTEST_ARGS...]
#   --build-only   configure and build build-asan, nothing else (scripts/test.sh runs this at
#                  the lowest CPU priority while the normal suites run)
#   --test-only    run the suites and the fuzz gate on an existing build-asan
#   e.g. scripts/test-sanitized.sh -R e2e     (only the e2e tests; the fuzz gate is skipped when
#                                              CTEST_ARGS are given)
# Environment: BUILD_DIR (default build-asan), JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${BUILD_DIR:-build-asan}
jobs=${JOBS:-2}
build=1
run=1
case "${1:-}" in
  --build-only) run=0; shift ;;
  --test-only) build=0; shift ;;
esac

if [[ $build -eq 1 ]]; then
  configure=(-DCMAKE_CXX_COMPILER=clang++ -DSPOTFORM_SANITIZE=ON -DSPOTFORM_FUZZ=ON)
  command -v ccache >/dev/null 2>&1 && configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build_dir" "${configure[@]}" >/dev/null
  cmake --build "$build_dir" -j"$jobs"
fi
[[ $run -eq 1 ]] || exit 0

# Every report goes to a file of its own (one per process) as well as failing the process:
# children whose exit status a test does not check would otherwise pass unnoticed.
logs="$root/$build_dir/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"
common="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$logs/report"
asan_options="$common:detect_leaks=1:check_initialization_order=1:strict_init_order=1"
lsan_options="suppressions=$root/scripts/sanitizer/lsan.supp:print_suppressions=0"
ubsan_options="$common:suppressions=$root/scripts/sanitizer/ubsan.supp"

status=0
ASAN_OPTIONS="$asan_options" LSAN_OPTIONS="$lsan_options" UBSAN_OPTIONS="$ubsan_options" \
  ctest --test-dir "$build_dir" --output-on-failure -j"$jobs" --timeout 1200 "$@" || status=1

reports=("$logs"/report*)
if [[ -e "${reports[0]}" ]]; then
  echo "test-sanitized: ${#reports[@]} sanitizer report(s):" >&2
  for report in "${reports[@]}"; do
    echo "==== $report" >&2
    cat "$report" >&2
  done
  status=1
fi
if [[ $status -ne 0 ]]; then
  echo "test-sanitized: FAILED (rerun one suite with e.g. scripts/test-sanitized.sh -R e2e)" >&2
  exit 1
fi

if [[ $# -eq 0 && -x scripts/fuzz.sh ]]; then
  scripts/fuzz.sh "$build_dir"  # the gate: corpus replay + fixed seed and runs, deterministic
fi
echo "test-sanitized: every suite passed under ASan+UBSan with no sanitizer report"
