#!/usr/bin/env bash
# The main job: installs what is needed, builds, then plans and applies examples/ against the
# bundled emulator spotform-sim (started on a free loopback port): a cvm fleet and a Batch
# render farm, each planned, applied, planned again (no changes) and destroyed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Only what the demo runs: not the test suites (scripts/test.sh builds those).
TARGETS="spotform spotform-sim" scripts/build.sh
for example in cvm-fleet batch-render-farm; do
  printf '\n=== examples/%s ===\n' "$example"
  scripts/run-example.sh "$example"
done
