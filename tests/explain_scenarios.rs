//! The ways sign-in fails (SSO field guide §5) that show in a SAMLResponse or AuthnRequest:
//! each has a fixture, and `samlkit explain` must name the cause (its code) and a fix that names
//! the right console field.

mod common;

use common::{codes, explain_for_amazon_q, explain_json, finding};

const METADATA: &str = "samples/entra-federation-metadata.xml";
const NOW: &str = "2026-11-28T09:05:00Z";
const Q_URL: &str = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml";

fn scenario(name: &str) -> String {
    format!("tests/fixtures/scenarios/{name}.xml")
}

/// Runs explain with JSON output; returns the exit code and the report.
fn explain(file: &str, args: &[&str]) -> (i32, serde_json::Value) {
    explain_json(std::iter::once(file).chain(args.iter().copied()))
}

fn amazon_q(file: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut extra = extra.to_vec();
    if !extra.contains(&"--now") {
        extra.extend_from_slice(&["--now", NOW]);
    }
    explain_for_amazon_q(file, &extra)
}

fn errors(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn s01_email_claim_under_another_name() {
    let (code, report) = amazon_q(&scenario("q-email-claim-missing"), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "fail");
    assert_eq!(errors(&report), ["claims/required-missing"]);
    let f = finding(&report, "claims/required-missing");
    assert!(f["message"].as_str().unwrap().contains(
        "did you mean `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress`"
    ));
    assert_eq!(f["expected"], "an Attribute with Name=\"Email\"");
    assert!(f["fix"].as_str().unwrap().starts_with(
        "Microsoft Entra admin center › Entra ID › Enterprise apps › (your app) › Single sign-on \
         › Attributes & Claims › Edit › Add new claim: Name `Email`, Namespace empty, Source: \
         Attribute, Source attribute `user.mail`"
    ));
    assert!(f["location"]["line"].as_u64().is_some());
}

#[test]
fn s01_email_claim_with_entra_namespace() {
    let (code, report) = amazon_q(&scenario("q-email-claim-namespaced"), &[]);
    assert_eq!(code, 1);
    let f = finding(&report, "claims/required-missing");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/Email`"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("clear the Namespace field"));
}

#[test]
fn s02_name_id_format_email_address() {
    let (code, report) = amazon_q(&scenario("q-nameid-email-format"), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors(&report), ["nameid/format"]);
    let f = finding(&report, "nameid/format");
    assert_eq!(
        f["expected"],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    );
    assert_eq!(
        f["actual"],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    );
    assert!(f["fix"].as_str().unwrap().contains(
        "Unique User Identifier (Name ID): Choose name identifier format matching `Unspecified`"
    ));
}

#[test]
fn s03_user_without_mail() {
    let (code, report) = amazon_q(&scenario("q-user-without-mail"), &[]);
    assert_eq!(code, 1);
    let fix = finding(&report, "claims/required-missing")["fix"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        fix.contains(
            "Entra ID › Users › (the user) › Properties: fill in the attribute behind `user.mail`"
        ),
        "{fix}"
    );

    let (code, report) = amazon_q(&scenario("q-email-empty"), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors(&report), ["claims/empty-value"]);
    assert!(finding(&report, "claims/empty-value")["fix"]
        .as_str()
        .unwrap()
        .contains("fill in the attribute behind `user.mail`"));
}

fn aws(file: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "--idp-metadata",
        METADATA,
        "--profile",
        "aws-iam",
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    explain(file, &args)
}

#[test]
fn s04_aws_role_missing_or_single_arn() {
    let (code, report) = aws(&scenario("aws-role-missing"), &[]);
    assert_eq!(code, 1);
    let f = finding(&report, "claims/required-missing");
    assert_eq!(
        f["expected"],
        "an Attribute with Name=\"https://aws.amazon.com/SAML/Attributes/Role\""
    );
    assert!(f["fix"].as_str().unwrap().contains(
        "Add new claim: Name `Role`, Namespace `https://aws.amazon.com/SAML/Attributes`"
    ));
    let (code, report) = aws(&scenario("aws-role-single-arn"), &[]);
    assert_eq!(code, 1);
    let f = finding(&report, "claims/value-format");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("the SAML provider ARN is missing"));
    let (code, report) = aws(&scenario("aws-ok"), &[]);
    assert_eq!((code, errors(&report)), (0, Vec::<String>::new()));
}

#[test]
fn s05_role_session_name_from_display_name() {
    let (code, report) = aws(&scenario("aws-session-name-display"), &[]);
    assert_eq!(code, 1);
    let f = finding(&report, "claims/value-format");
    assert_eq!(f["actual"], "Alice Example");
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Name `RoleSessionName`"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Source attribute `user.userprincipalname` or `user.mail`"));
}

