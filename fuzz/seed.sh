#!/usr/bin/env bash
# Builds the seed corpora of every fuzz target from the repository's own test material:
# the third-party corpus (tests/corpus), the samples and the test fixtures. Encoded inputs are
# decoded with a release build of samlkit so XML targets start from real XML.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release
samlkit=target/release/samlkit
out=fuzz/corpus
rm -rf "$out"
mkdir -p "$out"/{decode_input,parse_model,c14n,c14n_differential,verify,explain,decrypt,metadata_lint}

n=0
while IFS= read -r -d '' file; do
  n=$((n + 1))
  cp "$file" "$out/decode_input/seed-$n"
  # Targets whose first byte selects a mode get a zero selector in front.
  { printf '\0'; cat "$file"; } >"$out/explain/seed-$n"
  xml=$("$samlkit" decode --raw "$file" 2>/dev/null) || continue
  for target in parse_model verify decrypt metadata_lint; do
    printf '%s' "$xml" >"$out/$target/seed-$n"
  done
  for target in c14n c14n_differential; do
    { printf '\0'; printf '%s' "$xml"; } >"$out/$target/seed-$n"
  done
done < <(find tests/corpus samples tests/fixtures crates/samlkit-verify/tests/fixtures \
  crates/samlkit-parse/tests/decode -type f \
  \( -name '*.xml' -o -name '*.b64' -o -name '*.base64' -o -name '*.url' -o -name '*.har' \
     -o -name '*.json' -o -name '*.html' -o -name '*_response' -o -name '*_IDPMetadata' -o -name '*queryString' \) \
  -size -1000k -print0)
for target in "$out"/*; do
  echo "$(basename "$target"): $(ls "$target" | wc -l) seeds"
done
