#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for a bounded time, each over a copy of its seed
# corpus (tests/fuzz/corpus/<target>/ plus the seeds fuzz_seed_maker writes), so the
# committed corpus never grows. Exits non-zero if any target finds a crash, a leak, undefined
# behaviour, a timeout or runs out of memory, naming the target and the input that did it
# (kept under BUILD_DIR/fuzz-artifacts/<target>/).
#
# Usage: scripts/fuzz.sh BUILD_DIR [SECONDS_PER_TARGET]
#   BUILD_DIR           a clang build configured with -DSPOTFORM_SANITIZE=ON -DSPOTFORM_FUZZ=ON
#                       (the fuzzers are built here if they are not yet)
#   SECONDS_PER_TARGET  default 18: about 90 s for the five targets
# Example (an hour per target, locally):
#   scripts/fuzz.sh build-asan 3600
# To keep what a long run learns, run a target on the corpus itself, e.g.
#   build-asan/tests/fuzz/config_fuzzer tests/fuzz/corpus/config -max_total_time=600
# and to replay one input: build-asan/tests/fuzz/config_fuzzer CRASH_FILE
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=${2:-18}
root=$(cd "$(dirname "$0")/.." && pwd)
targets=(config_fuzzer api_response_fuzzer plan_file_fuzzer state_file_fuzzer sim_request_fuzzer)
fuzz_bin="$build_dir/tests/fuzz"

missing=0
for target in "${targets[@]}" fuzz_seed_maker; do
  [[ -x "$fuzz_bin/$target" ]] || missing=1
done
if [[ $missing -ne 0 ]]; then
  echo "fuzz: building the fuzz targets in $build_dir"
  cmake --build "$build_dir" --target fuzzers -j"$(nproc)" >/dev/null ||
    { echo "fuzz: cannot build the fuzzers; configure $build_dir with clang and" \
           "-DSPOTFORM_SANITIZE=ON -DSPOTFORM_FUZZ=ON" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/spotform-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$fuzz_bin/fuzz_seed_maker" "$work/made" >/dev/null

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for target in "${targets[@]}"; do
  name=${target%_fuzzer}
  corpus="$work/corpus/$name"
  mkdir -p "$corpus"
  cp "$root/tests/fuzz/corpus/$name/"* "$corpus/" 2>/dev/null || true
  if [[ -d "$work/made/$name" ]]; then cp "$work/made/$name/"* "$corpus/"; fi
  artifacts="$build_dir/fuzz-artifacts/$name"
  mkdir -p "$artifacts"
  log="$work/$name.log"
  status=0
  "$fuzz_bin/$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  if [[ $status -ne 0 ]]; then
    crash=$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | sed 's/Test unit written to //')
    echo "fuzz: FAIL $target (exit $status) after $runs runs: input ${crash:-<none written>}"
    grep -E "ERROR:|runtime error:|SUMMARY:|#[0-9]+ 0x" "$log" | head -25 | sed 's/^/    /'
    echo "    replay: $fuzz_bin/$target ${crash:-CRASH_FILE}"
    failed+=("$target")
  else
    echo "fuzz: ok   $target: $runs runs in ${seconds}s, no crash"
  fi
done

if [[ ${#failed[@]} -ne 0 ]]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s each without a crash"
