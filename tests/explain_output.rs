//! What `samlkit explain` prints: the text report (snapshots), JSON Lines and SARIF (checked
//! field by field, SARIF also against the OASIS schema), `--redact`, `samlkit.toml` and exit
//! codes.

mod common;

use std::path::Path;
use std::process::Output;

use common::{json_lines, repo_root, samlkit};
use serde_json::Value;

const METADATA: &str = "samples/entra-federation-metadata.xml";
const Q_URL: &str = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml";
const OTHER_URL: &str = "https://other-app.example/saml";
const NOW: &str = "2026-11-28T09:05:00Z";
const STORY: &str = "samples/amazon-q-permission-needed.b64";
const Q_OK: &str = "tests/fixtures/scenarios/q-ok.xml";
const CLAIM_MISSING: &str = "tests/fixtures/scenarios/q-email-claim-missing.xml";
const USER_NOT_ASSIGNED: &str = "tests/fixtures/scenarios/user-not-assigned.xml";
const CERT_ROLLED: &str = "tests/fixtures/scenarios/cert-rolled.xml";
const AUTHN_REQUEST: &str = "tests/fixtures/scenarios/authn-request-acs-mismatch.xml";
const MISSING_FILE: &str = "tests/fixtures/rules/no-such-file.xml";
/// The one personal value every sample carries: NameID, e-mail claims.
const ALICE: &str = "alice@contoso.example";

/// Amazon Q Business as configured in the README story.
const AMAZON_Q: &[&str] = &[
    "--idp-metadata",
    METADATA,
    "--profile",
    "amazon-q-business",
    "--now",
    NOW,
];

fn explain(args: &[&str]) -> Output {
    samlkit().arg("explain").args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The command, its exit code and both streams, as one reviewable snapshot.
fn transcript(args: &[&str]) -> String {
    let output = explain(args);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(
        !stdout.contains('\u{1b}') && !stderr.contains('\u{1b}'),
        "no colour when piped"
    );
    format!(
        "$ samlkit explain {}\nexit code: {}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" "),
        output.status.code().unwrap()
    )
}

fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(extra).copied().collect()
}

// ------------------------------------------------------------------ text snapshots

#[test]
fn text_readme_story() {
    insta::assert_snapshot!(transcript(&with(&[STORY], AMAZON_Q)));
}

#[test]
fn text_passing_sample() {
    let args = with(
        &[Q_OK],
        &with(
            AMAZON_Q,
            &[
                "--sp-entity-id",
                Q_URL,
                "--acs-url",
                Q_URL,
                "--request-id",
                "_a7f3e9c1d2b4",
            ],
        ),
    );
    insta::assert_snapshot!(transcript(&args));
}

#[test]
fn text_error_status() {
    insta::assert_snapshot!(transcript(&with(&[USER_NOT_ASSIGNED], AMAZON_Q)));
}

#[test]
fn text_wrapping_attack_from_the_corpus() {
    insta::assert_snapshot!(transcript(&[
        "tests/corpus/python3-saml/response4.xml.base64",
        "--idp-cert",
        "tests/corpus/ruby-saml/certificates/certificate1",
        "--now",
        "2011-06-04T02:20:00Z",
    ]));
}

#[test]
fn text_clock_skew() {
    let args = [
        Q_OK,
        "--idp-metadata",
        METADATA,
        "--profile",
        "amazon-q-business",
        "--now",
        "2026-11-28T08:55:00Z",
    ];
    insta::assert_snapshot!(transcript(&args));
}

#[test]
fn text_authn_request() {
    insta::assert_snapshot!(transcript(&[
        AUTHN_REQUEST,
        "--sp-entity-id",
        Q_URL,
        "--acs-url",
        Q_URL,
        "--now",
        NOW
    ]));
}

#[test]
fn text_several_inputs_exit_with_the_highest_code() {
    // A pass, a failure and a pass (an AuthnRequest), with different assertion IDs (none, for
    // the error status), so that no replay is reported.
    let args = with(&[Q_OK, USER_NOT_ASSIGNED, AUTHN_REQUEST], AMAZON_Q);
    let snapshot = transcript(&args);
    assert!(snapshot.contains("exit code: 1\n"));
    insta::assert_snapshot!(snapshot);
}

