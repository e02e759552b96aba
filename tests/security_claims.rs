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
const SIGNING_CERT: &str = "samples/keys/idp-signing.crt";
const METADATA: &str = "samples/entra-federation-metadata.xml";
const NOW: &str = "2026-11-28T09:05:00Z";
const ISSUER: &str = "https://sts.windows.net/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/";
const SAMPLE_DESTINATION: &str =
    r#"Destination="https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml""#;
const SAMPLE_RESPONSE_IN_RESPONSE_TO: &str = r#"InResponseTo="_a7f3e9c1d2b4" xmlns:samlp"#;
const SAMPLE_CONFIRMATION_IN_RESPONSE_TO: &str =
    r#"<SubjectConfirmationData InResponseTo="_a7f3e9c1d2b4""#;
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

/// `samlkit explain --format json` as the sample's service provider (entity ID and ACS URL
/// [`SP`]) sees it, with `extra` flags: the report.
fn explain_with(xml: &str, extra: &[&str]) -> Value {
    explain_as("generic", xml, extra)
}

/// [`explain_with`] under the service provider `profile`.
fn explain_as(profile: &str, xml: &str, extra: &[&str]) -> Value {
    let output = samlkit()
        .args(["explain", "--format", "json", "--profile", profile])
        .args(["--sp-entity-id", SP, "--acs-url", SP])
        .args(extra)
        .arg("-")
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

/// The sample's trust and request ID, judged at `now` with `skew` seconds allowed.
fn explain(xml: &str, now: &str, skew: &str) -> Value {
    explain_with(
        xml,
        &[
            "--idp-cert",
            SIGNING_CERT,
            "--request-id",
            REQUEST_ID,
            "--now",
            now,
            "--clock-skew",
            skew,
        ],
    )
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
    explain(xml, NOW, "180")
}

#[test]
fn the_signed_sample_passes_for_its_service_provider() {
    let report = explain_now(&signed_sample(&[]));
    assert_passes(&report, "the sample as issued");
    // The facts the checks judged, as the report states them.
    let facts = &report["facts"];
    assert_eq!(facts["kind"], "response");
    assert_eq!(facts["issuer"], ISSUER);
    assert_eq!(facts["destination"], SP);
    assert_eq!(facts["in_response_to"], REQUEST_ID);
    assert_eq!(facts["audiences"], serde_json::json!([SP]));
    assert_eq!(facts["recipient"], SP);
    assert_eq!(facts["not_on_or_after"], "2026-11-28T10:10:00.107Z");
}

#[test]
fn an_authn_request_reports_its_own_facts() {
    let request =
        std::fs::read_to_string(repo_root().join("tests/fixtures/rules/authn-request-ok.xml"))
            .expect("the request fixture");
    let report = explain_with(&request, &["--now", NOW]);
    let facts = &report["facts"];
    assert_eq!(facts["kind"], "authn-request");
    assert_eq!(facts["issuer"], SP);
    assert_eq!(
        facts["destination"],
        "https://login.microsoftonline.com/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/saml2"
    );
    assert_eq!(facts["in_response_to"], Value::Null);
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
    for recipient in near_misses(SP) {
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

/// Near misses of `exact`: extended, suffixed, shortened by one byte, last byte changed.
fn near_misses(exact: &str) -> [String; 4] {
    [
        format!("{exact}/other"),
        format!("{exact}x"),
        exact[..exact.len() - 1].to_string(),
        format!("{}m", &exact[..exact.len() - 1]),
    ]
}

#[test]
fn a_destination_is_the_acs_url_exactly() {
    for destination in near_misses(SP) {
        let xml = signed_sample(&[(
            SAMPLE_DESTINATION,
            &format!(r#"Destination="{destination}""#),
        )]);
        assert_fails_with(
            &explain_now(&xml),
            &["response/destination-mismatch"],
            &destination,
        );
    }
}

#[test]
fn the_response_issuer_is_the_metadata_entity_id_exactly() {
    let trusted_by_metadata = |xml: &str| {
        explain_with(
            xml,
            &[
                "--idp-metadata",
                METADATA,
                "--request-id",
                REQUEST_ID,
                "--now",
                NOW,
            ],
        )
    };
    assert_passes(
        &trusted_by_metadata(&signed_sample(&[])),
        "the sample's Issuer",
    );
    let response_issuer =
        format!(r#"<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">{ISSUER}</Issuer>"#);
    for issuer in near_misses(ISSUER) {
        let xml = signed_sample(&[(
            response_issuer.as_str(),
            &format!(r#"<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">{issuer}</Issuer>"#),
        )]);
        assert_fails_with(
            &trusted_by_metadata(&xml),
            &["response/issuer-mismatch"],
            &issuer,
        );
    }
}

#[test]
fn in_response_to_answers_the_request_given() {
    // Missing on the Response: an unsolicited answer where a request was sent.
    let xml = signed_sample(&[(SAMPLE_RESPONSE_IN_RESPONSE_TO, "xmlns:samlp")]);
    assert_fails_with(
        &explain_now(&xml),
        &["response/in-response-to-mismatch"],
        "no InResponseTo",
    );
    for other in near_misses(REQUEST_ID) {
        let xml = signed_sample(&[(
            SAMPLE_RESPONSE_IN_RESPONSE_TO,
            &format!(r#"InResponseTo="{other}" xmlns:samlp"#),
        )]);
        assert_fails_with(
            &explain_now(&xml),
            &["response/in-response-to-mismatch"],
            &other,
        );
        let xml = signed_sample(&[(
            SAMPLE_CONFIRMATION_IN_RESPONSE_TO,
            &format!(r#"<SubjectConfirmationData InResponseTo="{other}""#),
        )]);
        assert_fails_with(
            &explain_now(&xml),
            &["subject/in-response-to-mismatch"],
            &other,
        );
    }
}

#[test]
fn an_encrypted_assertion_without_the_sp_key_is_unread_not_missing() {
    let encrypted = std::fs::read_to_string(
        repo_root().join("crates/samlkit-verify/tests/fixtures/xmlenc/rsa-1_5.aes128-cbc.xml"),
    )
    .expect("the encrypted fixture")
    // A successful Response (the fixture has no Status), so its assertion is looked for.
    .replacen(
        "</saml:Issuer>",
        r#"</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>"#,
        1,
    );
    let report = explain_with(&encrypted, &["--now", "2026-01-01T00:00:00Z"]);
    let codes = codes(&report);
    assert!(
        codes.contains(&"response/encrypted-assertion".to_string()),
        "{codes:?}"
    );
    assert!(
        !codes.contains(&"response/no-assertion".to_string()),
        "{codes:?}"
    );
    assert_eq!(report["verdict"], "fail");
    // Its signature is inside the ciphertext: not "unsigned"; the verifier's other findings
    // (here, that no trusted key was given) still reach the report.
    let all = all_codes(&report);
    assert!(
        !all.contains(&"signature/not-signed".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"signature/no-trust-configured".to_string()),
        "{all:?}"
    );
}

/// Every finding code, warnings and notes included.
fn all_codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn issue_instants_are_judged_at_their_exact_bounds() {
    // Whole seconds, so the bounds fall on the instants below.
    let xml = signed_sample(&[
        (
            r#"IssueInstant="2026-11-28T09:00:00.123Z""#,
            r#"IssueInstant="2026-11-28T09:00:00Z""#,
        ),
        (
            r#"IssueInstant="2026-11-28T09:00:00.107Z""#,
            r#"IssueInstant="2026-11-28T09:00:00Z""#,
        ),
    ]);
    let has =
        |now: &str, code: &str| all_codes(&explain(&xml, now, "180")).contains(&code.to_string());
    // Issued exactly skew ahead of now is allowed; one second more is in the future.
    assert!(!has("2026-11-28T08:57:00Z", "time/issued-in-future"));
    assert!(has("2026-11-28T08:56:59Z", "time/issued-in-future"));
    // Issued exactly the maximum age (an hour) ago is not yet old; one second more is.
    assert!(!has("2026-11-28T10:00:00Z", "time/issued-long-ago"));
    assert!(has("2026-11-28T10:00:01Z", "time/issued-long-ago"));
}

#[test]
fn an_entra_error_code_gets_the_entra_fix_whoever_the_issuer_claims_to_be() {
    // AADSTS codes come only from Entra ID, so the fix names Entra ID's console even when the
    // Issuer does not say Entra.
    let xml = signed_sample(&[(
        r#"<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://sts.windows.net/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/</Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>"#,
        r#"<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.org/saml</Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/><samlp:StatusMessage>AADSTS50105: The signed in user is not assigned to a role for the application.</samlp:StatusMessage></samlp:Status>"#,
    )]);
    let report = explain_now(&xml);
    let status = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "response/status-not-success")
        .expect("the status finding");
    let fix = status["fix"].as_str().unwrap();
    assert!(fix.contains("Entra ID › Enterprise apps"), "{fix}");
}

#[test]
fn the_bearer_confirmation_holds_until_now_minus_skew_and_not_a_second_longer() {
    // The confirmation ends at 09:30:00Z; the Conditions stay valid until 10:10.
    let xml = signed_sample(&[(
        r#"<SubjectConfirmationData InResponseTo="_a7f3e9c1d2b4" NotOnOrAfter="2026-11-28T10:10:00.107Z""#,
        r#"<SubjectConfirmationData InResponseTo="_a7f3e9c1d2b4" NotOnOrAfter="2026-11-28T09:30:00Z""#,
    )]);
    for (skew, expired_at, valid_at) in [
        ("180", "2026-11-28T09:33:00Z", "2026-11-28T09:32:59Z"),
        ("0", "2026-11-28T09:30:00Z", "2026-11-28T09:29:59Z"),
    ] {
        assert_fails_with(
            &explain(&xml, expired_at, skew),
            &["time/confirmation-expired"],
            &format!("skew {skew} at {expired_at}"),
        );
        assert_passes(
            &explain(&xml, valid_at, skew),
            &format!("skew {skew} at {valid_at}"),
        );
    }
}

#[test]
fn conditions_not_before_holds_from_now_plus_skew_and_not_a_second_earlier() {
    let xml = signed_sample(&[(
        SAMPLE_CONDITIONS_END,
        r#"<Conditions NotBefore="2026-11-28T09:10:00Z" NotOnOrAfter="2026-11-28T10:10:00.107Z">"#,
    )]);
    // NotBefore = now + skew exactly: valid. One second later: not yet valid.
    for (skew, valid_at, early_at) in [
        ("180", "2026-11-28T09:07:00Z", "2026-11-28T09:06:59Z"),
        ("0", "2026-11-28T09:10:00Z", "2026-11-28T09:09:59Z"),
    ] {
        assert_passes(
            &explain(&xml, valid_at, skew),
            &format!("skew {skew} at {valid_at}"),
        );
        assert_fails_with(
            &explain(&xml, early_at, skew),
            &["time/not-yet-valid"],
            &format!("skew {skew} at {early_at}"),
        );
    }
}

#[test]
fn the_regional_aws_sign_in_audience_is_accepted_only_for_aws_iam() {
    // Without --sp-entity-id a profile's own audiences are expected; the regional AWS sign-in
    // endpoints count only for the aws-iam profile, and only then.
    let regional = "https://eu-west-1.signin.aws.amazon.com/saml";
    let xml = signed_sample(&[(SAMPLE_AUDIENCE, &format!("<Audience>{regional}</Audience>"))]);
    let audience_codes = |profile: &str, sp_entity_id: Option<&str>| {
        let mut command = samlkit();
        command
            .args(["explain", "--format", "json", "--profile", profile])
            .args(["--idp-cert", SIGNING_CERT, "--now", NOW]);
        if let Some(sp_entity_id) = sp_entity_id {
            command.args(["--sp-entity-id", sp_entity_id]);
        }
        let output = command
            .arg("-")
            .write_stdin(xml.as_bytes().to_vec())
            .output()
            .expect("samlkit runs");
        let report = json_lines(&output.stdout).remove(0);
        all_codes(&report)
            .into_iter()
            .filter(|code| code.starts_with("assertion/audience"))
            .collect::<Vec<_>>()
    };
    let mismatch = ["assertion/audience-mismatch"];
    assert_eq!(audience_codes("aws-iam", None), Vec::<String>::new());
    assert_eq!(audience_codes("slack", None), mismatch);
    // An entity ID given replaces the profile's audiences, regional ones included.
    assert_eq!(audience_codes("aws-iam", Some(SP)), mismatch);
}

// --- NameID: what each profile needs ----------------------------------------------------------

const SAMPLE_NAME_ID: &str = r#"<NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">alice@contoso.example</NameID>"#;

/// The sample with its NameID replaced, judged under `profile` (no SP settings): the findings
/// about the NameID, as (code, message, fix).
fn name_id_findings(format: &str, value: &str, profile: &str) -> Vec<(String, String, String)> {
    let name_id = format!(r#"<NameID Format="urn:oasis:names:tc:SAML:{format}">{value}</NameID>"#);
    let xml = signed_sample(&[(SAMPLE_NAME_ID, &name_id)]);
    let output = samlkit()
        .args(["explain", "--format", "json", "--profile", profile])
        .args(["--idp-cert", SIGNING_CERT, "--now", NOW, "-"])
        .write_stdin(xml.into_bytes())
        .output()
        .expect("samlkit runs");
    let report = json_lines(&output.stdout).remove(0);
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("nameid/"))
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap_or_default().to_string();
            (text("code"), text("message"), text("fix"))
        })
        .collect()
}

const EMAIL: &str = "1.1:nameid-format:emailAddress";
const PERSISTENT: &str = "2.0:nameid-format:persistent";
const TRANSIENT: &str = "2.0:nameid-format:transient";

#[test]
fn a_profile_names_the_name_id_format_it_needs_and_why() {
    let github = name_id_findings(TRANSIENT, "alice", "github");
    assert_eq!(github.len(), 1, "{github:?}");
    assert_eq!(github[0].0, "nameid/format");
    assert!(
        github[0].1.contains("GitHub re-links the account"),
        "{github:?}"
    );
    assert!(github[0].2.contains("user.objectid"), "{github:?}");
    let amazon_q = name_id_findings(EMAIL, "alice@contoso.example", "amazon-q-business");
    assert_eq!(amazon_q.len(), 1, "{amazon_q:?}");
    assert!(amazon_q[0].1.contains("Permission needed"), "{amazon_q:?}");
    assert!(amazon_q[0].2.contains("user.mail"), "{amazon_q:?}");
}

#[test]
fn a_name_id_value_must_fit_its_format() {
    let misfits = |format: &str, value: &str| -> Vec<String> {
        name_id_findings(format, value, "generic")
            .into_iter()
            .map(|(code, message, _)| format!("{code}: {message}"))
            .collect()
    };
    let not_email = [
        "nameid/value-does-not-fit-format: an emailAddress NameID that is not an e-mail address",
    ];
    assert_eq!(
        misfits(EMAIL, "alice@contoso.example"),
        Vec::<String>::new()
    );
    assert_eq!(misfits(EMAIL, "alice"), not_email);
    let too_long = ["nameid/value-does-not-fit-format: a NameID longer than 256 characters"];
    for format in [PERSISTENT, TRANSIENT] {
        assert_eq!(misfits(format, &"a".repeat(256)), Vec::<String>::new());
        assert_eq!(misfits(format, &"a".repeat(257)), too_long);
    }
}

#[test]
fn atlassian_and_identity_center_identify_users_by_e_mail() {
    for profile in ["atlassian", "aws-identity-center"] {
        let codes = |value: &str| -> Vec<String> {
            name_id_findings(EMAIL, value, profile)
                .into_iter()
                .chain(name_id_findings(PERSISTENT, value, profile))
                .map(|(_, message, _)| message)
                .filter(|message| message.contains("identifies users by e-mail address"))
                .collect()
        };
        assert_eq!(codes("alice@contoso.example").len(), 0, "{profile}");
        // A persistent non-e-mail value: the profile's own finding (the emailAddress one is a
        // format misfit instead).
        assert_eq!(codes("alice-0001").len(), 1, "{profile}");
    }
    let generic = name_id_findings(PERSISTENT, "alice-0001", "generic");
    assert_eq!(generic, Vec::new());
}

#[test]
fn the_regional_aws_sign_in_recipient_is_accepted_only_for_aws_iam_without_an_acs_url() {
    let regional = "https://eu-west-1.signin.aws.amazon.com/saml";
    let recipient_codes = |recipient: &str, profile: &str, acs_url: Option<&str>| {
        let xml = signed_sample(&[(SAMPLE_RECIPIENT, &format!(r#"Recipient="{recipient}""#))]);
        let mut command = samlkit();
        command
            .args(["explain", "--format", "json", "--profile", profile])
            .args(["--idp-cert", SIGNING_CERT, "--now", NOW]);
        if let Some(acs_url) = acs_url {
            command.args(["--acs-url", acs_url]);
        }
        let output = command
            .arg("-")
            .write_stdin(xml.into_bytes())
            .output()
            .expect("samlkit runs");
        all_codes(&json_lines(&output.stdout).remove(0))
            .into_iter()
            .filter(|code| code.starts_with("subject/recipient"))
            .collect::<Vec<_>>()
    };
    let mismatch = ["subject/recipient-mismatch"];
    // aws-iam without --acs-url: the global or a regional sign-in endpoint, nothing else.
    assert_eq!(
        recipient_codes("https://signin.aws.amazon.com/saml", "aws-iam", None),
        Vec::<String>::new()
    );
    assert_eq!(
        recipient_codes(regional, "aws-iam", None),
        Vec::<String>::new()
    );
    assert_eq!(
        recipient_codes("https://evil.example/saml", "aws-iam", None),
        mismatch
    );
    // With an ACS URL given, or under another profile, a regional endpoint is just another URL.
    assert_eq!(recipient_codes(regional, "aws-iam", Some(SP)), mismatch);
    assert_eq!(recipient_codes(regional, "generic", Some(SP)), mismatch);
}

// --- Signature findings in the lint ------------------------------------------------------------

fn finding<'r>(report: &'r Value, code: &str) -> Option<&'r Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
}

#[test]
fn claims_signed_by_a_key_not_trusted_say_why() {
    let output = samlkit()
        .args([
            "explain",
            "--format",
            "json",
            "--profile",
            "generic",
            "--now",
            NOW,
        ])
        .args([
            "--idp-cert",
            "crates/samlkit-verify/tests/fixtures/keys/attacker.crt.pem",
            "-",
        ])
        .write_stdin(signed_sample(&[]).into_bytes())
        .output()
        .expect("samlkit runs");
    let report = json_lines(&output.stdout).remove(0);
    let claims = finding(&report, "signature/claims-not-verified").expect("claims not verified");
    let message = claims["message"].as_str().unwrap();
    assert!(
        message.ends_with("the signature does not verify with any trusted key"),
        "{message}"
    );
    assert_eq!(report["verdict"], "fail");
}

#[test]
fn an_aws_iam_recipient_mismatch_names_the_trust_policy() {
    let xml = signed_sample(&[(SAMPLE_RECIPIENT, r#"Recipient="https://evil.example/saml""#)]);
    let recipient_message = |profile: &str| {
        let output = samlkit()
            .args(["explain", "--format", "json", "--profile", profile])
            .args([
                "--idp-cert",
                SIGNING_CERT,
                "--acs-url",
                SP,
                "--now",
                NOW,
                "-",
            ])
            .write_stdin(xml.as_bytes().to_vec())
            .output()
            .expect("samlkit runs");
        let report = json_lines(&output.stdout).remove(0);
        let mismatch = finding(&report, "subject/recipient-mismatch").expect("a mismatch");
        mismatch["message"].as_str().unwrap().to_string()
    };
    assert!(recipient_message("aws-iam").contains("AWS sets SAML:aud from this Recipient"));
    assert!(!recipient_message("generic").contains("SAML:aud"));
}

/// The identity provider a request goes to, and so whose console its fixes name: `--idp` wins,
/// then the IdP metadata's entityID, then the request's Destination; an unknown Destination
/// alone names no console.
#[test]
fn a_requests_identity_provider_comes_from_idp_then_metadata_then_destination() {
    let template = std::fs::read_to_string(
        repo_root().join("tests/fixtures/scenarios/authn-request-acs-mismatch.xml"),
    )
    .unwrap();
    let entra_destination =
        "https://login.microsoftonline.com/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/saml2";
    assert!(template.contains(entra_destination));
    let dir = tempfile::tempdir().unwrap();
    let to_entra = dir.path().join("to-entra.xml");
    std::fs::write(&to_entra, &template).unwrap();
    let to_unknown = dir.path().join("to-unknown.xml");
    std::fs::write(
        &to_unknown,
        template.replace(entra_destination, "https://idp.example.org/sso"),
    )
    .unwrap();
    let metadata = repo_root().join("samples/entra-federation-metadata.xml");
    let idp_of = |args: &[&std::ffi::OsStr]| {
        let (_, report) = common::explain_json(args);
        (
            report["idp"].as_str().unwrap_or_default().to_string(),
            report["idp_detected_from"]["from"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    let (flag, metadata_flag) = ("--idp".as_ref(), "--idp-metadata".as_ref());
    assert_eq!(
        idp_of(&[to_entra.as_os_str()]),
        ("entra-id".to_string(), "endpoint".to_string())
    );
    assert_eq!(
        idp_of(&[to_unknown.as_os_str()]),
        ("generic".to_string(), String::new())
    );
    assert_eq!(
        idp_of(&[to_unknown.as_os_str(), metadata_flag, metadata.as_os_str()]),
        ("entra-id".to_string(), "metadata-entity-id".to_string())
    );
    assert_eq!(
        idp_of(&[to_entra.as_os_str(), flag, "okta".as_ref()]),
        ("okta".to_string(), "override".to_string())
    );
}

/// The unsigned Entra-shaped sample.
fn unsigned_sample() -> String {
    std::fs::read_to_string(repo_root().join("samples/entra-response-unsigned.xml"))
        .expect("the unsigned sample")
}

/// `xml` without the first `<NAME …>…</NAME>` in it.
fn without_first(xml: &str, name: &str) -> String {
    let open = format!("<{name}");
    let start = xml
        .match_indices(&open)
        .map(|(at, _)| at)
        .find(|&at| matches!(xml.as_bytes()[at + open.len()], b' ' | b'>' | b'/'))
        .expect("the element");
    let close = format!("</{name}>");
    let end = xml.find(&close).expect("its end tag") + close.len();
    format!("{}{}", &xml[..start], &xml[end..])
}

/// Asserts that `codes` holds `code`, or (with `present` false) that it does not.
fn assert_code(codes: &[String], code: &str, present: bool) {
    assert_eq!(
        codes.iter().any(|c| c == code),
        present,
        "{code} in {codes:?}"
    );
}

#[test]
fn an_unsigned_response_is_reported_as_not_signed() {
    let unsigned = unsigned_sample();
    let report = explain_now(&unsigned);
    assert_code(&codes(&report), "signature/not-signed", true);
    assert_eq!(report["verdict"], "fail");
    // Also with no assertion at all (nothing encrypted either).
    let empty = without_first(&unsigned, "Assertion");
    assert_code(&codes(&explain_now(&empty)), "signature/not-signed", true);
}

/// SAML 1.1 puts the Issuer on the assertion only: a SAML 1.x Response without one of its own
/// is not missing anything.
#[test]
fn a_saml1_response_names_no_issuer_of_its_own() {
    let saml1 = std::fs::read_to_string(
        repo_root().join("tests/corpus-interop/cpp-opensaml/SAML1Response.xml"),
    )
    .expect("the SAML 1.1 response");
    let report = explain_with(&saml1, &["--now", "2026-01-01T00:00:00Z"]);
    assert_code(&all_codes(&report), "response/issuer-missing", false);
    // The same shape in SAML 2.0 is missing its Issuer.
    let without_issuer = without_first(&unsigned_sample(), "Issuer");
    assert_code(
        &all_codes(&explain_now(&without_issuer)),
        "response/issuer-missing",
        true,
    );
}

/// What verification says reaches the report once: a signed assertion without trust is
/// "unverified" for want of the key, not also "claims not verified"; an unsigned one is both
/// unsigned and unverified.
#[test]
fn missing_trust_is_said_once_and_a_missing_signature_is_said_as_such() {
    let signed = signed_sample(&[]);
    let report = explain_with(&signed, &["--now", NOW, "--request-id", REQUEST_ID]);
    let codes = all_codes(&report);
    assert_code(&codes, "signature/no-trust-configured", true);
    assert_code(&codes, "signature/claims-not-verified", false);
    let report = explain_with(
        &unsigned_sample(),
        &["--now", NOW, "--request-id", REQUEST_ID],
    );
    assert_code(&all_codes(&report), "signature/claims-not-verified", true);
}

/// Amazon Q Business: a response that passes (with or without warnings) gets the note that what
/// is left is authorization, not SAML; one with an error does not.
#[test]
fn amazon_q_business_points_past_saml_only_when_nothing_is_wrong_with_it() {
    let q_business = |xml: &str| {
        let trust = [
            "--idp-cert",
            SIGNING_CERT,
            "--request-id",
            REQUEST_ID,
            "--now",
            NOW,
        ];
        explain_as("amazon-q-business", xml, &trust)
    };
    const NOTE: &str = "response/sign-in-ok-check-authorization";
    assert_code(&all_codes(&q_business(&signed_sample(&[]))), NOTE, true);
    // A NotBefore on the bearer confirmation draws a warning, nothing worse.
    let report = q_business(&signed_sample(&[(
        SAMPLE_CONFIRMATION_IN_RESPONSE_TO,
        r#"<SubjectConfirmationData NotBefore="2026-11-28T09:00:00Z" InResponseTo="_a7f3e9c1d2b4""#,
    )]));
    let found = all_codes(&report);
    assert_code(&found, NOTE, true);
    assert!(found.len() > 1, "{found:?}");
    assert_eq!(codes(&report), Vec::<String>::new());
    // An audience for another SP is an error: the note would send the admin the wrong way.
    let report = q_business(&signed_sample(&[(
        SAMPLE_AUDIENCE,
        "<Audience>https://other.example.test/saml</Audience>",
    )]));
    let found = all_codes(&report);
    assert_code(&found, "assertion/audience-mismatch", true);
    assert_code(&found, NOTE, false);
}

/// AD FS custom claims can carry a small XML document as their value
/// (`<claim><key>country</key>…</claim>`): markup, not an unreplaced placeholder.
#[test]
fn xml_carried_in_a_claim_value_is_not_a_placeholder() {
    let capture =
        repo_root().join("tests/corpus-interop/passport-wsfed-saml2/samlresponse_encoded_xml.txt");
    let output = samlkit()
        .args(["explain", "--format", "json"])
        .arg(&capture)
        .output()
        .expect("samlkit runs");
    let report = json_lines(&output.stdout).remove(0);
    let found = all_codes(&report);
    assert_code(&found, "assertion/unreplaced-placeholder", false);
    assert_code(&found, "signature/no-trust-configured", true);
}
