#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz. Two modes:
#
# The gate (default; what CI runs through scripts/test-sanitized.sh): for each target, replays
# every input of its corpus (tests/fuzz/corpus/<target>/, with its regression-* crash inputs,
# plus the seeds fuzz_seed_maker writes), then fuzzes a copy of that corpus with a fixed seed
# and a fixed number of runs (-seed, -runs; no time limit), so the same commit always gives the
# same result: about 80 s for all six targets under ASan on 2 cores.
#
# Exploration (--explore): open-ended fuzzing, each target for SECONDS (default 60) with a
# random seed, to find new bugs. It never changes the committed corpus. Every input it finds
# becomes a committed regression case: copy it into tests/fuzz/corpus/<target>/ as
# regression-<what-it-holds> (the gate then replays it on every run), add a unit test of the
# clean error it must give to the fuzz_regression_test.cc of the suite that owns the code
# (tests/engine, tests/tencent, tests/state, tests/sim), then fix the code.
#
# Either mode exits non-zero if any target finds a crash, a leak, undefined behaviour, a
# timeout or runs out of memory, naming the target and the input that did it (kept under
# BUILD_DIR/fuzz-artifacts/<target>/).
#
# Usage: scripts/fuzz.sh BUILD_DIR [--explore [SECONDS]]
#   BUILD_DIR   a clang build configured with -DSPOTFORM_SANITIZE=ON -DSPOTFORM_FUZZ=ON
#               (the fuzzers are built here if they are not yet)
# Examples:
#   scripts/fuzz.sh build-asan                    the gate
#   scripts/fuzz.sh build-asan --explore 3600     an hour per target
# Replay one input: build-asan/tests/fuzz/config_fuzzer FILE
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 2
}
[[ $# -ge 1 && "$1" != "-h" && "$1" != "--help" ]] || usage
explore=0
seconds=60
case "${2:-}" in
  "") [[ $# -eq 1 ]] || usage ;;
  --explore)
    explore=1
    [[ $# -le 3 ]] || usage
    if [[ $# -eq 3 ]]; then
      [[ "$3" =~ ^[1-9][0-9]*$ ]] || usage
      seconds=$3
    fi
    ;;
  *) usage ;;
esac
build_dir=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
fuzz_bin="$build_dir/tests/fuzz"

# The gate's budget: units each target runs (the corpus replay included), chosen from their
# speed under ASan so that the six take about 80 s on 2 cores. Raise one when its target gets
# faster; never make a budget depend on time.
declare -A gate_runs=(
  [config_fuzzer]=35000
  [api_response_fuzzer]=50000
  [plan_file_fuzzer]=20000
  [state_file_fuzzer]=6000
  [sim_request_fuzzer]=6000
  [credentials_fuzzer]=12000
)
gate_seed=1
targets=(config_fuzzer api_response_fuzzer plan_file_fuzzer state_file_fuzzer sim_request_fuzzer
         credentials_fuzzer)

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

# The last value of a libFuzzer statistic (cov, ft, stat::...) in a log; "?" when absent.
stat_of() { grep -oE "(^| )$1: *[0-9]+" "$2" | tail -1 | grep -oE '[0-9]+$' || echo '?'; }

# Prints why `target` failed (exit `status`, log `log`) and how to replay it.
report_failure() {
  local target=$1 status=$2 log=$3 what=$4 crash
  crash=$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | sed 's/Test unit written to //' ||
    true)
  if [[ -z "$crash" ]]; then  # a replayed input: keep a copy, the corpus copy is temporary
    crash=$(grep -o "^Running: [^ ]*" "$log" | tail -1 | sed 's/Running: //' || true)
    if [[ -n "$crash" ]]; then
      cp "$crash" "$artifacts/"
      crash="$artifacts/$(basename "$crash")"
    fi
  fi
  echo "fuzz: FAIL $target (exit $status) $what: input ${crash:-<none written>}"
  grep -E "ERROR:|runtime error:|SUMMARY:|#[0-9]+ 0x" "$log" | head -25 | sed 's/^/    /' || true
  echo "    replay: $fuzz_bin/$target ${crash:-CRASH_FILE}"
}

common=(-timeout=30 -rss_limit_mb=2048 -print_final_stats=1)
# The gate runs with address randomization off: some code orders things by address (yaml-cpp's
# node sets), so with it on, coverage and then the inputs libFuzzer makes differ from run to
# run. (The targets' own chance, OpenSSL's random bytes, is fixed by tests/fuzz/fixed_random.h.)
fixed_addresses=(setarch "$(uname -m)" -R)
if ! "${fixed_addresses[@]}" true 2>/dev/null; then
  echo "fuzz: warning: setarch -R is refused here; the gate's runs may differ slightly" >&2
  fixed_addresses=()
fi
failed=()
for target in "${targets[@]}"; do
  name=${target%_fuzzer}
  corpus="$work/corpus/$name"
  mkdir -p "$corpus"
  for seeds in "$root/tests/fuzz/corpus/$name" "$work/made/$name"; do
    if [[ -d "$seeds" ]]; then cp -r "$seeds/." "$corpus/"; fi
  done
  artifacts="$build_dir/fuzz-artifacts/$name"
  mkdir -p "$artifacts"
  log="$work/$name.log"

  if [[ $explore -eq 1 ]]; then
    status=0
    "$fuzz_bin/$target" "$corpus" -max_total_time="$seconds" "${common[@]}" \
      -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
    runs=$(stat_of stat::number_of_executed_units "$log")
    if [[ $status -ne 0 ]]; then
      report_failure "$target" "$status" "$log" "after $runs runs"
      failed+=("$target")
    else
      echo "fuzz: ok   $target: $runs runs in ${seconds}s, no crash"
    fi
    continue
  fi

  # The gate, 1: every input as it is, one by one (a regression-* input fails here, by name).
  inputs=("$corpus"/*)
  status=0
  "${fixed_addresses[@]}" "$fuzz_bin/$target" "${inputs[@]}" "${common[@]}" >"$log" 2>&1 ||
    status=$?
  if [[ $status -ne 0 ]]; then
    report_failure "$target" "$status" "$log" "replaying the corpus"
    failed+=("$target")
    continue
  fi
  # 2: fuzz from that corpus for a fixed seed and run count. -reload=0: never re-read the
  # corpus folder on a timer.
  started=$SECONDS
  status=0
  "${fixed_addresses[@]}" "$fuzz_bin/$target" "$corpus" -seed="$gate_seed" \
    -runs="${gate_runs[$target]}" -reload=0 "${common[@]}" -artifact_prefix="$artifacts/" \
    >"$log" 2>&1 || status=$?
  runs=$(stat_of stat::number_of_executed_units "$log")
  if [[ $status -ne 0 ]]; then
    report_failure "$target" "$status" "$log" "after $runs runs (seed $gate_seed)"
    failed+=("$target")
  else
    echo "fuzz: ok   $target: ${#inputs[@]} inputs replayed; $runs runs (seed $gate_seed):" \
         "cov $(stat_of cov "$log") ft $(stat_of ft "$log")," \
         "$(stat_of stat::new_units_added "$log") new units, no crash" \
         "($((SECONDS - started)) s)"
  fi
done

if [[ ${#failed[@]} -ne 0 ]]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
if [[ $explore -eq 1 ]]; then
  echo "fuzz: all ${#targets[@]} targets explored ${seconds}s each without a crash"
else
  echo "fuzz: the gate passed: all ${#targets[@]} targets replayed their corpus and ran" \
       "their fixed runs without a crash"
fi
