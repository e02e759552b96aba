//! Encrypted assertions end to end: an Entra-shaped response whose signed assertion is
//! encrypted for the SP (Entra ID token encryption), decrypted with --sp-key, verified and
//! explained like a plain one; and each way decryption fails.

mod common;

use common::{explain_for_amazon_q, finding, json_lines, samlkit};
use std::io::Write;

const METADATA: &str = "samples/entra-federation-metadata.xml";
const NOW: &str = "2026-11-28T09:05:00Z";
const SP_KEY: &str = "crates/samlkit-verify/tests/fixtures/xmlenc/test-only-sp.key.pem";
const OTHER_KEY: &str = "crates/samlkit-verify/tests/fixtures/xmlenc/test-only-other-sp.key.pem";
const ENCRYPTED: &str = "tests/fixtures/scenarios/q-encrypted.xml";
const ENCRYPTED_SIGNED: &str = "tests/fixtures/scenarios/q-encrypted-response-signed.xml";

fn explain(file: &str, keys: &[&str]) -> (i32, serde_json::Value) {
    let mut extra = vec!["--now", NOW];
    for key in keys {
        extra.extend(["--sp-key", key]);
    }
    explain_for_amazon_q(file, &extra)
}

fn tampered(file: &str) -> tempfile::NamedTempFile {
    let text = std::fs::read_to_string(common::repo_root().join(file)).unwrap();
    // The last CipherValue holds the encrypted assertion; change one base64 character in it.
    let at = text.rfind("<xenc:CipherValue>").unwrap() + "<xenc:CipherValue>".len() + 40;
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let mut file = tempfile::Builder::new().suffix(".xml").tempfile().unwrap();
    file.write_all(&bytes).unwrap();
    file
}

#[test]
fn an_encrypted_signed_entra_response_is_decrypted_verified_and_explained() {
    for file in [ENCRYPTED, ENCRYPTED_SIGNED] {
        let (code, report) = explain(file, &[SP_KEY]);
        assert_eq!(code, 0, "{file}: {report:#}");
        assert_eq!(report["verdict"], "pass");
        assert_eq!(report["subject"]["name_id"], "alice@contoso.example");
        assert_eq!(report["subject"]["verified"], true);
        assert_eq!(report["signature"]["verified"], true);
        let note = finding(&report, "response/assertion-decrypted");
        let message = note["message"].as_str().unwrap();
        assert!(message.contains("AES-256-CBC"), "{message}");
        assert!(message.contains("RSA-OAEP"), "{message}");
        assert!(report["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "Email" && a["values"][0] == "alice@contoso.example"));
    }
    // With the Response signed too, both signatures are reported verified: the Response's over
    // the ciphertext as it arrived, the assertion's after decryption.
    let (_, report) = explain(ENCRYPTED_SIGNED, &[SP_KEY]);
    let on: Vec<&str> = report["signature"]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["outcome"] == "verified")
        .map(|s| s["on"].as_str().unwrap())
        .collect();
    assert_eq!(on, ["Response", "Assertion"]);
}

#[test]
fn no_key_names_the_certificate_the_assertion_is_encrypted_for() {
    let (code, report) = explain(ENCRYPTED, &[]);
    assert_eq!(code, 1);
    let f = finding(&report, "response/encrypted-assertion");
    assert_eq!(f["severity"], "error");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("samlkit test-only SP encryption key"),
        "{message}"
    );
    assert!(message.contains("SHA-256"), "{message}");
    assert!(f["fix"].as_str().unwrap().contains("--sp-key"));
}

#[test]
fn a_wrong_key_says_which_certificate_is_needed_and_which_key_was_tried() {
    let (code, report) = explain(ENCRYPTED, &[OTHER_KEY]);
    assert_eq!(code, 1);
    let message = finding(&report, "response/encrypted-assertion")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("none of the keys given belongs to it"),
        "{message}"
    );
    assert!(message.contains("test-only-other-sp.key.pem"), "{message}");
}

#[test]
fn tampered_ciphertext_fails_to_decrypt_or_to_verify() {
    // Response unsigned: decryption itself fails (padding or content).
    let file = tampered(ENCRYPTED);
    let (code, report) = explain(file.path().to_str().unwrap(), &[SP_KEY]);
    assert_eq!(code, 1);
    let message = finding(&report, "response/encrypted-assertion")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("could not be decrypted"), "{message}");
    // Response signed over the ciphertext: whatever decryption yields, the signature fails.
    let file = tampered(ENCRYPTED_SIGNED);
    let (code, report) = explain(file.path().to_str().unwrap(), &[SP_KEY]);
    assert_eq!(code, 1);
    assert_eq!(report["signature"]["verified"], false);
}

#[test]
fn decode_decrypt_writes_the_decrypted_xml_and_inspect_shows_the_claims() {
    let output = samlkit()
        .args([
            "decode",
            "--decrypt",
            "--raw",
            ENCRYPTED,
            "--sp-key",
            SP_KEY,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let xml = String::from_utf8(output.stdout).unwrap();
    assert!(!xml.contains("EncryptedAssertion"));
    assert!(xml.contains(">alice@contoso.example</NameID>"), "{xml}");

    let output = samlkit()
        .args([
            "inspect", "--format", "json", "--now", NOW, ENCRYPTED, "--sp-key", SP_KEY,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let summary = &json_lines(&output.stdout)[0];
    assert_eq!(summary["decryption"][0]["decrypted"], true);
    assert_eq!(
        summary["response"]["assertions"][0]["subject"]["name_id"]["value"],
        "alice@contoso.example"
    );

    let output = samlkit()
        .args(["decode", "--decrypt", ENCRYPTED])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--sp-key"));
}

#[test]
fn verify_checks_signatures_inside_and_outside_the_encrypted_assertion() {
    let run = |keys: &[&str]| {
        let mut cmd = samlkit();
        cmd.args([
            "verify",
            "--format",
            "json",
            "--idp-metadata",
            METADATA,
            "--now",
            NOW,
        ])
        .arg(ENCRYPTED_SIGNED);
        for key in keys {
            cmd.args(["--sp-key", key]);
        }
        let output = cmd.output().unwrap();
        (
            output.status.code().unwrap(),
            json_lines(&output.stdout)[0].clone(),
        )
    };
    let (code, value) = run(&[SP_KEY]);
    assert_eq!(code, 0);
    let covered: Vec<&str> = value["report"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["covered_by"].as_array().unwrap().is_empty())
        .map(|e| e["element"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(covered, ["Response", "Assertion"]);
    // Without the key only the Response's signature (over the ciphertext) is seen.
    let (code, value) = run(&[]);
    assert_eq!(code, 0);
    assert_eq!(value["report"]["signatures"].as_array().unwrap().len(), 1);
}
