#!/usr/bin/env bash
# Runs the whole test suite. On a fresh Debian machine it first installs the packages the tests
# use as oracles and the feature builds need: xmlsec1 (signature oracle), libxml2-utils
# (xmllint, canonicalization oracle), libxmlsec1-dev, libclang-dev and pkg-config (the optional
# `xmlsec` feature), libssl-dev (openssl); python3-jsonschema (SARIF schema check) and
# python3-yaml (reading the CI integrations' definitions); chromium and chromium-driver (the
# browser test of `samlkit serve`).
set -euo pipefail
cd "$(dirname "$0")/.."

needed=()
command -v xmlsec1 >/dev/null || needed+=(xmlsec1)
command -v xmllint >/dev/null || needed+=(libxml2-utils)
command -v pkg-config >/dev/null || needed+=(pkg-config)
for pkg in libssl-dev libxmlsec1-dev libclang-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
# The SARIF output test validates against the OASIS schema with python3's jsonschema, and
# scripts/test-integrations.sh reads action.yml and .pre-commit-hooks.yaml with python3's yaml:
# Debian's own packages, for Debian's python3 (which refuses `pip install`). The tests use the
# first python3 on the PATH that has them, else /usr/bin/python3.
python_has() {
  local py
  for py in python3 /usr/bin/python3; do
    "$py" -c "import $1" >/dev/null 2>&1 && return 0
  done
  return 1
}
python_has jsonschema || needed+=(python3-jsonschema)
python_has yaml || needed+=(python3-yaml)
# The browser test of `samlkit serve` drives headless Chromium through chromedriver.
[ -x /usr/bin/chromium ] || needed+=(chromium)
[ -x /usr/bin/chromedriver ] || needed+=(chromium-driver)
if [ ${#needed[@]} -gt 0 ]; then
  echo "== installing: ${needed[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${needed[@]}" >/dev/null
fi

echo "== tests"
# With the browser installed, the browser test must run, not skip.
SAMLKIT_REQUIRE_BROWSER=1 cargo test --locked --workspace
