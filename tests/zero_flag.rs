//! A newcomer's runs: a paste, a HAR, the IdP's metadata at most — no `--profile`, no `--now`,
//! no service-provider settings. Each diagnosis must be right without them.

mod common;

use std::process::Output;

use common::{finding, json_lines, samlkit};
use samlkit_parse::time::Instant;
use serde_json::Value;

const METADATA: &str = "samples/entra-federation-metadata.xml";
const Q_PERMISSION: &str = "samples/amazon-q-permission-needed.b64";
const ENTRA_B64: &str = "samples/entra-response.b64";
const ENTRA_XML: &str = "samples/entra-response.xml";
const ENCRYPTED: &str = "tests/fixtures/scenarios/q-encrypted.xml";
const AUTHN_REQUEST: &str = "tests/fixtures/scenarios/authn-request-acs-mismatch.xml";
const UNSIGNED: &str = "samples/entra-response-unsigned.xml";
/// The unsigned sample's validity: its assertion's NotBefore and NotOnOrAfter.
const VALID_FROM: &str = "2026-11-28T09:00:00.107Z";
const VALID_UNTIL: &str = "2026-11-28T10:10:00.107Z";
/// When the samples were captured (the Response's IssueInstant is 09:00:00.107).
const CAPTURED: &str = "2026-11-28T09:00:30.000Z";

fn run(args: &[&str]) -> Output {
    samlkit().args(args).output().expect("samlkit runs")
}

fn json(args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["explain", "--format", "json"];
    all.extend_from_slice(args);
    let output = run(&all);
    (
        output.status.code().unwrap_or(-1),
        json_lines(&output.stdout),
    )
}

