#!/usr/bin/env python3
"""Generates the benchmark workload: N distinct signed Entra ID-shaped SAMLResponses.

Each response has the shape of samples/entra-response-unsigned.xml, with its own Response and
Assertion IDs, InResponseTo, NameID / e-mail, names, object ID, group list and instants, and its
assertion signed the way Entra ID signs (RSA-SHA256, exclusive C14N, enveloped) with
samples/keys/idp-signing.key. Every response is valid at 2026-11-28T09:05:00Z (the benchmarks
freeze their clocks there), so a benchmark measures passing validations only.

Output (DIR defaults to target/bench-work/responses):
  DIR/xml/resp-NNNN.xml   the XML as the IdP sends it (no declaration, no line breaks)
  DIR/b64/resp-NNNN.b64   the base64 a browser posts as SAMLResponse
  DIR/idp-signing.crt, DIR/idp-metadata.xml   copies of the sample trust material
  DIR/manifest.json       what was generated, for the measuring scripts

Signing is in-process with the `xmlsec` Python package when it imports (the benchmark venv has
it), else by xmlsec1 processes run in parallel. Either way a few responses are checked with
`xmlsec1 --verify` before the script exits.

Usage: gen_responses.py [--count N] [--out DIR] [--seed S] [--check K] [--signer auto|python|xmlsec1]
"""
import argparse
import base64
import concurrent.futures
import datetime
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
from entra_sample import (  # noqa: E402  (tests/fixtures is on the path only from here)
    ASSERTION_ID as SAMPLE_ASSERTION_ID,
    Q_URL as SP_URL,
    REQUEST_ID as SAMPLE_REQUEST_ID,
    RESPONSE_ID as SAMPLE_RESPONSE_ID,
    ROOT,
    SAMPLES,
    SIGNATURE_TEMPLATE,
    SIGNING_CERT as CERT,
    SIGNING_KEY as KEY,
)

METADATA = os.path.join(SAMPLES, "entra-federation-metadata.xml")

# The instant every generated response is valid at; the measuring scripts pass it as "now".
NOW = "2026-11-28T09:05:00Z"
BASE = datetime.datetime(2026, 11, 28, 9, 0, 0, tzinfo=datetime.timezone.utc)

# Values of the sample that every response gets its own copy of (IDs come from entra_sample).
SAMPLE_EMAIL = "alice@contoso.example"
SAMPLE_OBJECT_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
GROUPS_CLAIM = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"

FIRST = ["Alice", "Bruno", "Chen", "Dalia", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "Jun",
         "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"]
LAST = ["Example", "Novak", "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Silva",
        "Kowalski", "Mensah", "Iyer", "Berg", "Costa", "Nguyen", "Schmidt", "Duarte"]


def saml_time(instant):
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def replace_exactly(text, old, new, count):
    """str.replace that insists the sample still has `count` occurrences (so a changed sample
    fails loudly instead of producing identical responses)."""
    found = text.count(old)
    if found != count:
        sys.exit(f"gen_responses: expected {count}× {old!r} in the sample, found {found}")
    return text.replace(old, new)


def sub_exactly(pattern, replacement, text, count):
    result, found = re.subn(pattern, replacement, text)
    if found != count:
        sys.exit(f"gen_responses: expected {count}× /{pattern}/ in the sample, found {found}")
    return result