#[test]
fn text_several_inputs_one_unreadable() {
    let snapshot = transcript(&with(&[Q_OK, MISSING_FILE], AMAZON_Q));
    assert!(snapshot.contains("exit code: 2\n"));
    insta::assert_snapshot!(snapshot);
}

#[test]
fn text_bad_input() {
    let snapshot = transcript(&with(&[METADATA], AMAZON_Q));
    assert!(snapshot.contains("exit code: 2\n"));
    insta::assert_snapshot!(snapshot);
}

#[test]
fn text_certificate_rolled_over() {
    insta::assert_snapshot!(transcript(&with(&[CERT_ROLLED], AMAZON_Q)));
}

#[test]
fn text_no_trust_configured() {
    insta::assert_snapshot!(transcript(&[Q_OK, "--now", NOW]));
}

#[test]
fn text_response_over_redirect() {
    insta::assert_snapshot!(transcript(&with(
        &["tests/fixtures/rules/response-over-redirect.url"],
        AMAZON_Q
    )));
}

#[test]
fn text_comment_inside_name_id() {
    insta::assert_snapshot!(transcript(&with(
        &["tests/fixtures/rules/nameid-comment-inside.xml"],
        AMAZON_Q
    )));
}

#[test]
fn text_aws_role_with_a_single_arn() {
    insta::assert_snapshot!(transcript(&[
        "tests/fixtures/scenarios/aws-role-single-arn.xml",
        "--idp-metadata",
        METADATA,
        "--profile",
        "aws-iam",
        "--now",
        NOW
    ]));
}

// ------------------------------------------------------------------ JSON Lines

/// Every code `samlkit rules` lists.
fn catalogue_codes() -> Vec<String> {
    let output = samlkit().arg("rules").output().unwrap();
    text(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect()
}

fn string_or_null(value: &Value, what: &str) {
    assert!(value.is_string() || value.is_null(), "{what}: {value}");
}

fn non_empty_string(value: &Value, what: &str) {
    assert!(
        value.as_str().is_some_and(|s| !s.trim().is_empty()),
        "{what}: {value}"
    );
}

fn line_column(value: &Value, what: &str) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{what}: {value}"));
    assert_eq!(object.len(), 2, "{what}: only line and column: {value}");
    for key in ["line", "column"] {
        assert!(
            value[key].as_u64().is_some_and(|n| n >= 1),
            "{what}.{key}: {value}"
        );
    }
}

/// Checks one JSON Lines object against the documented shape; returns its verdict.
fn check_report_shape(report: &Value, codes: &[String]) -> String {
    let source = &report["source"];
    non_empty_string(source, "source");
    let verdict = report["verdict"].as_str().expect("verdict is a string");
    assert!(["pass", "fail", "error"].contains(&verdict), "{verdict}");
    if verdict == "error" {
        non_empty_string(&report["error"], "error");
        assert!(
            report.get("findings").is_none(),
            "an error carries no findings"
        );
        return verdict.to_string();
    }

    let findings = report["findings"].as_array().expect("findings is an array");
    for finding in findings {
        let code = finding["code"].as_str().expect("code is a string");
        assert!(codes.iter().any(|c| c == code), "unknown code {code}");
        let severity = finding["severity"].as_str().expect("severity");
        assert!(
            ["error", "warning", "info"].contains(&severity),
            "{severity}"
        );
        non_empty_string(&finding["title"], "title");
        non_empty_string(&finding["message"], "message");
        for optional in ["expected", "actual", "fix"] {
            if let Some(value) = finding.get(optional) {
                assert!(
                    value.is_string(),
                    "{code}.{optional} is a string when present"
                );
            }
        }
        if let Some(location) = finding.get("location") {
            line_column(location, "finding location");
        }
    }
    let has_error = findings.iter().any(|f| f["severity"] == "error");
    assert_eq!(verdict == "fail", has_error, "verdict follows the errors");

    match &report["subject"] {
        Value::Null => {}
        subject => {
            string_or_null(&subject["name_id"], "subject.name_id");
            string_or_null(&subject["format"], "subject.format");
            assert!(subject["verified"].is_boolean());
        }
    }
    for attribute in report["attributes"]
        .as_array()
        .expect("attributes is an array")
    {
        non_empty_string(&attribute["name"], "attribute name");
        string_or_null(&attribute["friendly_name"], "friendly_name");
        let values = attribute["values"].as_array().expect("values is an array");
        assert!(values.iter().all(Value::is_string), "{attribute}");
    }
    let signature = &report["signature"];
    assert!(signature["verified"].is_boolean());
    non_empty_string(&signature["verdict"], "signature.verdict");
    for sig in signature["signatures"]
        .as_array()
        .expect("signatures is an array")
    {
        string_or_null(&sig["on"], "on");
        assert!(
            sig["outcome"] == "verified" || sig["outcome"] == "failed",
            "{sig}"
        );
        for key in ["stage", "algorithm", "verified_by"] {
            string_or_null(&sig[key], key);
        }
        assert_eq!(
            sig["outcome"] == "failed",
            sig["stage"].is_string(),
            "{sig}"
        );
        if !sig["location"].is_null() {
            line_column(&sig["location"], "signature location");
        }
    }
    verdict.to_string()
}

