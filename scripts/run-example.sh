#!/usr/bin/env bash
# Runs one of examples/ against a local spotform-sim: copies the example's spotform.yaml into
# a temporary folder, points provider.endpoint at the emulator, then plans, applies, plans
# again (no changes) and destroys, showing what a user sees.
#   scripts/run-example.sh [EXAMPLE]      EXAMPLE: cvm-fleet (default), batch-render-farm,
#                                         two-zones, fallback-fleet, import-walkthrough
# BUILD_DIR chooses the build folder (default build/); it is built if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
example="${1:-cvm-fleet}"
[[ -f "examples/$example/spotform.yaml" ]] || { echo "no examples/$example/spotform.yaml"; exit 1; }
build_dir="${BUILD_DIR:-build}"
if [[ ! -x "$build_dir/cmd/spotform" || ! -x "$build_dir/cmd/spotform-sim" ]]; then
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  cmake --build "$build_dir" -j"${JOBS:-2}" --target spotform spotform-sim
fi
spotform="$(cd "$build_dir" && pwd)/cmd/spotform"

workdir=$(mktemp -d)
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
"$build_dir/cmd/spotform-sim" --listen 127.0.0.1:0 --port-file "$workdir/port" --tick-ms 100 \
  >"$workdir/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do [[ -s "$workdir/port" ]] && break; sleep 0.1; done
[[ -s "$workdir/port" ]] || { echo "spotform-sim did not start:"; cat "$workdir/sim.log"; exit 1; }
port=$(cat "$workdir/port")
mkdir "$workdir/project"
sed "s|^\(  endpoint:\).*|\1 http://127.0.0.1:$port|" "examples/$example/spotform.yaml" \
  >"$workdir/project/spotform.yaml"
cd "$workdir/project"
export TENCENTCLOUD_SECRET_ID=AKIDSPOTFORMSIM000000000000000000000
export TENCENTCLOUD_SECRET_KEY=spotform-sim-secret

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
step spotform plan;                         "$spotform" plan
step spotform apply --auto-approve;         "$spotform" apply --auto-approve --poll-interval 200ms
step spotform plan;                         "$spotform" plan
step spotform destroy --auto-approve;       "$spotform" destroy --auto-approve --poll-interval 200ms