def make_template(sample, index, rng):
    """The unsigned response number `index`, with the signature template in the assertion."""
    def new_uuid():
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    response_id = "_" + new_uuid()
    assertion_id = "_" + new_uuid()
    request_id = "_" + uuid.UUID(int=rng.getrandbits(128), version=4).hex[:12]
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}{index}@contoso.example"
    # Issued within four minutes before NOW; valid for 70 minutes, as Entra ID issues them.
    issued = BASE + datetime.timedelta(milliseconds=rng.randrange(0, 240_000))
    assertion_issued = issued - datetime.timedelta(milliseconds=16)
    expires = assertion_issued + datetime.timedelta(minutes=70)
    authn = issued - datetime.timedelta(milliseconds=rng.randrange(1_000, 60_000))

    xml = sample
    xml = replace_exactly(xml, SAMPLE_RESPONSE_ID, response_id, 1)
    # The assertion ID is also the SessionIndex.
    xml = replace_exactly(xml, SAMPLE_ASSERTION_ID, assertion_id, 2)
    xml = replace_exactly(xml, SAMPLE_REQUEST_ID, request_id, 2)
    xml = replace_exactly(xml, SAMPLE_EMAIL, email, 4)
    xml = replace_exactly(xml, SAMPLE_OBJECT_ID, new_uuid(), 1)
    xml = replace_exactly(xml, "<AttributeValue>Alice Example</AttributeValue>",
                          f"<AttributeValue>{first} {last}</AttributeValue>", 1)
    xml = replace_exactly(xml, "<AttributeValue>Alice</AttributeValue>",
                          f"<AttributeValue>{first}</AttributeValue>", 1)
    xml = replace_exactly(xml, "<AttributeValue>Example</AttributeValue>",
                          f"<AttributeValue>{last}</AttributeValue>", 1)
    groups = "".join(f"<AttributeValue>{new_uuid()}</AttributeValue>"
                     for _ in range(rng.randrange(8, 17)))
    xml = sub_exactly(
        r'(<Attribute Name="' + re.escape(GROUPS_CLAIM) + r'">).*?(</Attribute>)',
        lambda m: m.group(1) + groups + m.group(2), xml, 1)
    xml = sub_exactly(r'(<samlp:Response [^>]*IssueInstant=")[^"]*"',
                      lambda m: m.group(1) + saml_time(issued) + '"', xml, 1)
    xml = sub_exactly(r'(<Assertion [^>]*IssueInstant=")[^"]*"',
                      lambda m: m.group(1) + saml_time(assertion_issued) + '"', xml, 1)
    xml = sub_exactly(r'NotBefore="[^"]*"', f'NotBefore="{saml_time(assertion_issued)}"', xml, 1)
    xml = sub_exactly(r'NotOnOrAfter="[^"]*"', f'NotOnOrAfter="{saml_time(expires)}"', xml, 2)
    xml = sub_exactly(r'AuthnInstant="[^"]*"', f'AuthnInstant="{saml_time(authn)}"', xml, 1)

    issuer = re.search(r"<Assertion [^>]*><Issuer>[^<]*</Issuer>", xml)
    if not issuer:
        sys.exit("gen_responses: the sample's assertion has no Issuer")
    at = issuer.end()
    xml = xml[:at] + SIGNATURE_TEMPLATE.format(id=assertion_id) + xml[at:]
    return xml, {"response_id": response_id, "assertion_id": assertion_id, "email": email}


def clean(signed):
    # Entra ID sends no XML declaration and no line breaks (the base64 in SignatureValue and
    # X509Certificate is outside SignedInfo, so dropping its breaks keeps the signature valid).
    signed = re.sub(r"^<\?xml[^>]*\?>", "", signed)
    return signed.replace("\n", "")


def sign_in_process(templates):
    import lxml.etree as etree
    import xmlsec

    key = xmlsec.Key.from_file(KEY, xmlsec.KeyFormat.PEM)
    key.load_cert_from_file(CERT, xmlsec.KeyFormat.PEM)
    out = []
    for template in templates:
        root = etree.fromstring(template.encode())
        assertion = root.find("{urn:oasis:names:tc:SAML:2.0:assertion}Assertion")
        xmlsec.tree.add_ids(assertion, ["ID"])
        signature = assertion.find("{http://www.w3.org/2000/09/xmldsig#}Signature")
        context = xmlsec.SignatureContext()
        context.key = key
        context.sign(signature)
        out.append(clean(etree.tostring(root, encoding="unicode")))
    return out


