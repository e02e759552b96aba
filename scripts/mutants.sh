#!/usr/bin/env bash
# Mutation check of samlkit's security decisions with cargo-mutants: each decision point (the
# signature profile, reference resolution, digest and signature-value checks, key selection and
# trust, the verdict and "verified node" logic, canonicalization, XML-Enc integrity checks, and
# the lint's audience/recipient/destination/issuer/InResponseTo/time-window checks) is changed
# one small way at a time, and the tests chosen for it must notice.
#
# Mutants are chosen by function name (cargo-mutants --re) over whole crate source folders, so
# the selection does not depend on which file a function lives in.
#
# Usage:
#   scripts/mutants.sh                    every group (the full run recorded in SECURITY.md)
#   scripts/mutants.sh --fast             a fixed fast subset: the decisions an attacker has been
#                                         shown to reach (what .ci/run runs)
#   scripts/mutants.sh --in-diff FILE     only mutants in code the unified diff FILE touches
#   scripts/mutants.sh --group NAME ...   only the named groups: lint, verify, algorithms, c14n,
#                                         xmlenc
#   scripts/mutants.sh --list             list the selected mutants, run nothing
#   scripts/mutants.sh --iterate          test again only what the last run in --output did not
#                                         catch (after adding tests for its survivors)
# Options: --jobs N (default 1: the check shares its machine), --timeout SECONDS a mutant's
# tests may run (default 120), --output DIR (default
# $TMPDIR/samlkit-mutants: outside target/, which each scratch copy takes along). Ends with
# `mutants: caught K, missed M, unviable U, timeout T` and exits 1 when any mutant was missed.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-mutants >/dev/null || {
  echo "cargo-mutants is not installed: cargo install --locked cargo-mutants" >&2
  exit 2
}

jobs=1
timeout=120
output="${TMPDIR:-/tmp}/samlkit-mutants"
fast=false
list=false
in_diff=""
iterate=false
groups=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) fast=true ;;
    --list) list=true ;;
    --iterate) iterate=true ;;
    --in-diff) in_diff="$2"; shift ;;
    --group) groups+=("$2"); shift ;;
    --jobs) jobs="$2"; shift ;;
    --timeout) timeout="$2"; shift ;;
    --output) output="$2"; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
