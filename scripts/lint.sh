#!/usr/bin/env bash
# Static analysis of every first-party .cc, over the compile_commands.json of a normal build:
# clang-tidy (engine, providers, state, cmd, bench; checks in .clang-tidy) and cppcheck (the
# same and tests; flags below, suppressions in .cppcheck-suppressions). Exits non-zero on any
# finding of either tool.
#
# A unity build's database lists batches (Unity/unity_N_cxx.cxx, each #including up to 16 of
# our .cc files), not files. clang-tidy runs over those batches when no FILE_REGEX is given:
# the heavy headers are parsed once per batch, which makes the run about three times cheaper,
# and every finding still names the .cc file and line (our .cc files pass the header filter).
# bugprone-suspicious-include is off there (a batch includes .cc files by design); in a
# batch, misc-unused-using-decls can miss a using-declaration that only a later file uses.
# cppcheck, and clang-tidy with a FILE_REGEX, read a file-by-file database configured (not
# built) in BUILD_DIR/lint-db.
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
build_abs=$(cd "$build_dir" && pwd)
file_db="$build_dir/lint-db"
cmake -S . -B "$file_db" -DSPOTFORM_UNITY_BUILD=OFF >/dev/null
dirs=(engine providers state cmd bench tests)
status=0

if [[ -z "$only" || "$only" == clang-tidy ]]; then
  # run-clang-tidy (from Debian's clang-tidy package) runs clang-tidy once per file, -j at a
  # time; .clang-tidy makes every enabled check an error, so any finding fails the run.
  # The tests are left to cppcheck: with GoogleTest's headers they would double clang-tidy's
  # time (CI budget), and their bugs show up as failing tests.
  tidy_dirs=(engine providers state cmd bench)
  tidy_dirs_re="($(IFS='|'; echo "${tidy_dirs[*]}"))"
  header_filter="^$root/($(IFS='|'; echo "${dirs[*]}"))/"
  if [[ -z "$filter" ]] && grep -q '/Unity/unity_[0-9]*_cxx\.cxx' "$build_dir/compile_commands.json"; then
    tidy_db=$build_dir
    regex="^$build_abs/$tidy_dirs_re/.*/Unity/unity_[0-9]+_cxx\.cxx\$"
    extra=(-checks=-bugprone-suspicious-include)
  else
    tidy_db=$file_db
    regex="^$root/$tidy_dirs_re/.*${filter}"
    extra=()
  fi
  start=$SECONDS
  tidy_status=0
  run-clang-tidy -p "$tidy_db" -j"$jobs" -quiet -header-filter="$header_filter" "${extra[@]}" \
    "$regex" >"$build_dir/clang-tidy.log" 2>&1 || tidy_status=1
  # A run that checked nothing proves nothing: fail if no file matched.
  if ! grep -q '^clang-tidy-[0-9]* ' "$build_dir/clang-tidy.log"; then
    echo "lint: clang-tidy found no file to check (regex $regex)" >&2
    tidy_status=1
  fi
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
  # Both forms: cppcheck shows a path relative to the working folder when the database lies
  # inside it, and absolute otherwise.
  for d in "${dirs[@]}"; do
    filters+=("--file-filter=$d/*${filter}*" "--file-filter=$root/$d/*${filter}*")
  done
  mkdir -p "$build_dir/cppcheck"
  start=$SECONDS
  cppcheck_status=0
  cppcheck --project="$file_db/compile_commands.json" "${filters[@]}" \
    --enable=warning,performance,portability --std=c++20 --library=googletest \
    --inline-suppr --suppressions-list=.cppcheck-suppressions --error-exitcode=1 \
    --cppcheck-build-dir="$build_dir/cppcheck" -j"$jobs" --quiet \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' || cppcheck_status=1
  [[ $cppcheck_status -eq 0 ]] || status=1
  echo "lint: cppcheck $([[ $cppcheck_status -eq 0 ]] && echo clean || echo FOUND ISSUES)" \
       "in $((SECONDS - start))s"
fi
exit $status
