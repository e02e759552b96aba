//! Valid signatures across the supported algorithms, the trust inputs people paste, key
//! rollover, certificate facts, and what the report says is covered. Fixtures come from
//! tests/fixtures/generate.py.

mod common;

use common::*;
use samlkit_parse::xml::{self, ns};
use samlkit_verify::{
    verify_document, FindingCode, Severity, Stage, TrustError, TrustStore, Verdict,
    VerificationReport, VerifyOptions,
};

fn fixture(name: &str) -> String {
    String::from_utf8(read(&fixtures_dir().join(name))).unwrap()
}

fn cert_trust(stem: &str) -> TrustStore {
    let mut trust = TrustStore::new();
    let file = format!("keys/{stem}.crt.pem");
    trust
        .add_certificates(&read(&fixtures_dir().join(&file)), &file)
        .unwrap();
    trust
}

fn verify_with(
    xml: &str,
    trust: &TrustStore,
    now: i64,
    check: impl FnOnce(&VerificationReport<'_, '_>),
) {
    let document = samlkit_parse::parse_xml(xml, &Default::default()).expect("well-formed");
    let report = verify_document(&document, trust, &VerifyOptions { now });
    check(&report);
}

#[test]
fn every_supported_algorithm_verifies() {
    let matrix = [
        ("alg_rsa-sha1_sha1_exc.xml", "idp", "RSA-SHA1", "SHA-1"),
        (
            "alg_rsa-sha224_sha224_exc.xml",
            "idp",
            "RSA-SHA224",
            "SHA-224",
        ),
        (
            "alg_rsa-sha384_sha384_exc.xml",
            "idp",
            "RSA-SHA384",
            "SHA-384",
        ),
        (
            "alg_rsa-sha512_sha512_exc.xml",
            "idp",
            "RSA-SHA512",
            "SHA-512",
        ),
        (
            "alg_rsa-sha256_sha256_c14n10.xml",
            "idp",
            "RSA-SHA256",
            "SHA-256",
        ),
        (
            "alg_rsa-sha256_sha256_c14n11.xml",
            "idp",
            "RSA-SHA256",
            "SHA-256",
        ),
        (
            "alg_rsa-pss-sha256_sha256_exc.xml",
            "idp",
            "RSA-PSS-SHA256",
            "SHA-256",
        ),
        (
            "alg_rsa-pss-sha512_sha512_exc.xml",
            "idp",
            "RSA-PSS-SHA512",
            "SHA-512",
        ),
        (
            "alg_ecdsa-sha384_sha384_exc.xml",
            "ec384",
            "ECDSA-SHA384",
            "SHA-384",
        ),
        (
            "alg_ecdsa-sha512_sha512_exc.xml",
            "ec521",
            "ECDSA-SHA512",
            "SHA-512",
        ),
        (
            "alg_dsa-sha256_sha256_exc.xml",
            "dsa",
            "DSA-SHA256",
            "SHA-256",
        ),
        ("entra_response.xml", "idp", "RSA-SHA256", "SHA-256"),
    ];
    for (file, key, signature, digest) in matrix {
        verify_with(
            &fixture(&format!("signed/{file}")),
            &cert_trust(key),
            NOW,
            |report| {
                assert_eq!(
                    report.verdict,
                    Verdict::Verified,
                    "{file}: {:?}",
                    report.all_findings().collect::<Vec<_>>()
                );
                let algorithms = &report.signatures[0].algorithms;
                assert_eq!(
                    algorithms.signature_name.as_deref(),
                    Some(signature),
                    "{file}"
                );
                assert_eq!(algorithms.digest_name.as_deref(), Some(digest), "{file}");
            },
        );
    }
}

