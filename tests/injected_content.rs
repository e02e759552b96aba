//! Attack classes aimed at service providers that read identity by XPath or document order, or
//! compare values exactly: content injected outside the verified assertion, odd values the
//! IdP signed, markup splitting values, and encoding declarations that lie. Each fixture is a
//! signed Entra ID-shaped Response changed for one class (tests/fixtures/injected/generate.py).
//! For each: the finding's code, where it points, and that the identity samlkit reports is the
//! one the verified assertion carries.

mod common;

use common::{json_lines, repo_root, samlkit};
use serde_json::Value;

const METADATA: &str = "samples/entra-federation-metadata.xml";
const Q_URL: &str = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml";
const NOW: &str = "2026-11-28T09:05:00Z";
/// The user the IdP signed for in every fixture.
const SIGNED_USER: &str = "alice@contoso.example";
/// The user injected content names.
const INJECTED_USER: &str = "admin@contoso.example";

/// `samlkit explain --format json` of one fixture as Amazon Q Business (user id: `Email`).
fn explain(fixture: &str) -> Value {
    explain_file(&format!("tests/fixtures/injected/{fixture}"))
}

/// [`explain`] of any file of the repository.
fn explain_file(fixture: &str) -> Value {
    let output = samlkit()
        .args(["explain", "--format", "json", "--idp-metadata", METADATA])
        .args([
            "--profile",
            "amazon-q-business",
            "--sp-entity-id",
            Q_URL,
            "--acs-url",
            Q_URL,
        ])
        .args(["--request-id", "_a7f3e9c1d2b4", "--now", NOW])
        .arg(fixture)
        .output()
        .unwrap();
    let reports = json_lines(&output.stdout);
    assert_eq!(
        reports.len(),
        1,
        "{fixture}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = reports.into_iter().next().unwrap();
    assert_eq!(
        output.status.code(),
        Some(i32::from(report["verdict"] == "fail")),
        "{fixture}"
    );
    report
}

fn findings<'r>(report: &'r Value, code: &str) -> Vec<&'r Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

/// Line and column (1-based, in characters) of the first occurrence of `needle` in the fixture.
fn position_of(fixture: &str, needle: &str) -> (u64, u64) {
    let text =
        std::fs::read_to_string(repo_root().join("tests/fixtures/injected").join(fixture)).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {fixture}"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before[before.rfind('\n').map_or(0, |n| n + 1)..]
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

/// The one error of `code`, pointing at `needle`; the report still names the signed user,
/// verified, and fails.
fn assert_error_at(fixture: &str, code: &str, needle: &str) -> Value {
    let report = explain(fixture);
    let found = findings(&report, code);
    assert_eq!(
        found.len(),
        1,
        "{fixture}: {code} in {:#}",
        report["findings"]
    );
    let finding = found[0].clone();
    assert_eq!(finding["severity"], "error", "{fixture}");
    let (line, column) = position_of(fixture, needle);
    assert_eq!(finding["location"]["line"], line, "{fixture}: {finding:#}");
    assert_eq!(
        finding["location"]["column"], column,
        "{fixture}: {finding:#}"
    );
    assert_eq!(report["verdict"], "fail", "{fixture}");
    finding
}

fn assert_signed_identity(fixture: &str, name_id: &str) {
    let report = explain(fixture);
    assert_eq!(report["subject"]["name_id"], name_id, "{fixture}");
    assert_eq!(report["subject"]["verified"], true, "{fixture}");
    assert_eq!(report["signature"]["verified"], true, "{fixture}");
}

/// What `samlkit` prints as text, without colour, for `args` and one fixture.
fn text_output(args: &[&str], fixture: &str) -> String {
    let output = samlkit()
        .args(args)
        .args(["--color", "never"])
        .arg(format!("tests/fixtures/injected/{fixture}"))
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const WRAPPING: &str = "signature/identity-outside-signed-assertion";

#[test]
fn identity_content_directly_under_the_response_is_wrapping() {
    for (fixture, needle) in [
        ("response-level-subject.xml", "<saml:Subject "),
        (
            "response-level-attribute-statement.xml",
            "<saml:AttributeStatement ",
        ),
    ] {
        let finding = assert_error_at(fixture, WRAPPING, needle);
        let message = finding["message"].as_str().unwrap();
        assert!(message.contains("Response › "), "{message}");
        assert!(message.contains("document order"), "{message}");
        assert!(message.contains("signature wrapping"), "{message}");
        assert_signed_identity(fixture, SIGNED_USER);
    }
}

#[test]
fn a_name_id_in_extensions_or_status_detail_is_wrapping() {
    for (fixture, needle, place) in [
        (
            "extensions-name-id.xml",
            "<saml:NameID ",
            "Response › Extensions › NameID",
        ),
        (
            "status-detail-name-id.xml",
            "<NameID xmlns",
            "Response › Status › StatusDetail › NameID",
        ),
    ] {
        let finding = assert_error_at(fixture, WRAPPING, needle);
        let message = finding["message"].as_str().unwrap();
        assert!(message.contains(place), "{message}");
        assert!(
            message.contains(&format!("\"{INJECTED_USER}\"")),
            "{message}"
        );
        assert_signed_identity(fixture, SIGNED_USER);
    }
}

#[test]
fn a_subject_in_the_signed_assertions_own_key_info_is_wrapping_though_the_signature_verifies() {
    let finding = assert_error_at("keyinfo-subject.xml", WRAPPING, "<saml:Subject ");
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("Signature › KeyInfo › Subject"),
        "{message}"
    );
    assert_signed_identity("keyinfo-subject.xml", SIGNED_USER);
}

#[test]
fn a_subject_in_a_ds_object_is_wrapping() {
    let finding = assert_error_at("object-subject.xml", WRAPPING, "<saml:Subject ");
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("Signature › Object › Subject"),
        "{message}"
    );
    let report = explain("object-subject.xml");
    assert_eq!(report["subject"]["name_id"], SIGNED_USER);
}

