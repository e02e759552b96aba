//! Every recognised identity provider × the common failures, end to end on signed Responses in
//! each IdP's own shape (tests/fixtures/idps/, made by its generate.py): trust is given as a
//! user gives it (`--idp-metadata`, `--idp-cert`), so every verdict is the real one. Each case
//! checks the finding code, the IdP recognised (and from what), that the fix carries that IdP's
//! own text from `data/idps/` (or the neutral text where its cell is neutral), and that no fix
//! names another IdP's console.

mod common;

use common::*;
use samlkit_lint::console_data::{console_data, FixCell, FixKind};

const NOW: &str = "2027-03-01T09:05:00Z";
const SP: &str = "https://sp.example.com/saml";
const ACS: &str = "https://sp.example.com/saml/acs";
const REQUEST_ID: &str = "_req-4f6a2c9e8b1d";

const IDPS: &[&str] = &[
    "entra-id",
    "adfs",
    "okta",
    "google",
    "keycloak",
    "onelogin",
    "pingone",
    "pingfederate",
    "auth0",
    "jumpcloud",
    "shibboleth",
    "simplesamlphp",
    "authentik",
    "zitadel",
];

fn fixture(idp: &str, name: &str) -> String {
    format!("tests/fixtures/idps/{idp}/{name}.xml")
}

/// `samlkit explain FILE` with the SP's settings, the trust flags and `extra`; exit code and JSON.
fn explain(file: &str, trust: &[&str], extra: &[&str]) -> (i32, serde_json::Value) {
    let output = samlkit()
        .args(["explain", file, "--now", NOW, "--format", "json"])
        .args([
            "--sp-entity-id",
            SP,
            "--acs-url",
            ACS,
            "--request-id",
            REQUEST_ID,
        ])
        .args(trust)
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{file}: no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), json)
}

fn with_metadata(idp: &str) -> Vec<String> {
    vec!["--idp-metadata".into(), fixture(idp, "metadata")]
}

/// The longest literal run of the IdP's text for `kind` (the neutral text where its cell is
/// neutral): placeholders are filled per finding, the run between them is fixed.
fn console_words(idp: &str, kind: FixKind) -> String {
    let data = console_data().expect("the data loads");
    let template = match data.idp(idp).and_then(|entry| entry.cell(kind)) {
        Some(FixCell::Console(cited)) => cited.text.clone(),
        _ => data.neutral[&kind].text.clone(),
    };
    template
        .split(['{', '}'])
        .step_by(2)
        .max_by_key(|run| run.len())
        .unwrap()
        .to_string()
}

/// No fix in the report names the console of an IdP other than `idp`.
fn names_no_other_console(report: &serde_json::Value, idp: &str, case: &str) {
    let data = console_data().expect("the data loads");
    for finding in report["findings"].as_array().unwrap() {
        let Some(fix) = finding["fix"].as_str() else {
            continue;
        };
        for other in data.idps.iter().filter(|other| other.id != idp) {
            for term in &other.console_terms {
                assert!(
                    !fix.contains(term.as_str()),
                    "{idp} {case} ({}): the fix names {}'s `{term}`: {fix}",
                    finding["code"],
                    other.id
                );
            }
        }
        if idp != "entra-id" {
            assert!(!fix.contains("user.mail"), "{idp} {case}: {fix}");
        }
    }
}

/// Explains one failing fixture and checks the code, the IdP and the fix.
fn check_case(idp: &str, file: &str, trust: &[&str], extra: &[&str], code: &str, kind: FixKind) {
    let path = fixture(idp, file);
    let (exit, report) = explain(&path, trust, extra);
    assert_eq!(exit, 1, "{path}: {report}");
    assert_eq!(report["verdict"], "fail", "{path}");
    assert_eq!(
        report["idp"], idp,
        "{path}: {}",
        report["idp_detected_from"]
    );
    let fixes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| f["fix"].as_str().unwrap_or(""))
        .collect();
    assert!(!fixes.is_empty(), "{path}: no {code} in {report}");
    let words = console_words(idp, kind);
    assert!(
        fixes.iter().any(|fix| fix.contains(&words)),
        "{path}: {code} fix lacks `{words}`: {fixes:?}"
    );
    names_no_other_console(&report, idp, file);
}

