#!/usr/bin/env python3
"""Where the time of `samlkit explain --format json` over the workload goes, by phase.

Records the one-process run (all responses on one command line, as bench/run.sh times it)
REPEAT times under `perf record -e cpu-clock --call-graph dwarf` (a software clock: works where
the hardware counters are not exposed, as in most VMs), then files every sample under the
innermost phase on its stack: decode, parse, model, c14n, digest, RSA, verify (the rest of
signature checking), lint, JSON output, file reading, setup, freeing, start/exit. Prints a
Markdown table.

Needs a samlkit built with line tables, e.g.
  CARGO_TARGET_DIR=target/bench-work/profile-target CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \\
    cargo build --release --bin samlkit
Usage: profile.py [--samlkit PATH] [--dir RESPONSES] [--repeat R] [--frequency HZ]
"""
import argparse
import collections
import glob
import json
import os
import re
import subprocess
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# Innermost match wins, so a malloc inside the XML parser counts as parsing. The order only
# matters for frames that match several patterns.
PHASES = [
    ("RSA verify", r"RSA_verify|RSA_public_decrypt|EVP_DigestVerifyFinal|BN_mod_exp"),
    ("digest (SHA-256)", r"SHA256|sha256_block|Hasher::update|Hasher::finish|openssl::sha::"),
    ("c14n", r"samlkit_verify::c14n::"),
    ("verify, other (references, key lookup, report)", r"samlkit_verify::"),
    ("decode (base64, checks)", r"samlkit_parse::decode::"),
    ("parse (roxmltree + limits)", r"samlkit_parse::xml::parse_xml|roxmltree::parse"),
    ("model (read_message)", r"samlkit_parse::model::|samlkit_parse::xml::"),
    ("JSON output (serialising, writing)", r"serde_json::|samlkit::json_lines::|explain::json_value|"
                                           r"explain::render|explain::stream|"
                                           r"std::io::stdio::_print|Serialize for samlkit"),
    ("lint", r"samlkit_lint::"),
    ("free (drop at exit of run)", r"drop_in_place"),
    ("file reading", r"input::read_source|read_to_end|File::open"),
    ("setup (args, trust, metadata)", r"trust::load|Setup::from_args|Config::load|clap::"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in PHASES]


ALLOC = re.compile(r"malloc|free|realloc|_int_|unlink_chunk|tcache|memcpy|memmove|memset|memcmp")


def phase_of(frames):
    """frames: (address, symbol) pairs, innermost first."""
    for _, symbol in frames:
        for name, pattern in COMPILED:
            if pattern.search(symbol):
                return name
    if any("samlkit::main" in symbol or "explain::run" in symbol for _, symbol in frames):
        return "other inside explain (replay check, labels, glue)"
    # perf could not unwind past these (glibc frames), so their caller is unknown.
    if frames and ALLOC.search(frames[0][1]):
        return "malloc/free/memcpy/memcmp, caller not unwound"
    if frames and frames[0][0].startswith("ffffffff"):
        return "kernel (page faults, reads, writes), caller not unwound"
    return "process start (dynamic loading) and exit, other"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samlkit", default=os.path.join(
        ROOT, "target", "bench-work", "profile-target", "release", "samlkit"))
    parser.add_argument("--dir", default=os.path.join(ROOT, "target", "bench-work", "responses"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--frequency", type=int, default=4000)
    args = parser.parse_args()

    with open(os.path.join(args.dir, "manifest.json")) as f:
        manifest = json.load(f)
    files = sorted(glob.glob(os.path.join(args.dir, "b64", "*.b64")))
    command = [args.samlkit, "explain", "--format", "json",
               "--idp-metadata", os.path.join(args.dir, "idp-metadata.xml"),
               "--profile", "amazon-q-business", "--sp-entity-id", manifest["sp_entity_id"],
               "--acs-url", manifest["acs_url"], "--now", manifest["now"]] + files
    with tempfile.TemporaryDirectory() as work:
        script = os.path.join(work, "loop.sh")
        with open(script, "w") as f:
            f.write(f'for i in $(seq {args.repeat}); do "$@" >/dev/null || exit 1; done\n')
        data = os.path.join(work, "perf.data")
        subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", str(args.frequency),
                        "--call-graph", "dwarf,32768", "-o", data, "--", "bash", script] + command,
                       check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run(["perf", "script", "-i", data, "--comm", "samlkit", "-F", "comm,ip,sym"],
                             check=True, capture_output=True, text=True).stdout

    counts = collections.Counter()
    for block in out.split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if not lines:
            continue
        # Frame lines are "ADDRESS SYMBOL".
        frames = [tuple(line.split(" ", 1)) if " " in line else (line, "") for line in lines[1:]]
        counts[phase_of(frames)] += 1
    total = sum(counts.values())
    print(f"{total} samples over {args.repeat} runs of {len(files)} responses\n")
    print("| Phase | Share of samlkit's CPU time |")
    print("|---|---|")
    for name, count in counts.most_common():
        print(f"| {name} | {100 * count / total:.1f}% |")


if __name__ == "__main__":
    main()
