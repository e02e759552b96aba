//! SAML 1.1 and WS-Federation end to end: a sign-in response as AD FS posts it to a WS-Fed
//! application (`wa=wsignin1.0&wresult=<RequestSecurityTokenResponse>`), and the SAML 1.x
//! documents of the interop corpus. They decode, inspect, verify and explain as what they are.

mod common;

use common::{codes, explain_json, find_finding, finding, json_lines, repo_root, samlkit};
use serde_json::Value;

const FIXTURES: &str = "crates/samlkit-verify/tests/fixtures";
const SIGNIN_FORM: &str = "crates/samlkit-verify/tests/fixtures/signed/wsfed_saml11_signin.form";
const IDP_CERT: &str = "crates/samlkit-verify/tests/fixtures/keys/idp.crt.pem";
/// Inside the SAML 1.1 token's validity window.
const NOW: &str = "2025-06-02T09:30:00Z";
const AUDIENCE: &str = "https://app.samlkit.test/";

/// `explain` with the IdP certificate; `audience` and `now` as the SP would judge.
fn explain(file: &str, audience: &str, now: &str) -> (i32, Value) {
    explain_json([
        "--idp-cert",
        IDP_CERT,
        "--sp-entity-id",
        audience,
        "--now",
        now,
        file,
    ])
}

#[test]
fn a_ws_federation_signin_form_with_a_saml11_token_passes_explain() {
    let (code, report) = explain(SIGNIN_FORM, AUDIENCE, NOW);
    assert_eq!(code, 0, "{:?}", codes(&report));
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["subject"]["name_id"], "adele.vance@contoso.example");
    assert_eq!(report["subject"]["verified"], true);
    assert_eq!(
        report["facts"]["issuer"],
        "http://adfs.contoso.example/adfs/services/trust"
    );
    assert_eq!(report["facts"]["audiences"][0], AUDIENCE);
    let names: Vec<&str> = report["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(names, ["upn", "emailaddress", "name", "role"]);
    // None of SAML 2.0's envelope rules apply to the WS-Trust envelope.
    for absent in [
        "response/version",
        "response/issuer-missing",
        "response/status-not-success",
        "subject/recipient-missing",
    ] {
        assert!(find_finding(&report, absent).is_none(), "{absent}");
    }
}

#[test]
fn the_saml11_token_is_judged_for_audience_and_time() {
    let (code, report) = explain(SIGNIN_FORM, "https://other.test/", "2025-06-02T11:30:00Z");
    assert_eq!(code, 1);
    finding(&report, "assertion/audience-mismatch");
    finding(&report, "time/expired");
}

#[test]
fn an_edited_saml11_token_fails_at_the_digest() {
    let (code, report) = explain(
        &format!("{FIXTURES}/threats/saml11_attribute_edited.xml"),
        AUDIENCE,
        NOW,
    );
    assert_eq!(code, 1);
    finding(&report, "signature/digest-mismatch");
    assert_eq!(report["subject"]["verified"], false);
}

#[test]
fn a_ws_federation_response_with_a_saml20_token_is_read_too() {
    let (code, report) = explain(
        &format!("{FIXTURES}/signed/wsfed_saml20_rstr.xml"),
        "https://app.samlkit.test/saml/metadata",
        NOW,
    );
    assert_eq!(report["subject"]["name_id"], "adele.vance@contoso.example");
    assert_eq!(report["subject"]["verified"], true);
    assert!(
        find_finding(&report, "signature/claims-not-verified").is_none(),
        "{code}: {:?}",
        codes(&report)
    );
}

#[test]
fn inspect_shows_the_token_its_envelope_and_where_the_signature_sits() {
    let output = samlkit()
        .args(["inspect", "--format", "json", "--now", NOW, SIGNIN_FORM])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let summary = json_lines(&output.stdout).remove(0);
    assert_eq!(summary["parameter"], "wresult");
    assert_eq!(summary["relay_state"], "rm=0&id=passive&ru=%2f");
    assert_eq!(summary["kind"], "assertion");
    assert_eq!(
        summary["assertion"]["id"],
        "_9a1f5c3e-2b7d-4e6a-8c0f-3d5e7a9b1c2d"
    );
    assert_eq!(
        summary["wrappers"][0]["element"],
        "t:RequestSecurityTokenResponse"
    );
    let places = summary["signature_places"].as_array().unwrap();
    assert_eq!(places.len(), 1);
    assert_eq!(
        places[0]["path"],
        "t:RequestSecurityTokenResponse > t:RequestedSecurityToken > saml:Assertion"
    );
    assert!(places[0].get("misplaced").is_none());
}

#[test]
fn interop_saml1_documents_are_read_as_saml1() {
    for file in [
        "tests/corpus-interop/cpp-opensaml/SAML1Response.xml",
        "tests/corpus-interop/java-opensaml/SignedResponse.xml",
        "tests/corpus-interop/santuario/test-assertion.xml",
    ] {
        let output = samlkit()
            .args(["inspect", "--color", "never", file])
            .current_dir(repo_root())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{file}: {stderr}");
        assert!(!stderr.contains("look-alike"), "{file}: {stderr}");
        assert!(stdout.contains("Assertion "), "{file}: {stdout}");
    }
}

#[test]
fn inspect_flags_a_signature_out_of_place() {
    let output = samlkit()
        .args([
            "inspect",
            "--format",
            "json",
            "tests/corpus-interop/java-saml/wrong_signed_element.xml.base64",
        ])
        .current_dir(repo_root())
        .output()
        .unwrap();
    let summary = json_lines(&output.stdout).remove(0);
    let place = &summary["signature_places"][0];
    assert_eq!(place["on"], "saml:Subject");
    assert!(place["misplaced"]
        .as_str()
        .is_some_and(|why| why.contains("which SAML does not sign")));
}
