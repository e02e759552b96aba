//! `samlkit check` says what it did and did not cross-check, and calls a deployment ready only
//! when the IdP metadata and the SP's settings were checked against each other (through a
//! captured sample). Its hints name samlkit.toml settings, never other commands' flags.

mod common;

use std::path::Path;

use common::{check_fixture as fixture, json_lines, repo_root, samlkit};
use serde_json::Value;

const NOW: &str = "2026-12-01T10:00:00Z";

/// The README's example: IdP metadata and the SP's settings, no SP metadata, no samples.
fn readme_example(idp_metadata: &str, extra_idp: &str) -> String {
    format!(
        "[idp]\nmetadata = {idp_metadata:?}\n{extra_idp}\n\
         [sp]\nentity_id = \"https://app.example.com/saml/metadata\"\n\
         acs_url = \"https://app.example.com/saml/acs\"\nprofile = \"generic\"\n\
         user_id_attribute = \"Email\"\n\n[check]\nnow = \"{NOW}\"\nclock_skew = 180\n"
    )
}

fn write(dir: &Path, text: &str) -> String {
    let path = dir.join("samlkit.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn run(config: &str, format: &str) -> (i32, String) {
    let output = samlkit()
        .args([
            "check", "--now", NOW, "--format", format, "--config", config,
        ])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// `(id, status)` of every cross-check in the JSON summary line.
fn cross_checks(summary: &Value) -> Vec<(String, String)> {
    summary["cross_checks"]
        .as_array()
        .expect("cross_checks in the summary")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn skipped(summary: &Value) -> Vec<String> {
    cross_checks(summary)
        .into_iter()
        .filter(|(_, status)| status == "skipped")
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn metadata_alone_is_not_ready_to_deploy() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        &readme_example(&fixture("idp-metadata.xml"), ""),
    );

    let (code, text) = run(&config, "text");
    assert_eq!(code, 1, "{text}");
    let verdict = text.lines().nth(1).unwrap();
    assert_eq!(
        verdict,
        "✗ Not ready to deploy: no errors, but the IdP metadata was not checked against the SP \
         settings (no `samples` in [check])"
    );
    assert!(!text.contains("Ready to deploy"), "{text}");
    assert!(text.contains("  Cross-checks\n"), "{text}");
    assert!(
        text.contains("– skipped  samples against the SP settings"),
        "{text}"
    );
    assert!(text.contains("✓ ran      certificates valid for warn_days more days"));
    assert!(text.contains("hint: a SAMLResponse captured from one sign-in"));
    // The hints name check's own settings, not `samlkit metadata`'s flags.
    assert!(!text.contains("--cert"), "{text}");
    assert!(!text.contains("--fingerprint"), "{text}");
    assert!(text.contains("metadata_certs"), "{text}");

    let (code, json) = run(&config, "json");
    assert_eq!(code, 1);
    let lines = json_lines(json.as_bytes());
    let summary = lines.last().unwrap();
    assert_eq!(summary["part"], "summary");
    assert_eq!(summary["verdict"], "fail");
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["ready"], false);
    assert!(summary["not_ready_because"]
        .as_str()
        .unwrap()
        .contains("not checked against the SP settings"));
    assert_eq!(
        skipped(summary),
        [
            "idp-metadata-signature",
            "sp-metadata-entity-id",
            "sp-metadata-acs-url",
            "samples-issuer",
            "samples-signing-key",
            "samples-against-sp-settings",
            "samples-signed-as-sp-wants"
        ]
    );
    assert!(!json.contains("--cert"));

    let (code, sarif) = run(&config, "sarif");
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let not_ready: Vec<&Value> = notifications
        .iter()
        .filter(|n| n["level"] == "error")
        .collect();
    assert_eq!(not_ready.len(), 1, "{notifications:?}");
    assert!(not_ready[0]["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("not ready to deploy: the IdP metadata was not checked"));
    assert_eq!(
        notifications
            .iter()
            .filter(|n| n["level"] == "note")
            .count(),
        7
    );
}

#[test]
fn a_sample_ties_the_idp_to_the_sp_settings() {
    let dir = tempfile::tempdir().unwrap();
    let text = readme_example(&fixture("idp-metadata.xml"), "").replace(
        "[check]\n",
        &format!("[check]\nsamples = [{:?}]\n", fixture("response-ok.xml")),
    );
    let config = write(dir.path(), &text);
    let (code, json) = run(&config, "json");
    let lines = json_lines(json.as_bytes());
    let summary = lines.last().unwrap();
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["ready"], true);
    assert_eq!(summary["not_ready_because"], Value::Null);
    assert_eq!(
        skipped(summary),
        [
            "idp-metadata-signature",
            "sp-metadata-entity-id",
            "sp-metadata-acs-url",
            "samples-signed-as-sp-wants"
        ]
    );
    let (code, text) = run(&config, "text");
    assert_eq!(code, 0);
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("✓ Ready to deploy"),
        "{text}"
    );
    assert!(text.contains("✓ ran      samples against the SP settings"));
    assert!(text.contains("1 sample: Audience, Recipient, claims"));
    assert!(!text.contains("hint: a SAMLResponse"));

    // Without the SP's Identifier the sample cannot be judged against it: not ready.
    let config = write(dir.path(), &text_without_entity_id(&text_of(&config)));
    let (code, json) = run(&config, "json");
    let lines = json_lines(json.as_bytes());
    let summary = lines.last().unwrap();
    assert_eq!(code, 1, "{summary}");
    assert_eq!(summary["ready"], false);
    assert!(summary["not_ready_because"]
        .as_str()
        .unwrap()
        .contains("no `entity_id` in [sp]"));
}

fn text_of(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn text_without_entity_id(config: &str) -> String {
    config
        .lines()
        .filter(|line| !line.starts_with("entity_id"))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn every_cross_check_runs_for_a_complete_setup() {
    let (code, json) = run("tests/fixtures/check/samlkit.toml", "json");
    assert_eq!(code, 0);
    let lines = json_lines(json.as_bytes());
    let summary = lines.last().unwrap();
    assert_eq!(summary["ready"], true);
    let checks = cross_checks(summary);
    assert_eq!(checks.len(), 8);
    assert!(
        checks.iter().all(|(_, status)| status == "ran"),
        "{checks:?}"
    );
}

#[test]
fn a_stripped_metadata_signature_names_check_settings() {
    // The IdP metadata without its signature, checked with a signer configured.
    let dir = tempfile::tempdir().unwrap();
    let signed = std::fs::read_to_string(fixture("idp-metadata.xml")).unwrap();
    let start = signed.find("<Signature ").expect("a Signature element");
    let end = signed.find("</Signature>").unwrap() + "</Signature>".len();
    let stripped = format!("{}{}", &signed[..start], &signed[end..]);
    let metadata = dir.path().join("idp-metadata.xml");
    std::fs::write(&metadata, stripped).unwrap();
    let signer = repo_root()
        .join("tests/fixtures/metadata/keys/check-idp.crt")
        .display()
        .to_string();
    let config = write(
        dir.path(),
        &readme_example(
            &metadata.display().to_string(),
            &format!("metadata_certs = [{signer:?}]\n"),
        ),
    );
    let (code, text) = run(&config, "text");
    assert_eq!(code, 1);
    assert!(text.contains("error[metadata/signature-missing]"), "{text}");
    assert!(
        text.contains("drop `metadata_certs` / `metadata_fingerprints` from [idp] in samlkit.toml"),
        "{text}"
    );
    assert!(!text.contains("--cert"), "{text}");
}

#[test]
fn a_sample_that_needs_a_key_names_the_setting_that_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = repo_root();
    let config = write(
        dir.path(),
        &format!(
            "[idp]\nmetadata = {:?}\n\n[sp]\nentity_id = \
             \"https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml\"\n\n[check]\nsamples = \
             [{:?}]\nnow = \"2026-11-28T09:05:00Z\"\n",
            root.join("samples/entra-federation-metadata.xml"),
            root.join("tests/fixtures/scenarios/q-encrypted.xml"),
        ),
    );
    let (code, json) = run(&config, "json");
    assert_eq!(code, 1, "{json}");
    let lines = json_lines(json.as_bytes());
    let sample = lines
        .iter()
        .find(|line| line["part"] == "sample")
        .expect("the sample's report");
    let fixes: Vec<&str> = sample["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["missing"] == "sp-decryption-key")
        .map(|f| f["fix"].as_str().unwrap())
        .collect();
    assert!(!fixes.is_empty(), "{sample}");
    for fix in fixes {
        assert!(
            fix.ends_with(
                "(set `keys` to the SP's PEM private key files in the [sp] section of \
                 samlkit.toml)"
            ),
            "{fix}"
        );
    }
    let (_, text) = run(&config, "text");
    assert!(!text.contains("--sp-key"), "{text}");
    assert!(
        text.contains("set `keys` to the SP's PEM private key files"),
        "{text}"
    );
}
