#!/usr/bin/env bash
# The test command: installs what is needed, builds, and runs every test (CTest's summary last).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The official Tencent Cloud Node.js SDK, at the version pinned in package-lock.json.
(cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error)
scripts/build.sh
ctest --test-dir build --output-on-failure -j2 --timeout 600