# The claim checks first: the smallest group, so a run cut short has finished one area.
[ ${#groups[@]} -gt 0 ] || groups=(lint verify algorithms c14n xmlenc)

# A regex matching mutants of the named functions: `replace NAME -> …` and `… in NAME`, where a
# method may be written with its type (`Context<'_, 'a, 'i>::profile`).
functions_re() {
  local names
  names=$(printf '%s|' "$@")
  names=${names%|}
  printf '(replace|in) ([A-Za-z_]+(<[^>]*>)?::)?(%s)( |$)' "$names"
}

# Signature checking in samlkit-verify (dsig, trust, report, algorithms).
verify_functions=(
  # verdict, coverage and the "verified node" a caller may read claims from
  verify_document_with message_element is_covered rejects_document verified verified_elements
  verified_root coverage descendant decide_verdict message_verified mark_coverage
  unsigned_assertion_findings advice_findings scan_elements duplicate_id_findings
  # where a signature may sit and what it may sign
  saml_element well_placed misplaced_link advice_owner is_assertion is_response
  is_requested_security_token is_wsfed_token_slot wsfed_token imitated_namespace
  has_text_split_by_markup check_signature check_signatures signature_misplacement
  # signature profile: SignedInfo shape and order, algorithms, transforms, InclusiveNamespaces
  profile check_placement check_schema_order check_value_markup signature_parts
  signed_info_parts reference_parts profile_algorithms algorithm_attribute signature_algorithm
  digest_algorithm transforms inclusive_prefixes
  # reference resolution and the ID index
  index_ids id_attribute_name resolve_reference whole_document_reference
  # digest and signature value
  check_cryptography canonical_signed_info reference_digest_matches verify_signature_value
  rsa_pkcs1_verifies raw_pair_to_der
  # key selection and trust: fingerprints, metadata roles and `use`
  read_key_info candidates is_empty add_idp_metadata_document add_certificates add_fingerprint
  anchor_with_certificate fingerprint_matches push_anchor parse_sha256_fingerprint
  x509_certificates
)
# The algorithm URI tables (a standard URI must not be read as another algorithm).
algorithm_functions=(signature_from_uri digest_from_uri)
# XML-Enc decryption's integrity checks, and the signature check of what was decrypted.
xmlenc_functions=(
  length_problem decrypt unwrap check_content decrypt_element find_encrypted_data
  retrieve_encrypted_key encrypted_key_nodes oaep_digest oaep_mgf1 all_keys_failed decrypted
  decrypt_document verify_decrypted unique_signatures signature_key
)
# The claim checks of samlkit-lint.
lint_functions=(
  check_envelope check_status check_assertion check_subject check_recipient check_confirmations
  check_confirmation_lifetime check_conditions check_audiences check_validity_window check_time
  check_issue_instant check_signatures skew now lint_response
)
# --fast: the decisions that let a forged or misdirected response through when broken.
fast_verify_functions=(fingerprint_matches is_covered rejects_document)
# Only the comparisons of the audience, validity-window and Recipient checks.
fast_lint_re='replace (==|!=|>=|>|<) with .* in (check_conditions|check_audiences|check_validity_window|check_recipient)$'
fast_verify_tests=(--test security_signatures --test threats)

# Equivalent mutants (SECURITY.md, "Survivors judged equivalent"), as --exclude-re patterns
# matching cargo-mutants' name of exactly that mutant.
equivalent_mutants=(
  # The source text at a parsed element's range always starts with `<` and its name.
  '^crates/samlkit-verify/src/c14n/mod\.rs:[0-9]+:[0-9]+: replace \|\| with && in Canonicalizer<[^>]*>::element_qname$'
  # `i >= 0` for `i > 0` in own_bindings: the loop's other bound `j > 0` ends it at the same step.
  '^crates/samlkit-verify/src/c14n/mod\.rs:[0-9]+:17: replace > with >= in own_bindings$'
  # message_verified's Response branch, `!assertions.is_empty() && all covered` read with `||`:
  # one uncovered assertion beside a verified signature is refused first, by placement, the
  # Advice check or the several-assertions check.
  '^crates/samlkit-verify/src/dsig/mod\.rs:[0-9]+:[0-9]+: replace && with \|\| in message_verified$'
  # advice_owner's `not in an Advice || not an assertion` read with `&&`: the only nodes it
  # then also reaches (a covered assertion whose parent is not an Advice, inside an unsigned
  # assertion) cannot be covered, since a signature on such a misplaced assertion fails.
  '^crates/samlkit-verify/src/dsig/placement\.rs:[0-9]+:[0-9]+: replace \|\| with && in advice_owner$'
  # message_verified's Response branch, `!assertions.is_empty() && all covered` read as `||`: one
  # uncovered assertion beside a verified signature is refused first by placement, Advice or
  # MultipleAssertions (SECURITY.md).
  '^crates/samlkit-verify/src/dsig/mod\.rs:[0-9]+:[0-9]+: replace && with \|\| in message_verified$'
  # advice_owner's `not in an Advice || not an assertion` read with `&&`: the only nodes it
  # then also reaches (a covered assertion whose parent is not an Advice, inside an unsigned
  # assertion) cannot be covered, since a signature on such a misplaced assertion fails.
  '^crates/samlkit-verify/src/dsig/placement\.rs:[0-9]+:[0-9]+: replace \|\| with && in advice_owner$'
)

verify_tests=(--lib --test threats --test algorithms_and_trust --test security_signatures)
c14n_tests=(--lib --test c14n_w3c --test c14n_differential --test security_signatures)
xmlenc_tests=(--lib --test xmlenc --test xmlenc_corpus)
lint_tests=(--test security_claims --test explain_rules)

mkdir -p "$output"
summary_dirs=()
failed_groups=()
# run GROUP PACKAGE TEST_PACKAGE FILE_GLOB REGEX -- CARGO_TEST_ARGS...
run() {
  local group=$1 package=$2 test_package=$3 glob=$4 regex=$5
  shift 6
  local dir="$output/$group"
  local args=(
    --package "$package" --test-package "$test_package" --file "$glob"
    --baseline skip --no-shuffle --profile mutants
    # A group's tests take under 15 s a mutant on two busy cores; a mutant that loops, or
    # makes a bounded algorithm quadratic (the bounds tests then run for minutes), is stopped
    # after --timeout seconds (default 120) and counted as a timeout.
    --timeout "$timeout" --build-timeout 900 --output "$dir" --colors never
  )
  if $fast; then
    # In the checkout itself: builds stay incremental in its target/ (a copy of target/ is
    # rebuilt from scratch, minutes per group). cargo-mutants puts each file back afterwards.
    args+=(--in-place)
  else
    args+=(--jobs "$jobs" --copy-target true)
  fi
  [ -z "$regex" ] || args+=(--re "$regex")
  # Names the --re above also reaches that decide nothing about a response's trust. (Struct
  # field deletions escape --re and --exclude-re in cargo-mutants 27; the report's facts tests
  # catch them.)
  args+=(--exclude-re 'lint_authn_request|DecryptionKeys::')
  # Mutants no test can tell from the original, each explained in SECURITY.md ("Survivors
  # judged equivalent"): left out so that a missed mutant always means a missing test.
  local equivalent
  for equivalent in "${equivalent_mutants[@]}"; do args+=(--exclude-re "$equivalent"); done
  [ -z "$in_diff" ] || args+=(--in-diff "$in_diff")
  ! $iterate || args+=(--iterate)
  # The test targets each mutant runs (cargo-mutants passes them to `cargo test`).
  local target
  for target in "$@"; do args+=("--cargo-test-arg=$target"); done
  if $list; then
    cargo mutants --list "${args[@]}"
    return
  fi
  echo "== mutants: $group ($package, tests of $test_package: $*)"
  mkdir -p "$dir"
  # cargo-mutants exits non-zero when a mutant is missed; the summary below says so. A group
  # that did not run at all (no outcomes) is an error of its own.
  cargo mutants "${args[@]}" || true
  # With --iterate, a group whose mutants were all caught before has nothing left to test.
  if [ ! -f "$dir/mutants.out/outcomes.json" ] \
    && ! { $iterate && [ -s "$dir/mutants.out/previously_caught.txt" ]; }; then
    echo "mutants: group $group did not run" >&2
    failed_groups+=("$group")
  fi
  summary_dirs+=("$dir/mutants.out")
}

for group in "${groups[@]}"; do
  case "$group" in
    verify)
      if $fast; then
        names=("${fast_verify_functions[@]}")
        tests=("${fast_verify_tests[@]}")
      else
        names=("${verify_functions[@]}")
        tests=("${verify_tests[@]}")
      fi
      run verify samlkit-verify samlkit-verify 'crates/samlkit-verify/src/**' \
        "$(functions_re "${names[@]}")" -- "${tests[@]}"
      ;;
    algorithms)
      $fast && continue
      run algorithms samlkit-verify samlkit-verify 'crates/samlkit-verify/src/**' \
        "$(functions_re "${algorithm_functions[@]}")" -- "${verify_tests[@]}"
      ;;
    c14n)
      $fast && continue
      run c14n samlkit-verify samlkit-verify 'crates/samlkit-verify/src/c14n/**' '' -- \
        "${c14n_tests[@]}"
      ;;
    xmlenc)
      $fast && continue
      run xmlenc samlkit-verify samlkit-verify 'crates/samlkit-verify/src/**' \
        "$(functions_re "${xmlenc_functions[@]}")" -- "${xmlenc_tests[@]}"
      ;;
    lint)
      if $fast; then
        regex=$fast_lint_re
        tests=(--test security_claims)
      else
        regex=$(functions_re "${lint_functions[@]}")
        tests=("${lint_tests[@]}")
      fi
      run lint samlkit-lint samlkit 'crates/samlkit-lint/src/**' "$regex" -- "${tests[@]}"
      ;;
    *) echo "unknown group: $group" >&2; exit 2 ;;
  esac