fn text(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    let output = run(&all);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .map(|f| f["code"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn sample_base64() -> String {
    std::fs::read_to_string(common::repo_root().join(ENTRA_B64))
        .unwrap()
        .split_whitespace()
        .collect()
}

fn write(dir: &tempfile::TempDir, name: &str, content: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// A HAR holding the sample Response posted at `started` (`times` times).
fn har(started: &str, times: usize) -> String {
    let encoded = sample_base64()
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let body = format!("SAMLResponse={encoded}");
    let entry = serde_json::json!({
        "startedDateTime": started,
        "request": {
            "method": "POST",
            "url": "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml",
            "headers": [],
            "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}
        },
        "response": {"status": 302, "headers": []}
    });
    serde_json::json!({"log": {"version": "1.2", "entries": vec![entry; times]}}).to_string()
}

/// The unsigned sample with every instant in it moved by one amount, so that its instant
/// `anchor` falls `offset` seconds from the system clock (negative: before it).
fn sample_around_now(anchor: &str, offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let shift = Instant::parse(anchor)
        .unwrap()
        .seconds_until(Instant::from_unix(now + offset, 0));
    let sample = std::fs::read_to_string(common::repo_root().join(UNSIGNED)).unwrap();
    // Attribute values are the odd pieces between quotes; the instants are those that parse.
    let pieces: Vec<String> = sample
        .split('"')
        .enumerate()
        .map(|(index, piece)| match Instant::parse(piece) {
            Ok(instant) if index % 2 == 1 && piece.starts_with("2026-") => {
                instant.plus_seconds(shift).to_string()
            }
            _ => piece.to_string(),
        })
        .collect();
    pieces.join("\"")
}

/// The whole seconds a finding's message gives after `before` (as in "more than 450 s").
fn seconds_after(message: &str, before: &str) -> i64 {
    let start = message.find(before).expect(before) + before.len();
    let digits: String = message[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a number of seconds")
}

/// The decoded sample as `samlkit decode` pretty-prints it.
fn decoded_pretty() -> String {
    let output = run(&["decode", ENTRA_B64]);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_service_provider_is_detected_and_its_profile_fails_the_message() {
    let (code, reports) = json(&[Q_PERMISSION, "--idp-metadata", METADATA]);
    assert_eq!(code, 1);
    let report = &reports[0];
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["profile"], "amazon-q-business");
    assert_eq!(report["profile_source"], "detected");
    assert_eq!(report["profile_detected"]["field"], "audience");
    assert!(codes(report).contains(&"nameid/format".to_string()));

    let (_, out, _) = text(&[Q_PERMISSION, "--idp-metadata", METADATA]);
    assert!(out.contains(
        "profile amazon-q-business, detected from the Audience (https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml); --profile generic to turn off"
    ));
    assert!(!out.contains("No problems found"));

    // --profile wins, and says so.
    let (_, reports) = json(&[
        Q_PERMISSION,
        "--idp-metadata",
        METADATA,
        "--profile",
        "generic",
    ]);
    assert_eq!(reports[0]["profile"], "generic");
    assert_eq!(reports[0]["profile_source"], "flag");
}

#[test]
fn an_old_paste_is_judged_at_its_issue_instant_with_a_note() {
    let (code, reports) = json(&[ENTRA_B64, "--idp-metadata", METADATA]);
    let report = &reports[0];
    assert_eq!(report["judged_at_source"], "issue-instant");
    assert_eq!(report["judged_at"], "2026-11-28T09:00:00.107Z");
    let found = codes(report);
    assert!(found.contains(&"time/judged-when-issued".to_string()));
    assert!(!found.iter().any(|c| c == "time/expired"), "{found:?}");
    assert_eq!(code, 0, "the sample passes when judged as captured");
    let (_, out, _) = text(&[ENTRA_B64, "--idp-metadata", METADATA]);
    assert!(out.contains("judged at 2026-11-28T09:00:00.107Z (its IssueInstant"));
    assert!(out.contains("--now"));
}

#[test]
fn minutes_of_skew_are_judged_at_the_system_clock_with_the_measured_offset() {
    let dir = tempfile::tempdir().unwrap();
    // Validity that ended 7½ minutes ago: skew (or a slow paste), not an old capture.
    let expired = write(&dir, "expired.xml", &sample_around_now(VALID_UNTIL, -450));
    let (_, reports) = json(&[&expired]);
    let report = &reports[0];
    assert_eq!(report["judged_at_source"], "system", "{report}");
    assert!(!codes(report).contains(&"time/judged-when-issued".to_string()));
    let message = finding(report, "time/expired")["message"].as_str().unwrap();
    assert!(message.contains("expired 7 min ago"), "{message}");
    let late = seconds_after(message, "more than ");
    assert!((450..480).contains(&late), "{message}");

    // Valid only from 5½ minutes on: the IdP's clock runs ahead.
    let early = write(&dir, "early.xml", &sample_around_now(VALID_FROM, 330));
    let (_, reports) = json(&[&early]);
    let report = &reports[0];
    assert_eq!(report["judged_at_source"], "system", "{report}");
    let message = finding(report, "time/not-yet-valid")["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("becomes valid only in 5 min"), "{message}");
    assert!(message.contains("runs about 5 min ahead"), "{message}");
    let needed = seconds_after(message, "at least ");
    assert!((300..=330).contains(&needed), "{message}");
}

#[test]
fn an_hour_past_validity_is_where_skew_ends_and_an_old_capture_begins() {
    let dir = tempfile::tempdir().unwrap();
    let within = write(&dir, "58min.xml", &sample_around_now(VALID_UNTIL, -58 * 60));
    let (_, reports) = json(&[&within]);
    assert_eq!(reports[0]["judged_at_source"], "system");
    let message = finding(&reports[0], "time/expired")["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("expired 58 min ago"), "{message}");

    let beyond = write(&dir, "62min.xml", &sample_around_now(VALID_UNTIL, -62 * 60));
    let (_, reports) = json(&[&beyond]);
    assert_eq!(reports[0]["judged_at_source"], "issue-instant");
    let found = codes(&reports[0]);
    assert!(found.contains(&"time/judged-when-issued".to_string()));
    assert!(!found.contains(&"time/expired".to_string()), "{found:?}");
    let note = finding(&reports[0], "time/judged-when-issued")["message"]
        .as_str()
        .unwrap();
    assert!(
        note.contains("stopped being valid 1 h 2 min before"),
        "{note}"
    );
}

#[test]
fn a_har_entry_is_judged_at_its_own_timestamp() {
    let dir = tempfile::tempdir().unwrap();
    let capture = write(&dir, "capture.har", &har(CAPTURED, 1));
    let (code, reports) = json(&[&capture, "--idp-metadata", METADATA]);
    assert_eq!(code, 0, "{reports:?}");
    assert_eq!(reports[0]["judged_at_source"], "capture");
    assert_eq!(reports[0]["judged_at"], "2026-11-28T09:00:30Z");
    assert!(!codes(&reports[0]).contains(&"time/judged-when-issued".to_string()));

    // Captured an hour and a half late: the HAR's time is the truth, and the message expired.
    let late = write(&dir, "late.har", &har("2026-11-28T10:30:00Z", 1));
    let (_, reports) = json(&[&late, "--idp-metadata", METADATA]);
    assert!(codes(&reports[0]).contains(&"time/expired".to_string()));
}

#[test]
fn replay_is_the_same_assertion_posted_twice_in_one_capture() {
    let dir = tempfile::tempdir().unwrap();
    let capture = write(&dir, "twice.har", &har(CAPTURED, 2));
    let (code, reports) = json(&[&capture, "--idp-metadata", METADATA]);
    assert_eq!(code, 1);
    assert_eq!(reports.len(), 2);
    assert!(!codes(&reports[0]).contains(&"response/replayed-assertion".to_string()));
    assert!(codes(&reports[1]).contains(&"response/replayed-assertion".to_string()));
}

#[test]
fn the_same_capture_saved_twice_is_a_duplicate_not_a_replay() {
    let (code, reports) = json(&[ENTRA_B64, ENTRA_XML, "--idp-metadata", METADATA]);
    assert_eq!(code, 0);
    let second = codes(&reports[1]);
    assert!(
        second.contains(&"input/duplicate".to_string()),
        "{second:?}"
    );
    assert!(!second.contains(&"response/replayed-assertion".to_string()));
    let (_, out, _) = text(&[ENTRA_B64, ENTRA_XML, "--idp-metadata", METADATA]);
    assert!(out.contains("2 inputs: 2 pass, 0 fail"), "{out}");
}

/// `samlkit explain samples/*`, as a newcomer first tries it: each sample is its own sign-in
/// except the one response saved three ways, which is one message judged once.
#[test]
fn every_sample_together_has_no_replay_and_one_message_saved_three_ways() {
    let mut files: Vec<String> = std::fs::read_dir(common::repo_root().join("samples"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| path.display().to_string())
        .collect();
    files.sort();
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let (_, reports) = json(&names);
    assert_eq!(reports.len(), files.len(), "one report per file");
    let messages: Vec<&Value> = reports.iter().filter(|r| r["verdict"] != "error").collect();
    assert_eq!(messages.len(), 5, "{reports:?}");
    for report in &reports {
        assert!(
            !codes(report).contains(&"response/replayed-assertion".to_string()),
            "{report}"
        );
    }
    let duplicates: Vec<&str> = messages
        .iter()
        .filter(|r| codes(r).contains(&"input/duplicate".to_string()))
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(duplicates.len(), 2, "{duplicates:?}");
    assert!(duplicates
        .iter()
        .all(|source| source.ends_with("entra-response.b64")
            || source.ends_with("entra-response.xml")));
}

#[test]
fn one_assertion_id_in_two_different_messages_is_a_replay() {
    let original = std::fs::read_to_string(common::repo_root().join(ENTRA_XML)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let other = write(
        &dir,
        "other.xml",
        &original.replace("alice@contoso.example", "bob@contoso.example"),
    );
    let (code, reports) = json(&[ENTRA_XML, &other]);
    assert_eq!(code, 1);
    assert!(!codes(&reports[0]).contains(&"response/replayed-assertion".to_string()));
    let second = codes(&reports[1]);
    assert!(
        second.contains(&"response/replayed-assertion".to_string()),
        "{second:?}"
    );
    assert!(!second.contains(&"input/duplicate".to_string()));
}

#[test]
fn without_trust_the_verdict_is_unverified_with_one_finding() {
    let (code, reports) = json(&[ENTRA_B64]);
    assert_eq!(code, 1, "unverified is not a pass");
    let report = &reports[0];
    assert_eq!(report["verdict"], "unverified");
    let found = codes(report);
    assert_eq!(
        found
            .iter()
            .filter(|c| c.as_str() == "signature/no-trust-configured"
                || c.as_str() == "signature/claims-not-verified")
            .count(),
        1,
        "{found:?}"
    );
    let (_, out, _) = text(&[ENTRA_B64]);
    assert!(out.contains("⚠ Not verified"));
    assert!(out.contains("--idp-cert"));
    assert!(out.contains("unverified (no trusted IdP key given)"));
}

#[test]
fn a_reformatted_copy_is_reported_as_reformatted_not_as_a_wrong_key() {
    let pretty = decoded_pretty();
    let tabs = pretty.replace("  ", "\t");
    let four = pretty.replace("  ", "    ");
    let crlf = pretty.replace('\n', "\r\n");
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("decode.xml", pretty.as_str()),
        ("tabs.xml", &tabs),
        ("four.xml", &four),
        ("crlf.xml", &crlf),
    ] {
        let path = write(&dir, name, content);
        let (code, reports) = json(&[&path, "--idp-metadata", METADATA]);
        assert_eq!(code, 1, "{name}");
        let found = codes(&reports[0]);
        assert_eq!(found[0], "signature/digest-mismatch", "{name}: {found:?}");
        assert!(!found.contains(&"signature/signature-mismatch".to_string()));
        let message = reports[0]["findings"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("re-indented or pretty-printed"),
            "{name}: {message}"
        );
        let fix = reports[0]["findings"][0]["fix"].as_str().unwrap();
        assert!(fix.contains("original base64 value"), "{fix}");
    }
}

#[test]
fn an_edited_value_and_a_wrong_key_are_told_apart() {
    let original = std::fs::read_to_string(common::repo_root().join(ENTRA_XML)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edited = write(
        &dir,
        "edited.xml",
        &original.replace("alice@contoso.example", "mallory@contoso.example"),
    );
    let (_, reports) = json(&[&edited, "--idp-metadata", METADATA]);
    let found = codes(&reports[0]);
    assert_eq!(found[0], "signature/digest-mismatch", "{found:?}");
    let message = reports[0]["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("<Assertion> was edited after it was signed"),
        "{message}"
    );

    let (_, reports) = json(&[
        ENTRA_XML,
        "--idp-cert",
        "tests/corpus/python3-saml/certs/idp.crt",
    ]);
    let found = codes(&reports[0]);
    assert!(!found.contains(&"signature/digest-mismatch".to_string()));
    assert!(
        found.contains(&"signature/untrusted-key".to_string())
            || found.contains(&"signature/signature-mismatch".to_string()),
        "{found:?}"
    );
}

#[test]
fn an_encrypted_assertion_without_the_key_says_so() {
    let (code, reports) = json(&[ENCRYPTED, "--idp-metadata", METADATA]);
    assert_eq!(code, 1);
    let found = codes(&reports[0]);
    assert!(
        !found.contains(&"signature/not-signed".to_string()),
        "{found:?}"
    );
    let unread = reports[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "response/encrypted-assertion")
        .expect("the encrypted-assertion finding");
    let message = unread["message"].as_str().unwrap();
    assert!(message.contains("encrypted for the service provider"));
    assert!(message.contains("readable without the key: issuer"));
    assert!(message.contains("content encrypted with"));
    assert!(unread["fix"].as_str().unwrap().contains("--sp-key"));
}

/// The text of line `line` before and from column `column`, in the numbered XML that
/// `samlkit decode --raw --line-numbers INPUT…` prints.
fn decoded_at(input: &[&str], line: u64, column: u64) -> (String, String) {
    let mut args = vec!["decode", "--raw", "--line-numbers"];
    args.extend_from_slice(input);
    let output = run(&args);
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "the numbered view needs no note");
    let numbered = String::from_utf8(output.stdout).unwrap();
    let text = numbered
        .lines()
        .find_map(|row| {
            let (number, text) = row.split_once(" | ")?;
            (number.trim() == line.to_string()).then_some(text)
        })
        .unwrap_or_else(|| panic!("no line {line} in {numbered}"));
    let before = column as usize - 1;
    (
        text.chars().take(before).collect(),
        text.chars().skip(before).collect(),
    )
}

/// Where a finding points, looked up in `decode --raw --line-numbers`: the line's text before
/// and from there.
fn finding_text(input: &[&str], report: &Value, code: &str) -> (String, String) {
    let location = &finding(report, code)["location"];
    decoded_at(
        input,
        location["line"].as_u64().expect("a line"),
        location["column"].as_u64().expect("a column"),
    )
}

#[test]
fn finding_locations_are_the_lines_and_columns_decode_numbers() {
    // The NameID format finding points at the Format attribute's value.
    let format_value = |(before, at): (String, String), format: &str| {
        assert!(before.ends_with(r#"<NameID Format=""#), "{before}");
        let value = format!("urn:oasis:names:tc:SAML:1.1:nameid-format:{format}\"");
        assert!(at.starts_with(&value), "{at}");
    };
    let (_, reports) = json(&[Q_PERMISSION]);
    format_value(
        finding_text(&[Q_PERMISSION], &reports[0], "nameid/format"),
        "emailAddress",
    );
    let (_, at) = finding_text(&[Q_PERMISSION], &reports[0], "claims/required-missing");
    assert!(at.starts_with("<Attribute Name="), "{at}");

    // A copy re-indented by `decode`, with CRLF line endings: many lines, each ending in \r.
    let output = run(&["decode", Q_PERMISSION]);
    let pretty = String::from_utf8(output.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = write(&dir, "pretty.xml", &pretty.replace('\n', "\r\n"));
    let (_, reports) = json(&[&copy]);
    let line = finding(&reports[0], "nameid/format")["location"]["line"]
        .as_u64()
        .unwrap();
    assert!(
        line > 24,
        "the re-indented copy has more lines before the NameID"
    );
    format_value(
        finding_text(&[&copy], &reports[0], "nameid/format"),
        "emailAddress",
    );

    // A decrypted assertion (NameID format unspecified, where Slack wants emailAddress):
    // findings point into the decrypted XML, which --decrypt numbers.
    let key = "crates/samlkit-verify/tests/fixtures/xmlenc/test-only-sp.key.pem";
    let (_, reports) = json(&[ENCRYPTED, "--sp-key", key, "--profile", "slack"]);
    format_value(
        finding_text(
            &[ENCRYPTED, "--decrypt", "--sp-key", key],
            &reports[0],
            "nameid/format",
        ),
        "unspecified",
    );

    // The pretty view says which view the numbers belong to, on stderr: its stdout is XML.
    let note = String::from_utf8_lossy(&output.stderr);
    assert!(
        note.contains("samlkit decode --raw --line-numbers"),
        "{note}"
    );
    assert!(
        pretty.starts_with('<') && pretty.ends_with(">\n"),
        "{pretty}"
    );
    assert!(run(&["decode", "--raw", Q_PERMISSION]).stderr.is_empty());
}

/// The README's first example, run as written (no `--now`, no `--profile`) on the day the test
/// runs: every line it shows is in the output, but for what it abbreviates (`...`, `(…)`) and
/// the capture's age, which grows by the day.
#[test]
fn the_readmes_first_example_runs_as_written() {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let block = readme
        .split("```")
        .find(|block| block.trim_start().starts_with("$ samlkit explain"))
        .expect("the README opens with an explain example");
    let lines: Vec<&str> = block.trim_start().lines().collect();
    let command_lines = 1 + lines.iter().take_while(|l| l.ends_with('\\')).count();
    let command = lines[..command_lines]
        .iter()
        .map(|l| l.trim_start_matches('$').trim_end_matches('\\'))
        .collect::<Vec<_>>()
        .join(" ");
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    assert_eq!(args[0], "explain");
    let output = run(&args);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let age_masked = |line: &str| match (line.find("valid "), line.find(" before this")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}valid …{}", &line[..start], &line[end..])
        }
        _ => line.to_string(),
    };
    let actual: Vec<String> = stdout.lines().map(age_masked).collect();
    for shown in &lines[command_lines..] {
        if shown.trim() == "..." {
            continue;
        }
        let shown = age_masked(shown);
        let found = match shown.strip_suffix("(…)") {
            Some(prefix) => actual.iter().any(|line| line.starts_with(prefix)),
            None => actual.contains(&shown),
        };
        assert!(found, "README line not in the output: {shown}\n{stdout}");
    }
}

#[test]
fn a_request_goes_to_the_idp() {
    let (_, out, _) = text(&[AUTHN_REQUEST]);
    assert!(out.contains("AuthnRequest to Microsoft Entra ID"), "{out}");
}

#[test]
fn causes_come_before_time() {
    let (_, reports) = json(&[
        Q_PERMISSION,
        "--idp-metadata",
        METADATA,
        "--now",
        "2026-12-07T00:00:00Z",
    ]);
    let found = codes(&reports[0]);
    let first_time = found.iter().position(|c| c.starts_with("time/")).unwrap();
    let nameid = found.iter().position(|c| c == "nameid/format").unwrap();
    assert!(nameid < first_time, "{found:?}");
}

#[test]
fn kind_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let quoted = write(&dir, "quoted.txt", &format!("\"{}\",\n", sample_base64()));
    let (code, reports) = json(&[&quoted, "--idp-metadata", METADATA]);
    assert_eq!(code, 0, "{reports:?}");

    let (code, _, err) = text(&[ENTRA_B64, "--idp-cert", METADATA]);
    assert_eq!(code, 2);
    assert!(
        err.contains("SAML metadata: give it with --idp-metadata"),
        "{err}"
    );
    let (code, _, err) = text(&[ENTRA_B64, "--idp-metadata", "samples/keys/idp-signing.crt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a certificate: give it with --idp-cert"),
        "{err}"
    );
    let (code, _, err) = text(&[ENTRA_B64, "--idp-metadata", ENTRA_XML]);
    assert_eq!(code, 2);
    assert!(err.contains("a SAML message"), "{err}");

    let help = run(&["explain", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("saml-tracer") && help.contains("base64-deflate"));

    let empty = write(
        &dir,
        "empty.har",
        r#"{"log":{"version":"1.2","entries":[]}}"#,
    );
    let (code, _, err) = text(&[&empty]);
    assert_eq!(code, 2);
    assert!(err.contains("Preserve log"), "{err}");
}

// A certificate or key passed as the message (`samlkit explain okta_cert.pem`) is named, with
// the flag it belongs to, not reported as broken base64.
#[test]
fn a_pem_certificate_or_key_given_as_the_message_names_its_flag() {
    let (code, _, stderr) = text(&[
        "tests/corpus/gosaml2/okta_cert.pem",
        "tests/corpus/crewjam-saml/sp_key.pem",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "okta_cert.pem: this is a PEM file (CERTIFICATE), not a SAML message; a certificate is \
             what a message's signature is checked against: give the IdP's with --idp-cert FILE"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--sp-key FILE"), "{stderr}");
    assert!(!stderr.contains("base64"), "{stderr}");
}

// `samlkit explain samples/*` also names the configuration file and the keys folder: each gets
// what it is and where it belongs, not "not XML, base64…".
#[test]
fn the_configuration_file_and_a_folder_are_named_for_what_they_are() {
    let (code, _, stderr) = text(&["samples/samlkit.toml", "samples/keys"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("samples/samlkit.toml: this is samlkit's configuration, not a message"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("samples/keys: this is a folder; give the files in it (e.g. samples/keys/*)"),
        "{stderr}"
    );
}

// A bare Assertion (copied from a log, or from a library's test data) is not what the browser
// posts: the answer says which command reads it and where the Response is found.
#[test]
fn a_bare_assertion_is_pointed_to_verify_and_to_the_posted_response() {
    let (code, _, stderr) =
        text(&["tests/corpus-interop/simplesamlphp-saml2/signedassertion_with_comments.xml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("this is a bare Assertion, not a SAMLResponse"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`samlkit verify` checks its signature"),
        "{stderr}"
    );
    assert!(stderr.contains("network panel or SAML-tracer"), "{stderr}");
}
