//! Resource bounds of verification: documents with 10,000 signatures are verified to a verdict
//! (every signature reported, none verified), whether the signatures sit in 10,000 assertions
//! or all in one.

use samlkit_parse::{parse_xml, Limits};
use samlkit_verify::{
    verify_document, SignatureOutcome, Stage, TrustStore, Verdict, VerifyOptions,
};

const SAMPLE: &str = include_str!("../../../samples/entra-response.xml");
const SAMPLE_CERTIFICATE: &[u8] = include_bytes!("../../../samples/keys/idp-signing.crt");
/// 2026-11-28T09:05:00Z, while the sample's certificate is valid.
const NOW: i64 = 1_795_856_700;
const SIGNATURES: usize = 10_000;

fn sample_trust() -> TrustStore {
    let mut trust = TrustStore::new();
    trust
        .add_certificates(SAMPLE_CERTIFICATE, "idp-signing.crt")
        .expect("the sample certificate loads");
    trust
}

/// The sample's `<Signature>…</Signature>`, and the text of the sample around it.
fn sample_signature() -> (&'static str, &'static str, &'static str) {
    let start = SAMPLE.find("<Signature ").expect("a signature");
    let end = SAMPLE.find("</Signature>").expect("its end") + "</Signature>".len();
    (&SAMPLE[..start], &SAMPLE[start..end], &SAMPLE[end..])
}

#[test]
fn ten_thousand_signed_assertions_are_each_checked_and_the_response_rejected() {
    let (_, signature, _) = sample_signature();
    // The sample's signature without its certificate, pointed at each assertion in turn: the
    // shape is right, the signature values are not.
    let key_info = signature.find("<KeyInfo>").expect("KeyInfo");
    let signature = format!("{}</Signature>", &signature[..key_info]);
    let sample_id = "_8e1c4a7b-2f6d-4c93-a5e8-0b7d3f9c1e26";
    let mut xml = String::from(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\" \
         Version=\"2.0\" IssueInstant=\"2026-11-28T09:00:00Z\">",
    );
    for i in 0..SIGNATURES {
        let id = format!("_a{i}");
        xml.push_str(&format!(
            "<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{id}\" \
             Version=\"2.0\" IssueInstant=\"2026-11-28T09:00:00Z\"><Issuer>https://idp/</Issuer>\
             {}<Subject><NameID>user{i}</NameID></Subject></Assertion>",
            signature.replace(sample_id, &id)
        ));
    }
    xml.push_str("</samlp:Response>");

    let doc = parse_xml(&xml, &Limits::default()).expect("within the parser's bounds");
    let report = verify_document(&doc, &sample_trust(), &VerifyOptions { now: NOW });
    // Assertions beside one another that are not all covered are the CVE-2022-41912 shape.
    assert_eq!(report.verdict, Verdict::Rejected);
    assert_eq!(report.signatures.len(), SIGNATURES);
    // Each copy's ID was changed after signing: its digest fails, and that is the cause named.
    assert!(report
        .signatures
        .iter()
        .all(|s| s.outcome == SignatureOutcome::Failed && s.stage == Some(Stage::DigestMismatch)));
    assert!(report.verified_elements().is_empty());
}

#[test]
fn ten_thousand_signatures_in_one_assertion_are_refused_without_canonicalizing_each() {
    let (before, signature, after) = sample_signature();
    let mut xml = String::with_capacity(SAMPLE.len() + SIGNATURES * signature.len());
    xml.push_str(before);
    for _ in 0..SIGNATURES {
        xml.push_str(signature);
    }
    xml.push_str(after);

    let doc = parse_xml(&xml, &Limits::default()).expect("within the parser's bounds");
    let report = verify_document(&doc, &sample_trust(), &VerifyOptions { now: NOW });
    assert_eq!(report.verdict, Verdict::NotVerified);
    assert_eq!(report.signatures.len(), SIGNATURES);
    assert!(report.signatures.iter().all(|s| {
        s.outcome == SignatureOutcome::Failed && s.stage == Some(Stage::MalformedStructure)
    }));
    assert!(report.signatures[0].findings[0]
        .message
        .contains("carries 10000 signatures; SAML allows one"));
    assert!(report.verified_elements().is_empty());
}
