#!/usr/bin/env bash
# Static analysis of every first-party .cc, over the compile_commands.json of a normal build:
# clang-tidy (engine, providers, state, cmd, bench; checks in .clang-tidy) and cppcheck (the
# same and tests; flags below, suppressions in .cppcheck-suppressions). Exits non-zero on any
# finding of either tool.
#
# Usage: scripts/lint.sh [BUILD_DIR] [FILE_REGEX]
#   BUILD_DIR   a normal build (default build; configured here if it has no compile_commands.json)
#   FILE_REGEX  only the sources whose path matches, e.g. scripts/lint.sh build 'engine/planner'
# Environment: JOBS (default 2), LINT_ONLY=clang-tidy|cppcheck to run one tool.
# A finding that is wrong for a good reason is silenced where it is, with the reason:
#   // NOLINT(check-name): why        or        // cppcheck-suppress id  (line above): why
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${1:-build}
filter=${2:-}
jobs=${JOBS:-2}
only=${LINT_ONLY:-}

if [[ ! -f "$build_dir/compile_commands.json" ]]; then
  cmake -S . -B "$build_dir" >/dev/null
fi
dirs=(engine providers state cmd bench tests)
status=0

if [[ -z "$only" || "$only" == clang-tidy ]]; then
  # run-clang-tidy (from Debian's clang-tidy package) runs clang-tidy once per file, -j at a
  # time; .clang-tidy makes every enabled check an error, so any finding fails the run.
  # The tests are left to cppcheck: with GoogleTest's headers they would double clang-tidy's
  # time (CI budget), and their bugs show up as failing tests.
  tidy_dirs=(engine providers state cmd bench)
  regex="^$root/($(IFS='|'; echo "${tidy_dirs[*]}"))/.*${filter}"
  header_filter="^$root/($(IFS='|'; echo "${dirs[*]}"))/"
  start=$SECONDS
  tidy_status=0
  run-clang-tidy -p "$build_dir" -j"$jobs" -quiet -header-filter="$header_filter" "$regex" \
    >"$build_dir/clang-tidy.log" 2>&1 || tidy_status=1
  # Show the diagnostics only (uncoloured), not the per-file command lines.
  sed 's/\x1b\[[0-9;]*m//g' "$build_dir/clang-tidy.log" |
    grep -E -A3 '^[^ ].*:[0-9]+:[0-9]+: (warning|error): ' | grep -v '^clang-tidy-' || true
  [[ $tidy_status -eq 0 ]] || status=1
  echo "lint: clang-tidy $([[ $tidy_status -eq 0 ]] && echo clean || echo FOUND ISSUES)" \
       "in $((SECONDS - start))s (full log: $build_dir/clang-tidy.log)"
fi

if [[ -z "$only" || "$only" == cppcheck ]]; then
  # --enable=warning,performance,portability: real bugs and slow code, not style opinions.
  # --library=googletest: teaches cppcheck the TEST() macros. System and third-party headers
  # are not on cppcheck's include path, so it never analyses them (.cppcheck-suppressions
  # keeps it so if one is ever found). --cppcheck-build-dir makes reruns incremental.
  filters=()
  for d in "${dirs[@]}"; do filters+=("--file-filter=$d/*${filter}*"); done
  mkdir -p "$build_dir/cppcheck"
  start=$SECONDS
  cppcheck_status=0
  cppcheck --project="$build_dir/compile_commands.json" "${filters[@]}" \
    --enable=warning,performance,portability --std=c++20 --library=googletest \
    --inline-suppr --suppressions-list=.cppcheck-suppressions --error-exitcode=1 \
    --cppcheck-build-dir="$build_dir/cppcheck" -j"$jobs" --quiet \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' || cppcheck_status=1
  [[ $cppcheck_status -eq 0 ]] || status=1
  echo "lint: cppcheck $([[ $cppcheck_status -eq 0 ]] && echo clean || echo FOUND ISSUES)" \
       "in $((SECONDS - start))s"
fi
exit $status
