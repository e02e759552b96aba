//! `samlkit diff`: pairs of messages that differ in one way each (made from the unsigned sample
//! by editing its XML, or from signed fixtures), and metadata pairs (key rollover, endpoints).
//! Each test checks the difference named and, with SP settings, the finding it is linked to.

mod common;

use common::samlkit;
use serde_json::Value;

const UNSIGNED: &str = "samples/entra-response-unsigned.xml";
const METADATA: &str = "samples/entra-federation-metadata.xml";
const Q_URL: &str = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml";
const NOW: &str = "2026-11-28T09:05:00Z";

fn sample() -> String {
    std::fs::read_to_string(common::repo_root().join(UNSIGNED)).expect("the sample exists")
}

/// The JSON of `samlkit diff A B` with the Amazon Q settings (or `extra` flags).
fn diff_json(a: &str, b: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (path_a, path_b) = (dir.path().join("a.xml"), dir.path().join("b.xml"));
    std::fs::write(&path_a, a).expect("written");
    std::fs::write(&path_b, b).expect("written");
    let output = samlkit()
        .args(["diff", "--format", "json", "--now", NOW])
        .arg(&path_a)
        .arg(&path_b)
        .args(extra)
        .output()
        .expect("samlkit runs");
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn amazon_q() -> Vec<&'static str> {
    vec![
        "--profile",
        "amazon-q-business",
        "--sp-entity-id",
        Q_URL,
        "--acs-url",
        Q_URL,
        "--request-id",
        "_a7f3e9c1d2b4",
        "--config",
        "/dev/null",
    ]
}

/// The changes as `aspect kind field` lines, for exact comparisons.
fn changes(report: &Value) -> Vec<String> {
    report["diff"]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                c["aspect"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
                c["field"].as_str().unwrap()
            )
        })
        .collect()
}

