//! `samlkit check`, end to end: a consistent deployment passes, and each kind of mismatch
//! between IdP metadata, SP metadata, the SP's settings and captured samples fails the gate
//! with its own code. Fixtures: tests/fixtures/check (made by tests/fixtures/metadata/generate.py).

mod common;

use std::path::Path;

use common::{check_fixture as fixture, json_lines, repo_root, samlkit};
use serde_json::Value;

const SP_ENTITY: &str = "https://app.example.com/saml/metadata";
const SP_ACS: &str = "https://app.example.com/saml/acs";
/// The instant the samples were captured; certificates are judged at it too, through `--now`.
const NOW: &str = "2026-12-01T10:00:00Z";

/// The settings of one scenario; `None` leaves a setting out.
struct Scenario<'s> {
    idp_metadata: &'s str,
    sp_metadata: Option<&'s str>,
    entity_id: &'s str,
    acs_url: &'s str,
    samples: &'s [&'s str],
    /// `[idp] metadata_certs`: files in tests/fixtures/metadata/keys.
    metadata_certs: &'s [&'s str],
    metadata_fingerprints: &'s [&'s str],
}

impl Default for Scenario<'_> {
    fn default() -> Self {
        Scenario {
            idp_metadata: "idp-metadata.xml",
            sp_metadata: Some("sp-metadata.xml"),
            entity_id: SP_ENTITY,
            acs_url: SP_ACS,
            samples: &["response-ok.xml"],
            metadata_certs: &[],
            metadata_fingerprints: &[],
        }
    }
}

fn key_file(name: &str) -> String {
    repo_root()
        .join("tests/fixtures/metadata/keys")
        .join(name)
        .display()
        .to_string()
}

