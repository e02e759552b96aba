//! HTTP-POST-SimpleSign end to end: a form body or auto-submit page whose `SigAlg` and
//! `Signature` fields sign the message text, RelayState and SigAlg (SimpleSign binding §2.3).
//! The signature is made here with the sample IdP key; explain verifies it with the sample
//! metadata and names a broken one.

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::{explain_sample_setup, find_finding, repo_root, samlkit};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use serde_json::Value;

const NOW: &str = "2026-11-28T09:05:00Z";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const RELAY_STATE: &str = "/chat?tab=new+1";

fn sample(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap()
}

/// RSA-SHA256 over `SAMLResponse=<xml>&RelayState=<relay>&SigAlg=<alg>` with the sample key.
fn simple_sign(xml: &str, relay_state: &str) -> String {
    let key =
        PKey::private_key_from_pem(sample("samples/keys/idp-signing.key").as_bytes()).unwrap();
    let octets = format!("SAMLResponse={xml}&RelayState={relay_state}&SigAlg={RSA_SHA256}");
    let mut signer = Signer::new(MessageDigest::sha256(), &key).unwrap();
    signer.update(octets.as_bytes()).unwrap();
    STANDARD.encode(signer.sign_to_vec().unwrap())
}

fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form body as the browser posts it, and the same fields in an auto-submit page.
fn captures(relay_state_sent: &str, signature: &str) -> (String, String) {
    let xml = sample("samples/entra-response.xml");
    let message = STANDARD.encode(xml.as_bytes());
    let body = format!(
        "SAMLResponse={}&RelayState={}&SigAlg={}&Signature={}",
        form_encode(&message),
        form_encode(relay_state_sent),
        form_encode(RSA_SHA256),
        form_encode(signature)
    );
    let page = format!(
        "<html><body onload=\"document.forms[0].submit()\"><form method=\"post\" \
         action=\"https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml\">\
         <input type=\"hidden\" name=\"SAMLResponse\" value=\"{message}\"/>\
         <input type=\"hidden\" name=\"RelayState\" value=\"{relay_state_sent}\"/>\
         <input type=\"hidden\" name=\"SigAlg\" value=\"{RSA_SHA256}\"/>\
         <input type=\"hidden\" name=\"Signature\" value=\"{signature}\"/></form></body></html>"
    );
    (body, page)
}

fn explain(capture: &str, suffix: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("capture{suffix}"));
    std::fs::write(&path, capture).unwrap();
    explain_sample_setup(&path, NOW)
}

#[test]
fn a_simplesign_signature_over_the_message_verifies() {
    let xml = sample("samples/entra-response.xml");
    let signature = simple_sign(&xml, RELAY_STATE);
    let (body, page) = captures(RELAY_STATE, &signature);
    for (capture, suffix) in [(&body, ".txt"), (&page, ".html")] {
        let (code, report) = explain(capture, suffix);
        assert_eq!(code, 0, "{suffix}: {report}");
        assert!(find_finding(&report, "signature/redirect-signature-failed").is_none());
    }

    let inspect = samlkit()
        .args(["inspect", "--now", NOW, "-"])
        .write_stdin(body)
        .output()
        .unwrap();
    let text = String::from_utf8(inspect.stdout).unwrap();
    assert!(text.contains("HTTP-POST-SimpleSign"), "{text}");
    assert!(text.contains("Form signed"), "{text}");
}

#[test]
fn a_changed_relay_state_breaks_the_simplesign_signature() {
    let xml = sample("samples/entra-response.xml");
    let signature = simple_sign(&xml, RELAY_STATE);
    let (body, page) = captures("/chat?tab=admin", &signature);
    for (capture, suffix) in [(&body, ".txt"), (&page, ".html")] {
        let (code, report) = explain(capture, suffix);
        assert_eq!(code, 1, "{suffix}");
        let failed = find_finding(&report, "signature/redirect-signature-failed")
            .unwrap_or_else(|| panic!("{suffix}: {report}"));
        assert!(
            failed["message"].as_str().unwrap().contains("SimpleSign"),
            "{failed}"
        );
    }
}
