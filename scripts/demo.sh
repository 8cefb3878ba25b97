#!/usr/bin/env bash
# The main job: installs what is needed, builds, starts the bundled emulator spotform-sim on a
# free loopback port and runs the demo against it. Until `spotform plan/apply` land, the demo
# is a spot launch, describe and release made through Tencent's official Node.js SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
(cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error)
scripts/build.sh

workdir=$(mktemp -d)
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
build/cmd/spotform-sim --listen 127.0.0.1:0 --port-file "$workdir/port" --tick-ms 200 \
  >"$workdir/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do [[ -s "$workdir/port" ]] && break; sleep 0.1; done
[[ -s "$workdir/port" ]] || { echo "spotform-sim did not start:"; cat "$workdir/sim.log"; exit 1; }
port=$(cat "$workdir/port")
echo "spotform-sim listening on 127.0.0.1:$port"
SPOTFORM_ENDPOINT="127.0.0.1:$port" node tests/conformance/demo.js
echo
echo "Requests the emulator received (GET /_sim/requests):"
curl -s "http://127.0.0.1:$port/_sim/requests" | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    for (const r of JSON.parse(s)) console.log(`  #${r.seq} ${r.action} -> ${r.error ?? "ok"}`);
  });'