#[test]
fn a_pss_signature_does_not_verify_as_pkcs1_and_vice_versa() {
    // The same SignatureValue under the other padding's URI must fail: the URI decides.
    let pss = fixture("signed/alg_rsa-pss-sha256_sha256_exc.xml");
    let as_pkcs1 = pss.replace(
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    );
    verify_with(&as_pkcs1, &cert_trust("idp"), NOW, |report| {
        assert_eq!(report.signatures[0].stage, Some(Stage::SignatureMismatch));
    });
}

#[test]
fn dsa_verifies_but_is_flagged() {
    verify_with(
        &fixture("signed/alg_dsa-sha256_sha256_exc.xml"),
        &cert_trust("dsa"),
        NOW,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            assert!(report
                .all_findings()
                .any(|f| f.code == FindingCode::DsaDeprecated));
        },
    );
}

#[test]
fn ecdsa_with_an_rsa_key_is_a_mismatch_naming_the_key_type() {
    let mut trust = cert_trust("idp");
    // Remove the EC certificate from KeyInfo so only the trusted RSA key is involved.
    let xml = fixture("signed/alg_ecdsa-sha384_sha384_exc.xml");
    let start = xml.find("<ds:KeyInfo>").unwrap();
    let end = xml.find("</ds:KeyInfo>").unwrap() + "</ds:KeyInfo>".len();
    let without_key_info = format!("{}{}", &xml[..start], &xml[end..]);
    trust.add_fingerprint(&"00".repeat(32)).unwrap();
    verify_with(&without_key_info, &trust, NOW, |report| {
        let sig = &report.signatures[0];
        assert_eq!(sig.stage, Some(Stage::SignatureMismatch));
        assert!(
            sig.keys_tried[0].contains("RSA key cannot check an ECDSA-SHA384"),
            "{:?}",
            sig.keys_tried
        );
    });
}

#[test]
fn key_rollover_tries_every_metadata_key_and_names_the_one_that_verified() {
    let metadata = fixture("metadata/idp_rollover.xml");
    let mut trust = TrustStore::new();
    assert_eq!(
        trust.add_idp_metadata(&metadata),
        Ok(2),
        "two signing keys; the encryption key is not trust"
    );
    verify_with(
        &fixture("signed/rollover_key2.xml"),
        &trust,
        NOW,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            let key = report.signatures[0].verified_by.as_ref().unwrap();
            assert!(
                key.description.starts_with("metadata signing key 2 of 2, "),
                "{}",
                key.description
            );
            assert!(
                key.description.contains("CN=login-next.samlkit.test"),
                "{}",
                key.description
            );
            assert!(key.description.contains("SHA-256 "));
        },
    );
    verify_with(
        &fixture("signed/entra_response.xml"),
        &trust,
        NOW,
        |report| {
            let key = report.signatures[0].verified_by.as_ref().unwrap();
            assert!(
                key.description.starts_with("metadata signing key 1 of 2, "),
                "{}",
                key.description
            );
        },
    );
}

#[test]
fn a_key_listed_for_encryption_only_is_not_trusted_for_signatures() {
    let mut trust = TrustStore::new();
    trust
        .add_idp_metadata(&fixture("metadata/idp_attacker_for_encryption_only.xml"))
        .unwrap();
    verify_with(
        &fixture("threats/attacker_cert_in_keyinfo.xml"),
        &trust,
        NOW,
        |report| {
            assert_eq!(report.signatures[0].stage, Some(Stage::UntrustedKey));
        },
    );
}

