#!/usr/bin/env bash
# Builds samlkit and explains the sample from the README: an Entra ID response that Amazon Q
# Business refuses with "Permission needed". On a fresh Debian machine it first installs the
# two packages the build needs (pkg-config and libssl-dev, for the openssl crate).
set -euo pipefail
cd "$(dirname "$0")/.."

needed=()
command -v pkg-config >/dev/null || needed+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || needed+=(libssl-dev)
if [ ${#needed[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${needed[@]}" >/dev/null
fi

set -x
# No --profile (Amazon Q Business is recognised from the Audience) and no --now (an old capture
# is judged at its IssueInstant).
cargo run --quiet --release -- explain samples/amazon-q-permission-needed.b64 \
  --idp-metadata samples/entra-federation-metadata.xml
