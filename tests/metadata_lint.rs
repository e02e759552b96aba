//! `samlkit metadata`: every metadata file of the corpus lints as its MANIFEST row says, and the
//! generated fixtures (tests/fixtures/metadata, made by generate.py there) exercise each rule.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{json_lines, manifest, repo_root, samlkit, ManifestRow};
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("tests/fixtures/metadata/{name}")
}

fn key(name: &str) -> String {
    format!("tests/fixtures/metadata/keys/{name}")
}

/// The instant the fixtures are judged at: the Entra ID certificate expires 19 days later.
const FIXTURE_NOW: &str = "2026-12-01T00:00:00Z";

/// Runs `samlkit metadata --format json` and returns the exit code and the one JSON object.
fn lint_json(args: &[&str]) -> (i32, Value) {
    let output = samlkit()
        .arg("metadata")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("samlkit runs");
    let code = output.status.code().expect("exit code");
    let mut lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 1, "one JSON object per file: {args:?}");
    (code, lines.remove(0))
}

/// Every finding of a report: the document's, then each entity's.
fn findings(report: &Value) -> Vec<&Value> {
    let mut all: Vec<&Value> = report["findings"].as_array().unwrap().iter().collect();
    for entity in report["entities"].as_array().unwrap() {
        all.extend(entity["findings"].as_array().unwrap());
    }
    all
}

fn codes(report: &Value) -> BTreeSet<String> {
    findings(report)
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn finding<'r>(report: &'r Value, code: &str) -> &'r Value {
    findings(report)
        .into_iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| {
            panic!(
                "no {code} in {}",
                codes(report).into_iter().collect::<Vec<_>>().join(", ")
            )
        })
}

fn has(report: &Value, code: &str) -> bool {
    codes(report).contains(code)
}

/// One day before / after an `xs:dateTime` of the manifest (date part only; hour kept).
fn shift_days(time: &str, days: i64) -> String {
    let (date, rest) = time.split_at(10);
    let mut parts = date.split('-').map(|p| p.parse::<i64>().unwrap());
    let (y, m, d) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    // Civil calendar arithmetic through days since the epoch (Howard Hinnant's algorithms).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let z = era * 146_097 + doe - 719_468 + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let time_of_day = rest.get(1..9).unwrap_or("00:00:00");
    format!("{y:04}-{m:02}-{d:02}T{time_of_day}Z")
}

/// A certificate file that verifies a corpus file, from its `verify_with` column: a PEM or
/// certificate file as is, or the `idp.x509cert` of a python3-saml settings file written out.
fn trust_file(row: &ManifestRow, dir: &tempfile::TempDir) -> Option<PathBuf> {
    let anchor = row.verify_with.first()?;
    if anchor.starts_with("embedded") {
        return None;
    }
    let path = common::corpus_file(anchor);
    if anchor.ends_with(".json") {
        let settings: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let body = settings["idp"]["x509cert"].as_str()?;
        let out = dir.path().join("settings-idp.crt");
        std::fs::write(&out, body).unwrap();
        return Some(out);
    }
    Some(path)
}

/// Corpus files whose signature samlkit judges differently from the upstream library, and why.
const SIGNATURE_EXCEPTIONS: &[(&str, &str)] = &[
    (
        "python3-saml/metadata/signed_metadata_settings2.xml",
        "the signature sits on the SPSSODescriptor, not on the EntityDescriptor: it does not \
         cover the entityID or the other roles, so samlkit does not count the metadata as signed",
    ),
    (
        "sustainsys/ReadEntityDescriptor_ValidateSignature.xml",
        "the file was re-indented after signing; it verifies only when whitespace is dropped at \
         load time (.NET), and samlkit, like xmlsec1, keeps it",
    ),
];