#[test]
fn an_assertion_in_no_namespace_before_the_signed_one_is_wrapping() {
    let finding = assert_error_at(
        "no-namespace-assertion.xml",
        WRAPPING,
        "<Assertion xmlns=\"\"",
    );
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains("namespace"), "{message}");
    assert!(message.contains("before the assertion"), "{message}");
    assert_signed_identity("no-namespace-assertion.xml", SIGNED_USER);
}

#[test]
fn identity_in_advice_the_idp_signed_is_a_warning_that_names_the_place() {
    let report = explain("advice-assertion.xml");
    let found = findings(&report, WRAPPING);
    assert_eq!(found.len(), 1, "{:#}", report["findings"]);
    assert_eq!(found[0]["severity"], "warning");
    let (line, column) = position_of("advice-assertion.xml", "<Assertion ID=\"_advice\"");
    assert_eq!(found[0]["location"]["line"], line);
    assert_eq!(found[0]["location"]["column"], column);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("Advice › Assertion"), "{message}");
    assert!(message.contains("the IdP signed it"), "{message}");
    assert_signed_identity("advice-assertion.xml", SIGNED_USER);
}

#[test]
fn a_signed_assertion_hidden_in_an_unsigned_ones_advice_is_named() {
    let report = explain("signed-assertion-in-evil-advice.xml");
    let found = findings(&report, WRAPPING);
    assert_eq!(found.len(), 1, "{:#}", report["findings"]);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.starts_with("the signed <Assertion>"), "{message}");
    assert!(message.contains("Advice"), "{message}");
    // The claims are the outer, unsigned assertion's, and are reported as not verified.
    assert_eq!(report["subject"]["verified"], false);
    assert!(!findings(&report, "signature/claims-not-verified").is_empty());
    assert_eq!(report["verdict"], "fail");
}

#[test]
fn a_digest_value_outside_any_signature_is_flagged() {
    let finding = assert_error_at(
        "extensions-digest-value.xml",
        "signature/signature-part-out-of-place",
        "<ds:DigestValue ",
    );
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("Extensions › DigestValue"));
    assert_signed_identity("extensions-digest-value.xml", SIGNED_USER);
}

