#!/usr/bin/env bash
# Runs the whole test suite. On a fresh Debian machine it first installs the packages the tests
# use as oracles and the feature builds need: xmlsec1 (signature oracle), libxml2-utils
# (xmllint, canonicalization oracle), libxmlsec1-dev, libclang-dev and pkg-config (the optional
# `xmlsec` feature), libssl-dev (openssl); and python3's jsonschema for the SARIF schema check.
set -euo pipefail
cd "$(dirname "$0")/.."

needed=()
command -v xmlsec1 >/dev/null || needed+=(xmlsec1)
command -v xmllint >/dev/null || needed+=(libxml2-utils)
command -v pkg-config >/dev/null || needed+=(pkg-config)
for pkg in libssl-dev libxmlsec1-dev libclang-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
if [ ${#needed[@]} -gt 0 ]; then
  echo "== installing: ${needed[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${needed[@]}" >/dev/null
fi

# The SARIF output test validates against the OASIS schema with python3's jsonschema.
if ! python3 -c "import jsonschema" 2>/dev/null; then
  echo "== installing: jsonschema (PyPI)"
  python3 -m pip install --quiet jsonschema
fi

echo "== tests"
cargo test --locked --workspace
