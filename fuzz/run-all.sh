#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 1200) each, PARALLEL (default 2) at a time, and
# writes one log per target under fuzz/logs/. Needs cargo-fuzz (`cargo install cargo-fuzz`);
# the stable toolchain is enough with RUSTC_BOOTSTRAP=1, which this script sets. FUZZ_EXTRA adds
# libFuzzer flags (e.g. -detect_leaks=0 for decrypt, see SECURITY.md).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SECONDS_PER_TARGET:-1200}
parallel=${PARALLEL:-2}
targets=(${TARGETS:-decode_input parse_model c14n c14n_differential verify explain decrypt metadata_lint})
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
[ -d corpus ] || ./seed.sh
mkdir -p logs
run() {
  local target=$1
  cargo fuzz run -O "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len=262144 -print_final_stats=1 ${FUZZ_EXTRA:-} >"logs/$target.log" 2>&1
  echo "$target: exit $? — $(grep -E '^Done [0-9]+ runs' "logs/$target.log" || echo 'see log')"
}
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do sleep 5; done
  run "$target" &
done
wait