#[test]
fn each_idps_own_response_passes_with_its_metadata_and_is_recognised() {
    for idp in IDPS {
        let trust = with_metadata(idp);
        let trust: Vec<&str> = trust.iter().map(String::as_str).collect();
        let (exit, report) = explain(&fixture(idp, "response"), &trust, &[]);
        assert_eq!(exit, 0, "{idp}: {report}");
        assert_eq!(report["verdict"], "pass", "{idp}");
        assert_eq!(report["idp"], *idp);
        // PingFederate's Issuer is free text: its metadata's SSO endpoint names it.
        let from = if *idp == "pingfederate" {
            "endpoint"
        } else {
            "issuer"
        };
        assert_eq!(report["idp_detected_from"]["from"], from, "{idp}");
        names_no_other_console(&report, idp, "response");
    }
}

#[test]
fn the_common_failures_get_each_idps_own_fix() {
    let cases: &[(&str, &[&str], &str, FixKind)] = &[
        (
            "nameid-persistent",
            &["--profile", "aws-identity-center"],
            "nameid/format",
            FixKind::NameIdFormat,
        ),
        (
            "email-missing",
            &["--profile", "amazon-q-business"],
            "claims/required-missing",
            FixKind::AddClaim,
        ),
        (
            "audience-placeholder",
            &[],
            "assertion/unreplaced-placeholder",
            FixKind::Identifier,
        ),
        (
            "destination-mismatch",
            &[],
            "response/destination-mismatch",
            FixKind::ReplyUrl,
        ),
        (
            "unsigned",
            &[],
            "signature/not-signed",
            FixKind::SignAssertion,
        ),
        ("expired", &[], "time/expired", FixKind::Clock),
    ];
    for idp in IDPS {
        let trust = with_metadata(idp);
        let trust: Vec<&str> = trust.iter().map(String::as_str).collect();
        for (file, extra, code, kind) in cases {
            check_case(idp, file, &trust, extra, code, *kind);
        }
    }
}

#[test]
fn an_email_attribute_under_the_idps_own_name_gets_its_claim_fix() {
    for idp in IDPS {
        let trust = with_metadata(idp);
        let trust: Vec<&str> = trust.iter().map(String::as_str).collect();
        let extra = ["--profile", "amazon-q-business"];
        if *idp == "zitadel" {
            // ZITADEL names it `Email`, as Amazon Q Business reads it by default.
            let (_, report) = explain(&fixture(idp, "response"), &trust, &extra);
            let codes: Vec<&serde_json::Value> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| &f["code"])
                .collect();
            assert!(
                !codes.iter().any(|c| *c == "claims/required-missing"),
                "{codes:?}"
            );
            continue;
        }
        check_case(
            idp,
            "response",
            &trust,
            &extra,
            "claims/required-missing",
            FixKind::AddClaim,
        );
    }
}

#[test]
fn a_rotated_certificate_gets_each_idps_own_certificate_steps() {
    let old_cert = "tests/fixtures/idps/keys/current.crt";
    for idp in IDPS {
        // PingFederate sends no KeyInfo: the signature then just fails to verify with the key
        // the service provider holds.
        let code = if *idp == "pingfederate" {
            "signature/signature-mismatch"
        } else {
            "signature/untrusted-key"
        };
        let metadata = with_metadata(idp);
        let metadata: Vec<&str> = metadata.iter().map(String::as_str).collect();
        check_case(
            idp,
            "rotated",
            &metadata,
            &[],
            code,
            FixKind::RefreshMetadata,
        );
        // With only the old certificate, the IdP is still recognised from the response.
        check_case(
            idp,
            "rotated",
            &["--idp-cert", old_cert],
            &[],
            code,
            FixKind::RefreshMetadata,
        );
    }
}

