//! HTTP-Redirect binding signatures: the signature covers the query string as sent.

mod common;

use common::*;
use samlkit_verify::{
    verify_redirect_signature, FindingCode, MissingInput, RedirectSignature, SignatureOutcome,
    Stage, TrustStore, VerifyOptions,
};

const QUERY: &str =
    "crewjam-saml/TestSPCanProduceSignedRequestRedirectBinding_rsa-sha1_queryString";

/// The decoder's view of the signed query string: the signed octets as sent, and the
/// URL-decoded `SigAlg` and `Signature`.
fn split_query(query: &str) -> (String, String, String) {
    let messages = samlkit_parse::decode::decode_input(query.as_bytes(), None, &Default::default())
        .expect("the query string decodes");
    let signature = messages[0]
        .redirect_signature
        .clone()
        .expect("the decoder finds the Redirect signature");
    // The decoder's octets are exactly the query up to `&Signature=`.
    assert!(query.starts_with(&signature.signed_octets));
    assert!(query[signature.signed_octets.len()..].starts_with("&Signature="));
    (
        signature.signed_octets,
        signature.sig_alg,
        signature.signature,
    )
}

fn sp_trust() -> TrustStore {
    let mut trust = TrustStore::new();
    add_trust_file(&mut trust, &corpus_dir().join("crewjam-saml/sp_cert.pem"));
    trust
}

#[test]
fn crewjam_signed_redirect_request_verifies_with_the_sp_certificate() {
    let query = String::from_utf8(read(&corpus_dir().join(QUERY))).unwrap();
    let (signed, sig_alg, signature) = split_query(&query);
    let result = verify_redirect_signature(
        &RedirectSignature {
            sig_alg: &sig_alg,
            signature: &signature,
            signed_octets: signed.as_bytes(),
        },
        &sp_trust(),
        &VerifyOptions { now: NOW },
    );
    assert_eq!(result.outcome, SignatureOutcome::Verified, "{result:?}");
    assert_eq!(result.algorithm.as_deref(), Some("RSA-SHA1"));
    let key = result.verified_by.expect("names the key");
    assert!(
        key.description.contains("sp_cert.pem"),
        "{}",
        key.description
    );
    // rsa-sha1 still verifies, with a deprecation warning.
    assert!(result
        .findings
        .iter()
        .any(|finding| finding.code == FindingCode::Sha1Deprecated));
}

#[test]
fn changing_one_signed_octet_fails_at_the_signature_value() {
    let query = String::from_utf8(read(&corpus_dir().join(QUERY))).unwrap();
    let (signed, sig_alg, signature) = split_query(&query);
    let tampered = signed.replace("RelayState=relayState", "RelayState=relayStatf");
    assert_ne!(tampered, signed);
    let result = verify_redirect_signature(
        &RedirectSignature {
            sig_alg: &sig_alg,
            signature: &signature,
            signed_octets: tampered.as_bytes(),
        },
        &sp_trust(),
        &VerifyOptions { now: NOW },
    );
    assert_eq!(result.outcome, SignatureOutcome::Failed);
    assert_eq!(result.stage, Some(Stage::SignatureMismatch));
    assert_eq!(result.keys_tried.len(), 1);
}

#[test]
fn another_key_does_not_verify_and_no_trust_fails_closed() {
    let query = String::from_utf8(read(&corpus_dir().join(QUERY))).unwrap();
    let (signed, sig_alg, signature) = split_query(&query);
    let input = RedirectSignature {
        sig_alg: &sig_alg,
        signature: &signature,
        signed_octets: signed.as_bytes(),
    };
    let mut other = TrustStore::new();
    add_trust_file(&mut other, &corpus_dir().join("node-saml/cert.pem"));
    let result = verify_redirect_signature(&input, &other, &VerifyOptions { now: NOW });
    assert_eq!(result.stage, Some(Stage::SignatureMismatch));

    let result = verify_redirect_signature(&input, &TrustStore::new(), &VerifyOptions { now: NOW });
    assert_eq!(result.stage, Some(Stage::NoTrustConfigured));
    let finding = &result.findings.last().unwrap();
    assert_eq!(finding.code, FindingCode::NoTrustConfigured);
    assert_eq!(finding.missing, Some(MissingInput::IdpTrust));
    assert!(finding.fix.as_deref().unwrap().contains("certificate"));
}

#[test]
fn the_decoders_signature_converts_directly() {
    let query = String::from_utf8(read(&corpus_dir().join(QUERY))).unwrap();
    let messages =
        samlkit_parse::decode::decode_input(query.as_bytes(), None, &Default::default()).unwrap();
    let decoded = messages[0].redirect_signature.as_ref().unwrap();
    let result = verify_redirect_signature(
        &RedirectSignature::from(decoded),
        &sp_trust(),
        &VerifyOptions { now: NOW },
    );
    assert_eq!(result.outcome, SignatureOutcome::Verified);
}

#[test]
fn hmac_sig_alg_is_refused() {
    let result = verify_redirect_signature(
        &RedirectSignature {
            sig_alg: "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
            signature: "AAAA",
            signed_octets: b"SAMLRequest=x&SigAlg=y",
        },
        &sp_trust(),
        &VerifyOptions { now: NOW },
    );
    assert_eq!(result.stage, Some(Stage::UnsupportedAlgorithm));
    assert_eq!(result.findings[0].code, FindingCode::HmacRefused);
}
