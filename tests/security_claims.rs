//! The claim checks that decide whether a verified response is for this service provider and
//! still valid, pinned at their boundaries through `samlkit explain --format json`: audiences
//! that extend the expected one or differ after its first byte, two AudienceRestrictions of
//! which only one names the SP, Recipient near misses, and the Conditions NotOnOrAfter instant
//! exactly at now − skew and one second later.
//!
//! Each variant of samples/entra-response-unsigned.xml is signed here by `xmlsec1 --sign`
//! (Debian package `xmlsec1`) with the sample IdP key, so the verdict of a clean variant is
//! "pass" and a failing check is the only reason for "fail". A missing xmlsec1 fails the tests.

mod common;

use std::process::Command as Process;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{json_lines, repo_root, samlkit};
use serde_json::Value;

const SP: &str = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml";
const REQUEST_ID: &str = "_a7f3e9c1d2b4";
const SAMPLE_AUDIENCE: &str =
    "<Audience>https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml</Audience>";
const SAMPLE_RECIPIENT: &str =
    r#"Recipient="https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml""#;
const SAMPLE_CONDITIONS_END: &str =
    r#"<Conditions NotBefore="2026-11-28T09:00:00.107Z" NotOnOrAfter="2026-11-28T10:10:00.107Z">"#;

/// The unsigned sample with `edits` applied (each `from` must occur exactly once), signed.
fn signed_sample(edits: &[(&str, &str)]) -> String {
    let mut xml = std::fs::read_to_string(repo_root().join("samples/entra-response-unsigned.xml"))
        .expect("the unsigned sample");
    for (from, to) in edits {
        assert_eq!(
            xml.matches(from).count(),
            1,
            "{from} occurs once in the sample"
        );
        xml = xml.replacen(from, to, 1);
    }
    // The signature goes after the assertion's Issuer, its first child.
    let assertion = xml.find("<Assertion ").expect("an assertion");
    let issuer_end = assertion + xml[assertion..].find("</Issuer>").unwrap() + "</Issuer>".len();
    xml.insert_str(issuer_end, SIGNATURE_TEMPLATE);
    xmlsec1_sign(&xml)
}

const SIGNATURE_TEMPLATE: &str = concat!(
    r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>"#,
    r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
    r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#,
    r##"<ds:Reference URI="#_d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70"><ds:Transforms>"##,
    r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
    r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"#,
    r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
    r#"<ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>"#,
    r#"<ds:SignatureValue></ds:SignatureValue></ds:Signature>"#
);

