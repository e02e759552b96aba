#!/usr/bin/env bash
# One command for samlkit's speed evidence against the tools people use today: installs what it
# needs (as root on Debian), builds samlkit in release, generates the signed workload, runs every
# measurement and prints one table (also saved as target/bench-work/results/table.md).
#
#   bash bench/run.sh
#
# Environment: BENCH_RESPONSES (default 1000) responses in the workload; BENCH_PER_FILE (default
# 1000) of them timed one process per file; BENCH_RUNS (default 15) hyperfine runs of the
# one-process samlkit run; BENCH_PASSES (default 3) timed python3-saml passes; BENCH_PROFILE=1
# also prints where the one-process explain run spends its time (needs perf).
# Generated files go under target/bench-work/ only. About 5–10 minutes on 2 cores once built.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/bench-work
results=$work/results
venv=$work/venv
responses=$work/responses
n=${BENCH_RESPONSES:-1000}
per_file=${BENCH_PER_FILE:-1000}
runs=${BENCH_RUNS:-15}
passes=${BENCH_PASSES:-3}
target_dir=${CARGO_TARGET_DIR:-$root/target}
samlkit=$target_dir/release/samlkit
sp=https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml
now=2026-11-28T09:05:00Z

step() { printf '==> %s\n' "$*" >&2; }
# timed NAME RUNS WARMUP COMMAND: hyperfine (no shell in between) into $results/NAME.json; its
# log is shown only if it fails (a non-zero exit of the command fails the run).
timed() {
  local name=$1 runs=$2 warmup=$3
  shift 3
  hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --export-json "$results/$name.json" \
    "$@" >"$results/$name.log" 2>&1 || { cat "$results/$name.log" >&2; exit 1; }
}

