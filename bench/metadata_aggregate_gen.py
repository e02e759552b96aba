#!/usr/bin/env python3
"""Writes an unsigned federation aggregate for bench/metadata-aggregate.sh.

usage: metadata_aggregate_gen.py OUT_XML ENTITIES [SHAPE]

SHAPE `standard` (the default) is described below. SHAPE `wide` makes fewer, larger entities, as
big IdPs and multi-tenant SPs publish them: five certificates per role (signing and encryption
keys during a rollover), and organisation and UI texts in eight languages with long descriptions.

Entities look like those of research-and-education federations: a third IdPs, the rest SPs,
each with mdui/mdrpi extensions, an Organization, contacts, several endpoints, NameIDFormats and
its own signing certificate (distinct certificates, so certificate parsing is measured as in a
real aggregate). The EntitiesDescriptor carries an ID and an empty signature template for
xmlsec1 to fill in. Certificates are made with python3-cryptography when it is installed (a
few keys, one certificate per entity); otherwise 64 certificates from the openssl CLI are reused.
"""

import base64
import datetime
import random
import subprocess
import sys
import tempfile
from pathlib import Path

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


def certificates_with_cryptography(count):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(8)]
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    bodies = []
    for i in range(count):
        key = keys[i % len(keys)]
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"entity{i}.federation.example")])
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(1000 + i)
            .not_valid_before(start + datetime.timedelta(days=i % 365))
            .not_valid_after(start + datetime.timedelta(days=3650 + i % 365))
            .sign(key, hashes.SHA256())
        )
        der = cert.public_bytes(serialization.Encoding.DER)
        bodies.append(wrap(base64.b64encode(der).decode()))
    return bodies


def certificates_with_openssl(count):
    bodies = []
    with tempfile.TemporaryDirectory() as work:
        for i in range(64):
            key, crt = Path(work, f"{i}.key"), Path(work, f"{i}.crt")
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days",
                 "3650", "-subj", f"/CN=entity{i}.federation.example", "-keyout", str(key),
                 "-out", str(crt)],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            pem = crt.read_text()
            bodies.append(wrap("".join(l for l in pem.splitlines() if "-----" not in l)))
    return [bodies[i % len(bodies)] for i in range(count)]


def wrap(base64_text):
    return "\n".join(base64_text[i:i + 64] for i in range(0, len(base64_text), 64))


LANGUAGES = ["en", "sv", "de", "fr", "es", "it", "nl", "fi"]
SHAPE = "standard"


def key_descriptors(bodies, uses):
    """One KeyDescriptor per (body, use); the wide shape repeats each use with rollover keys."""
    return "".join(key_descriptor(body, use) for body, use in zip(bodies, uses))


def role_keys(i, bodies, uses):
    if SHAPE != "wide":
        return key_descriptors([bodies[i]] * len(uses), uses)
    rollover = ["signing", "signing", "signing", "encryption", "encryption"]
    return key_descriptors([bodies[(i * 5 + n) % len(bodies)] for n in range(5)], rollover)


def texts(element, text, long_text=False):
    languages = LANGUAGES if SHAPE == "wide" else ["en"]
    out = []
    for lang in languages:
        value = text if lang == "en" else f"{text} ({lang})"
        if long_text and SHAPE == "wide":
            value += (" It offers single sign-on to the library, the learning platform, research"
                      " data services, computing facilities and collaboration tools of the"
                      " federation's members, under the federation's policy and the data"
                      " protection rules of its home country, to staff, students and guests.") * 2
        out.append(f'<{element} xml:lang="{lang}">{value}</{element}>')
    return out


def key_descriptor(body, use):
    return (f'      <md:KeyDescriptor use="{use}">\n        <ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n'
            f"{body}\n        </ds:X509Certificate></ds:X509Data></ds:KeyInfo>\n      </md:KeyDescriptor>\n")


def extensions(i, host, rng):
    words = ["University", "Institute", "College", "Library", "Research", "Centre", "Laboratory"]
    org = f"{rng.choice(words)} of Example {i}"
    return (
        "    <md:Extensions>\n"
        '      <mdrpi:RegistrationInfo registrationAuthority="http://federation.example/" '
        'registrationInstant="2024-05-01T00:00:00Z"><mdrpi:RegistrationPolicy xml:lang="en">'
        "http://federation.example/policy</mdrpi:RegistrationPolicy></mdrpi:RegistrationInfo>\n"
        '      <mdattr:EntityAttributes><saml:Attribute Name="http://macedir.org/entity-category" '
        'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>'
        "http://refeds.org/category/research-and-scholarship</saml:AttributeValue></saml:Attribute>"
        "</mdattr:EntityAttributes>\n"
        "    </md:Extensions>\n", org)