#[test]
fn every_corpus_metadata_file_lints_as_its_manifest_row_says() {
    let rows: Vec<ManifestRow> = manifest()
        .into_iter()
        .filter(|row| row.kind == "metadata")
        .collect();
    assert!(
        rows.len() >= 30,
        "the corpus lost metadata files: {}",
        rows.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut verified = 0;
    for row in &rows {
        let file = row.path().display().to_string();
        let root = row.structure_field("root").unwrap_or("");
        if root == "EntityDescriptor2" {
            let output = samlkit().args(["metadata", &file]).output().unwrap();
            assert_eq!(output.status.code(), Some(2), "{}", row.file);
            assert!(
                String::from_utf8_lossy(&output.stderr).contains("not a SAML message or metadata")
            );
            continue;
        }
        let (code, report) = lint_json(&["--now", "2024-01-01T00:00:00Z", &file]);
        assert!(code == 0 || code == 1, "{}: exit {code}", row.file);
        assert_eq!(report["root"], root, "{}", row.file);
        let expected_entities: u64 = row
            .structure_field("entities")
            .map_or(1, |n| n.parse().unwrap());
        assert_eq!(report["entity_count"], expected_entities, "{}", row.file);

        // The roles the MANIFEST lists are exactly the SAML sign-in roles found.
        let expected_roles: BTreeSet<&str> = row
            .structure_field("roles")
            .map(|roles| roles.split('+').collect())
            .unwrap_or_default();
        let found_roles: BTreeSet<String> = report["entities"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["roles"].as_array().unwrap().iter())
            .map(|r| r.as_str().unwrap().to_string())
            .filter(|r| r == "IDPSSODescriptor" || r == "SPSSODescriptor")
            .collect();
        let found_roles: BTreeSet<&str> = found_roles.iter().map(String::as_str).collect();
        assert_eq!(found_roles, expected_roles, "{}", row.file);
        if !expected_roles.contains("IDPSSODescriptor") {
            assert_eq!(
                report["idp_count"], 0,
                "{}: SP-only metadata has no IdP role",
                row.file
            );
        }

        // entityID: of the entity, or the Name of an aggregate.
        if let Some(entity_id) = row.structure_field("entityID") {
            if root == "EntityDescriptor" {
                assert_eq!(
                    report["entities"][0]["entity_id"], entity_id,
                    "{}",
                    row.file
                );
                if entity_id.contains(' ') || !entity_id.contains(':') {
                    assert!(has(&report, "metadata/entity-id-not-uri"), "{}", row.file);
                }
            } else {
                assert_eq!(report["name"], entity_id, "{}", row.file);
            }
        }

        // Per-entity findings name their entity, and the counts add up.
        let total: u64 = report["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_u64().unwrap())
            .sum();
        assert_eq!(total as usize, findings(&report).len(), "{}", row.file);

        // The signature count matches; no trust given means "not checked", never an error.
        let signed = row
            .structure_field("signatures")
            .is_some_and(|s| s != "none");
        assert_eq!(
            report["signature"]["signatures"].as_u64().unwrap() > 0,
            signed,
            "{}",
            row.file
        );
        assert_eq!(
            has(&report, "metadata/signature-not-checked"),
            signed,
            "{}",
            row.file
        );
        assert!(!has(&report, "metadata/signature-missing"), "{}", row.file);

        // validUntil judged on both sides of the instant.
        if let Some(valid_until) = row.structure_field("validUntil") {
            let before = shift_days(valid_until, -1);
            let after = shift_days(valid_until, 1);
            let (_, early) = lint_json(&["--now", &before, &file]);
            let (late_code, late) = lint_json(&["--now", &after, &file]);
            assert!(
                !has(&early, "metadata/valid-until-passed"),
                "{} at {before}",
                row.file
            );
            assert!(
                has(&late, "metadata/valid-until-passed"),
                "{} at {after}",
                row.file
            );
            assert_eq!(late_code, 1, "{}", row.file);
        }

        if row.expectation.contains("rolling") || row.expectation.contains("two signing certs") {
            let rollover = finding(&report, "metadata/key-rollover");
            assert!(
                rollover["message"].as_str().unwrap().contains("newer one"),
                "{}",
                row.file
            );
        }

        // Signed metadata verifies with the certificate the MANIFEST names.
        let Some(trust) = trust_file(row, &dir) else {
            continue;
        };
        let trust = trust.display().to_string();
        let (_, checked) = lint_json(&["--now", "2024-01-01T00:00:00Z", "--cert", &trust, &file]);
        assert_eq!(checked["signature"]["checked"], true, "{}", row.file);
        let upstream_verifies = row.expectation.contains("verifies with verify_with");
        let exception = SIGNATURE_EXCEPTIONS.iter().find(|(f, _)| *f == row.file);
        if upstream_verifies && exception.is_none() {
            assert_eq!(
                checked["signature"]["verified"], true,
                "{}: {checked}",
                row.file
            );
            assert!(!has(&checked, "metadata/not-verified"), "{}", row.file);
            verified += 1;
        } else {
            assert_eq!(checked["signature"]["verified"], false, "{}", row.file);
            assert!(has(&checked, "metadata/not-verified"), "{}", row.file);
        }
    }
    assert!(verified >= 3, "signed corpus metadata verified: {verified}");
}

#[test]
fn swamid_aggregate_reports_per_entity_and_counts_per_rule() {
    let file = common::corpus_file("pysaml2/swamid-1.0.xml")
        .display()
        .to_string();
    let (code, report) = lint_json(&["--now", "2011-06-01T00:00:00Z", &file]);
    assert_eq!(code, 1);
    assert_eq!(report["entity_count"], 175);
    let entities = report["entities"].as_array().unwrap();
    assert!(entities
        .iter()
        .all(|e| e["entity_id"].as_str().is_some_and(|id| !id.is_empty())));
    let with_findings = entities
        .iter()
        .filter(|e| !e["findings"].as_array().unwrap().is_empty())
        .count();
    assert!(with_findings > 10, "{with_findings}");
    // Each count is the number of findings with that code.
    for count in report["counts"].as_array().unwrap() {
        let code = count["code"].as_str().unwrap();
        let n = findings(&report)
            .iter()
            .filter(|f| f["code"] == code)
            .count();
        assert_eq!(count["count"].as_u64().unwrap() as usize, n, "{code}");
    }
    assert!(has(&report, "metadata/endpoint-http"));
    assert!(has(&report, "metadata/key-rollover"));
    // SWAMID 2011 still lists SAML 1.1-only entities.
    assert!(has(&report, "metadata/protocol-not-saml2"));

    // Text: entity headers and the per-rule counts, notes folded into the summary.
    let output = samlkit()
        .args(["metadata", "--now", "2011-06-01T00:00:00Z", &file])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("── entity #"), "{text}");
    assert!(text.contains("By rule"));
    assert!(text.contains("× metadata/endpoint-http (error)"));
    assert!(text.contains("notes not printed for an aggregate of 175 entities"));
    assert!(!text.contains("note[metadata/slo-missing]"));
}

#[test]
fn real_entra_metadata_is_accepted_verified_and_its_bom_reported() {
    let file = common::corpus_file("xml-crypto/wsfederation_metadata.xml")
        .display()
        .to_string();
    let cert = common::corpus_file("xml-crypto/wsfederation_metadata.pem")
        .display()
        .to_string();
    let (code, report) = lint_json(&["--now", "2015-06-01T00:00:00Z", "--cert", &cert, &file]);
    assert_eq!(report["signature"]["verified"], true, "{report}");
    let roles: Vec<&str> = report["entities"][0]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(roles.contains(&"IDPSSODescriptor"));
    assert!(
        roles.iter().any(|r| r.starts_with("RoleDescriptor")),
        "{roles:?}"
    );
    assert!(!has(&report, "metadata/no-role"));
    assert!(!has(&report, "metadata/protocol-not-saml2"));
    assert_eq!(report["idp"], "entra-id");
    // The file downloaded from Entra ID starts with a UTF-8 BOM, which AWS IAM refuses.
    assert!(has(&report, "metadata/byte-order-mark"));
    assert_eq!(code, 1);
    let rollover = finding(&report, "metadata/key-rollover");
    assert!(rollover["message"]
        .as_str()
        .unwrap()
        .contains("2 signing certificates"));
}

#[test]
fn entra_rollover_is_explained_and_the_expiring_certificate_named() {
    let (code, report) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        "--cert",
        &key("entra-active.crt"),
        &fixture("entra-rollover.xml"),
    ]);
    assert_eq!(code, 0, "warnings only: {report}");
    assert_eq!(report["signature"]["verified"], true);
    assert!(report["signature"]["verified_by"]
        .as_str()
        .unwrap()
        .contains("entra-active.crt"));
    let roles = &report["entities"][0]["roles"];
    assert_eq!(roles[0], "IDPSSODescriptor");
    assert_eq!(roles[1], "RoleDescriptor (fed:SecurityTokenServiceType)");
    // The same two certificates are listed in both roles: two keys, not four.
    assert_eq!(report["entities"][0]["keys"].as_array().unwrap().len(), 2);

    let rollover = finding(&report, "metadata/key-rollover");
    assert_eq!(rollover["severity"], "info");
    let message = rollover["message"].as_str().unwrap();
    assert!(message.contains("Key 2 is the newer one"), "{message}");
    assert!(
        message.contains("most likely still signs with key 1"),
        "{message}"
    );

    let expiring = finding(&report, "metadata/certificate-expires-soon");
    assert_eq!(expiring["severity"], "warning");
    assert!(expiring["message"]
        .as_str()
        .unwrap()
        .contains("expires on 2026-12-20T09:00:00Z, in 19 days"));
    assert!(expiring["fix"].as_str().unwrap().starts_with(
        "Microsoft Entra admin center › Entra ID › Enterprise apps › (your app) › Single sign-on › \
         SAML Signing Certificate"
    ));
    assert_eq!(report["errors"], 0);

    // Outside the horizon, no warning.
    let (_, quiet) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        "--warn-days",
        "10",
        &fixture("entra-rollover.xml"),
    ]);
    assert!(!has(&quiet, "metadata/certificate-expires-soon"));

    // After the old certificate expired: a rollover leftover (warning), the new key in use.
    let (code, later) = lint_json(&[
        "--now",
        "2026-12-21T00:00:00Z",
        &fixture("entra-rollover.xml"),
    ]);
    assert_eq!(code, 0);
    let expired = finding(&later, "metadata/certificate-expired");
    assert_eq!(expired["severity"], "warning");
    assert!(expired["message"]
        .as_str()
        .unwrap()
        .contains("leftover of a rollover"));
    assert!(finding(&later, "metadata/key-rollover")["message"]
        .as_str()
        .unwrap()
        .contains("key 2 is the only one valid now"));
}

