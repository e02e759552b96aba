//! `samlkit explain` over every Response of the third-party corpus (tests/corpus): each gets a
//! report without a crash, and those the MANIFEST's local xmlsec1 check calls valid verify,
//! given the certificate or metadata their row names — except the files the verifier's own
//! corpus test lists, with its reasons, as departing from that check.

mod common;

use std::path::Path;

use base64::Engine as _;
use common::{corpus_file, json_lines, manifest, repo_root, samlkit, ManifestRow};
use serde_json::Value;

/// When nothing in the MANIFEST says when the upstream test ran: the instant the verifier's
/// corpus test judges at.
const DEFAULT_NOW: &str = "2026-01-01T00:00:00Z";
const VERIFIER_CORPUS_TEST: &str = "crates/samlkit-verify/tests/corpus_verify.rs";

/// A Response of the corpus: kind `response`, or a `redirect` capture holding one.
fn is_response(row: &ManifestRow) -> bool {
    row.kind == "response"
        || (row.kind == "redirect" && row.structure_field("root") == Some("Response"))
}

/// The upstream library's own words, before the generated `||` parts.
fn upstream_expectation(row: &ManifestRow) -> &str {
    row.expectation.split("||").next().unwrap_or("")
}

/// The instant the upstream test froze the clock at (`… valid at 2016-01-05T17:53:12Z …`).
fn frozen_now(row: &ManifestRow) -> Option<String> {
    let text = upstream_expectation(row);
    text.match_indices(" at ").find_map(|(at, _)| {
        let candidate: String = text[at + 4..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '.'))
            .collect();
        let looks_like_instant = candidate.len() >= 20
            && candidate.as_bytes()[4] == b'-'
            && candidate.as_bytes()[10] == b'T'
            && candidate.ends_with('Z');
        looks_like_instant.then_some(candidate)
    })
}

/// The MANIFEST's local xmlsec1 check, without the decryption check that may follow it.
fn local_check(row: &ManifestRow) -> Option<&str> {
    let (_, after) = row.expectation.split_once("local check")?;
    Some(after.split("|| decrypt check").next().unwrap_or(after))
}

fn is_private_key(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains("PRIVATE KEY"))
}

/// True when the row's trust is the certificate the message carries, pinned by fingerprint as
/// the upstream test pinned it: said outright, or nothing else is named and the local check
/// verified with it.
fn pins_embedded_certificate(row: &ManifestRow) -> bool {
    let named_files = row
        .verify_with
        .iter()
        .filter(|entry| !entry.starts_with("embedded"))
        .any(|entry| !is_private_key(&corpus_file(entry)));
    row.verify_with
        .first()
        .is_some_and(|e| e.starts_with("embedded"))
        || (!named_files
            && local_check(row).is_some_and(|c| c.contains("verifies with embedded KeyInfo cert")))
}

/// The local check says every signature verifies with the trust explain is given here.
fn valid_per_manifest(row: &ManifestRow) -> bool {
    let Some(check) = local_check(row) else {
        return false;
    };
    if check.contains("does NOT verify") || check.contains("mismatch") {
        return false;
    }
    if pins_embedded_certificate(row) {
        check.contains("verifies with")
    } else {
        check.contains("verifies with verify_with") && !check.contains("embedded KeyInfo")
    }
}