#[test]
fn json_lines_one_object_per_input_with_typed_fields() {
    let codes = catalogue_codes();
    // Messages with different assertion IDs (the Entra-shaped fixtures all share one, which
    // would make the later ones replays), plus an unreadable input.
    let encrypted_name_id = "tests/corpus/python3-saml/response_encrypted_nameid.xml.base64";
    let eidas = "tests/corpus/pysaml2/eidas_response.xml";
    let inputs = [
        STORY,
        USER_NOT_ASSIGNED,
        AUTHN_REQUEST,
        MISSING_FILE,
        encrypted_name_id,
        eidas,
    ];
    let output = explain(&with(&inputs, &with(AMAZON_Q, &["--format", "json"])));
    assert_eq!(output.status.code(), Some(2), "an unreadable input wins");
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), inputs.len(), "one line per input");
    let reports = json_lines(&output.stdout);
    let verdicts: Vec<String> = reports
        .iter()
        .map(|report| check_report_shape(report, &codes))
        .collect();
    assert_eq!(verdicts, ["fail", "fail", "pass", "error", "fail", "fail"]);
    let sources: Vec<&str> = reports
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, inputs);
    // The unreadable input is also reported on stderr.
    assert!(text(&output.stderr).contains(MISSING_FILE));

    // Exact values for the README story.
    let story = &reports[0];
    assert_eq!(story["profile"], "amazon-q-business");
    assert_eq!(story["subject"]["name_id"], ALICE);
    assert_eq!(
        story["subject"]["format"],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    );
    assert_eq!(story["subject"]["verified"], true);
    assert_eq!(
        codes_of(story),
        ["nameid/format", "claims/required-missing"]
    );
    let format = &story["findings"][0];
    assert_eq!(format["severity"], "error");
    assert_eq!(
        format["location"],
        serde_json::json!({"line": 24, "column": 77})
    );
    assert_eq!(
        format["expected"],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    );
    let email_claim = attribute(
        story,
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    );
    assert_eq!(email_claim["values"], serde_json::json!([ALICE]));
    assert_eq!(email_claim["friendly_name"], Value::Null);
    assert_eq!(story["signature"]["verified"], true);
    assert_eq!(story["signature"]["verdict"], "verified");
    let sig = &story["signature"]["signatures"][0];
    assert_eq!(sig["on"], "Assertion");
    assert_eq!(sig["outcome"], "verified");
    assert_eq!(sig["stage"], Value::Null);
    assert_eq!(sig["algorithm"], "RSA-SHA256");
    assert!(sig["verified_by"]
        .as_str()
        .unwrap()
        .starts_with("metadata signing key 1 of 1"));

    // An error status: no assertion, so no subject and no claims.
    let denied = &reports[1];
    assert_eq!(codes_of(denied), ["response/status-not-success"]);
    assert_eq!(denied["subject"], Value::Null);
    assert_eq!(denied["attributes"], serde_json::json!([]));

    // An AuthnRequest has no subject, no claims and no signature to speak of.
    let request = &reports[2];
    assert_eq!(request["subject"], Value::Null);
    assert_eq!(request["signature"]["verdict"], "not-applicable");
    assert_eq!(request["signature"]["signatures"], serde_json::json!([]));

    // An encrypted NameID: a subject without a name; signatures that failed, with the stage.
    let encrypted = &reports[4];
    assert_eq!(
        encrypted["subject"],
        serde_json::json!({"name_id": null, "format": null, "verified": false})
    );
    assert_eq!(encrypted["signature"]["verified"], false);
    let stages: Vec<&Value> = encrypted["signature"]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["stage"])
        .collect();
    assert_eq!(stages, ["untrusted-key", "untrusted-key"]);

    // Friendly names and several values.
    let family_name = attribute(
        &reports[5],
        "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName",
    );
    assert_eq!(family_name["friendly_name"], "FamilyName");
    assert_eq!(
        family_name["values"],
        serde_json::json!(["Onasis", "Ωνάσης"])
    );
}