def ui_info(org, host):
    if SHAPE == "wide":
        names = "".join(f"        {t}\n" for t in texts("mdui:DisplayName", org))
        descriptions = "".join(
            f"        {t}\n" for t in texts("mdui:Description", f"Sign-in service of {org}.", True))
    else:
        names = (f'        <mdui:DisplayName xml:lang="en">{org}</mdui:DisplayName>\n'
                 f'        <mdui:DisplayName xml:lang="sv">{org} (sv)</mdui:DisplayName>\n')
        descriptions = (f'        <mdui:Description xml:lang="en">Sign-in service of {org}, for staff '
                        "and students, with access to library, e-learning and research services."
                        "</mdui:Description>\n")
    return (
        "      <md:Extensions><mdui:UIInfo>\n"
        f"{names}{descriptions}"
        f'        <mdui:InformationURL xml:lang="en">https://{host}/about</mdui:InformationURL>\n'
        f'        <mdui:PrivacyStatementURL xml:lang="en">https://{host}/privacy</mdui:PrivacyStatementURL>\n'
        f'        <mdui:Logo height="64" width="64">https://{host}/logo.png</mdui:Logo>\n'
        "      </mdui:UIInfo></md:Extensions>\n")


def idp(i, host, bodies, rng):
    ext, org = extensions(i, host, rng)
    return (
        f'  <md:EntityDescriptor entityID="https://{host}/idp/shibboleth">\n{ext}'
        '    <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n'
        f"{ui_info(org, host)}{role_keys(i, bodies, ['signing'])}"
        f'      <md:ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" '
        f'Location="https://{host}:8443/idp/profile/SAML2/SOAP/ArtifactResolution" index="1"/>\n'
        f'      <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location="https://{host}/idp/profile/SAML2/Redirect/SLO"/>\n'
        "      <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>\n"
        "      <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>\n"
        f'      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="https://{host}/idp/profile/SAML2/POST/SSO"/>\n'
        f'      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location="https://{host}/idp/profile/SAML2/Redirect/SSO"/>\n'
        "    </md:IDPSSODescriptor>\n"
        f"{organization(org, host)}  </md:EntityDescriptor>\n")


def sp(i, host, bodies, rng):
    ext, org = extensions(i, host, rng)
    acs = "".join(
        f'      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:{binding}" '
        f'Location="https://{host}/Shibboleth.sso/SAML2/{path}" index="{n}"{default}/>\n'
        for n, (binding, path, default) in enumerate(
            [("HTTP-POST", "POST", ' isDefault="true"'), ("HTTP-POST-SimpleSign", "POST-SimpleSign", ""),
             ("HTTP-Artifact", "Artifact", ""), ("PAOS", "ECP", "")], start=1))
    return (
        f'  <md:EntityDescriptor entityID="https://{host}/shibboleth">\n{ext}'
        '    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n'
        f"{ui_info(org, host)}{role_keys(i, bodies, ['signing', 'encryption'])}"
        f'      <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location="https://{host}/Shibboleth.sso/SLO/Redirect"/>\n'
        "      <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>\n"
        f"{acs}"
        "    </md:SPSSODescriptor>\n"
        f"{organization(org, host)}  </md:EntityDescriptor>\n")


def organization(org, host):
    names = "".join(f"      {t}\n" for t in texts("md:OrganizationName", org))
    display = "".join(f"      {t}\n" for t in texts("md:OrganizationDisplayName", org))
    urls = "".join(f"      {t}\n" for t in texts("md:OrganizationURL", f"https://{host}/"))
    return (
        "    <md:Organization>\n"
        f"{names}{display}{urls}"
        "    </md:Organization>\n"
        '    <md:ContactPerson contactType="technical"><md:GivenName>Federation</md:GivenName>'
        f"<md:SurName>Operator</md:SurName><md:EmailAddress>mailto:it@{host}</md:EmailAddress>"
        "</md:ContactPerson>\n")


def main():
    global SHAPE
    out, count = Path(sys.argv[1]), int(sys.argv[2])
    SHAPE = sys.argv[3] if len(sys.argv) > 3 else "standard"
    if SHAPE not in ("standard", "wide"):
        sys.exit(f"unknown shape {SHAPE!r}: standard or wide")
    certificates = count * 5 if SHAPE == "wide" else count
    try:
        bodies = certificates_with_cryptography(certificates)
    except ImportError:
        bodies = certificates_with_openssl(certificates)
    rng = random.Random(20261128)
    with out.open("w") as f:
        f.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<md:EntitiesDescriptor xmlns:md="{MD}" xmlns:ds="{DS}" '
            'xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" '
            'xmlns:mdrpi="urn:oasis:names:tc:SAML:metadata:rpi" '
            'xmlns:mdattr="urn:oasis:names:tc:SAML:metadata:attribute" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            'ID="_bench-aggregate" Name="https://federation.example/metadata" '
            'validUntil="2030-01-01T00:00:00Z" cacheDuration="PT6H">\n'
            f'<ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
            '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
            '<ds:Reference URI="#_bench-aggregate"><ds:Transforms>'
            '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
            '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
            '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/>'
            "</ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/>"
            "</ds:X509Data></ds:KeyInfo></ds:Signature>\n")
        for i in range(count):
            host = f"{'idp' if i % 3 == 0 else 'sp'}{i}.campus{i % 97}.example.edu"
            f.write((idp if i % 3 == 0 else sp)(i, host, bodies, rng))
        f.write("</md:EntitiesDescriptor>\n")


if __name__ == "__main__":
    main()
