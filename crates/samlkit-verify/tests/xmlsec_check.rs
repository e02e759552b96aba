//! The libxmlsec1 second opinion (feature `xmlsec`): same bytes, same trusted keys.
#![cfg(feature = "xmlsec")]

mod common;

use common::*;
use samlkit_verify::xmlsec_check::{disagreements, verify_with_xmlsec};
use samlkit_verify::{verify_document, TrustStore, Verdict, VerifyOptions};

fn fixture(name: &str) -> String {
    String::from_utf8(read(&fixtures_dir().join(name))).unwrap()
}

fn idp_trust() -> TrustStore {
    let mut trust = TrustStore::new();
    trust
        .add_certificates(
            &read(&fixtures_dir().join("keys/idp.crt.pem")),
            "idp.crt.pem",
        )
        .unwrap();
    trust
}

#[test]
fn libxmlsec1_agrees_on_a_valid_response() {
    let xml = fixture("signed/entra_response.xml");
    let verdict = verify_with_xmlsec(&xml, &idp_trust());
    assert_eq!(verdict.error, None);
    assert_eq!(verdict.signatures.len(), 1);
    assert_eq!(
        verdict.signatures[0].verified_with.as_deref(),
        Some("trusted certificate idp.crt.pem")
    );
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &idp_trust(), &VerifyOptions { now: NOW });
    assert!(disagreements(&report, &verdict).is_empty());
}

#[test]
fn libxmlsec1_rejects_a_modified_response_and_an_untrusted_key() {
    for file in [
        "threats/modified_after_signing.xml",
        "threats/attacker_cert_in_keyinfo.xml",
    ] {
        let verdict = verify_with_xmlsec(&fixture(file), &idp_trust());
        assert_eq!(verdict.signatures[0].verified_with, None, "{file}");
    }
}

#[test]
fn wrapping_is_a_disagreement_in_the_safe_direction() {
    // libxmlsec1 checks the math of the moved signature; samlkit refuses the shape.
    let xml = decode_message(&read(
        &corpus_dir().join("pysaml2/xsw/signed-xsw-assertion-extensions.xml"),
    ));
    let mut trust = TrustStore::new();
    add_trust_file(&mut trust, &corpus_dir().join("pysaml2/idp.xml"));
    let verdict = verify_with_xmlsec(&xml, &trust);
    assert!(verdict.signatures[0].verified_with.is_some());
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &trust, &VerifyOptions { now: NOW });
    assert_eq!(report.verdict, Verdict::Rejected);
    let found = disagreements(&report, &verdict);
    assert_eq!(found.len(), 1);
    assert!(!found[0].samlkit_accepts_xmlsec_rejects);
}

#[test]
fn rsa_pss_is_a_disagreement_libxmlsec1_1_2_cannot_check() {
    let xml = fixture("signed/alg_rsa-pss-sha256_sha256_exc.xml");
    let verdict = verify_with_xmlsec(&xml, &idp_trust());
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &idp_trust(), &VerifyOptions { now: NOW });
    assert_eq!(report.verdict, Verdict::Verified);
    let found = disagreements(&report, &verdict);
    match verdict.signatures[0].verified_with {
        // libxmlsec1 1.3 knows RSA-PSS: then both agree.
        Some(_) => assert!(found.is_empty(), "{found:?}"),
        // 1.2.x does not: the one disagreement samlkit must be able to explain.
        None => assert!(
            found.len() == 1 && found[0].samlkit_accepts_xmlsec_rejects,
            "{found:?}"
        ),
    }
}

#[test]
fn duplicate_ids_are_refused_by_libxmlsec1_too() {
    let verdict = verify_with_xmlsec(&fixture("threats/duplicate_id.xml"), &idp_trust());
    assert!(
        verdict.error.as_deref().unwrap_or("").contains("duplicate"),
        "{verdict:?}"
    );
}