fn codes_of(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .map(|f| f.iter().map(|f| f["code"].as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn attribute<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no attribute {name}"))
}

// ------------------------------------------------------------------ SARIF

fn sarif_level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "info" => "note",
        other => panic!("unknown severity {other}"),
    }
}

#[test]
fn sarif_is_valid_2_1_0_and_every_result_points_at_its_rule() {
    let inputs = [STORY, Q_OK, CERT_ROLLED, AUTHN_REQUEST, MISSING_FILE];
    let run = |format: &str| explain(&with(&inputs, &with(AMAZON_Q, &["--format", format])));
    let output = run("sarif");
    assert_eq!(output.status.code(), Some(2));
    let raw = text(&output.stdout);
    let errors = common::sarif_schema_errors(&raw);
    assert!(errors.is_empty(), "not valid SARIF 2.1.0:\n{errors}");

    let sarif: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "samlkit");
    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        rule_ids,
        catalogue_codes(),
        "every code is a rule, in catalogue order"
    );
    for rule in rules {
        non_empty_string(&rule["shortDescription"]["text"], "shortDescription");
        non_empty_string(&rule["fullDescription"]["text"], "fullDescription");
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
    }

    let results = runs[0]["results"].as_array().unwrap();
    for result in results {
        let rule_id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rule_ids.get(index),
            Some(&rule_id),
            "ruleIndex points at ruleId"
        );
        let level = result["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        non_empty_string(&result["message"]["text"], "message.text");
        let locations = result["locations"].as_array().unwrap();
        assert!(!locations.is_empty(), "{rule_id}: a location");
        for location in locations {
            let physical = &location["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            assert!(inputs.contains(&uri), "{uri}");
            if let Some(region) = physical.get("region") {
                assert!(
                    region["startLine"].as_u64().is_some_and(|n| n >= 1),
                    "{region}"
                );
                assert!(
                    region["startColumn"].as_u64().is_some_and(|n| n >= 1),
                    "{region}"
                );
            }
        }
    }

    // The same findings as the JSON report, in the same order, with the same places.
    let json = json_lines(&run("json").stdout);
    let findings: Vec<(&str, &Value)> = json
        .iter()
        .filter(|r| r["verdict"] != "error")
        .flat_map(|r| {
            let source = r["source"].as_str().unwrap();
            r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |f| (source, f))
        })
        .collect();
    assert_eq!(results.len(), findings.len());
    for (result, (source, finding)) in results.iter().zip(&findings) {
        assert_eq!(result["ruleId"], finding["code"]);
        assert_eq!(
            result["level"],
            sarif_level(finding["severity"].as_str().unwrap())
        );
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], *source);
        match finding.get("location") {
            Some(location) => assert_eq!(physical["region"]["startLine"], location["line"]),
            None => assert!(physical.get("region").is_none()),
        }
    }

    // The unreadable input is a failed execution with a notification, not a result.
    let invocation = &runs[0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 1);
    assert_eq!(notifications[0]["level"], "error");
    assert!(notifications[0]["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with(MISSING_FILE));

    // Without it, the run is successful.
    let output = explain(&with(&[Q_OK], &with(AMAZON_Q, &["--format", "sarif"])));
    assert_eq!(output.status.code(), Some(0));
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "note");
}

// ------------------------------------------------------------------ --redact

/// The token `--redact` puts in place of a value: `redacted:` and the first 8 hex digits of
/// the value's SHA-256.
fn token(value: &str) -> String {
    let digest = openssl::sha::sha256(value.as_bytes());
    let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("redacted:{hex}")
}

/// Personal values in the samples: NameID and e-mail, names, object ID, a group.
const PERSONAL: &[&str] = &[
    ALICE,
    "Alice Example",
    "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    "6513270e-269e-4d37-b2a7-4de452e6b438",
];