#[test]
fn s06_recipient_differs_from_trust_policy_and_session_tags() {
    let (code, report) = aws(
        &scenario("aws-principal-tag"),
        &["--acs-url", "https://us-east-1.signin.aws.amazon.com/saml"],
    );
    assert_eq!(code, 1);
    let f = finding(&report, "subject/recipient-mismatch");
    assert!(f["message"].as_str().unwrap().contains("SAML:aud"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Reply URL (Assertion Consumer Service URL)"));
    let tag = finding(&report, "claims/principal-tag-needs-tag-session");
    assert!(tag["fix"].as_str().unwrap().contains("sts:TagSession"));
}

#[test]
fn s07_s08_authn_request_acs_and_issuer() {
    let q = ["--sp-entity-id", Q_URL, "--acs-url", Q_URL, "--now", NOW];
    let (code, report) = explain(&scenario("authn-request-acs-mismatch"), &q);
    assert_eq!(code, 1);
    let f = finding(&report, "request/acs-mismatch");
    assert!(f["message"].as_str().unwrap().contains("AADSTS50011"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Basic SAML Configuration › Edit › Reply URL"));
    let (code, report) = explain(&scenario("authn-request-issuer-mismatch"), &q);
    assert_eq!(code, 1);
    let f = finding(&report, "request/issuer-mismatch");
    assert!(f["message"].as_str().unwrap().contains("AADSTS700016"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Basic SAML Configuration › Edit › Identifier (Entity ID)"));
}

#[test]
fn s09_user_not_assigned() {
    let (code, report) = amazon_q(&scenario("user-not-assigned"), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors(&report), ["response/status-not-success"]);
    let f = finding(&report, "response/status-not-success");
    assert!(f["message"].as_str().unwrap().contains("AADSTS50105"));
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Users and groups › Add user/group"));
}

#[test]
fn s10_certificate_rolled_over() {
    let (code, report) = amazon_q(&scenario("cert-rolled"), &[]);
    assert_eq!(code, 1);
    assert!(codes(&report).contains(&"signature/untrusted-key".to_string()));
    let f = finding(&report, "signature/claims-not-verified");
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Federation Metadata XML"));
    assert_eq!(report["signature"]["verified"], false);
    assert_eq!(report["subject"]["verified"], false);
}

#[test]
fn s11_metadata_from_another_tenant() {
    let (code, report) = explain(
        &scenario("q-ok"),
        &[
            "--idp-metadata",
            "tests/fixtures/scenarios/other-tenant-metadata.xml",
            "--now",
            NOW,
        ],
    );
    assert_eq!(code, 1);
    let f = finding(&report, "response/issuer-mismatch");
    assert_eq!(
        f["expected"],
        "https://sts.windows.net/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/"
    );
    assert_eq!(
        f["actual"],
        "https://sts.windows.net/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/"
    );
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Federation Metadata XML"));
}

#[test]
fn s12_clock_skew_and_expiry() {
    let (code, report) = amazon_q(&scenario("q-ok"), &["--now", "2026-11-28T08:55:00Z"]);
    assert_eq!(code, 1);
    let f = finding(&report, "time/not-yet-valid");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("at least 300 s would have been needed (allowed: 180 s)"),
        "{message}"
    );
    assert!(f["fix"].as_str().unwrap().contains("NTP"));
    // A larger allowance accepts it.
    let (code, _) = amazon_q(
        &scenario("q-ok"),
        &["--now", "2026-11-28T08:55:00Z", "--clock-skew", "301"],
    );
    assert_eq!(code, 0);
    let (code, report) = amazon_q(&scenario("q-ok"), &["--now", "2026-11-28T11:00:00Z"]);
    assert_eq!(code, 1);
    assert!(codes(&report).contains(&"time/expired".to_string()));
    assert!(codes(&report).contains(&"time/confirmation-expired".to_string()));
}

#[test]
fn s13_slack_needs_a_signed_response() {
    let slack = [
        "--idp-metadata",
        METADATA,
        "--profile",
        "slack",
        "--now",
        NOW,
    ];
    let (code, report) = explain(&scenario("slack-assertion-only"), &slack);
    assert_eq!(code, 1);
    let f = finding(&report, "signature/response-not-signed");
    assert_eq!(f["actual"], "a Signature only inside <Assertion>");
    assert!(f["fix"].as_str().unwrap().contains(
        "SAML Signing Certificate › Edit › Signing Option: Sign SAML response and assertion"
    ));
    let (code, report) = explain(&scenario("slack-ok"), &slack);
    assert_eq!((code, errors(&report)), (0, Vec::<String>::new()));
}

#[test]
fn s14_identity_center_needs_email_name_id() {
    let idc = [
        "--idp-metadata",
        METADATA,
        "--profile",
        "aws-identity-center",
        "--now",
        NOW,
    ];
    let (code, report) = explain(&scenario("idc-nameid-unspecified"), &idc);
    assert_eq!(code, 1);
    let f = finding(&report, "nameid/format");
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("Choose name identifier format matching `Email address`"));
    let (code, _) = explain(&scenario("idc-ok"), &idc);
    assert_eq!(code, 0);
}

#[test]
fn s15_saml_is_fine_so_the_403_is_authorization() {
    let (code, report) = amazon_q(&scenario("q-ok"), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "pass");
    assert_eq!(codes(&report), ["response/sign-in-ok-check-authorization"]);
    assert_eq!(report["subject"]["name_id"], "alice@contoso.example");
    assert_eq!(report["subject"]["verified"], true);
    assert_eq!(report["signature"]["verified"], true);
    let email = report["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Email")
        .unwrap();
    assert_eq!(email["values"][0], "alice@contoso.example");
}