#[test]
fn the_metadata_signature_is_verified_when_trust_is_given() {
    // A fingerprint works as well as the certificate.
    let pem = std::fs::read_to_string(repo_root().join(key("entra-active.crt"))).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body).unwrap();
    let fingerprint = openssl_sha256_hex(&der);
    let (code, report) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        "--fingerprint",
        &fingerprint,
        &fixture("entra-rollover.xml"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(report["signature"]["verified"], true);

    // A stripped signature is an error once trust is configured, and only then.
    let (code, stripped) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        "--cert",
        &key("entra-active.crt"),
        &fixture("entra-signature-stripped.xml"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        finding(&stripped, "metadata/signature-missing")["severity"],
        "error"
    );
    let (code, unchecked) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        &fixture("entra-signature-stripped.xml"),
    ]);
    assert_eq!(code, 0);
    assert!(!has(&unchecked, "metadata/signature-missing"));

    // An endpoint changed after signing.
    let (code, tampered) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        "--cert",
        &key("entra-active.crt"),
        &fixture("entra-tampered.xml"),
    ]);
    assert_eq!(code, 1);
    assert!(
        has(&tampered, "signature/digest-mismatch"),
        "{:?}",
        codes(&tampered)
    );
    assert!(finding(&tampered, "metadata/not-verified")["message"]
        .as_str()
        .unwrap()
        .contains("changed"));

    // The wrong certificate.
    let (code, wrong) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        "--cert",
        &key("entra-new.crt"),
        &fixture("entra-rollover.xml"),
    ]);
    assert_eq!(code, 1);
    assert!(has(&wrong, "metadata/not-verified"));
    assert_eq!(wrong["signature"]["verified"], false);
}

