#!/usr/bin/env python3
"""Turns the raw results that bench/run.sh collected into the one comparison table.

Reads RESULTS/ (hyperfine JSON exports, python3-saml's JSON, openssl speed output, criterion's
estimates, machine facts) and prints a Markdown table; also writes RESULTS/table.md and
RESULTS/summary.json. Prints no number it did not read from a measurement.

Usage: report.py RESULTS_DIR CRITERION_DIR
"""
import glob
import json
import os
import re
import statistics
import sys


def load_json(path):
    with open(path) as f:
        return json.load(f)


def hyperfine(results, name):
    """Median wall seconds, mean user+system seconds and run count of one hyperfine export."""
    data = load_json(os.path.join(results, name))["results"][0]
    return {
        "median_s": statistics.median(data["times"]),
        "cpu_s": data["user"] + data["system"],
        "runs": len(data["times"]),
    }


def openssl_verify_per_s(results):
    """Median verify/s over the `openssl speed -seconds 3 rsa2048` runs saved by run.sh."""
    rates = []
    for path in sorted(glob.glob(os.path.join(results, "openssl-speed-*.txt"))):
        with open(path) as f:
            lines = f.read().splitlines()
        title = next(i for i, line in enumerate(lines) if "verify/s" in line)
        columns = lines[title].split()
        match = re.match(r"rsa\s+2048 bits\s+(.*)", lines[title + 1])
        values = match.group(1).split()
        rates.append(float(values[columns.index("verify/s")]))
    return statistics.median(rates), len(rates)


def criterion(criterion_dir):
    """Criterion's point estimate (ns) of every benchmark, by its full id: the slope where it
    sampled linearly, else the mean — the middle figure of the `time:` line it prints."""
    found = {}
    pattern = os.path.join(criterion_dir, "**", "new", "benchmark.json")
    for path in glob.glob(pattern, recursive=True):
        meta = load_json(path)
        estimates = load_json(os.path.join(os.path.dirname(path), "estimates.json"))
        chosen = estimates.get("slope") or estimates["mean"]
        found[meta["full_id"]] = chosen["point_estimate"]
    return found


def aggregate_row(results):
    """The row of bench/metadata-aggregate.sh, from the `LABEL SECONDS PEAK_RSS_KIB [CPU_SECONDS]`
    lines it leaves in target/bench-metadata/results.txt (copied by run.sh) and its `aggregate:`
    line."""
    path = os.path.join(results, "metadata-aggregate.txt")
    if not os.path.exists(path):
        return None
    walls, rss = {}, {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) in (3, 4):
                walls.setdefault(fields[0], []).append(float(fields[1]))
                rss[fields[0]] = max(rss.get(fields[0], 0), int(fields[2]) / 1024)
    if "samlkit" not in walls or "xmlsec1" not in walls:
        return None
    # One line per run: the median wall time and the largest peak RSS of each tool.
    measured = {tool: (statistics.median(walls[tool]), rss[tool]) for tool in walls}
    runs = len(walls["samlkit"])
    what = "signed metadata aggregate"
    with open(os.path.join(results, "metadata-aggregate.out")) as f:
        for line in f:
            match = re.match(r"aggregate: \S+ \(([^)]*)\)", line)
            if match:
                what = f"signed metadata aggregate ({match.group(1)})"
    (s_wall, s_rss), (x_wall, x_rss) = measured["samlkit"], measured["xmlsec1"]
    ok = x_wall / s_wall >= 1.5 and s_rss <= 0.8 * x_rss
    return (
        f"Lint + verify a {what} (median wall of {runs} runs, peak RSS)",
        f"{s_wall:.2f} s, {s_rss:.0f} MiB (`samlkit metadata`)",
        f"`xmlsec1 --verify` {x_wall:.2f} s, {x_rss:.0f} MiB",
        f"{x_wall / s_wall:.1f}× the speed, {s_rss / x_rss:.2f}× the memory",
        "≥ 1.5× the speed of xmlsec1, peak memory ≤ 0.8× its",
        verdict(ok),
    )


def verdict(ok):
    return "met" if ok else "**not met**"