#[test]
fn trust_accepts_pem_bundles_der_bare_base64_and_fingerprints() {
    let xml = fixture("signed/rollover_key2.xml");
    let inputs: [(&str, &str); 4] = [
        (
            "keys/idp-and-next.crt.pem",
            "trusted certificate keys/idp-and-next.crt.pem (2 of 2)",
        ),
        (
            "keys/idp-next.crt.pem",
            "trusted certificate keys/idp-next.crt.pem",
        ),
        ("keys/idp.crt.der", ""),
        ("keys/idp.crt.b64", ""),
    ];
    for (file, label) in inputs {
        let mut trust = TrustStore::new();
        let added = trust
            .add_certificates(&read(&fixtures_dir().join(file)), file)
            .unwrap();
        assert_eq!(
            added,
            if file.contains("and-next") { 2 } else { 1 },
            "{file}"
        );
        verify_with(&xml, &trust, NOW, |report| {
            if label.is_empty() {
                // The idp certificate alone does not verify key 2's signature.
                assert_eq!(
                    report.signatures[0].stage,
                    Some(Stage::UntrustedKey),
                    "{file}"
                );
            } else {
                let key = report.signatures[0].verified_by.as_ref().unwrap();
                assert!(
                    key.description.starts_with(label),
                    "{file}: {}",
                    key.description
                );
            }
        });
    }
    // A fingerprint with colons, lowercase, or bare.
    let pin = pinned_keyinfo_fingerprint(&xml, None).unwrap();
    for text in [pin.clone(), pin.to_lowercase(), pin.replace(':', "")] {
        let mut trust = TrustStore::new();
        trust.add_fingerprint(&text).unwrap();
        verify_with(&xml, &trust, NOW, |report| {
            assert_eq!(report.verdict, Verdict::Verified)
        });
    }
    assert!(matches!(
        TrustStore::new().add_fingerprint("657302a5e11a4794a1e50a705988d66c9377575d"),
        Err(TrustError::Fingerprint { .. })
    ));
    assert!(TrustStore::new()
        .add_certificates(b"not a certificate", "junk")
        .is_err());
}

#[test]
fn certificate_facts_become_warnings_at_now() {
    // Expired signing certificate: a warning with its date, not a silent pass.
    verify_with(
        &fixture("signed/expired_cert.xml"),
        &cert_trust("expired"),
        NOW,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            let finding = report
                .all_findings()
                .find(|f| f.code == FindingCode::CertificateExpired)
                .unwrap();
            assert_eq!(finding.severity, Severity::Warning);
            assert!(
                finding.message.contains("2020-01-01T00:00:00Z"),
                "{}",
                finding.message
            );
        },
    );
    // The same certificate judged at a time inside its validity raises nothing.
    let in_2018 = 1_514_764_800 + 86_400 * 200;
    verify_with(
        &fixture("signed/expired_cert.xml"),
        &cert_trust("expired"),
        in_2018,
        |report| {
            assert!(!report
                .all_findings()
                .any(|f| f.code == FindingCode::CertificateExpired));
        },
    );
    // Before its validity.
    verify_with(
        &fixture("signed/expired_cert.xml"),
        &cert_trust("expired"),
        1_300_000_000,
        |report| {
            assert!(report
                .all_findings()
                .any(|f| f.code == FindingCode::CertificateNotYetValid));
        },
    );
    verify_with(
        &fixture("signed/weak_rsa_key.xml"),
        &cert_trust("weak"),
        NOW,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            let finding = report
                .all_findings()
                .find(|f| f.code == FindingCode::WeakRsaKey)
                .unwrap();
            assert!(finding.message.contains("1024-bit"), "{}", finding.message);
        },
    );
    verify_with(
        &fixture("signed/sha1_signed_cert.xml"),
        &cert_trust("sha1cert"),
        NOW,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            assert!(report
                .all_findings()
                .any(|f| f.code == FindingCode::CertificateSha1Signature));
        },
    );
    // A current 2048-bit SHA-256 certificate raises none of these.
    verify_with(
        &fixture("signed/entra_response.xml"),
        &cert_trust("idp"),
        NOW,
        |report| {
            let certificate_codes = [
                FindingCode::CertificateExpired,
                FindingCode::CertificateNotYetValid,
                FindingCode::WeakRsaKey,
                FindingCode::CertificateSha1Signature,
            ];
            assert!(!report
                .all_findings()
                .any(|f| certificate_codes.contains(&f.code)));
        },
    );
}

