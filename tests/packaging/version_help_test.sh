#!/usr/bin/env bash
# packaging.version_help: `--version` of spotform and spotform-sim prints the project's
# version, and `spotform-sim --help` describes every flag with examples.
#   version_help_test.sh SPOTFORM SPOTFORM_SIM VERSION
set -euo pipefail
spotform=$1 sim=$2 version=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$spotform" --version) || fail "spotform --version exited $?"
[[ $out == "spotform $version" ]] || fail "spotform --version printed '$out'"
out=$("$sim" --version) || fail "spotform-sim --version exited $?"
[[ $out == "spotform-sim $version" ]] || fail "spotform-sim --version printed '$out'"

help=$("$sim" --help) || fail "spotform-sim --help exited $?"
for part in "Usage: spotform-sim" "Examples:" --version --listen --port-file --secret-id \
  --secret-key --scenario --tick-ms --scale-in --terminate-node --create-ticks --busy-ticks \
  --spot-quota --min-count --no-rate-limit --verbose "--spot-quota 50 --min-count unsupported" \
  "curl \$SIM/_sim/market" "POST \$SIM/_sim/market" /_sim/quota /_sim/reclaim /_sim/tick \
  "curl \$SIM/_sim/requests"; do
  [[ $help == *"$part"* ]] || fail "spotform-sim --help lacks '$part':"$'\n'"$help"
done
# Every example scenario named in the help exists.
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
while read -r scenario; do
  [[ -f $source_dir/$scenario ]] || fail "spotform-sim --help names a missing $scenario"
done < <(grep -o 'examples/sim-scenarios/[A-Za-z0-9_.-]*' <<<"$help")
"$sim" --no-such-flag >/dev/null 2>&1 && fail "spotform-sim accepted an unknown flag"

help=$("$spotform" completion --help) || fail "spotform completion --help exited $?"
[[ $help == *"source <(spotform completion bash)"* ]] || fail "completion --help: $help"
echo "version_help: ok"