fn new_codes(report: &Value) -> Vec<String> {
    report["diff"]["new_findings"]
        .as_array()
        .expect("new findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// The sentence that links finding `code` of B to its cause.
fn because(report: &Value, code: &str) -> String {
    report["diff"]["new_findings"]
        .as_array()
        .expect("new findings")
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no new finding {code}: {report}"))["because"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn identical_messages_differ_in_nothing_even_with_new_ids_and_instants() {
    let a = sample();
    let b = a
        .replace(
            "_d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70",
            "_other-assertion-id",
        )
        .replace("2026-11-28T09:00:00.107Z", "2026-11-28T09:01:00.107Z")
        .replace("2026-11-28T10:10:00.107Z", "2026-11-28T10:11:00.107Z");
    let report = diff_json(&a, &b, &amazon_q());
    assert_eq!(changes(&report), Vec::<String>::new());
    assert_eq!(new_codes(&report), Vec::<String>::new());
}

#[test]
fn a_missing_attribute_is_named_as_the_cause_of_claims_required_missing() {
    let a = sample();
    let b = a.replace(
        "<Attribute Name=\"Email\"><AttributeValue>alice@contoso.example</AttributeValue></Attribute>",
        "",
    );
    let report = diff_json(&a, &b, &amazon_q());
    assert_eq!(
        changes(&report),
        vec!["attribute removed assertion 1 › attribute Email"]
    );
    assert_eq!(new_codes(&report), vec!["claims/required-missing"]);
    assert_eq!(
        because(&report, "claims/required-missing"),
        "B has [claims/required-missing] because B has no assertion 1 › attribute Email; A had `alice@contoso.example`"
    );
}

#[test]
fn attribute_values_are_redacted_on_request() {
    let a = sample();
    let b = a.replace(">Alice Example<", ">Alice B. Example<");
    let report = diff_json(&a, &b, &["--redact", "--config", "/dev/null"]);
    assert_eq!(changes(&report), vec!["attribute changed assertion 1 › attribute http://schemas.microsoft.com/identity/claims/displayname"]);
    let text = report.to_string();
    assert!(
        !text.contains("Alice B. Example") && text.contains("redacted:"),
        "{text}"
    );
}

#[test]
fn nameid_format_and_value_changes_cause_nameid_format() {
    let a = sample();
    let b = a.replace(
        "nameid-format:unspecified\">alice@contoso.example",
        "nameid-format:emailAddress\">bob@contoso.example",
    );
    let report = diff_json(&a, &b, &amazon_q());
    assert_eq!(
        changes(&report),
        vec![
            "nameid changed assertion 1 › subject › format",
            "nameid changed assertion 1 › subject › name id"
        ]
    );
    assert!(new_codes(&report).contains(&"nameid/format".to_string()));
    assert!(because(&report, "nameid/format").contains("nameid-format:emailAddress"));
}

#[test]
fn issuer_destination_audience_recipient_and_status_are_each_named() {
    let a = sample();
    let cases = [
        (
            "<Audience>https://a1b2c3d4",
            "<Audience>https://other-app.example",
            "audience changed assertion 1 › conditions › audiences",
            "assertion/audience-mismatch",
        ),
        (
            "Destination=\"https://a1b2c3d4",
            "Destination=\"https://other-app.example",
            "destination changed destination",
            "response/destination-mismatch",
        ),
        (
            "Recipient=\"https://a1b2c3d4",
            "Recipient=\"https://other-app.example",
            "recipient changed assertion 1 › confirmation 1 › recipient",
            "assertion/recipient-mismatch",
        ),
        (
            "status:Success",
            "status:Responder",
            "status changed status › code",
            "response/status-not-success",
        ),
    ];
    for (from, to, change, code) in cases {
        let b = a.replacen(from, to, 1);
        let report = diff_json(&a, &b, &amazon_q());
        let found = changes(&report);
        assert!(
            found.iter().any(|c| c == change),
            "{change} not in {found:?}"
        );
        if new_codes(&report).contains(&code.to_string()) {
            assert!(because(&report, code).contains(" because "), "{report}");
        }
    }
    let b = a.replace(
        "<Issuer>https://sts.windows.net/",
        "<Issuer>https://idp.other.example/",
    );
    let report = diff_json(&a, &b, &amazon_q());
    assert_eq!(
        changes(&report),
        vec!["issuer changed assertion 1 › issuer"]
    );
}

#[test]
fn in_response_to_is_compared_by_presence_and_lifetime_in_relative_terms() {
    let a = sample();
    let b = a.replace(" InResponseTo=\"_a7f3e9c1d2b4\"", "");
    let report = diff_json(&a, &b, &amazon_q());
    let found = changes(&report);
    assert!(
        found.contains(&"in-response-to removed in response to".to_string()),
        "{found:?}"
    );
    assert!(
        new_codes(&report).contains(&"response/in-response-to-mismatch".to_string()),
        "{report}"
    );

    // Ten minutes less lifetime: the instants all differ, only the lifetime is reported.
    let b = a.replace("10:10:00.107Z", "10:00:00.107Z");
    let report = diff_json(&a, &b, &amazon_q());
    let lifetime: Vec<&Value> = report["diff"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["aspect"] == "validity")
        .collect();
    assert_eq!(lifetime.len(), 1, "{report}");
    assert_eq!(lifetime[0]["a"], "4200 s");
    assert_eq!(lifetime[0]["b"], "3600 s");
}

#[test]
fn signature_placement_and_a_rolled_certificate_are_named() {
    let report = samlkit()
        .args([
            "diff",
            "--format",
            "json",
            "--now",
            NOW,
            "--config",
            "samples/samlkit.toml",
        ])
        .args([
            "tests/fixtures/rules/clean-signed.xml",
            "tests/fixtures/rules/response-signed-only.xml",
        ])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&report.stdout).expect("JSON");
    let found = changes(&report);
    assert!(
        found
            .iter()
            .any(|c| c.starts_with("signature ") && c.contains("signature on Response")),
        "{found:?}"
    );

    let report = samlkit()
        .args([
            "diff",
            "--format",
            "json",
            "--now",
            NOW,
            "--config",
            "samples/samlkit.toml",
        ])
        .args([
            "samples/entra-response.b64",
            "tests/fixtures/scenarios/cert-rolled.xml",
        ])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&report.stdout).expect("JSON");
    let found = changes(&report);
    assert!(
        found
            .iter()
            .any(|c| c.starts_with("certificate ") && c.contains("certificate")),
        "{found:?}"
    );
    assert!(
        new_codes(&report).contains(&"signature/untrusted-key".to_string()),
        "{report}"
    );
    assert!(because(&report, "signature/untrusted-key").contains("certificate"));
}