#[test]
fn coverage_follows_the_signed_element() {
    let xml = fixture("signed/response_and_assertion_signed.xml");
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &cert_trust("idp"), &VerifyOptions { now: NOW });
    assert_eq!(report.verdict, Verdict::Verified);
    let response = document.root_element();
    let assertion = xml::child_named(response, ns::SAML, "Assertion").unwrap();
    // A verified Response covers its descendants, including the assertion.
    let response_entry = report.coverage(response).unwrap();
    let assertion_entry = report.coverage(assertion).unwrap();
    assert_eq!(response_entry.covered_by.len(), 1);
    assert_eq!(
        assertion_entry.covered_by.len(),
        2,
        "its own signature and the Response's"
    );
    let verified_response = report.verified_root().unwrap();
    let status = xml::child_named(response, ns::SAMLP, "Status").unwrap();
    assert!(verified_response.descendant(status).is_some());
    // Content of the enveloped signature itself is not covered.
    let signature = xml::child_named(response, ns::DS, "Signature").unwrap();
    let key_info = xml::child_named(signature, ns::DS, "KeyInfo").unwrap();
    assert!(verified_response.descendant(key_info).is_none());
    assert!(report.verified(key_info).is_none());

    // Assertion-only signature: the assertion is verified, the Response is not.
    let xml = fixture("signed/entra_response.xml");
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &cert_trust("idp"), &VerifyOptions { now: NOW });
    let response = document.root_element();
    let assertion = xml::child_named(response, ns::SAML, "Assertion").unwrap();
    assert!(report.verified(assertion).is_some());
    assert!(report.verified(response).is_none());
    let issuer_of_response = xml::child_named(response, ns::SAML, "Issuer").unwrap();
    assert!(report.verified(issuer_of_response).is_none());
    // The verified assertion hands out its own descendants, never its unsigned surroundings.
    let verified_assertion = report.verified(assertion).unwrap();
    let subject = xml::child_named(assertion, ns::SAML, "Subject").unwrap();
    assert!(verified_assertion.descendant(subject).is_some());
    assert!(verified_assertion.descendant(issuer_of_response).is_none());
    assert!(verified_assertion.descendant(response).is_none());
    // Nodes of another document are never verified by this report.
    let copy = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let foreign = xml::child_named(copy.root_element(), ns::SAML, "Assertion").unwrap();
    assert!(report.verified(foreign).is_none());
}

#[test]
fn signed_metadata_verifies_and_reports_its_signature_location() {
    let xml = fixture("signed/signed_metadata.xml");
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &cert_trust("idp"), &VerifyOptions { now: NOW });
    assert_eq!(report.verdict, Verdict::Verified);
    let location = report.signatures[0].location;
    assert!(xml[location.start..location.end].starts_with("<ds:Signature"));
    assert!(xml[location.start..location.end].ends_with("</ds:Signature>"));
}

#[test]
fn the_report_serializes_with_stable_codes() {
    let xml = fixture("threats/attacker_cert_in_keyinfo.xml");
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &cert_trust("idp"), &VerifyOptions { now: NOW });
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["verdict"], "not-verified");
    assert_eq!(json["signatures"][0]["stage"], "untrusted-key");
    assert_eq!(json["signatures"][0]["outcome"], "failed");
    let codes: Vec<&str> = json["signatures"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"untrusted-key"), "{codes:?}");
    assert!(
        json["signatures"][0]["keyinfo_certificates"][0]["facts"]["sha256_fingerprint"].is_string()
    );
}