#[test]
fn redact_replaces_personal_values_with_stable_tokens_in_every_format() {
    // The second message repeats the first's NameID; the third's NameID has a comment inside,
    // read whole as another value that contains the first.
    let comment_inside = "tests/fixtures/rules/nameid-comment-inside.xml";
    let whole_name_id = "alice@contoso.example.evil.example";
    let inputs = [STORY, Q_OK, comment_inside];
    let run = |extra: &[&str]| explain(&with(&inputs, &with(AMAZON_Q, extra)));
    let alice = token(ALICE);
    assert_ne!(alice, token("Alice Example"));
    assert_ne!(alice, token(whole_name_id));

    for format in ["text", "json", "sarif"] {
        let output = run(&["--format", format, "--redact"]);
        let printed = text(&output.stdout);
        for value in PERSONAL {
            assert!(!printed.contains(value), "{format}: {value} is still there");
        }
        // The finding that quotes the whole NameID quotes its token.
        assert!(printed.contains(&token(whole_name_id)), "{format}");
        if format != "sarif" {
            // SARIF has no summary: only text and JSON show the subject and the SP's URLs.
            assert!(printed.contains(&alice), "{format}: the NameID's token");
            assert!(
                printed.contains(Q_URL),
                "{format}: the SP's URL is untouched"
            );
        }
    }

    let plain = json_lines(&run(&["--format", "json"]).stdout);
    let redacted = json_lines(&run(&["--format", "json", "--redact"]).stdout);
    assert_eq!(redacted.len(), 3);
    for (index, (plain, redacted)) in plain.iter().zip(&redacted).enumerate() {
        // The same value, the same token: in every message, in the NameID and the claims.
        let name_id = if index == 2 {
            token(whole_name_id)
        } else {
            alice.clone()
        };
        assert_eq!(redacted["subject"]["name_id"], name_id.as_str());
        let values = |name: &str| attribute(redacted, name)["values"].clone();
        assert_eq!(
            values("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"),
            serde_json::json!([alice])
        );
        assert_eq!(
            values("http://schemas.microsoft.com/identity/claims/displayname"),
            serde_json::json!([token("Alice Example")])
        );
        assert_eq!(
            values("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"),
            serde_json::json!([token("Alice")])
        );
        // Codes, severities, the SP's addresses and attribute names stay as they were.
        let code_list = |report: &Value| -> Vec<(Value, Value)> {
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| (f["code"].clone(), f["severity"].clone()))
                .collect()
        };
        assert_eq!(code_list(redacted), code_list(plain));
        assert_eq!(redacted["facts"]["audiences"], serde_json::json!([Q_URL]));
        assert_eq!(redacted["facts"]["recipient"], Q_URL);
        assert_eq!(redacted["facts"]["destination"], Q_URL);
        let names = |report: &Value| -> Vec<Value> {
            report["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].clone())
                .collect()
        };
        assert_eq!(names(redacted), names(plain));
    }

    // SARIF: the rules are the catalogue as it is, the results keep their rule and level.
    let sarif = |extra: &[&str]| -> Value {
        serde_json::from_slice(&run(&with(&["--format", "sarif"], extra)).stdout).unwrap()
    };
    let (plain, redacted) = (sarif(&[]), sarif(&["--redact"]));
    assert_eq!(
        redacted["runs"][0]["tool"]["driver"]["rules"],
        plain["runs"][0]["tool"]["driver"]["rules"]
    );
    let rule_and_level = |sarif: &Value| -> Vec<(Value, Value)> {
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["ruleId"].clone(), r["level"].clone()))
            .collect()
    };
    assert_eq!(rule_and_level(&redacted), rule_and_level(&plain));
}

/// Known bug: the snippet of the decoded XML is cut to a window before redaction, so a value
/// the window cuts through escapes the redactor in part (`alice@contoso.…` in the README
/// story's first snippet, text and SARIF). Un-ignore once snippets are redacted before they
/// are cut.
#[test]
fn redact_leaves_no_part_of_a_value_in_snippets() {
    for format in ["text", "sarif"] {
        let output = explain(&with(
            &[STORY],
            &with(AMAZON_Q, &["--format", format, "--redact"]),
        ));
        let printed = text(&output.stdout);
        assert!(!printed.contains("alice@contoso"), "{format}:\n{printed}");
    }
}