fn xmlsec1_sign(template: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "samlkit-claims-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("template.xml");
    let signed = dir.join("signed.xml");
    std::fs::write(&source, template).unwrap();
    let keys = repo_root().join("samples/keys");
    let output = Process::new("xmlsec1")
        .arg("--sign")
        .arg("--privkey-pem")
        .arg(format!(
            "{},{}",
            keys.join("idp-signing.key").display(),
            keys.join("idp-signing.crt").display()
        ))
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg("--output")
        .arg(&signed)
        .arg(&source)
        .output()
        .unwrap_or_else(|err| panic!("xmlsec1 cannot run ({err}): apt-get install xmlsec1"));
    assert!(
        output.status.success(),
        "xmlsec1 --sign failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&signed).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    text
}

/// `samlkit explain --format json` as the sample's service provider sees it, at `now` with
/// `skew` seconds allowed: the report.
fn explain(xml: &str, now: &str, skew: &str) -> Value {
    let output = samlkit()
        .args(["explain", "--format", "json", "--profile", "generic"])
        .args(["--idp-cert", "samples/keys/idp-signing.crt"])
        .args([
            "--sp-entity-id",
            SP,
            "--acs-url",
            SP,
            "--request-id",
            REQUEST_ID,
        ])
        .args(["--now", now, "--clock-skew", skew, "-"])
        .write_stdin(xml.as_bytes().to_vec())
        .output()
        .expect("samlkit runs");
    let mut reports = json_lines(&output.stdout);
    assert_eq!(
        reports.len(),
        1,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    reports.remove(0)
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// The verdict is "fail" with exactly `expected` as its errors.
fn assert_fails_with(report: &Value, expected: &[&str], case: &str) {
    assert_eq!(codes(report), expected, "{case}");
    assert_eq!(report["verdict"], "fail", "{case}");
}

fn assert_passes(report: &Value, case: &str) {
    assert_eq!(codes(report), Vec::<String>::new(), "{case}");
    assert_eq!(report["verdict"], "pass", "{case}");
}

/// Judged a few minutes after issue, well inside every window.
fn explain_now(xml: &str) -> Value {
    explain(xml, "2026-11-28T09:05:00Z", "180")
}

#[test]
fn the_signed_sample_passes_for_its_service_provider() {
    assert_passes(&explain_now(&signed_sample(&[])), "the sample as issued");
}

#[test]
fn an_audience_is_the_entity_id_exactly_not_a_prefix_or_extension_of_it() {
    let extended = format!("{SP}/other-app");
    let suffixed = format!("{SP}x");
    let shortened = SP[..SP.len() - 1].to_string();
    // Same first byte (and scheme), different service provider.
    let after_first_byte = "https://other-app.example/saml".to_string();
    let last_byte = format!("{}m", &SP[..SP.len() - 1]);
    for audience in [extended, suffixed, shortened, after_first_byte, last_byte] {
        let xml = signed_sample(&[(SAMPLE_AUDIENCE, &format!("<Audience>{audience}</Audience>"))]);
        assert_fails_with(
            &explain_now(&xml),
            &["assertion/audience-mismatch"],
            &audience,
        );
    }
}

#[test]
fn every_audience_restriction_must_name_the_service_provider() {
    let other = "<AudienceRestriction><Audience>https://other-app.example/saml</Audience></AudienceRestriction>";
    let ours = format!("<AudienceRestriction>{SAMPLE_AUDIENCE}</AudienceRestriction>");
    for (case, restrictions) in [
        ("ours, then another", format!("{ours}{other}")),
        ("another, then ours", format!("{other}{ours}")),
    ] {
        let xml = signed_sample(&[(ours.as_str(), restrictions.as_str())]);
        assert_fails_with(&explain_now(&xml), &["assertion/audience-mismatch"], case);
    }
    // Two restrictions that both name the SP are satisfied.
    let xml = signed_sample(&[(ours.as_str(), format!("{ours}{ours}").as_str())]);
    assert_passes(&explain_now(&xml), "ours twice");
}

#[test]
fn a_recipient_is_the_acs_url_exactly_not_a_prefix_or_extension_of_it() {
    for recipient in [
        format!("{SP}/other"),
        format!("{SP}x"),
        SP[..SP.len() - 1].to_string(),
        format!("{}m", &SP[..SP.len() - 1]),
    ] {
        let xml = signed_sample(&[(SAMPLE_RECIPIENT, &format!(r#"Recipient="{recipient}""#))]);
        assert_fails_with(
            &explain_now(&xml),
            &["subject/recipient-mismatch"],
            &recipient,
        );
    }
}

/// The sample with Conditions ending at 09:30:00Z (the bearer confirmation stays valid).
fn conditions_ending_at_0930() -> String {
    signed_sample(&[(
        SAMPLE_CONDITIONS_END,
        r#"<Conditions NotBefore="2026-11-28T09:00:00.107Z" NotOnOrAfter="2026-11-28T09:30:00Z">"#,
    )])
}

#[test]
fn conditions_not_on_or_after_holds_until_now_minus_skew_and_not_a_second_longer() {
    let xml = conditions_ending_at_0930();
    // NotOnOrAfter = now − skew exactly: expired. One second later: still valid.
    for (skew, expired_at, valid_at) in [
        ("180", "2026-11-28T09:33:00Z", "2026-11-28T09:32:59Z"),
        ("60", "2026-11-28T09:31:00Z", "2026-11-28T09:30:59Z"),
        ("0", "2026-11-28T09:30:00Z", "2026-11-28T09:29:59Z"),
    ] {
        assert_fails_with(
            &explain(&xml, expired_at, skew),
            &["time/expired"],
            &format!("skew {skew} at {expired_at}"),
        );
        assert_passes(
            &explain(&xml, valid_at, skew),
            &format!("skew {skew} at {valid_at}"),
        );
    }
    // The skew allowed once, not twice: long after now − skew it stays expired.
    assert_fails_with(
        &explain(&xml, "2026-11-28T09:35:59Z", "180"),
        &["time/expired"],
        "skew 180, 5:59 after NotOnOrAfter",
    );
}