#[test]
fn finding_codes_are_stable() {
    let all: Vec<String> = FindingCode::ALL
        .iter()
        .map(|code| {
            serde_json::to_value(code)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let as_str: Vec<&str> = FindingCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(all, as_str, "serde names and as_str agree");
    assert_eq!(
        as_str,
        [
            "no-trust-configured",
            "not-signed",
            "signature-misplaced",
            "element-misplaced",
            "malformed-signature",
            "multiple-signed-info",
            "multiple-references",
            "object-or-manifest",
            "markup-in-signature-data",
            "invalid-base64",
            "lookalike-namespace",
            "duplicate-id",
            "multiple-assertions",
            "reference-whole-document",
            "reference-not-same-document",
            "reference-not-found",
            "reference-ambiguous",
            "reference-not-parent",
            "signed-element-without-id",
            "transform-not-allowed",
            "too-many-transforms",
            "inclusive-namespaces-invalid",
            "unsupported-algorithm",
            "hmac-refused",
            "dsa-deprecated",
            "sha1-deprecated",
            "non-standard-algorithm-uri",
            "digest-mismatch",
            "signature-mismatch",
            "untrusted-key",
            "keyinfo-certificate-not-trusted",
            "keyinfo-pem-wrapped",
            "certificate-expired",
            "certificate-not-yet-valid",
            "weak-rsa-key",
            "certificate-sha1-signature",
            "comment-in-signed-text",
            "keyinfo-certificate-unreadable",
            "signed-assertion-in-unsigned-advice",
            "transform-xpath-or-xslt",
        ]
    );
}

/// Some generators (samlify) write a metadata KeyDescriptor's KeyInfo in the metadata
/// namespace. The file was chosen as trust, so its certificate is read, with a note, and only
/// the X509Certificate element is read as a certificate (not a KeyName beside it).
#[test]
fn metadata_keyinfo_outside_the_xmldsig_namespace_is_read_with_a_note() {
    let pem = String::from_utf8(read(&fixtures_dir().join("keys/idp.crt.pem"))).unwrap();
    let base64: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let metadata = format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/metadata">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <md:KeyInfo><md:KeyName>idp signing key</md:KeyName><md:X509Data><md:X509Certificate>{base64}</md:X509Certificate></md:X509Data></md:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#
    );
    let mut trust = TrustStore::new();
    assert_eq!(trust.add_idp_metadata(&metadata).unwrap(), 1);
    let expected = openssl::x509::X509::from_pem(pem.as_bytes())
        .unwrap()
        .to_der()
        .unwrap();
    let anchor = &trust.anchors()[0];
    assert_eq!(anchor.certificate().unwrap().der(), expected.as_slice());
    let notes = trust.load_notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("line 4: the signing certificate's KeyInfo is not in the XML-DSig namespace (urn:oasis:names:tc:SAML:2.0:metadata)"),
        "{notes:?}"
    );
    // The response that key signed verifies with it.
    verify_with(
        &fixture("signed/entra_response.xml"),
        &trust,
        NOW,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
        },
    );
    // Metadata written the standard way draws no note.
    let mut standard = TrustStore::new();
    assert_eq!(
        standard
            .add_idp_metadata(&fixture("metadata/idp_rollover.xml"))
            .unwrap(),
        2
    );
    assert!(
        standard.load_notes().is_empty(),
        "{:?}",
        standard.load_notes()
    );
}

/// A certificate given twice (in metadata and as a PEM file) is one trusted key, and the
/// message's KeyInfo copy of it is reported as the trusted certificate it is.
#[test]
fn the_same_certificate_given_twice_is_one_trusted_key_and_marks_keyinfo_trusted() {
    let mut trust = cert_trust("idp");
    let der = read(&fixtures_dir().join("keys/idp.crt.der"));
    trust.add_certificates(&der, "keys/idp.crt.der").unwrap();
    assert_eq!(trust.anchors().len(), 1);
    verify_with(
        &fixture("signed/entra_response.xml"),
        &trust,
        NOW,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            let keyinfo = &report.signatures[0].keyinfo_certificates;
            assert_eq!(keyinfo.len(), 1);
            assert!(
                keyinfo[0].trusted,
                "the KeyInfo certificate is the trusted one"
            );
        },
    );
    // An unrelated trusted certificate leaves the KeyInfo certificate untrusted.
    verify_with(
        &fixture("signed/entra_response.xml"),
        &cert_trust("attacker"),
        NOW,
        |report| {
            let keyinfo = &report.signatures[0].keyinfo_certificates;
            assert!(!keyinfo[0].trusted);
        },
    );
}