// ------------------------------------------------------------------ samlkit.toml

/// A folder holding samlkit.toml (Amazon Q Business at [`NOW`]) and the metadata it names by a
/// relative path.
fn config_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo_root().join(METADATA), dir.path().join("idp.xml")).unwrap();
    std::fs::write(
        dir.path().join("samlkit.toml"),
        format!(
            "[idp]\nmetadata = \"idp.xml\"\n\n[sp]\nentity_id = \"{Q_URL}\"\nacs_url = \
             \"{Q_URL}\"\nprofile = \"amazon-q-business\"\n\n[check]\nnow = \"{NOW}\"\n\
             request_id = \"_a7f3e9c1d2b4\"\n"
        ),
    )
    .unwrap();
    dir
}

/// Runs explain on the clean sample from `dir`, with `extra` flags; the exit code and report.
fn explain_in(dir: &Path, extra: &[&str]) -> (i32, Value, String) {
    let output = samlkit()
        .current_dir(dir)
        .args(["explain", "--format", "json"])
        .arg(repo_root().join(Q_OK))
        .args(extra)
        .output()
        .unwrap();
    let lines = json_lines(&output.stdout);
    (
        output.status.code().unwrap(),
        lines.first().cloned().unwrap_or(Value::Null),
        text(&output.stderr),
    )
}

fn finding<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {}", report["findings"]))
}

#[test]
fn samlkit_toml_in_the_working_directory_supplies_the_settings() {
    let dir = config_dir();
    let (code, report, stderr) = explain_in(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["profile"], "amazon-q-business");
    assert_eq!(
        report["signature"]["verified"], true,
        "metadata from the file"
    );
    assert_eq!(
        codes_of(&report),
        ["response/sign-in-ok-check-authorization"]
    );

    // Without the file: the profile is detected from the message, and with no trust the
    // verdict is "unverified" (exit 1).
    let empty = tempfile::tempdir().unwrap();
    let (code, report, _) = explain_in(empty.path(), &["--now", NOW]);
    assert_eq!(code, 1);
    assert_eq!(report["profile"], "amazon-q-business");
    assert_eq!(report["profile_source"], "detected");
    assert_eq!(report["verdict"], "unverified");
    assert!(codes_of(&report).contains(&"signature/no-trust-configured"));
}

#[test]
fn flags_override_samlkit_toml() {
    let dir = config_dir();
    let (_, report, _) = explain_in(dir.path(), &["--profile", "generic"]);
    assert_eq!(report["profile"], "generic");
    assert_eq!(codes_of(&report), Vec::<&str>::new());

    let (code, report, _) = explain_in(dir.path(), &["--now", "2026-11-28T11:00:00Z"]);
    assert_eq!(code, 1);
    assert!(codes_of(&report).contains(&"time/expired"));

    let (code, report, _) = explain_in(dir.path(), &["--acs-url", OTHER_URL]);
    assert_eq!(code, 1);
    assert_eq!(
        finding(&report, "response/destination-mismatch")["expected"],
        OTHER_URL
    );
    assert_eq!(
        finding(&report, "subject/recipient-mismatch")["expected"],
        OTHER_URL
    );

    let (code, report, _) = explain_in(dir.path(), &["--sp-entity-id", OTHER_URL]);
    assert_eq!(code, 1);
    assert_eq!(
        finding(&report, "assertion/audience-mismatch")["expected"],
        OTHER_URL
    );

    let (code, report, _) = explain_in(dir.path(), &["--request-id", "_b8e4f0d2c3a5"]);
    assert_eq!(code, 1);
    assert_eq!(
        finding(&report, "response/in-response-to-mismatch")["expected"],
        "_b8e4f0d2c3a5"
    );

    let (code, report, _) = explain_in(
        dir.path(),
        &["--now", "2026-11-28T08:55:00Z", "--clock-skew", "301"],
    );
    assert_eq!(
        (code, codes_of(&report)),
        (0, vec!["response/sign-in-ok-check-authorization"])
    );
}