#[test]
fn idps_with_free_text_issuers_or_custom_domains_are_recognised() {
    let cert = "tests/fixtures/idps/keys/current.crt";
    let cases = [
        // (idp, response, metadata or none, detected from)
        ("pingfederate", "response", None, "message-id"),
        ("jumpcloud", "custom-entity-id", None, "message-id"),
        (
            "jumpcloud",
            "custom-entity-id",
            Some("custom-entity-id-metadata"),
            "endpoint",
        ),
        (
            "auth0",
            "custom-domain",
            Some("custom-domain-metadata"),
            "endpoint",
        ),
        ("auth0", "custom-domain", None, "attribute-name"),
        (
            "okta",
            "custom-domain",
            Some("custom-domain-metadata"),
            "issuer",
        ),
    ];
    for (idp, file, metadata, from) in cases {
        let trust = match metadata {
            Some(name) => vec!["--idp-metadata".to_string(), fixture(idp, name)],
            None => vec!["--idp-cert".to_string(), cert.to_string()],
        };
        let trust: Vec<&str> = trust.iter().map(String::as_str).collect();
        let (exit, report) = explain(&fixture(idp, file), &trust, &[]);
        assert_eq!(exit, 0, "{idp} {file}: {report}");
        assert_eq!(report["idp"], idp, "{idp} {file}");
        assert_eq!(report["idp_detected_from"]["from"], from, "{idp} {file}");
    }
}

#[test]
fn an_idp_the_response_does_not_reveal_is_named_with_the_idp_flag() {
    // An Entra-shaped response run through PingFederate's console advice: `--idp` wins.
    let (exit, report) = explain(
        &fixture("entra-id", "destination-mismatch"),
        &["--idp-cert", "tests/fixtures/idps/keys/current.crt"],
        &["--idp", "pingfederate"],
    );
    assert_eq!(exit, 1);
    assert_eq!(report["idp"], "pingfederate");
    assert_eq!(report["idp_detected_from"]["from"], "override");
    names_no_other_console(&report, "pingfederate", "destination-mismatch");
}

#[test]
fn a_custom_profiles_own_error_words_head_the_findings_about_what_it_requires() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("intranet.toml");
    std::fs::write(
        &file,
        r#"
profile = "intranet"
name = "Intranet portal"

[requirements]
name_id_formats = ["urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"]
signing = "response"
source = "https://intranet.example.com/docs/saml"

[[requirements.attributes]]
name = "employeeNumber"
required = true
value = "non-empty"
source = "https://intranet.example.com/docs/saml"

[[errors]]
words = "Sign-in refused (code 7)"
cause = "a required claim or the NameID format is not what the portal needs"
source = "https://intranet.example.com/docs/saml"
"#,
    )
    .unwrap();
    let profile = ["--profile-file", file.to_str().unwrap()];
    // Keycloak signs only the assertion, sends an unspecified NameID and no employeeNumber.
    let trust = with_metadata("keycloak");
    let trust: Vec<&str> = trust.iter().map(String::as_str).collect();
    let (exit, report) = explain(&fixture("keycloak", "response"), &trust, &profile);
    assert_eq!(exit, 1, "{report}");
    assert_eq!(report["profile"], "intranet");
    let message_of = |code: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {report}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for code in [
        "claims/required-missing",
        "nameid/format",
        "signature/response-not-signed",
    ] {
        let message = message_of(code);
        assert!(
            message.contains("the user sees \"Sign-in refused (code 7)\""),
            "{code}: {message}"
        );
    }
    // Without error words in the file, the headline names none.
    let plain = std::fs::read_to_string(&file).unwrap();
    let plain = &plain[..plain.find("[[errors]]").unwrap()];
    std::fs::write(&file, plain).unwrap();
    let (_, report) = explain(&fixture("keycloak", "response"), &trust, &profile);
    let missing = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "claims/required-missing")
        .unwrap();
    assert!(
        !missing["message"]
            .as_str()
            .unwrap()
            .contains("the user sees"),
        "{missing}"
    );
}
