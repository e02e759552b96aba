#!/usr/bin/env python3
"""OneLogin's python3-saml validating the benchmark responses in one process.

Run with the benchmark venv's python (bench/run.sh makes it: python3-saml, xmlsec, lxml). Each
response is validated the way a Python service provider does on every POST to its ACS:
`OneLogin_Saml2_Response(settings, SAMLResponse).is_valid(request_data)` (base64 decode, parse,
XML schema check, signature verification, conditions, audience, recipient, destination), in strict
mode with the IdP certificate. The settings are built once, as a running service holds them.

The clock is frozen at the workload's "now" (2026-11-28T09:05:00Z) by replacing
OneLogin_Saml2_Utils.now, which is the only clock python3-saml's response checks read; that keeps
the run independent of the machine's clock and of how long ago the workload was generated.

Every response must be judged valid: the script exits non-zero otherwise, since timing failing
validations would say nothing about the cost of a sign-in.

Usage: peer_python3_saml.py [--dir DIR] [--passes P] [--json]
"""
import argparse
import base64
import calendar
import datetime
import glob
import json
import os
import resource
import statistics
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TENANT = "7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=os.path.join(ROOT, "target", "bench-work", "responses"))
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the workload")
    parser.add_argument("--json", action="store_true", help="print one JSON object (for run.sh)")
    args = parser.parse_args()

    from onelogin.saml2.response import OneLogin_Saml2_Response
    from onelogin.saml2.settings import OneLogin_Saml2_Settings
    from onelogin.saml2.utils import OneLogin_Saml2_Utils
    import onelogin.saml2

    with open(os.path.join(args.dir, "manifest.json")) as f:
        manifest = json.load(f)
    now = datetime.datetime.strptime(manifest["now"], "%Y-%m-%dT%H:%M:%SZ")
    frozen = calendar.timegm(now.utctimetuple())
    OneLogin_Saml2_Utils.now = staticmethod(lambda: frozen)

    with open(os.path.join(args.dir, "idp-signing.crt")) as f:
        cert = "".join(line.strip() for line in f if "-----" not in line)
    sp = manifest["sp_entity_id"]
    settings = OneLogin_Saml2_Settings(
        {
            "strict": True,
            "debug": False,
            "sp": {
                "entityId": sp,
                "assertionConsumerService": {
                    "url": manifest["acs_url"],
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
                },
                "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            },
            "idp": {
                "entityId": f"https://sts.windows.net/{TENANT}/",
                "singleSignOnService": {
                    "url": f"https://login.microsoftonline.com/{TENANT}/saml2",
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                },
                "x509cert": cert,
            },
            # Entra ID signs the assertion; a careful SP insists on it.
            "security": {"wantAssertionsSigned": True},
        },
        sp_validation_only=True,
    )
    # What the web framework hands python3-saml for a POST to the ACS URL (it rebuilds the URL
    # from these to check Destination and Recipient).
    host_and_path = sp.split("://", 1)[1]
    host, path = host_and_path.split("/", 1)
    request_data = {"https": "on", "http_host": host, "script_name": "/" + path, "get_data": {},
                    "post_data": {}}

    paths = sorted(glob.glob(os.path.join(args.dir, "b64", "*.b64")))
    if not paths:
        sys.exit(f"peer_python3_saml: no responses in {args.dir}/b64")
    posted = []
    for path in paths:
        with open(path) as f:
            posted.append(f.read())

    def validate_all():
        invalid = []
        for index, b64 in enumerate(posted):
            response = OneLogin_Saml2_Response(settings, b64)
            if not response.is_valid(request_data):
                invalid.append((paths[index], response.get_error()))
        return invalid

    # One untimed pass: imports, schema loading and caches warm, and the validity check.
    invalid = validate_all()
    if invalid:
        for path, error in invalid[:5]:
            print(f"peer_python3_saml: INVALID {path}: {error}", file=sys.stderr)
        sys.exit(f"peer_python3_saml: {len(invalid)} of {len(posted)} responses judged invalid")

    # Negative control: a claim changed after signing must be rejected, or the settings are not
    # checking signatures and the timing would mean nothing.
    tampered_xml = base64.b64decode(posted[0]).replace(b"QBusiness.User", b"QBusiness.Admin", 1)
    if OneLogin_Saml2_Response(settings, base64.b64encode(tampered_xml).decode()).is_valid(request_data):
        sys.exit("peer_python3_saml: a tampered response was judged valid")

    walls, cpus = [], []
    for _ in range(args.passes):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        invalid = validate_all()
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.process_time() - cpu0)
        if invalid:
            sys.exit(f"peer_python3_saml: {len(invalid)} responses judged invalid in a timed pass")
    wall = statistics.median(walls)
    cpu = statistics.median(cpus)
    result = {
        "tool": "python3-saml",
        "version": getattr(onelogin.saml2, "__version__", None) or package_version("python3-saml"),
        "xmlsec_version": package_version("xmlsec"),
        "lxml_version": package_version("lxml"),
        "python": sys.version.split()[0],
        "responses": len(posted),
        "passes": args.passes,
        "wall_s": walls,
        "median_wall_s": wall,
        "median_cpu_s": cpu,
        "responses_per_s": len(posted) / wall,
        "cpu_us_per_response": cpu / len(posted) * 1e6,
        # Linux reports ru_maxrss in KiB.
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"python3-saml {result['version']}: {len(posted)} responses valid; median of "
              f"{args.passes} passes {wall:.3f} s wall → {result['responses_per_s']:.0f} "
              f"responses/s ({result['cpu_us_per_response']:.0f} µs CPU each, peak RSS "
              f"{result['peak_rss_mib']:.0f} MiB)")


def package_version(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return "unknown"


if __name__ == "__main__":
    main()