/// SHA-256 of `der` as hex, through the openssl CLI the fixtures are made with.
fn openssl_sha256_hex(der: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("openssl")
        .args(["dgst", "-sha256", "-r"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("openssl runs");
    child.stdin.take().unwrap().write_all(der).unwrap();
    let output = child.wait_with_output().unwrap();
    String::from_utf8(output.stdout).unwrap()[..64].to_string()
}

#[test]
fn byte_order_mark_and_utf16_are_errors() {
    let (code, report) = lint_json(&["--now", FIXTURE_NOW, &fixture("entra-rollover-bom.xml")]);
    assert_eq!(code, 1);
    let bom = finding(&report, "metadata/byte-order-mark");
    assert_eq!(bom["severity"], "error");
    assert!(bom["message"].as_str().unwrap().contains("AWS IAM"));
    assert_eq!(bom["location"]["line"], 1);

    let (code, report) = lint_json(&["--now", FIXTURE_NOW, &fixture("tiny-idp-utf16.xml")]);
    assert_eq!(code, 1);
    assert_eq!(finding(&report, "metadata/not-utf8")["actual"], "UTF-16LE");
    // Still read: the entity is there.
    assert_eq!(
        report["entities"][0]["entity_id"],
        "https://idp.example.org/idp"
    );
}

#[test]
fn amazon_q_profile_checks_the_metadata_xml_length() {
    let (_, generic) = lint_json(&["--now", FIXTURE_NOW, &fixture("tiny-idp.xml")]);
    assert!(!has(&generic, "metadata/length-out-of-bounds"));
    let (code, q) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        "--profile",
        "amazon-q-business",
        &fixture("tiny-idp.xml"),
    ]);
    assert_eq!(code, 1);
    let length = finding(&q, "metadata/length-out-of-bounds");
    assert_eq!(length["expected"], "1,000 to 10,000,000 characters");
    assert!(length["actual"].as_str().unwrap().ends_with(" characters"));
    let (_, entra) = lint_json(&[
        "--now",
        FIXTURE_NOW,
        "--profile",
        "amazon-q-business",
        &fixture("entra-rollover.xml"),
    ]);
    assert!(!has(&entra, "metadata/length-out-of-bounds"));
}