# --- tools -------------------------------------------------------------------------------------
need=()
command -v xmlsec1 >/dev/null || need+=(xmlsec1)
# libxmlsec1-dev and pkg-config: only used if pip has to build the xmlsec package from source.
dpkg -s libxmlsec1-dev >/dev/null 2>&1 || need+=(libxmlsec1-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
[ -x /usr/bin/time ] || need+=(time)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v openssl >/dev/null || need+=(openssl)
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3 python3-venv)
if ((${#need[@]})); then
  step "apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "run.sh: cargo (Rust 1.88 or newer) is needed" >&2; exit 2; }

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import onelogin.saml2, xmlsec, lxml' 2>/dev/null; then
  step "python3-saml into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check python3-saml==1.16.0
fi

mkdir -p "$work"
# --- builds (before any timing, so compiling does not overlap a measurement) --------------------
step "cargo build --release"
cargo build --release --locked --bin samlkit >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
step "cargo bench --no-run (parse, verify, explain)"
for bench in samlkit-parse:parse samlkit-verify:verify samlkit-lint:explain; do
  cargo bench --locked -p "${bench%%:*}" --bench "${bench#*:}" --no-run >>"$work/build.log" 2>&1 \
    || { tail -40 "$work/build.log" >&2; exit 1; }
done

# Measure at the highest priority there is (root may), so that other work on a shared machine
# disturbs the timings less; children (hyperfine, python, cargo bench) inherit it.
renice -n -20 -p $$ >/dev/null 2>&1 || true

rm -rf "$results"
mkdir -p "$results" "$work/lists"
python3 - "$results/machine.json" "$n" "$per_file" <<'PY'
import json, os, re, subprocess, sys, datetime
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "cpu": cpu, "nproc": os.cpu_count(),
    "load_before": open("/proc/loadavg").read().split()[0],
    "nice": os.nice(0),
    "responses": int(sys.argv[2]), "per_file_responses": int(sys.argv[3]),
    "xmlsec1": subprocess.run(["xmlsec1", "--version"], capture_output=True, text=True).stdout.strip(),
    "openssl": subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip(),
}, open(sys.argv[1], "w"), indent=2)
PY

# --- workload ----------------------------------------------------------------------------------
step "generate $n signed responses"
"$venv/bin/python" bench/gen_responses.py --count "$n" --out "$responses" --check 10 >&2
# Relative paths keep the command lines short.
b64_files=(target/bench-work/responses/b64/*.b64)
xml_files=(target/bench-work/responses/xml/*.xml)
printf '%s\n' "${xml_files[@]:0:$per_file}" >"$work/lists/xml.txt"
printf '%s\n' "${b64_files[@]:0:$per_file}" >"$work/lists/b64.txt"
explain=("$samlkit" explain --format json --idp-metadata samples/entra-federation-metadata.xml
  --profile amazon-q-business --sp-entity-id "$sp" --acs-url "$sp" --now "$now")

# Every response must pass: a benchmark of failing validations would measure nothing useful.
step "samlkit explain: check every verdict"
/usr/bin/time -f '%e %U %S %M' -o "$results/samlkit-explain-batch.time" \
  "${explain[@]}" "${b64_files[@]}" >"$work/explain.jsonl"
passed=$(grep -c '"verdict":"pass"' "$work/explain.jsonl" || true)
lines=$(wc -l <"$work/explain.jsonl")
if [ "$passed" != "$n" ] || [ "$lines" != "$n" ]; then
  echo "run.sh: $passed of $lines explain results pass; expected $n" >&2
  exit 1
fi

# Negative control: a claim changed after signing must fail both samlkit and xmlsec1, or the
# timings below would not be timing a real check.
sed 's/QBusiness.User/QBusiness.Admin/' "${xml_files[0]}" >"$work/tampered.xml"
if "${explain[@]}" "$work/tampered.xml" >/dev/null 2>&1; then
  echo "run.sh: samlkit explain passed a tampered response" >&2
  exit 1
fi
if xmlsec1 --verify --enabled-key-data key-name --pubkey-cert-pem samples/keys/idp-signing.crt \
  --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion "$work/tampered.xml" >/dev/null 2>&1; then
  echo "run.sh: xmlsec1 --verify passed a tampered response" >&2
  exit 1
fi

# --- measurements ------------------------------------------------------------------------------
step "samlkit explain, $n responses in one process ($runs runs)"
timed samlkit-explain-batch "$runs" 3 "${explain[*]} ${b64_files[*]}"

step "python3-saml, $n responses in one process ($passes passes)"
"$venv/bin/python" bench/peer_python3_saml.py --dir "$responses" --passes "$passes" --json \
  >"$results/python3-saml.json"

step "one process per file: xmlsec1 --verify, samlkit verify, samlkit explain ($per_file files)"
# xargs -n1 starts one process per file, as a shell loop or a script would; it exits non-zero
# if any file fails, which makes hyperfine stop.
# --enabled-key-data key-name: xmlsec1 uses the given key only, without trying to build an X.509
# chain from KeyInfo (which fails for a self-signed IdP certificate and only adds work).
timed xmlsec1-per-file 3 1 "xargs -n1 -a $work/lists/xml.txt xmlsec1 --verify --enabled-key-data key-name --pubkey-cert-pem samples/keys/idp-signing.crt --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion"
timed samlkit-verify-per-file 3 1 "xargs -n1 -a $work/lists/xml.txt $samlkit verify --idp-cert samples/keys/idp-signing.crt --now $now"
timed samlkit-explain-per-file 3 1 "xargs -n1 -a $work/lists/b64.txt ${explain[*]}"

step "openssl speed -seconds 3 rsa2048 (3 runs)"
for i in 1 2 3; do
  openssl speed -seconds 3 rsa2048 >"$results/openssl-speed-$i.txt" 2>/dev/null
done

# Criterion writes its estimates here rather than under target/criterion, which other runs of
# the same benches would overwrite.
export CRITERION_HOME=$results/criterion
for bench in samlkit-parse:parse samlkit-verify:verify samlkit-lint:explain; do
  step "cargo bench -p ${bench%%:*} --bench ${bench#*:}"
  cargo bench --locked -p "${bench%%:*}" --bench "${bench#*:}" -- --warm-up-time 2 --measurement-time 5 \
    >"$results/criterion-${bench#*:}.log" 2>&1 || { tail -40 "$results/criterion-${bench#*:}.log" >&2; exit 1; }
done

if [ -f bench/metadata-aggregate.sh ]; then
  # Its exit status says whether its own target was met; the table reports that either way.
  step "bench/metadata-aggregate.sh"
  rm -f target/bench-metadata/results.txt
  bash bench/metadata-aggregate.sh >"$results/metadata-aggregate.out" 2>"$results/metadata-aggregate.err" \
    || echo "run.sh: bench/metadata-aggregate.sh exited non-zero; see $results/metadata-aggregate.*" >&2
  cp target/bench-metadata/results.txt "$results/metadata-aggregate.txt" 2>/dev/null || true
fi

python3 - "$results/machine.json" <<'PY'
import json, sys
machine = json.load(open(sys.argv[1]))
machine["load_after"] = open("/proc/loadavg").read().split()[0]
json.dump(machine, open(sys.argv[1], "w"), indent=2)
PY

echo
python3 bench/report.py "$results" "$CRITERION_HOME"
# Keep each run's table, to see the spread between runs on a shared machine.
history=$work/history/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$history" && cp "$results/table.md" "$results/summary.json" "$history/"

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  # Where the one-process explain run spends its time, by phase (perf's software clock).
  echo
  command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
  CARGO_TARGET_DIR=$work/profile-target CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
    cargo build --release --locked --bin samlkit >>"$work/build.log" 2>&1
  python3 bench/profile.py --samlkit "$work/profile-target/release/samlkit" --dir "$responses" \
    | tee "$results/profile.md"
fi