done
$list && exit 0

count() {
  local total=0 file
  for dir in "${summary_dirs[@]}"; do
    file="$dir/$1.txt"
    [ -f "$file" ] && total=$((total + $(grep -c . "$file" || true)))
  done
  echo "$total"
}
# With --iterate, what earlier runs caught (or found unviable) is listed apart; it counts here
# as caught.
previously=$(count previously_caught)
caught=$(($(count caught) + previously))
missed=$(count missed)
unviable=$(count unviable)
timeout=$(count timeout)
for dir in "${summary_dirs[@]}"; do
  [ -s "$dir/missed.txt" ] && sed 's/^/missed: /' "$dir/missed.txt"
  [ -s "$dir/timeout.txt" ] && sed 's/^/timeout: /' "$dir/timeout.txt"
done
[ "$previously" -eq 0 ] || echo "($previously of the caught were caught or unviable in an earlier run)"
echo "mutants: caught $caught, missed $missed, unviable $unviable, timeout $timeout"
[ ${#failed_groups[@]} -eq 0 ] || { echo "groups that did not run: ${failed_groups[*]}"; exit 2; }
# A timeout is a mutant the tests noticed by not finishing (a loop that never ends, or
# linear work turned quadratic); it is listed above, and only a missed mutant fails the check.
[ "$missed" -eq 0 ]