def sign_with_xmlsec1(templates, work):
    def one(item):
        index, template = item
        source = os.path.join(work, f"t{index}.xml")
        target = os.path.join(work, f"s{index}.xml")
        with open(source, "w") as f:
            f.write(template)
        subprocess.run(
            ["xmlsec1", "--sign", "--privkey-pem", f"{KEY},{CERT}",
             "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
             "--output", target, source],
            check=True, capture_output=True)
        with open(target) as f:
            return clean(f.read())

    # One xmlsec1 process per response; run as many at once as there are cores.
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(one, enumerate(templates)))


def xmlsec1_verify(path):
    result = subprocess.run(
        ["xmlsec1", "--verify", "--enabled-key-data", "key-name", "--pubkey-cert-pem", CERT,
         "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", path],
        capture_output=True, text=True)
    return result.returncode == 0, result.stderr.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", default=os.path.join(ROOT, "target", "bench-work", "responses"))
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--check", type=int, default=5,
                        help="how many responses to check with xmlsec1 --verify (0: none)")
    parser.add_argument("--signer", choices=["auto", "python", "xmlsec1"], default="auto")
    args = parser.parse_args()

    started = time.monotonic()
    with open(os.path.join(SAMPLES, "entra-response-unsigned.xml")) as f:
        sample = f.read().strip()
    rng = random.Random(args.seed)
    templates, facts = [], []
    for index in range(args.count):
        template, fact = make_template(sample, index, rng)
        templates.append(template)
        facts.append(fact)
    for field in ("response_id", "assertion_id", "email"):
        if len({fact[field] for fact in facts}) != args.count:
            sys.exit(f"gen_responses: {field} values are not all distinct")

    signer = args.signer
    if signer == "auto":
        have = all(importlib.util.find_spec(name) for name in ("lxml", "xmlsec"))
        signer = "python" if have else "xmlsec1"
    with tempfile.TemporaryDirectory() as work:
        signed = sign_in_process(templates) if signer == "python" else sign_with_xmlsec1(templates, work)

    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(os.path.join(args.out, "xml"))
    os.makedirs(os.path.join(args.out, "b64"))
    width = max(4, len(str(args.count - 1)))
    sizes_xml, sizes_b64 = [], []
    for index, xml in enumerate(signed):
        name = f"resp-{index:0{width}d}"
        raw = xml.encode()
        posted = base64.b64encode(raw)
        with open(os.path.join(args.out, "xml", name + ".xml"), "wb") as f:
            f.write(raw)
        with open(os.path.join(args.out, "b64", name + ".b64"), "wb") as f:
            f.write(posted)
        sizes_xml.append(len(raw))
        sizes_b64.append(len(posted))
    shutil.copyfile(CERT, os.path.join(args.out, "idp-signing.crt"))
    shutil.copyfile(METADATA, os.path.join(args.out, "idp-metadata.xml"))

    # Check the first, the last and some between with the reference implementation.
    checked = sorted({round(i * (args.count - 1) / max(1, args.check - 1))
                      for i in range(args.check)}) if args.check > 0 else []
    for index in checked:
        path = os.path.join(args.out, "xml", f"resp-{index:0{width}d}.xml")
        ok, detail = xmlsec1_verify(path)
        if not ok:
            sys.exit(f"gen_responses: xmlsec1 --verify rejects {path}:\n{detail}")

    manifest = {
        "count": args.count,
        "seed": args.seed,
        "now": NOW,
        "sp_entity_id": SP_URL,
        "acs_url": SP_URL,
        "signer": signer,
        "xml_bytes_mean": round(sum(sizes_xml) / len(sizes_xml)),
        "b64_bytes_mean": round(sum(sizes_b64) / len(sizes_b64)),
        "checked_with_xmlsec1": len(checked),
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    print(f"gen_responses: {args.count} responses in {args.out} "
          f"(signed by {signer}, mean {manifest['xml_bytes_mean']} B XML / "
          f"{manifest['b64_bytes_mean']} B base64, {len(checked)} checked with xmlsec1 --verify, "
          f"{time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
