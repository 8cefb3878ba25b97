#!/usr/bin/env bash
# packaging.bash_completion: sources the bash completion script and calls its function with
# COMP_WORDS / COMP_CWORD as bash would: commands, state subcommands, a command's flags, flag
# values, and the addresses of a real state (a cvm environment applied against spotform-sim);
# without a config or state it completes nothing and prints nothing.
#   bash_completion_test.sh SPOTFORM SPOTFORM_SIM COMPLETION_SCRIPT EXAMPLE_CONFIG
set -euo pipefail
spotform=$1 sim=$2 script=$3 example=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/spotform-completion.XXXXXX")
sim_pid=""
cleanup() {
  [[ -n $sim_pid ]] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A recorded state: the cvm-fleet example with 2 instances, applied against the emulator.
"$sim" --listen 127.0.0.1:0 --port-file "$work/port" --tick-ms 50 >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.1; done
[[ -s $work/port ]] || { cat "$work/sim.log"; fail "spotform-sim did not start"; }
mkdir "$work/project" "$work/elsewhere"
sed -e "s|^\(  endpoint:\).*|\1 http://127.0.0.1:$(cat "$work/port")|" \
  -e "s|^\(    desired_count:\).*|\1 2|" "$example" >"$work/project/spotform.yaml"
export TENCENTCLOUD_SECRET_ID=AKIDSPOTFORMSIM000000000000000000000
export TENCENTCLOUD_SECRET_KEY=spotform-sim-secret
(cd "$work/project" && "$spotform" apply --auto-approve --poll-interval 100ms) \
  >"$work/apply.log" 2>&1 || { cat "$work/apply.log"; fail "spotform apply failed"; }
addresses=$(cd "$work/project" && "$spotform" state list)
env_name=env.ci-runners
instance=$(grep '^env\.ci-runners\.' <<<"$addresses" || true)
instance=${instance%%$'\n'*}
[[ $addresses == "$env_name"$'\n'* && -n $instance ]] || fail "state list printed: $addresses"

# shellcheck source=/dev/null
source "$script"
[[ $(complete -p spotform) == *"-F _spotform"* ]] || fail "no completion registered"

# complete WORD...: the completions of the last word, one a line (sorted), as bash would ask.
complete_words() {
  COMP_WORDS=("$spotform" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _spotform
  ((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | sort
}
# expect "DESCRIPTION" "EXPECTED (lines)" WORD...: the completions are exactly EXPECTED.
expect() {
  local what=$1 expected=$2 got
  shift 2
  got=$(complete_words "$@")
  [[ $got == "$expected" ]] ||
    fail "$what: [$*] completed to"$'\n'"$got"$'\n'"expected"$'\n'"$expected"
  echo "ok: $what"
}
# expect_some "DESCRIPTION" "WORDS" WORD...: each of WORDS is among the completions.
expect_some() {
  local what=$1 wanted=$2 got word
  shift 2
  got=$(complete_words "$@")
  for word in $wanted; do
    grep -qxF -- "$word" <<<"$got" || fail "$what: [$*] lacks $word; got"$'\n'"$got"
  done
  echo "ok: $what"
}

cd "$work/project"
expect_some "commands" "init validate plan apply destroy show refresh import state watch
  force-unlock completion" ""
expect "a command prefix" "plan" pl
expect "global flags" $'--no-color' --no-c
expect_some "state subcommands" "list show rm mv migrate" state ""
expect "a state subcommand prefix" $'migrate\nmv' state m
expect "a flag of plan" "--detailed-exitcode" plan --det
expect_some "the flags of plan" "--out --json --refresh --target --config --help" plan --
expect_some "the flags of apply" "--auto-approve --parallelism --timeout" apply --
expect_some "the flags of state migrate" "--to" state migrate --
expect "a value: --refresh" $'false\ntrue' plan --refresh ""
expect "--target: environments" "$env_name" plan --target ""
expect "--target=: environments" "$env_name" destroy --target = ""
expect "--target=env.c" "$env_name" plan --target = env.c
expect_some "state show: addresses" "$env_name $instance" state show ""
expect_some "state rm: addresses" "$env_name $instance" state rm env.
expect_some "state mv: addresses" "$env_name" state mv ""
expect "import: environments" "$env_name" import ""
expect "import: no address after the first" "" import env.ci-runners ""
expect "import: a flag's value is no positional" "$env_name" import --zone ap-guangzhou-3 ""
expect "completion: the shell" "bash" completion ""
expect_some "-c: files" "spotform.yaml" -c spot

# -c names the config from elsewhere; with no config or state, nothing and no noise.
cd "$work/elsewhere"
expect "-c: addresses of that config" "$env_name" -c ../project/spotform.yaml plan --target ""
# bash splits --config=FILE at "=" into three words.
expect_some "--config=: addresses of that config" "$env_name $instance" \
  --config = ../project/spotform.yaml state rm env.ci
expect "no config: no addresses" "" state show ""
noise=$(complete_words state show "" 2>&1; complete_words plan --target "" 2>&1)
[[ -z $noise ]] || fail "completion without a config printed: $noise"
cp "$work/project/spotform.yaml" .
expect "a config without state: no addresses" "" state rm ""
[[ ! -e .spotform ]] || fail "completing created .spotform/"

# `spotform completion bash` prints this very script; sourcing it registers the function.
cmp -s <("$spotform" completion bash) "$script" || fail "spotform completion bash differs"
out=$(bash -c 'source <("$1" completion bash) && complete -p spotform' _ "$spotform")
[[ $out == *"-F _spotform"* ]] || fail "source <(spotform completion bash): $out"
echo "bash_completion: ok"
