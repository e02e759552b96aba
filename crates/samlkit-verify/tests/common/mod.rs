//! Helpers shared by the integration tests: the corpus and fixture locations, input decoding
//! (until the decoder of samlkit-parse covers every corpus encoding), and trust loading.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use samlkit_verify::certs::{read_key_material, KeyMaterial};
use samlkit_verify::{
    verify_document, FindingCode, TrustStore, Verdict, VerificationReport, VerifyOptions,
};

/// 2026-01-01T00:00:00Z: a fixed "now" so certificate expiry findings do not drift.
pub const NOW: i64 = 1_767_225_600;

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// XML text of a stored message (plain XML, base64, or base64 of DEFLATE), through the same
/// decoder the CLI uses.
pub fn decode_message(bytes: &[u8]) -> String {
    let messages = samlkit_parse::decode::decode_input(bytes, None, &Default::default())
        .unwrap_or_else(|err| panic!("cannot decode the stored message: {err}"));
    messages
        .into_iter()
        .next()
        .expect("one message in the input")
        .xml
}

/// Loads one trust source from the corpus: IdP metadata, a certificate/public key file, or a
/// python3-saml settings JSON (its `idp.x509cert`).
pub fn add_trust_file(trust: &mut TrustStore, path: &Path) {
    let bytes = read(path);
    let name = path.display().to_string();
    if name.ends_with(".json") {
        let settings: serde_json::Value = serde_json::from_slice(&bytes).expect("settings JSON");
        let cert = settings["idp"]["x509cert"]
            .as_str()
            .expect("idp.x509cert in settings");
        trust
            .add_certificates(cert.as_bytes(), &name)
            .expect("settings certificate");
        return;
    }
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("PRIVATE KEY-----") {
        // The manifest names the key pair by its private half; trust is its public half.
        let key = openssl::pkey::PKey::private_key_from_pem(&bytes).expect("private key");
        let public = key.public_key_to_pem().expect("public key");
        trust.add_certificates(&public, &name).expect("public half");
        return;
    }
    if text.contains("EntityDescriptor") {
        trust.add_idp_metadata(&text).expect("IdP metadata");
    } else {
        trust
            .add_certificates(&bytes, &name)
            .unwrap_or_else(|err| panic!("trust file {name}: {err}"));
    }
}

/// The SHA-256 fingerprint of the first `X509Certificate` in the document's signatures, as a
/// user would pin it. Checks it against the SHA-1 fingerprint the upstream test pinned, when
/// the manifest gives one, so the pin is the upstream one and not whatever the message says.
pub fn pinned_keyinfo_fingerprint(xml: &str, expected_sha1: Option<&str>) -> Option<String> {
    let document = roxmltree::Document::parse(xml).expect("XML");
    let node = document.descendants().find(|node| {
        node.tag_name().name() == "X509Certificate"
            && node.ancestors().any(|a| a.tag_name().name() == "Signature")
    })?;
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let (materials, _) = read_key_material(text.as_bytes()).ok()?;
    let KeyMaterial::Certificate(cert) = &materials[0] else {
        panic!("KeyInfo holds no certificate")
    };
    if let Some(expected) = expected_sha1 {
        let sha1 = openssl::sha::sha1(cert.der());
        let actual: String = sha1.iter().map(|b| format!("{b:02x}")).collect();
        let expected: String = expected
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            actual.starts_with(&expected),
            "KeyInfo certificate SHA-1 {actual} is not the pinned {expected}"
        );
    }
    Some(cert.facts().sha256_fingerprint.clone())
}

/// The interop corpus: signed documents from other projects' test suites.
pub fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus-interop")
}

/// Verifies `xml` at [`NOW`] and hands the report to `check` (the report borrows the parsed
/// tree).
pub fn verify_with(xml: &str, trust: &TrustStore, check: impl FnOnce(&VerificationReport<'_, '_>)) {
    let document = samlkit_parse::parse_xml(xml, &Default::default()).expect("well-formed");
    let report = verify_document(&document, trust, &VerifyOptions { now: NOW });
    check(&report);
}

/// Every finding code of the report, the signatures' included.
pub fn codes(report: &VerificationReport<'_, '_>) -> Vec<FindingCode> {
    report.all_findings().map(|finding| finding.code).collect()
}

/// The document is not verified and the report names `code`; `case` says which input failed.
pub fn assert_refused_with(report: &VerificationReport<'_, '_>, code: FindingCode, case: &str) {
    let codes = codes(report);
    assert_ne!(report.verdict, Verdict::Verified, "{case}: {codes:?}");
    assert!(codes.contains(&code), "{case}: {codes:?}");
}
