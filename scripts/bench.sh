#!/usr/bin/env bash
# Runs the benchmarks (bench/*_bench.cc) and checks every figure against its target.
#
#   scripts/bench.sh                 all four with their defaults: sim, describe, plan, apply
#   scripts/bench.sh NAME [ARGS...]  one of them; ARGS go to the program (e.g. plan --per-env 10)
#
# Environment:
#   BUILD_DIR               the build folder (default build); configured here when it has no
#                           CMakeCache.txt (BUILD_TYPE, default RelWithDebInfo)
#   JOBS                    build jobs (default 2)
#   SPOTFORM_BENCH_NO_BUILD=1  build nothing: run what BUILD_DIR holds (e.g. when the build
#                           folder is shared and built by someone else)
#
# Builds only the benchmarks, spotform and spotform-sim. Each benchmark's whole output goes to
# BUILD_DIR/bench-logs/NAME.log; the terminal gets its figure lines, in the one format of
# bench/bench_report.h ("bench NAME: FIGURE VALUE target OP TARGET ok|MISS"), then a summary.
# Exit status: 0 when every figure meets its target; 1 when a benchmark failed to run (an exit
# status other than 0 or 3, no figure, or figures that disagree with its exit status); else 3
# when any figure missed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
build_dir="${BUILD_DIR:-build}"
all=(sim describe plan apply)

usage() {
  echo "usage: scripts/bench.sh [sim|describe|plan|apply [ARGS...]]" >&2
  exit 2
}

names=("${all[@]}")
extra=()
if (($# > 0)); then
  case "$1" in
    sim | describe | plan | apply) names=("$1") ;;
    *) usage ;;
  esac
  shift
  extra=("$@")
fi

if [[ "${SPOTFORM_BENCH_NO_BUILD:-0}" != 1 ]]; then
  if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null ||
      exit 1
  fi
  targets=(spotform spotform-sim)
  for name in "${all[@]}"; do targets+=("${name}_bench"); done
  cmake --build "$build_dir" -j"${JOBS:-2}" --target "${targets[@]}" || exit 1
fi

sim="$build_dir/cmd/spotform-sim"
spotform="$build_dir/cmd/spotform"
logs="$build_dir/bench-logs"
mkdir -p "$logs" || exit 1

# run_benchmark NAME ARGS...: runs benchmark NAME with its usual flags, then ARGS.
run_benchmark() {
  local name=$1
  shift
  local program="$build_dir/bench/${name}_bench"
  case "$name" in
    sim) "$program" --sim "$sim" "$@" ;;
    describe) "$program" "$@" ;;
    plan) "$program" "$sim" "$@" ;;
    apply) "$program" --sim "$sim" --spotform "$spotform" "$@" ;;
  esac
}

# join ITEM...: the items separated by "; ", or "none".
join() {
  local out="" item
  for item in "$@"; do out+="${out:+; }$item"; done
  echo "${out:-none}"
}

figures=0
missed=()
failed=()
for name in "${names[@]}"; do
  log="$logs/$name.log"
  echo "== ${name}_bench (whole output: $log)"
  start=$SECONDS
  rc=0
  run_benchmark "$name" "${extra[@]}" >"$log" 2>&1 || rc=$?
  lines=$(grep -E "^bench ${name}_bench: [a-z0-9_]+ .* (ok|MISS)$" "$log")
  [[ -n "$lines" ]] && echo "$lines"
  count=0
  misses=0
  while read -r line; do
    [[ -z "$line" ]] && continue
    count=$((count + 1))
    if [[ "$line" == *" MISS" ]]; then
      misses=$((misses + 1))
      figure=${line#"bench ${name}_bench: "}
      missed+=("${name}_bench ${figure%% *}")
    fi
  done <<<"$lines"
  figures=$((figures + count))
  # The exit status must agree with the figures: 0 with all ok, 3 with a MISS among them.
  agrees=0
  ((rc == 0 && count > 0 && misses == 0)) && agrees=1
  ((rc == 3 && misses > 0)) && agrees=1
  if ((agrees)); then
    echo "   ${name}_bench: exit $rc after $((SECONDS - start)) s"
  else
    failed+=("${name}_bench: exit $rc, $count figures, $misses missed")
    echo "   ${name}_bench FAILED: exit $rc with $count figures, $misses missed; its last lines:"
    tail -n 15 "$log" | sed 's/^/   | /'
  fi
done

echo "bench summary: figures $figures, ok $((figures - ${#missed[@]})), missed ${#missed[@]}" \
  "($(join "${missed[@]}")); benchmarks ${#names[@]}, failed ${#failed[@]} ($(join "${failed[@]}"))"
((${#failed[@]} == 0)) || exit 1
((${#missed[@]} == 0)) || exit 3
exit 0