#[test]
fn config_flag_names_the_file_and_its_folder_anchors_relative_paths() {
    let dir = config_dir();
    // From the repository root: idp.xml is found next to the file, not in the working directory.
    let config = dir.path().join("samlkit.toml");
    let config = config.to_str().unwrap();
    let (code, report, stderr) = explain_in(&repo_root(), &["--config", config]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["profile"], "amazon-q-business");
    assert_eq!(report["signature"]["verified"], true);

    // An explicit file that does not exist, an unknown key, a negative skew: usage errors.
    let missing = dir.path().join("nope.toml");
    let (code, _, stderr) = explain_in(&repo_root(), &["--config", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read the config file"), "{stderr}");

    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("samlkit.toml"), "[sp]\nentity = \"x\"\n").unwrap();
    let (code, _, stderr) = explain_in(bad.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("samlkit.toml") && stderr.contains("entity"),
        "{stderr}"
    );

    std::fs::write(
        bad.path().join("samlkit.toml"),
        "[check]\nclock_skew = -5\n",
    )
    .unwrap();
    let (code, _, stderr) = explain_in(bad.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("must not be negative"), "{stderr}");
}

// ------------------------------------------------------------------ exit codes

fn exit_code(args: &[&str]) -> i32 {
    explain(args).status.code().unwrap()
}

#[test]
fn exit_codes_pass_fail_and_bad_input() {
    assert_eq!(exit_code(&with(&[Q_OK], AMAZON_Q)), 0);
    assert_eq!(exit_code(&with(&[CLAIM_MISSING], AMAZON_Q)), 1);
    // Passing with warnings is still a pass.
    assert_eq!(
        exit_code(&with(
            &["tests/fixtures/rules/destination-missing.xml"],
            AMAZON_Q
        )),
        0
    );
    // Unreadable or not a SAML message.
    assert_eq!(exit_code(&with(&[MISSING_FILE], AMAZON_Q)), 2);
    assert_eq!(exit_code(&with(&[METADATA], AMAZON_Q)), 2);
    assert_eq!(
        exit_code(&with(&["tests/corpus/ruby-saml/attackxee.xml"], AMAZON_Q)),
        2
    );
}

#[test]
fn exit_codes_for_usage_errors() {
    let output = explain(&[Q_OK, "--profile", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("unknown profile 'nope'"));

    let output = explain(&[Q_OK, "--clock-skew=-1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--clock-skew must not be negative (got -1)"));
    // Without `=`, "-1" reads as a flag: still a usage error.
    assert_eq!(exit_code(&[Q_OK, "--clock-skew", "-1"]), 2);

    assert_eq!(exit_code(&[Q_OK, "--now", "yesterday"]), 2);
    assert_eq!(exit_code(&[Q_OK, "--format", "yaml"]), 2);
    assert_eq!(exit_code(&[Q_OK, "--no-such-flag"]), 2);
}

#[test]
fn several_inputs_exit_with_the_highest_code() {
    assert_eq!(exit_code(&with(&[Q_OK, CLAIM_MISSING], AMAZON_Q)), 1);
    assert_eq!(exit_code(&with(&[CLAIM_MISSING, Q_OK], AMAZON_Q)), 1);
    assert_eq!(exit_code(&with(&[Q_OK, MISSING_FILE], AMAZON_Q)), 2);
    assert_eq!(
        exit_code(&with(&[MISSING_FILE, CLAIM_MISSING], AMAZON_Q)),
        2
    );
    // The same message twice is one message given twice: a note, not a replay.
    let output = explain(&with(&[Q_OK, Q_OK], &with(AMAZON_Q, &["--format", "json"])));
    assert_eq!(output.status.code(), Some(0));
    let reports = json_lines(&output.stdout);
    assert_eq!(reports[1]["verdict"], "pass");
    assert!(codes_of(&reports[1]).contains(&"input/duplicate"));
    // The same assertion ID with other content is a replay: the second one fails.
    let output = explain(&with(
        &[Q_OK, CLAIM_MISSING],
        &with(AMAZON_Q, &["--format", "json"]),
    ));
    assert_eq!(output.status.code(), Some(1));
    let reports = json_lines(&output.stdout);
    assert_eq!(reports[0]["verdict"], "pass");
    assert_eq!(reports[1]["verdict"], "fail");
    assert!(codes_of(&reports[1]).contains(&"response/replayed-assertion"));
}

/// A batch large enough to be spread over worker threads and streamed as JSON Lines: one line
/// per input in input order, an unreadable input in the middle, a replay judged in input order,
/// and each line the same as explaining that input alone.
#[test]
fn a_large_batch_keeps_input_order_errors_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(repo_root().join(Q_OK)).unwrap();
    let assertion_id = "_d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70";
    assert!(original.contains(assertion_id));
    let count = 150;
    let (unreadable, first, replayed) = (57, 3, 121);
    let mut paths = Vec::new();
    for index in 0..count {
        let path = dir.path().join(format!("response-{index:03}.xml"));
        let content = match index {
            // The untouched fixture: signed, and it passes.
            0 => original.clone(),
            _ if index == unreadable => "not SAML at all".to_string(),
            // The same assertion ID as input `first`, other content: a replay.
            _ if index == replayed => original
                .replace(assertion_id, &format!("_batch{first}"))
                .replace("alice@contoso.example", "bob@contoso.example"),
            // Its own assertion ID (which breaks the signature, and fails).
            _ => original.replace(assertion_id, &format!("_batch{index}")),
        };
        std::fs::write(&path, content).unwrap();
        paths.push(path.display().to_string());
    }
    let inputs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let output = explain(&with(&inputs, &with(AMAZON_Q, &["--format", "json"])));
    assert_eq!(output.status.code(), Some(2), "an unreadable input wins");
    let reports = json_lines(&output.stdout);
    assert_eq!(reports.len(), count, "one line per input");
    for (index, report) in reports.iter().enumerate() {
        assert_eq!(
            report["source"], inputs[index],
            "line {index} is input {index}"
        );
        let replay = codes_of(report).contains(&"response/replayed-assertion");
        assert_eq!(replay, index == replayed, "replay only at input {replayed}");
        let expected = match index {
            0 => "pass",
            _ if index == unreadable => "error",
            _ => "fail",
        };
        assert_eq!(report["verdict"], expected, "verdict of input {index}");
    }
    let replay = reports[replayed]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "response/replayed-assertion")
        .unwrap();
    assert!(
        replay["message"].as_str().unwrap().contains(inputs[first]),
        "the replay names the input the assertion was first seen in: {replay}"
    );
    // The batch's lines are those of explaining each input alone.
    for index in [0, 1, 98, count - 1] {
        let alone = explain(&with(
            &[inputs[index]],
            &with(AMAZON_Q, &["--format", "json"]),
        ));
        assert_eq!(
            json_lines(&alone.stdout)[0],
            reports[index],
            "input {index}"
        );
    }

    // The text report streams the same way: sections in input order, the replay in one.
    let output = explain(&with(&inputs, AMAZON_Q));
    assert_eq!(output.status.code(), Some(2));
    let stdout = text(&output.stdout);
    let mut previous = None;
    for (index, input) in inputs.iter().enumerate() {
        if index == unreadable {
            continue;
        }
        let at = stdout
            .find(&format!("==> {input} "))
            .unwrap_or_else(|| panic!("a section for input {index}"));
        assert!(
            previous < Some(at),
            "input {index} comes after the one before it"
        );
        previous = Some(at);
    }
    assert_eq!(
        stdout.matches("error[response/replayed-assertion]").count(),
        1
    );
    assert!(text(&output.stderr).contains(inputs[unreadable]));
    for index in [0, 98] {
        let alone = text(&explain(&with(&[inputs[index]], AMAZON_Q)).stdout);
        assert!(
            stdout.contains(&alone),
            "input {index} reads as it does alone"
        );
    }
}

/// Known bug: the "SAML is fine, check authorization" note is decided inside the linter, and
/// errors explain adds afterwards (HTTP-Redirect binding, a replayed assertion, a failed
/// query-string signature) do not withdraw it, so a failing report says the SAML is fine.
#[test]
fn a_failing_report_never_says_the_saml_is_fine() {
    for inputs in [
        vec!["tests/fixtures/rules/response-over-redirect.url"],
        vec![Q_OK, Q_OK],
    ] {
        let output = explain(&with(&inputs, &with(AMAZON_Q, &["--format", "json"])));
        for report in json_lines(&output.stdout) {
            if report["verdict"] == "fail" {
                assert!(
                    !codes_of(&report).contains(&"response/sign-in-ok-check-authorization"),
                    "{inputs:?}: {:?}",
                    codes_of(&report)
                );
            }
        }
    }
}