#[test]
fn the_name_id_is_reported_exactly_as_signed_with_its_whitespace() {
    let signed = "  alice@contoso.example\n\t";
    let finding = assert_error_at(
        "nameid-whitespace.xml",
        "claims/value-surrounding-whitespace",
        "  alice@contoso.example",
    );
    assert_eq!(finding["actual"], "\"  alice@contoso.example\\n\\t\"");
    assert_signed_identity("nameid-whitespace.xml", signed);
    // Text output shows the value with visible escapes.
    let text = text_output(
        &["explain", "--idp-metadata", METADATA, "--now", NOW],
        "nameid-whitespace.xml",
    );
    assert!(
        text.contains("Who         \"  alice@contoso.example\\n\\t\""),
        "{text}"
    );
}

#[test]
fn inspect_shows_the_name_id_exactly_as_signed() {
    let output = samlkit()
        .args(["inspect", "--format", "json"])
        .arg("tests/fixtures/injected/nameid-whitespace.xml")
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        summary["response"]["assertions"][0]["subject"]["name_id"]["value"],
        "  alice@contoso.example\n\t"
    );
    let text = text_output(&["inspect"], "nameid-zero-width-space.xml");
    assert!(
        text.contains("NameID         \"ali\\u{200B}ce@contoso.example\""),
        "{text}"
    );
}

#[test]
fn invisible_full_width_and_look_alike_letters_in_the_name_id_are_errors() {
    // xmlsec1 writes the characters as references: `needle` is the NameID text as written.
    for (fixture, code, value, needle) in [
        (
            "nameid-zero-width-space.xml",
            "claims/value-invisible-character",
            "ali\u{200B}ce@contoso.example",
            "ali&#x200B;ce@",
        ),
        (
            "nameid-full-width.xml",
            "claims/value-changes-under-nfkc",
            "\u{FF41}lice@contoso.example",
            "&#xFF41;lice@",
        ),
        (
            "nameid-cyrillic-a.xml",
            "claims/value-mixed-scripts",
            "\u{0430}lice@contoso.example",
            "&#x430;lice@",
        ),
        (
            "nameid-cyrillic-look-alike.xml",
            "claims/value-mixed-scripts",
            "\u{0440}\u{0430}\u{0443}\u{0440}\u{0430}\u{04CF}",
            "&#x440;&#x430;",
        ),
    ] {
        assert_error_at(fixture, code, needle);
        // JSON keeps the exact string the IdP signed.
        assert_signed_identity(fixture, value);
    }
}

#[test]
fn cdata_or_comments_splitting_identity_values_are_errors_with_the_value_whole() {
    let finding = assert_error_at(
        "nameid-cdata.xml",
        "nameid/markup-inside",
        "alice@contoso.example<![CDATA[",
    );
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("\"alice@contoso.example.evil.example\""));
    assert_signed_identity("nameid-cdata.xml", "alice@contoso.example.evil.example");

    let finding = assert_error_at(
        "email-comment.xml",
        "claims/value-split-by-markup",
        "alice@contoso.example<!---->",
    );
    assert!(finding["message"].as_str().unwrap().contains("`Email`"));
}

#[test]
fn odd_values_of_other_attributes_are_warnings() {
    let report = explain("display-name-whitespace.xml");
    let found = findings(&report, "claims/value-surrounding-whitespace");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["actual"], "\"Alice Example \"");
    assert_eq!(report["verdict"], "pass");
}

#[test]
fn an_encoding_declaration_that_does_not_match_the_bytes_is_an_error() {
    for (fixture, declared) in [
        ("utf16-declared-utf8-bytes.xml", "UTF-16"),
        ("latin1-declared-utf8-bytes.xml", "ISO-8859-1"),
    ] {
        let finding = assert_error_at(fixture, "xml/encoding-declaration-mismatch", "<?xml");
        assert!(finding["message"]
            .as_str()
            .unwrap()
            .contains(&format!("encoding=\"{declared}\"")));
    }
}

#[test]
fn the_clean_signed_response_has_none_of_these_findings() {
    let report = explain_file("tests/fixtures/rules/clean-signed.xml");
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["subject"]["name_id"], SIGNED_USER);
}
