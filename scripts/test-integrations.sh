#!/usr/bin/env bash
# Checks that samlkit installs and plugs into shells and CI as README.md and docs/ci.md say:
# the demo, `cargo install --locked --path .` (into a temporary CARGO_INSTALL_ROOT), `samlkit
# version`, `samlkit completions bash` (loaded into bash and asked to complete), `samlkit man
# explain`, then what .pre-commit-hooks.yaml's hooks and action.yml's steps declare, run on a
# copy of samples/ (samples/samlkit.toml is its set-up), passing and failing.
# Needs python3 with yaml (and jsonschema for the SARIF check): Debian's python3-yaml and
# python3-jsonschema, which scripts/test.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c "import yaml, jsonschema" >/dev/null 2>&1; then python=$candidate; break; fi
done
[ -n "$python" ] || { echo "need python3 with yaml and jsonschema (apt-get install python3-yaml python3-jsonschema)" >&2; exit 2; }

# Runs "$@", requires exit code $1 (the rest is the command); its output goes to $work/out.
expect_exit() {
  local expected=$1 code=0
  shift
  "$@" >"$work/out" 2>&1 || code=$?
  if [ "$code" -ne "$expected" ]; then
    cat "$work/out"
    echo "FAILED: exit code $code, expected $expected: $*" >&2
    exit 1
  fi
}
# Requires the last command's output to contain the fixed string $1.
expect_output() {
  grep -qF -- "$1" "$work/out" || { cat "$work/out"; echo "FAILED: no '$1' in the output" >&2; exit 1; }
}

echo "== README: ./scripts/demo.sh (the sign-in it explains fails: exit 1)"
expect_exit 1 ./scripts/demo.sh
expect_output "✗ Sign-in will fail: 2 errors, 0 warnings"
expect_output "error[nameid/format]"

echo "== README: cargo install --locked --path ."
CARGO_INSTALL_ROOT="$work/install" cargo install --quiet --locked --path .
export PATH="$work/install/bin:$PATH"
[ "$(command -v samlkit)" = "$work/install/bin/samlkit" ] || { echo "FAILED: samlkit not installed" >&2; exit 1; }

echo "== samlkit version"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
expect_exit 0 samlkit version
expect_output "samlkit $version (commit $(git rev-parse --short=12 HEAD), built "
expect_exit 0 samlkit --version
expect_output "samlkit $version"

echo "== samlkit completions bash"
samlkit completions bash >"$work/samlkit.bash"
bash -n "$work/samlkit.bash"
completed=$(bash --norc -c 'source "$1"; COMP_WORDS=(samlkit expl); COMP_CWORD=1; _samlkit samlkit expl samlkit; echo "${COMPREPLY[*]}"' _ "$work/samlkit.bash")
[ "$completed" = "explain" ] || { echo "FAILED: 'samlkit expl<TAB>' completed to '$completed'" >&2; exit 1; }
for shell in zsh fish powershell elvish; do
  samlkit completions "$shell" | grep -q explain
done

echo "== samlkit man explain"
expect_exit 0 samlkit man explain
expect_output ".TH samlkit-explain 1"
expect_output '\-\-idp\-metadata'
if command -v man >/dev/null; then
  samlkit man explain >"$work/samlkit-explain.1"
  MANWIDTH=100 man -l "$work/samlkit-explain.1" 2>/dev/null | grep -q -- "--idp-metadata"
fi

cp -r samples "$work/workspace"
workspace="$work/workspace"
definitions=("$python" "$repo/scripts/ci_definitions.py")

echo "== pre-commit hooks (.pre-commit-hooks.yaml) on the samples"
expect_exit 0 "${definitions[@]}" hook "$workspace" samlkit-check
expect_output "== hook samlkit-check: samlkit check"
expect_output "✓ Ready to deploy"
expect_exit 0 "${definitions[@]}" hook "$workspace" samlkit-metadata
expect_output "== hook samlkit-metadata: samlkit metadata entra-federation-metadata.xml"
expect_output "✓ No problems found"
expect_exit 0 "${definitions[@]}" hook "$workspace" samlkit-metadata entra-response.b64
expect_output "(no files to check) skipped"
printf '<html><body>not metadata</body></html>\n' >"$workspace/broken-metadata.xml"
expect_exit 2 "${definitions[@]}" hook "$workspace" samlkit-metadata broken-metadata.xml
rm "$workspace/broken-metadata.xml"
cp "$workspace/samlkit.toml" "$work/samlkit.toml.orig"
sed -i 's#^acs_url = .*#acs_url = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml/wrong"#' "$workspace/samlkit.toml"
expect_exit 1 "${definitions[@]}" hook "$workspace" samlkit-check
expect_output "✗ Not ready to deploy"

echo "== GitLab CI template (docs/ci.md) on the samples"
expect_exit 1 "${definitions[@]}" gitlab "$workspace"
expect_output "error[subject/recipient-mismatch]"
expect_output "== gitlab job samlkit-check ended with exit code 1"

echo "== GitHub Action (action.yml) on the samples"
expect_exit 1 "${definitions[@]}" action "$workspace"
expect_output "== action step failed with exit code 1: samlkit check"
cp "$work/samlkit.toml.orig" "$workspace/samlkit.toml"
expect_exit 0 "${definitions[@]}" gitlab "$workspace"
expect_output "✓ Ready to deploy"
"$python" - "$workspace/samlkit.jsonl" <<'PY'
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
summary = lines[-1]
assert summary["part"] == "summary" and summary["ready"] is True, summary
PY
expect_exit 0 "${definitions[@]}" action "$workspace"
expect_output "== action step not run here: Cache samlkit (actions/cache@v4)"
expect_output "== action step: Install samlkit"
expect_output "samlkit $version"
expect_output "✓ Ready to deploy"
expect_exit 0 "${definitions[@]}" action "$workspace" --input format=sarif --input output=samlkit.sarif
"$python" - "$repo/tests/fixtures/rules/sarif-schema-2.1.0.json" "$workspace/samlkit.sarif" <<'PY'
import json, sys, jsonschema
schema, log = (json.load(open(path)) for path in sys.argv[1:3])
jsonschema.Draft4Validator(schema).validate(log)
assert log["runs"][0]["tool"]["driver"]["name"] == "samlkit", log["runs"][0]["tool"]
levels = [result["level"] for result in log["runs"][0]["results"]]
assert "error" not in levels and "warning" not in levels, levels
PY

# pre-commit itself, when asked for (it builds samlkit again, in release, in its own cache):
# SAMLKIT_TEST_PRE_COMMIT=1 with pre-commit installed (Debian: apt-get install pre-commit).
if [ "${SAMLKIT_TEST_PRE_COMMIT:-0}" = 1 ]; then
  echo "== pre-commit run --all-files with the hooks of this repository's HEAD"
  cp -r samples "$work/pre-commit-repo"
  (
    cd "$work/pre-commit-repo"
    git init -q
    printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: samlkit-check\n      - id: samlkit-metadata\n' \
      "$repo" "$(git -C "$repo" rev-parse HEAD)" >.pre-commit-config.yaml
    git add -A
    git -c user.name=samlkit -c user.email=samlkit@localhost commit -qm samples
    expect_exit 0 pre-commit run --all-files
    expect_output "samlkit check............"
    expect_output "samlkit metadata........."
    sed -i 's#^acs_url = .*#acs_url = "https://wrong.example/saml"#' samlkit.toml
    expect_exit 1 pre-commit run --all-files
    expect_output "✗ Not ready to deploy"
  )
fi

echo "== integrations: all as documented"
