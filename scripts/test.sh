#!/usr/bin/env bash
# The test command: installs what is needed, builds, runs every test suite, then the hardening
# checks: static analysis (scripts/lint.sh) and the AddressSanitizer + UBSan build with every
# suite and the fuzz targets (scripts/test-sanitized.sh). Each stage runs even if an earlier
# check failed; the script fails if any stage failed and ends with one line per stage and its
# duration. SPOTFORM_HARDENING=0 skips the two hardening stages (a quick local run).
set -euo pipefail
cd "$(dirname "$0")/.."

summary=()
failed=0
print_summary() {
  echo
  echo "==== test.sh stages"
  local line
  for line in "${summary[@]}"; do echo "$line"; done
  ((failed == 0)) && echo "test.sh: all stages passed" || echo "test.sh: FAILED"
}
trap print_summary EXIT

# stage NAME COMMAND...: runs COMMAND, records its result and duration; returns its status.
stage() {
  local name=$1
  shift
  echo "==== stage $name: $*"
  local start=$SECONDS rc=0
  "$@" || rc=$?
  local took=$((SECONDS - start)) result=ok
  ((rc == 0)) || { result="FAILED (exit $rc)"; failed=1; }
  summary+=("$(printf '%-10s %-16s %3dm%02ds' "$name" "$result" $((took / 60)) $((took % 60)))")
  return "$rc"
}

# Prerequisites: nothing after them can run if one fails.
stage deps scripts/install-deps.sh || exit 1
# The official Tencent Cloud Node.js SDK, at the version pinned in package-lock.json.
stage npm bash -c 'cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error' || exit 1
stage build scripts/build.sh || exit 1

# Checks: each runs whatever the others found.
stage tests ctest --test-dir build --output-on-failure -j2 --timeout 600 || true
if [[ "${SPOTFORM_HARDENING:-1}" != 0 ]]; then
  stage lint scripts/lint.sh build || true
  stage sanitized scripts/test-sanitized.sh || true
fi
exit "$failed"