#[test]
fn weak_and_sha1_certificates_are_warnings() {
    let (code, report) = lint_json(&["--now", FIXTURE_NOW, &fixture("idp-weak-sha1.xml")]);
    assert_eq!(code, 0);
    assert_eq!(
        finding(&report, "metadata/weak-rsa-key")["actual"],
        "RSA 1024"
    );
    assert_eq!(
        finding(&report, "metadata/weak-rsa-key")["severity"],
        "warning"
    );
    assert_eq!(
        finding(&report, "metadata/certificate-sha1")["actual"],
        "sha1WithRSAEncryption"
    );
    // A KeyDescriptor without `use` is a signing key.
    assert!(!has(&report, "metadata/signing-key-missing"));
    assert_eq!(
        report["entities"][0]["keys"][0]["usage"],
        "signing and encryption"
    );
}

#[test]
fn sp_endpoints_indexes_and_defaults_are_checked() {
    let (code, report) = lint_json(&["--now", FIXTURE_NOW, &fixture("sp-problems.xml")]);
    assert_eq!(code, 1);
    let expected: BTreeSet<String> = [
        "metadata/acs-index-duplicate",
        "metadata/acs-index-invalid",
        "metadata/acs-multiple-defaults",
        "metadata/authn-requests-signed",
        "metadata/binding-unknown",
        "metadata/cache-duration-absurd",
        "metadata/endpoint-bad-url",
        "metadata/endpoint-http",
        "metadata/signing-key-missing",
        "metadata/want-assertions-signed",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(codes(&report), expected);
    assert_eq!(
        finding(&report, "metadata/endpoint-http")["actual"],
        "http://sp.example.org/saml/acs"
    );
    assert!(finding(&report, "metadata/endpoint-bad-url")["message"]
        .as_str()
        .unwrap()
        .contains("javascript"));
    // http on localhost (the SLO endpoint) is not reported.
    assert_eq!(
        findings(&report)
            .iter()
            .filter(|f| f["code"] == "metadata/endpoint-http")
            .count(),
        1
    );
    let entity = &report["entities"][0];
    assert_eq!(entity["want_assertions_signed"], true);
    assert_eq!(entity["name_id_formats"].as_array().unwrap().len(), 2);
    assert_eq!(
        entity["assertion_consumer_services"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn aggregate_findings_name_their_entity() {
    let file = fixture("aggregate.xml");
    let (code, report) = lint_json(&["--now", FIXTURE_NOW, &file]);
    assert_eq!(code, 1);
    assert_eq!(report["entity_count"], 6);
    // The aggregate's own validUntil and cacheDuration are document findings.
    let document: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        document.contains(&"metadata/valid-until-passed"),
        "{document:?}"
    );
    assert!(document.contains(&"metadata/cache-duration-absurd"));
    let entity_codes = |index: usize| -> BTreeSet<String> {
        report["entities"][index]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(entity_codes(0).contains("metadata/signing-key-missing"));
    assert!(entity_codes(1).contains("metadata/endpoint-http"));
    assert!(entity_codes(2).contains("metadata/duplicate-entity-id"));
    assert!(!entity_codes(1).contains("metadata/duplicate-entity-id"));
    assert!(entity_codes(3).contains("metadata/no-role"));
    assert!(entity_codes(4).contains("metadata/entity-id-missing"));
    assert!(entity_codes(5).contains("metadata/entity-id-not-uri"));
    assert!(entity_codes(5).contains("metadata/protocol-not-saml2"));
    // An attribute authority has no sign-in role, legitimately: a note, not an error.
    let no_role = report["entities"][3]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "metadata/no-role")
        .unwrap();
    assert_eq!(no_role["severity"], "info");
    // Nested groups are read in document order.
    assert_eq!(
        report["entities"][1]["entity_id"],
        "https://sp.uni-b.example/shibboleth"
    );
    assert_eq!(report["entities"][1]["location"]["line"], 14);

    // SARIF names the entity of every entity finding.
    let output = samlkit()
        .args(["metadata", "--format", "sarif", "--now", FIXTURE_NOW, &file])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings(&report).len());
    let duplicate = results
        .iter()
        .find(|r| r["ruleId"] == "metadata/duplicate-entity-id")
        .unwrap();
    assert_eq!(
        duplicate["properties"]["subject"],
        "https://sp.uni-b.example/shibboleth"
    );
    assert_eq!(
        duplicate["locations"][0]["physicalLocation"]["region"]["startLine"],
        20
    );
    assert!(duplicate["ruleIndex"].is_u64());
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "metadata/valid-until-passed"));
}