/// The KeyInfo certificate is recognised as the trusted one however its base64 is spelled
/// (one line, padded by spaces, folded every 64 characters, without its `=` padding), and a
/// copy differing in one character is not.
#[test]
fn the_keyinfo_certificate_is_recognised_in_every_spelling_and_only_when_exact() {
    let original = fixture("signed/entra_response.xml");
    let start = original.find("X509Certificate>").unwrap() + "X509Certificate>".len();
    let end = start + original[start..].find('<').unwrap();
    let body = original[start..end].trim().to_string();
    let folded: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    let mut altered = body.clone().into_bytes();
    altered[40] = if altered[40] == b'A' { b'B' } else { b'A' };
    let spellings = [
        (body.clone(), true),
        (format!("\n    {body}\n  "), true),
        (folded.join("\n"), true),
        (folded.join("\r\n      "), true),
        (body.trim_end_matches('=').to_string(), true),
        (String::from_utf8(altered).unwrap(), false),
    ];
    let trust = cert_trust("idp");
    for (text, trusted) in spellings {
        let message = format!("{}{text}{}", &original[..start], &original[end..]);
        verify_with(&message, &trust, NOW, |report| {
            // KeyInfo is outside what the signature covers: the trusted key verifies either way.
            assert_eq!(report.verdict, Verdict::Verified);
            let keyinfo = &report.signatures[0].keyinfo_certificates;
            assert_eq!(keyinfo.len(), 1, "{text:?}");
            assert_eq!(keyinfo[0].trusted, trusted, "{text:?}");
        });
    }
}

/// A bare public key is a trusted key of its own; the same key given again is one key.
#[test]
fn a_bare_public_key_is_trusted_once() {
    let pem = read(&fixtures_dir().join("keys/idp.crt.pem"));
    let public_pem = openssl::x509::X509::from_pem(&pem)
        .unwrap()
        .public_key()
        .unwrap()
        .public_key_to_pem()
        .unwrap();
    let mut trust = TrustStore::new();
    assert_eq!(
        trust.add_certificates(&public_pem, "idp.pub.pem").unwrap(),
        1
    );
    assert_eq!(trust.anchors().len(), 1);
    trust.add_certificates(&public_pem, "idp.pub.pem").unwrap();
    assert_eq!(
        trust.anchors().len(),
        1,
        "the same bare key twice is one key"
    );
    verify_with(
        &fixture("signed/entra_response.xml"),
        &trust,
        NOW,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
        },
    );
}

/// An ECDSA SignatureValue is r‖s in two halves of equal width. A zero byte slipped between
/// them leaves both numbers unchanged but makes a value of odd length, which is not a valid
/// encoding and must not verify (a verifier that splits it anyway accepts altered bytes).
#[test]
fn an_ecdsa_value_of_odd_length_does_not_verify() {
    let xml = fixture("signed/alg_ecdsa-sha384_sha384_exc.xml");
    verify_with(&xml, &cert_trust("ec384"), NOW, |report| {
        assert_eq!(report.verdict, Verdict::Verified);
    });
    let start = xml.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let end = xml.find("</ds:SignatureValue>").unwrap();
    let text: String = xml[start..end].split_whitespace().collect();
    let mut raw = openssl::base64::decode_block(&text).unwrap();
    assert_eq!(raw.len(), 96, "P-384: two 48-byte halves");
    raw.insert(48, 0);
    let altered = format!(
        "{}{}{}",
        &xml[..start],
        openssl::base64::encode_block(&raw),
        &xml[end..]
    );
    verify_with(&altered, &cert_trust("ec384"), NOW, |report| {
        assert_ne!(report.verdict, Verdict::Verified);
        assert_eq!(report.signatures[0].stage, Some(Stage::SignatureMismatch));
    });
}
