#!/usr/bin/env bash
# packaging.install_layout: `cmake --install BUILD --prefix TMP` lays out bin/spotform,
# bin/spotform-sim, the bash completion and the docs, and the installed spotform runs.
#   install_layout_test.sh BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
for binary in spotform spotform-sim; do
  [[ -x $build/cmd/$binary ]] || fail "$build/cmd/$binary is not built (cmake --build $build)"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/spotform-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install failed"; }
for file in bin/spotform bin/spotform-sim; do
  [[ -x $work/prefix/$file ]] || fail "no executable $file in the prefix"
done
for file in share/bash-completion/completions/spotform share/doc/spotform/README.md \
  share/doc/spotform/examples/cvm-fleet/spotform.yaml; do
  [[ -f $work/prefix/$file ]] || fail "no $file in the prefix"
done
[[ $("$work/prefix/bin/spotform" --version) == "spotform $version" ]] ||
  fail "the installed spotform --version"
[[ $("$work/prefix/bin/spotform-sim" --version) == "spotform-sim $version" ]] ||
  fail "the installed spotform-sim --version"
# The installed completion is the script `spotform completion bash` prints.
"$work/prefix/bin/spotform" completion bash >"$work/printed.bash"
cmp -s "$work/printed.bash" "$work/prefix/share/bash-completion/completions/spotform" ||
  fail "spotform completion bash differs from the installed completion file"
echo "install_layout: ok"
find "$work/prefix" -type f | sed "s|^$work/prefix/||" | sort