#[test]
fn text_output_points_into_the_file() {
    let output = samlkit()
        .args([
            "metadata",
            "--now",
            FIXTURE_NOW,
            &fixture("sp-problems.xml"),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("✗ The metadata has problems that break sign-in: 5 errors, 3 warnings"),
        "{text}"
    );
    assert!(text.contains(
        "error[metadata/endpoint-http]: the AssertionConsumerService Location uses plain http"
    ));
    assert!(text.contains("--> tests/fixtures/metadata/sp-problems.xml line 16, column"));
    assert!(text.contains("  = expected: https://sp.example.org/saml/acs"));
    assert!(text.contains("  ACS         [0, default] HTTP-POST https://sp.example.org/saml/acs"));
    assert!(text.contains("  NameID      emailAddress, persistent"));
}

#[test]
fn several_files_give_one_json_object_each_and_unreadable_input_exits_2() {
    let output = samlkit()
        .args(["metadata", "--format", "json", "--now", FIXTURE_NOW])
        .args([fixture("entra-rollover.xml"), fixture("aggregate.xml")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["source"], fixture("entra-rollover.xml"));
    assert_eq!(lines[0]["verdict"], "pass");
    assert_eq!(lines[1]["verdict"], "fail");

    let missing = samlkit()
        .args(["metadata", "tests/fixtures/metadata/no-such-file.xml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));

    let response = samlkit()
        .args(["metadata", "samples/entra-response.xml"])
        .output()
        .unwrap();
    assert_eq!(response.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&response.stderr).contains("not metadata"));

    let usage = samlkit().args(["metadata"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}