#[test]
fn an_encrypted_assertion_is_named() {
    let report = samlkit()
        .args([
            "diff",
            "--format",
            "json",
            "--now",
            NOW,
            "--config",
            "/dev/null",
        ])
        .args([UNSIGNED, "tests/fixtures/scenarios/q-encrypted.xml"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&report.stdout).expect("JSON");
    let found = changes(&report);
    assert!(
        found.iter().any(|c| c.starts_with("encryption ")),
        "{found:?}"
    );
}

/// The base64 of the first `<X509Certificate>` in an XML text.
fn first_certificate(xml: &str) -> &str {
    let start = xml.find("<X509Certificate>").expect("a certificate") + "<X509Certificate>".len();
    let end = start + xml[start..].find("</X509Certificate>").expect("closed");
    &xml[start..end]
}

#[test]
fn metadata_pairs_show_key_rollover_and_endpoint_changes() {
    let a = std::fs::read_to_string(common::repo_root().join(METADATA)).expect("metadata");
    let b = a.replace("/saml2\"", "/saml2/new\"");
    let report = diff_json(&a, &b, &["--config", "/dev/null"]);
    let found = changes(&report);
    assert!(
        found
            .iter()
            .any(|c| c.starts_with("endpoint added") && c.contains("/saml2/new")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|c| c.starts_with("endpoint removed")),
        "{found:?}"
    );
    assert_eq!(report["diff"]["kind_a"], "entity-descriptor");

    // Key rollover: the IdP's signing certificate replaced by another one.
    let rolled_xml = std::fs::read_to_string(
        common::repo_root().join("tests/fixtures/scenarios/cert-rolled.xml"),
    )
    .expect("fixture");
    let new_cert = first_certificate(&rolled_xml);
    let b: String = a
        .split("<X509Certificate>")
        .enumerate()
        .map(
            |(i, part)| match (i, part.split_once("</X509Certificate>")) {
                (0, _) | (_, None) => part.to_string(),
                (_, Some((_, rest))) => {
                    format!("<X509Certificate>{new_cert}</X509Certificate>{rest}")
                }
            },
        )
        .collect();
    let report = diff_json(&a, &b, &["--config", "/dev/null"]);
    let keys: Vec<&Value> = report["diff"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["field"]
                .as_str()
                .unwrap()
                .contains("role IDPSSODescriptor › key 1 › certificate ")
        })
        .collect();
    let kinds: Vec<&str> = keys.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"added") && kinds.contains(&"removed"),
        "{report}"
    );
    assert!(
        keys.iter().any(|c| c["aspect"] == "certificate"),
        "{report}"
    );
}

#[test]
fn two_messages_of_one_input_are_picked_and_bad_picks_are_refused() {
    let output = samlkit()
        .args(["diff", "samples/entra-response.b64", "--pick", "1,3"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--pick 3: the input holds 1 message(s)")
    );
    let output = samlkit()
        .args(["diff", "samples/entra-response.b64", "--pick", "x"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let output = samlkit()
        .args([
            "diff",
            "samples/entra-response.b64",
            "--pick",
            "1,1",
            "--config",
            "/dev/null",
            "--now",
            NOW,
        ])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn the_text_report_names_the_difference_that_breaks_sign_in() {
    let output = samlkit()
        .args([
            "--color",
            "never",
            "diff",
            "samples/entra-response.b64",
            "samples/amazon-q-permission-needed.b64",
        ])
        .args(["--config", "samples/samlkit.toml"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("error[claims/required-missing]: B has [claims/required-missing] because B has no assertion 1 › attribute Email; A had `alice@contoso.example`"), "{text}");
    assert!(text.contains("error[nameid/format]"), "{text}");
}
