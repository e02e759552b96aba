//! The identity-provider and profile flags end to end: `--idp` (and `[idp] name`) name whose
//! console the fixes use, `samlkit profiles --show NAME` prints a profile file that
//! `--profile-file` takes back with the same result, and bad names or files exit 2.

mod common;

use common::*;

const NOW: &str = "2026-11-28T09:05:00Z";
const SCENARIO: &str = "tests/fixtures/scenarios/slack-assertion-only.xml";

fn explain_json(args: &[&str]) -> (i32, serde_json::Value) {
    let output = samlkit()
        .current_dir(repo_root())
        .args(["explain", SCENARIO, "--now", NOW, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (code, json)
}

fn fixes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["fix"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn idp_override_names_that_idps_console_and_says_so() {
    let (code, detected) = explain_json(&["--profile", "slack"]);
    assert_eq!(code, 1);
    assert_eq!(detected["idp"], "entra-id");
    assert_eq!(detected["idp_detected_from"]["from"], "issuer");
    let (code, okta) = explain_json(&["--profile", "slack", "--idp", "okta"]);
    assert_eq!(code, 1);
    assert_eq!(okta["idp"], "okta");
    assert_eq!(okta["idp_detected_from"]["from"], "override");
    let okta_fixes = fixes(&okta).join("\n");
    assert!(okta_fixes.contains("Okta Admin Console"), "{okta_fixes}");
    assert!(!okta_fixes.contains("Entra"), "{okta_fixes}");
}

#[test]
fn an_unknown_idp_name_is_a_usage_error() {
    let output = samlkit()
        .current_dir(repo_root())
        .args(["explain", SCENARIO, "--idp", "nosuch"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown identity provider 'nosuch'"),
        "{stderr}"
    );
    assert!(stderr.contains("keycloak"), "{stderr}");
}

#[test]
fn a_shown_profile_round_trips_through_profile_file() {
    let output = samlkit()
        .args(["profiles", "--show", "slack"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("profile = \"slack\""), "{text}");
    assert!(text.contains("signing = \"response\""), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("slack.toml");
    std::fs::write(&file, &text).unwrap();
    let (code, by_name) = explain_json(&["--profile", "slack"]);
    let (file_code, by_file) = explain_json(&["--profile-file", file.to_str().unwrap()]);
    assert_eq!((code, file_code), (1, 1));
    assert_eq!(by_name["findings"], by_file["findings"]);
    assert_eq!(by_file["profile"], "slack");
}

#[test]
fn a_broken_profile_file_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(
        &file,
        "profile = \"mine\"\n[requirements]\nsigning = \"sometimes\"\n",
    )
    .unwrap();
    let output = samlkit()
        .current_dir(repo_root())
        .args([
            "explain",
            SCENARIO,
            "--profile-file",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mine.toml"), "{stderr}");
}

#[test]
fn idp_name_in_samlkit_toml_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("samlkit.toml");
    std::fs::write(
        &config,
        "[idp]\nname = \"keycloak\"\n[sp]\nprofile = \"slack\"\n",
    )
    .unwrap();
    let (code, report) = explain_json(&["--config", config.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(report["idp"], "keycloak");
    let all = fixes(&report).join("\n");
    assert!(all.contains("Keycloak"), "{all}");
    assert!(!all.contains("Entra"), "{all}");
}

#[test]
fn showing_the_generic_profile_or_an_unknown_one_is_a_usage_error() {
    for name in ["generic", "nosuch"] {
        let output = samlkit()
            .args(["profiles", "--show", name])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
    }
}