/// The decoded XML of a corpus file, as samlkit decodes it.
fn decoded_xml(path: &Path) -> Option<String> {
    let output = samlkit()
        .args(["decode", "--raw"])
        .arg(path)
        .output()
        .unwrap();
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// SHA-256 (hex) of the first certificate in a signature's KeyInfo; a KeyInfo holding a whole
/// PEM file (base64 twice) is unwrapped, as the verifier does.
fn embedded_certificate_sha256(xml: &str) -> Option<String> {
    let document = roxmltree::Document::parse(xml).ok()?;
    let node = document.descendants().find(|node| {
        node.tag_name().name() == "X509Certificate"
            && node.ancestors().any(|a| a.tag_name().name() == "Signature")
    })?;
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .flat_map(|t| t.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let engine = base64::engine::general_purpose::STANDARD;
    let mut der = engine.decode(text).ok()?;
    if der.starts_with(b"-----BEGIN") {
        let pem = String::from_utf8(der).ok()?;
        let body: String = pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        der = engine.decode(body).ok()?;
    }
    let digest = openssl::sha::sha256(&der);
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// The trust flags a user would give for this row: certificates with --idp-cert, metadata with
/// --idp-metadata, a python3-saml settings file's `idp.x509cert` saved as a certificate, the
/// pinned fingerprint of an embedded certificate. Private keys are for decryption, which
/// explain does not do; they are left out.
fn trust_flags(row: &ManifestRow, scratch: &Path) -> Vec<String> {
    let mut flags = Vec::new();
    if pins_embedded_certificate(row) {
        if let Some(pin) =
            decoded_xml(&row.path()).and_then(|xml| embedded_certificate_sha256(&xml))
        {
            flags.extend(["--idp-fingerprint".to_string(), pin]);
        }
        return flags;
    }
    for (index, entry) in row.verify_with.iter().enumerate() {
        let path = corpus_file(entry);
        if entry.starts_with("embedded") || !path.is_file() || is_private_key(&path) {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        if entry.ends_with(".json") {
            let settings: Value = serde_json::from_str(&text).expect("settings JSON");
            let cert = settings["idp"]["x509cert"].as_str().expect("idp.x509cert");
            let saved = scratch.join(format!("settings-cert-{index}.crt"));
            std::fs::write(&saved, cert).unwrap();
            flags.extend(["--idp-cert".to_string(), saved.display().to_string()]);
        } else if text.contains("EntityDescriptor") {
            flags.extend(["--idp-metadata".to_string(), path.display().to_string()]);
        } else {
            flags.extend(["--idp-cert".to_string(), path.display().to_string()]);
        }
    }
    flags
}

/// The verifier corpus test's EXCEPTIONS: (file, how samlkit departs, reason).
fn verifier_exceptions() -> Vec<(String, String, String)> {
    let source = std::fs::read_to_string(repo_root().join(VERIFIER_CORPUS_TEST)).unwrap();
    let start = source
        .find("const EXCEPTIONS")
        .expect("the EXCEPTIONS list");
    let block = &source[start..];
    let block = &block[..block.find("\n];").expect("the end of EXCEPTIONS")];
    let mut entries = Vec::new();
    let mut rest = block;
    while let Some(open) = rest.find("(\"") {
        let (file, after) = string_literal(&rest[open + 1..]);
        let after = after.trim_start().strip_prefix(',').unwrap().trim_start();
        let comma = after.find(',').unwrap();
        let departs = after[..comma].trim().to_string();
        let (reason, after) = string_literal(after[comma + 1..].trim_start());
        entries.push((file, departs, reason));
        rest = after;
    }
    entries
}

/// A Rust string literal at the start of `text` (escapes kept as the reader sees them), and
/// what follows it.
fn string_literal(text: &str) -> (String, &str) {
    let body = text.strip_prefix('"').expect("a string literal");
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            '"' => return (value, &body[at + 1..]),
            c => value.push(c),
        }
    }
    panic!("unterminated string literal")
}

/// Why a report does not count as verified, or None when it does.
fn signature_problem(report: &Value) -> Option<String> {
    let errors: Vec<&str> = report["findings"]
        .as_array()?
        .iter()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| f["code"].as_str())
        .filter(|code| code.starts_with("signature/") || code.starts_with("cert/"))
        .collect();
    if report["signature"]["verified"] != true || !errors.is_empty() {
        Some(format!(
            "verified={} errors={errors:?}",
            report["signature"]["verified"]
        ))
    } else {
        None
    }
}

#[test]
fn the_verifier_exceptions_list_reads_whole() {
    let exceptions = verifier_exceptions();
    assert!(exceptions.len() >= 20, "{}", exceptions.len());
    for (file, departs, reason) in &exceptions {
        assert!(corpus_file(file).is_file(), "{file}");
        assert!(
            ["FromXmlsec1", "FromUpstreamOnly"].contains(&departs.as_str()),
            "{departs}"
        );
        assert!(reason.len() > 20, "{file}: {reason}");
    }
    assert!(exceptions.iter().any(|(file, departs, reason)| file
        == "python3-saml/response4.xml.base64"
        && departs == "FromXmlsec1"
        && reason.contains("unsigned assertion")));
}

#[test]
fn every_corpus_response_gets_a_report_and_the_valid_ones_verify() {
    let rows: Vec<ManifestRow> = manifest().into_iter().filter(is_response).collect();
    assert!(
        rows.len() > 150,
        "the corpus lost responses: {}",
        rows.len()
    );
    let exceptions = verifier_exceptions();
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let (mut valid, mut excused) = (0, Vec::new());

    for row in &rows {
        let now = frozen_now(row).unwrap_or_else(|| DEFAULT_NOW.to_string());
        let output = samlkit()
            .args(["explain", "--format", "json", "--now", &now])
            .arg(row.path())
            .args(trust_flags(row, scratch.path()))
            .output()
            .unwrap();
        let code = output.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("panicked") || !(0..=2).contains(&code) {
            failures.push(format!("{}: crashed (exit {code}): {stderr}", row.file));
            continue;
        }
        let reports = json_lines(&output.stdout);
        if reports.len() != 1 {
            failures.push(format!("{}: {} JSON lines", row.file, reports.len()));
            continue;
        }
        let report = &reports[0];
        let expected_verdict = ["pass", "fail", "error"][code as usize];
        if report["verdict"] != expected_verdict {
            failures.push(format!(
                "{}: exit {code} but verdict {}",
                row.file, report["verdict"]
            ));
            continue;
        }
        if code == 2 {
            // Only what inspect cannot read either (the corpus inspect test pins why).
            let inspect = samlkit()
                .args(["inspect", "--format", "json", "--now", &now])
                .arg(row.path())
                .output()
                .unwrap();
            if inspect.status.code() != Some(2) {
                failures.push(format!(
                    "{}: explain cannot read it ({}) but inspect can",
                    row.file, report["error"]
                ));
            }
            continue;
        }

        if !valid_per_manifest(row) {
            continue;
        }
        valid += 1;
        let problem = signature_problem(report);
        let exception = exceptions
            .iter()
            .find(|(file, departs, _)| *file == row.file && departs == "FromXmlsec1");
        match (problem, exception) {
            (None, None) => {}
            (Some(problem), None) => failures.push(format!(
                "{}: valid per the MANIFEST's local check, but explain says {problem}",
                row.file
            )),
            (Some(_), Some((_, _, reason))) => excused.push(format!("{}: {reason}", row.file)),
            (None, Some(_)) => failures.push(format!(
                "{}: listed by the verifier as departing from xmlsec1, yet it verifies through \
                 explain",
                row.file
            )),
        }
    }
    assert!(
        valid > 60,
        "only {valid} responses the MANIFEST calls valid"
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}\n(excused by the verifier's EXCEPTIONS:\n{})",
        failures.len(),
        failures.join("\n"),
        excused.join("\n")
    );
}

#[test]
fn frozen_instants_are_read_from_the_manifest() {
    let rows = manifest();
    let now_of = |file: &str| {
        let row = rows.iter().find(|r| r.file == file).unwrap();
        frozen_now(row)
    };
    assert_eq!(
        now_of("crewjam-saml/TestSPCanHandleOneloginResponse_response").as_deref(),
        Some("2016-01-05T17:53:12Z")
    );
    assert_eq!(
        now_of("gosaml2/saml_compressed.post").as_deref(),
        Some("2017-03-17T20:00:00Z")
    );
    assert_eq!(now_of("python3-saml/valid_response.xml.base64"), None);
}