def main():
    results, criterion_dir = sys.argv[1], sys.argv[2]
    machine = load_json(os.path.join(results, "machine.json"))
    n = machine["responses"]
    per_file_n = machine["per_file_responses"]
    rows = []
    summary = {"machine": machine}

    # In-process throughput against python3-saml.
    batch = hyperfine(results, "samlkit-explain-batch.json")
    python = load_json(os.path.join(results, "python3-saml.json"))
    with open(os.path.join(results, "samlkit-explain-batch.time")) as f:
        # /usr/bin/time -f '%e %U %S %M': the last field is the peak RSS in KiB.
        samlkit_rss_mib = int(f.read().split()[3]) / 1024
    samlkit_rate = n / batch["median_s"]
    ratio = samlkit_rate / python["responses_per_s"]
    # The same ratio by CPU time, which other load on the machine disturbs less than wall time.
    cpu_ratio = (python["median_cpu_s"] / python["responses"]) / (batch["cpu_s"] / n)
    rows.append((
        f"Validate {n} signed responses in one process (responses/s, median wall)",
        f"{samlkit_rate:,.0f}/s (`explain --format json`, median of {batch['runs']} runs; "
        f"peak RSS {samlkit_rss_mib:.0f} MiB)",
        f"python3-saml {python['version']}: {python['responses_per_s']:,.0f}/s "
        f"(`is_valid`, median of {python['passes']} passes; peak RSS "
        f"{python['peak_rss_mib']:.0f} MiB)",
        f"{ratio:.1f}× (by CPU time: {cpu_ratio:.1f}×)",
        "≥ 30× python3-saml per core (by CPU time); peak RSS ≤ 20 MB",
        verdict(cpu_ratio >= 30 and samlkit_rss_mib * 1024 * 1024 <= 20e6),
    ))
    summary["in_process"] = {"samlkit_per_s": samlkit_rate,
                             "python3_saml_per_s": python["responses_per_s"], "ratio": ratio,
                             "cpu_ratio": cpu_ratio}

    # One process per file against xmlsec1 --verify.
    xmlsec1 = hyperfine(results, "xmlsec1-per-file.json")
    xmlsec1_ms = xmlsec1["median_s"] / per_file_n * 1e3
    summary["per_file_xmlsec1_ms"] = xmlsec1_ms
    for tool, words in (("verify", "`samlkit verify` (signature only)"),
                        ("explain", "`samlkit explain` (verify + claims)")):
        ms = hyperfine(results, f"samlkit-{tool}-per-file.json")["median_s"] / per_file_n * 1e3
        faster = f"{xmlsec1_ms / ms:.1f}× faster" if ms < xmlsec1_ms else \
            f"{ms / xmlsec1_ms:.1f}× slower"
        rows.append((
            f"One process per file, {per_file_n} files (ms per response, median wall)",
            f"{ms:.2f} ms {words}",
            f"`xmlsec1 --verify` {xmlsec1_ms:.2f} ms",
            faster,
            "none set (reference)",
            "—",
        ))
        summary[f"per_file_{tool}_ms"] = ms

    # CPU per response against one RSA-2048 verification.
    verify_per_s, speed_runs = openssl_verify_per_s(results)
    rsa_us = 1e6 / verify_per_s
    cpu_us = batch["cpu_s"] / n * 1e6
    rows.append((
        "CPU per response of the whole one-process `explain` run (decode, parse, verify, lint, "
        "JSON; user+sys ÷ responses)",
        f"{cpu_us:.1f} µs",
        f"one RSA-2048 verify {rsa_us:.1f} µs (`openssl speed`, {verify_per_s:,.0f}/s, "
        f"median of {speed_runs})",
        f"{cpu_us / rsa_us:.1f}×",
        "≤ 4× one RSA-2048 verify",
        verdict(cpu_us / rsa_us <= 4),
    ))
    summary["cpu_us_per_response"] = cpu_us
    summary["openssl_rsa2048_verify_us"] = rsa_us

    estimates = criterion(criterion_dir)

    def ns(full_id):
        if full_id not in estimates:
            sys.exit(f"report: criterion result '{full_id}' missing (have: {sorted(estimates)})")
        return estimates[full_id]

    verify_ns = ns("verify entra response (parsed, 1 RSA-2048 signature)")
    bench_rsa_ns = ns("one RSA-2048 SHA-256 verify (openssl)")
    verify_ratio = verify_ns / (rsa_us * 1e3)
    c14n_ns = estimates.get("exc-c14n + SHA-256 of the assertion")
    of_which = f" (exc-c14n + SHA-256 of the assertion: {c14n_ns / 1e3:.1f} µs)" if c14n_ns else ""
    rows.append((
        "Verify one signature over a parsed ~8 KB response, beyond parsing "
        "(criterion `verify`)",
        f"{verify_ns / 1e3:.1f} µs{of_which}",
        f"one RSA-2048 verify {rsa_us:.1f} µs (`openssl speed`); "
        f"{bench_rsa_ns / 1e3:.1f} µs with SHA-256 in the same bench",
        f"{verify_ratio:.1f}× (vs the bench's: {verify_ns / bench_rsa_ns:.1f}×)",
        "≤ 1.6× one RSA-2048 verify",
        verdict(verify_ratio <= 1.6),
    ))
    summary["criterion_verify_us"] = verify_ns / 1e3
    summary["criterion_rsa_us"] = bench_rsa_ns / 1e3

    explain_ns = ns("explain/entra-response")
    rows.append((
        "Explain in process, one core: decode + parse + verify + lint (criterion `explain`)",
        f"{explain_ns / 1e3:.1f} µs = {1e9 / explain_ns:,.0f} responses/s",
        "—",
        "—",
        "≥ 10,000 responses/s",
        verdict(1e9 / explain_ns >= 10_000),
    ))
    summary["criterion_explain_us"] = explain_ns / 1e3

    parse_ns = ns("entra-response/decode+parse+model")
    rows.append((
        "Decode + parse + model of the posted base64 (criterion `parse`)",
        f"{parse_ns / 1e3:.1f} µs",
        "—",
        "—",
        "≤ 12 µs",
        verdict(parse_ns / 1e3 <= 12),
    ))
    summary["criterion_parse_us"] = parse_ns / 1e3

    aggregate = aggregate_row(results)
    if aggregate:
        rows.insert(3, aggregate)

    lines = ["| Measurement | samlkit | Reference | Ratio | Target | Result |",
             "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    table = "\n".join(lines)
    foot = (f"{machine['date']} · {machine['cpu']} · nproc {machine['nproc']} · load average "
            f"before/after: {machine['load_before']} / {machine.get('load_after', '?')} · "
            f"measured at nice {machine.get('nice', '?')}")
    with open(os.path.join(results, "table.md"), "w") as f:
        f.write(table + "\n\n" + foot + "\n")
    with open(os.path.join(results, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(table)
    print()
    print(foot)


if __name__ == "__main__":
    main()
