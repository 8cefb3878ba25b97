#!/usr/bin/env bash
# Installs every Debian package that spotform's build, tests and demo need.
# Idempotent and quick when everything is present: apt runs only if a package is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-program-options-dev libcurl4-openssl-dev libssl-dev
  nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libcpp-httplib-dev libpq-dev postgresql
  ca-certificates curl
  # The documentation samples (tests/e2e/doc_samples_test.cc) read JSON with jq, as users do.
  jq
  # Hardening checks (scripts/test-sanitized.sh, scripts/lint.sh): clang with the ASan/UBSan/
  # libFuzzer runtimes, clang-tidy (with run-clang-tidy), cppcheck.
  clang libclang-rt-14-dev clang-tidy cppcheck
)
# Node.js runs the official Tencent Cloud SDK conformance suite; keep an existing install.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