/// Writes the scenario's samlkit.toml (absolute paths) into `dir` and returns its path.
fn write_config(dir: &Path, scenario: &Scenario<'_>) -> String {
    let samples: Vec<String> = scenario
        .samples
        .iter()
        .map(|s| format!("{:?}", fixture(s)))
        .collect();
    let sp_metadata = scenario
        .sp_metadata
        .map_or(String::new(), |m| format!("metadata = {:?}\n", fixture(m)));
    let signer_certs: Vec<String> = scenario
        .metadata_certs
        .iter()
        .map(|name| format!("{:?}", key_file(name)))
        .collect();
    let signer_fingerprints: Vec<String> = scenario
        .metadata_fingerprints
        .iter()
        .map(|f| format!("{f:?}"))
        .collect();
    let text = format!(
        "[idp]\nmetadata = {:?}\nmetadata_certs = [{}]\nmetadata_fingerprints = [{}]\n\n[sp]\nentity_id = {:?}\nacs_url = {:?}\nprofile = \"generic\"\n\
         user_id_attribute = \"Email\"\n{sp_metadata}\n[check]\nsamples = [{}]\n\
         now = \"2026-12-01T10:00:00Z\"\nrequest_id = \"_req4f2a9c1e\"\nwarn_days = 30\n",
        fixture(scenario.idp_metadata),
        signer_certs.join(", "),
        signer_fingerprints.join(", "),
        scenario.entity_id,
        scenario.acs_url,
        samples.join(", ")
    );
    let path = dir.join("samlkit.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Runs `samlkit check --format json` on the scenario: exit code and the JSON Lines.
fn run_check(scenario: &Scenario<'_>) -> (i32, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), scenario);
    let output = samlkit()
        .args([
            "check", "--format", "json", "--now", NOW, "--config", &config,
        ])
        .output()
        .expect("samlkit runs");
    (output.status.code().unwrap(), json_lines(&output.stdout))
}

/// Every finding of every part: (part, code, severity).
fn findings(lines: &[Value]) -> Vec<(String, String, String)> {
    let mut all = Vec::new();
    for line in lines {
        let part = line["part"].as_str().unwrap_or("").to_string();
        let mut push = |f: &Value| {
            all.push((
                part.clone(),
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            ))
        };
        for f in line["findings"].as_array().into_iter().flatten() {
            push(f);
        }
        for entity in line["entities"].as_array().into_iter().flatten() {
            for f in entity["findings"].as_array().unwrap() {
                push(f);
            }
        }
    }
    all
}

fn error_codes(lines: &[Value]) -> Vec<(String, String)> {
    findings(lines)
        .into_iter()
        .filter(|(_, _, severity)| severity == "error")
        .map(|(part, code, _)| (part, code))
        .collect()
}

fn summary(lines: &[Value]) -> &Value {
    let last = lines.last().expect("a summary line");
    assert_eq!(last["part"], "summary");
    last
}

#[test]
fn a_consistent_deployment_passes() {
    let (code, lines) = run_check(&Scenario::default());
    assert_eq!(code, 0, "{:?}", error_codes(&lines));
    let parts: Vec<&str> = lines.iter().map(|l| l["part"].as_str().unwrap()).collect();
    assert_eq!(parts, ["idp-metadata", "sp-metadata", "sample", "summary"]);
    assert_eq!(summary(&lines)["verdict"], "pass");
    assert_eq!(summary(&lines)["errors"], 0);
    assert_eq!(lines[2]["signature"]["verified"], true);

    // Without --now the samples are judged at `[check] now`, the certificates at the clock.
    let output = samlkit()
        .args([
            "check",
            "--format",
            "json",
            "--config",
            "tests/fixtures/check/samlkit.toml",
        ])
        .output()
        .unwrap();
    let lines = json_lines(&output.stdout);
    assert_eq!(summary(&lines)["samples_now"], "2026-12-01T10:00:00Z");
    assert_ne!(summary(&lines)["metadata_now"], "2026-12-01T10:00:00Z");
    assert_eq!(lines[2]["verdict"], "pass");

    // The committed example config (relative paths) is the same deployment.
    let output = samlkit()
        .args([
            "check",
            "--now",
            NOW,
            "--config",
            "tests/fixtures/check/samlkit.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("✓ Ready to deploy"), "{text}");
    assert!(text.contains("IdP metadata  ✓"));
    assert!(!text.contains("signature-not-checked"));
}

#[test]
fn sp_acs_not_the_configured_reply_url_fails() {
    let (code, lines) = run_check(&Scenario {
        acs_url: "https://app.example.com/saml/acs/",
        samples: &[],
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    assert_eq!(
        error_codes(&lines),
        [(
            "sp-metadata".to_string(),
            "metadata/sp-acs-mismatch".to_string()
        )]
    );
    let finding = &lines[1]["findings"][0];
    assert_eq!(finding["expected"], "https://app.example.com/saml/acs/");
    assert_eq!(finding["actual"], SP_ACS);
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("trailing slash"));
    assert!(finding["fix"].as_str().unwrap().contains("Reply URL"));
}

#[test]
fn sp_entity_id_not_the_configured_identifier_fails() {
    let (code, lines) = run_check(&Scenario {
        entity_id: "https://app.example.com/saml",
        samples: &[],
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    assert_eq!(
        error_codes(&lines),
        [(
            "sp-metadata".to_string(),
            "metadata/sp-entity-id-mismatch".to_string()
        )]
    );
    assert_eq!(lines[1]["findings"][0]["actual"], SP_ENTITY);
}

#[test]
fn idp_entity_id_not_the_sample_issuer_fails() {
    let (code, lines) = run_check(&Scenario {
        idp_metadata: "idp-metadata-other-tenant.xml",
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    let errors = error_codes(&lines);
    assert!(
        errors.contains(&("sample".to_string(), "response/issuer-mismatch".to_string())),
        "{errors:?}"
    );
    // Same key, so the signature itself is fine.
    assert!(!errors
        .iter()
        .any(|(_, code)| code == "metadata/sample-key-not-in-metadata"));
}

#[test]
fn sample_signed_with_a_key_not_in_the_metadata_fails() {
    let (code, lines) = run_check(&Scenario {
        samples: &["response-rolled-key.xml"],
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    let errors = error_codes(&lines);
    assert!(
        errors.contains(&(
            "sample".to_string(),
            "metadata/sample-key-not-in-metadata".to_string()
        )),
        "{errors:?}"
    );
    let sample = &lines[2];
    let finding = sample["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "metadata/sample-key-not-in-metadata")
        .unwrap();
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("2026-11-15T00:00:00Z"));
    assert!(finding["fix"]
        .as_str()
        .unwrap()
        .contains("Federation Metadata XML"));
    assert!(finding["location"]["line"].is_u64());
    assert_eq!(sample["signature"]["verified"], false);
}

#[test]
fn want_assertions_signed_with_only_the_response_signed_fails() {
    let (code, lines) = run_check(&Scenario {
        samples: &["response-signed-response-only.xml"],
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    assert_eq!(
        error_codes(&lines),
        [(
            "sample".to_string(),
            "signature/assertion-not-signed".to_string()
        )]
    );
    // Without the SP metadata nobody asked for signed assertions: the Response signature
    // covers the assertion and the sample passes.
    let (code, lines) = run_check(&Scenario {
        sp_metadata: None,
        samples: &["response-signed-response-only.xml"],
        ..Scenario::default()
    });
    assert_eq!(code, 0, "{:?}", error_codes(&lines));
}

#[test]
fn a_certificate_expiring_within_warn_days_fails() {
    let (code, lines) = run_check(&Scenario {
        sp_metadata: Some("sp-metadata-expiring.xml"),
        samples: &[],
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    assert_eq!(
        error_codes(&lines),
        [(
            "sp-metadata".to_string(),
            "metadata/certificate-expires-soon".to_string()
        )]
    );
    let entity = &lines[1]["entities"][0];
    let finding = &entity["findings"][0];
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("expires on 2026-12-10T00:00:00Z, in 8 days"));
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("warn_days, 30 days"));
    assert!(finding["fix"].as_str().unwrap().contains("SP metadata"));
}

#[test]
fn a_sample_failing_explain_fails() {
    let (code, lines) = run_check(&Scenario {
        samples: &["response-ok.xml", "response-wrong-audience.xml"],
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    assert_eq!(lines[2]["verdict"], "pass");
    assert_eq!(lines[3]["verdict"], "fail");
    assert!(error_codes(&lines).contains(&(
        "sample".to_string(),
        "assertion/audience-mismatch".to_string()
    )));
    assert_eq!(summary(&lines)["verdict"], "fail");
}

#[test]
fn sarif_and_text_carry_the_same_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &Scenario {
            acs_url: "https://app.example.com/saml/acs/",
            samples: &["response-rolled-key.xml"],
            ..Scenario::default()
        },
    );
    let sarif = samlkit()
        .args([
            "check", "--format", "sarif", "--now", NOW, "--config", &config,
        ])
        .output()
        .unwrap();
    assert_eq!(sarif.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let rules: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"metadata/sp-acs-mismatch"), "{rules:?}");
    assert!(rules.contains(&"metadata/sample-key-not-in-metadata"));

    let text = samlkit()
        .args(["check", "--now", NOW, "--config", &config])
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(1));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("✗ Not ready to deploy:"),
        "{text}"
    );
    assert!(text.contains("error[metadata/sp-acs-mismatch]"));
}

#[test]
fn missing_or_incomplete_settings_exit_2() {
    let missing = samlkit()
        .args(["check", "--config", "tests/fixtures/check/no-such.toml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("samlkit.toml");
    std::fs::write(&config, "[sp]\nentity_id = \"https://sp.example\"\n").unwrap();
    let no_idp = samlkit()
        .args(["check", "--config", &config.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(no_idp.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_idp.stderr).contains("[idp]"));

    let (code, lines) = run_check(&Scenario {
        samples: &["no-such-sample.xml"],
        ..Scenario::default()
    });
    assert_eq!(code, 2);
    assert_eq!(summary(&lines)["verdict"], "error");
}

/// The IdP metadata part's findings: (code, severity, fix).
fn idp_metadata_findings(lines: &[Value]) -> Vec<(String, String, String)> {
    let part = lines
        .iter()
        .find(|l| l["part"] == "idp-metadata")
        .expect("an IdP metadata part");
    let mut all: Vec<&Value> = part["findings"].as_array().into_iter().flatten().collect();
    for entity in part["entities"].as_array().into_iter().flatten() {
        all.extend(entity["findings"].as_array().into_iter().flatten());
    }
    all.into_iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["fix"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn idp_metadata_signature_is_verified_when_its_signer_is_configured() {
    // Signed by check-idp's key: verified with its certificate or its fingerprint.
    let (code, lines) = run_check(&Scenario {
        metadata_certs: &["check-idp.crt"],
        ..Scenario::default()
    });
    assert_eq!(code, 0, "{:?}", error_codes(&lines));
    assert_eq!(lines[0]["part"], "idp-metadata");
    assert_eq!(lines[0]["signature"]["verified"], true);
    let pem = std::fs::read_to_string(key_file("check-idp.crt")).unwrap();
    let fingerprint = sha256_of_pem(&pem);
    let (code, lines) = run_check(&Scenario {
        metadata_fingerprints: &[&fingerprint],
        ..Scenario::default()
    });
    assert_eq!(code, 0, "{:?}", error_codes(&lines));
    assert_eq!(lines[0]["signature"]["verified"], true);

    // Not the signer's certificate.
    let (code, lines) = run_check(&Scenario {
        metadata_certs: &["check-idp-rolled.crt"],
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    assert!(
        error_codes(&lines).contains(&("idp-metadata".into(), "metadata/not-verified".into())),
        "{:?}",
        error_codes(&lines)
    );

    // A sign-in URL changed after signing.
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("idp-metadata.xml")).unwrap();
    let tampered = original.replacen(
        "https://login.microsoftonline.com/",
        "https://login.attacker.example/",
        1,
    );
    assert_ne!(tampered, original, "the fixture has a login URL to change");
    let tampered_path = dir.path().join("idp-metadata.xml");
    std::fs::write(&tampered_path, tampered).unwrap();
    let tampered_path = tampered_path.display().to_string();
    let (code, lines) = run_check(&Scenario {
        idp_metadata: &tampered_path,
        metadata_certs: &["check-idp.crt"],
        ..Scenario::default()
    });
    assert_eq!(code, 1);
    let errors = error_codes(&lines);
    assert!(
        errors.contains(&("idp-metadata".into(), "metadata/not-verified".into())),
        "{errors:?}"
    );
    assert_eq!(lines[0]["signature"]["verified"], false);

    // Without the setting the signature is left unchecked, and the note names the setting.
    let (code, lines) = run_check(&Scenario::default());
    assert_eq!(code, 0);
    let note = idp_metadata_findings(&lines)
        .into_iter()
        .find(|(code, _, _)| code == "metadata/signature-not-checked")
        .expect("a note that the signature was not checked");
    assert_eq!(note.1, "info");
    assert!(note.2.contains("metadata_certs"), "{note:?}");

    // A signer certificate that cannot be read is a set-up error.
    let (code, _) = run_check(&Scenario {
        metadata_certs: &["no-such.crt"],
        ..Scenario::default()
    });
    assert_eq!(code, 2);
}

/// SHA-256 of a PEM certificate's DER, as hex.
fn sha256_of_pem(pem: &str) -> String {
    use base64::Engine as _;
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let digest = openssl::sha::sha256(&der);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
