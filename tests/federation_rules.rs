//! Every federation code `samlkit rules` lists (edugain/, ukf/, saml2int/, sirtfi/, rands/,
//! incommon/, keys/) has a run of `samlkit metadata --rules all` that reports it — together
//! with exactly the other codes the change implies — and a run that does not. The table is
//! checked against the catalogue both ways. Then: the output shapes of `--rules` (text grouped
//! by entity with a summary per rule, JSON Lines per entity, SARIF with the entity's line),
//! `--entity`, and bad `--rules` / `--entity` values.
//!
//! Fixtures: tests/fixtures/federation, written by generate.py there: clean.xml passes every
//! rule set, each other file is clean.xml changed in one place.

mod common;

use std::collections::BTreeSet;

use common::{json_lines, samlkit};
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/federation";
const NOW: &str = "2026-12-01T10:00:00Z";
const CLEAN: &str = "clean.xml";
const FEDERATION_AREAS: &[&str] = &[
    "edugain/",
    "ukf/",
    "saml2int/",
    "sirtfi/",
    "rands/",
    "incommon/",
    "keys/",
];

/// One `samlkit metadata --rules all --format json` run.
#[derive(Clone, Debug)]
struct Run {
    file: String,
    now: &'static str,
    flags: Vec<&'static str>,
}

fn run(file: &str) -> Run {
    Run {
        file: file.to_string(),
        now: NOW,
        flags: Vec::new(),
    }
}

impl Run {
    fn at(mut self, now: &'static str) -> Run {
        self.now = now;
        self
    }

    fn with(mut self, flags: &[&'static str]) -> Run {
        self.flags.extend_from_slice(flags);
        self
    }

    /// Exit code and every finding code reported (document and entities).
    fn codes(&self) -> (i32, BTreeSet<String>) {
        let output = samlkit()
            .args([
                "metadata", "--rules", "all", "--format", "json", "--now", self.now,
            ])
            .args(&self.flags)
            .arg(format!("{FIXTURES}/{}", self.file))
            .output()
            .unwrap();
        let lines = json_lines(&output.stdout);
        let codes = lines
            .iter()
            .filter(|line| line["kind"] == "document" || line["kind"] == "entity")
            .flat_map(|line| line["findings"].as_array().cloned().unwrap_or_default())
            .map(|finding| finding["code"].as_str().unwrap().to_string())
            .collect();
        (output.status.code().unwrap_or(-1), codes)
    }
}

/// The fixture named after a code.
fn fixture_of(code: &str) -> String {
    format!("{}.xml", code.replacen('/', "-", 1))
}

struct Coverage {
    code: &'static str,
    fires: Run,
    /// The other codes the firing run reports (the change breaks them too).
    also: &'static [&'static str],
    quiet: Run,
}

fn cover(code: &'static str, also: &'static [&'static str]) -> Coverage {
    Coverage {
        code,
        fires: run(&fixture_of(code)),
        also,
        quiet: run(CLEAN),
    }
}

fn table() -> Vec<Coverage> {
    vec![
        cover(
            "edugain/root-not-entities-descriptor",
            &[
                "edugain/publication-info-missing",
                "edugain/valid-until-missing",
            ],
        ),
        cover("edugain/namespace-missing", &[]),
        cover("edugain/publication-info-missing", &[]),
        cover("edugain/creation-instant-invalid", &[]),
        cover("edugain/valid-until-missing", &[]),
        cover("edugain/valid-until-window", &[]),
        cover("edugain/cache-duration-out-of-range", &[]),
        cover("edugain/schema-invalid", &[]),
        cover("edugain/entity-id-invalid", &["metadata/entity-id-not-uri"]),
        cover(
            "edugain/entity-id-duplicate",
            &["metadata/duplicate-entity-id"],
        ),
        cover("edugain/registration-info-missing", &[]),
        Coverage {
            code: "edugain/registration-authority-not-allowed",
            fires: run(CLEAN).with(&[
                "--registration-authority",
                "https://other-federation.example",
            ]),
            also: &[],
            quiet: run(CLEAN).with(&["--registration-authority", "https://federation.example.org"]),
        },
        cover("edugain/registration-policy-missing", &[]),
        cover(
            "edugain/registration-info-repeated",
            &["edugain/registration-policy-missing"],
        ),
        cover("edugain/contact-empty", &[]),
        cover("edugain/organization-empty", &[]),
        cover(
            "edugain/no-technical-or-support-contact",
            &[
                "incommon/no-technical-contact",
                "rands/sp-metadata-incomplete",
            ],
        ),
        cover("edugain/email-not-mailto", &[]),
        cover("edugain/entity-attributes-repeated", &[]),
        cover("edugain/entity-attributes-in-role", &[]),
        cover(
            "edugain/mdui-missing",
            &[
                "incommon/no-display-name",
                "incommon/no-https-logo",
                "incommon/no-privacy-statement",
                "rands/sp-metadata-incomplete",
            ],
        ),
        cover("edugain/mdui-display-name-not-english", &[]),
        cover("edugain/mdui-description-missing", &[]),
        cover("edugain/mdui-logo", &["incommon/no-https-logo"]),
        cover("edugain/attribute-value-whitespace", &[]),
        cover("edugain/scope-regexp", &[]),
        cover("ukf/location-not-https", &["metadata/endpoint-http"]),
        cover("ukf/location-space", &["metadata/endpoint-bad-url"]),
        cover("ukf/location-url-encoded", &[]),
        cover("ukf/location-invalid-url", &["metadata/endpoint-bad-url"]),
        cover("ukf/binding-space", &[]),
        cover("ukf/index-duplicate", &["metadata/acs-index-duplicate"]),
        cover("ukf/empty-lang", &[]),
        cover("ukf/display-name-line-break", &[]),
        cover("saml2int/sp-no-http-post-acs", &[]),
        cover(
            "saml2int/idp-no-signing-key",
            &["metadata/signing-key-missing"],
        ),
        cover("saml2int/sp-excludes-nameid-formats", &[]),
        cover("saml2int/idp-excludes-transient", &[]),
        cover("saml2int/attribute-name-format", &[]),
        cover("sirtfi/not-asserted", &[]),
        cover(
            "sirtfi/no-security-contact",
            &["incommon/no-security-contact"],
        ),
        cover("sirtfi/security-contact-incomplete", &[]),
        cover("sirtfi/security-contact-type", &[]),
        cover("sirtfi/value-unknown", &["sirtfi/not-asserted"]),
        cover("sirtfi/v2-without-v1", &[]),
        cover("rands/requested-attribute-outside-bundle", &[]),
        cover("rands/sp-no-requested-attributes", &[]),
        cover("rands/sp-metadata-incomplete", &[]),
        cover("rands/category-on-non-sp", &[]),
        cover(
            "incommon/no-technical-contact",
            &["rands/sp-metadata-incomplete"],
        ),
        cover("incommon/no-administrative-contact", &[]),
        cover(
            "incommon/no-security-contact",
            &["sirtfi/security-contact-incomplete"],
        ),
        cover(
            "incommon/no-display-name",
            &[
                "edugain/mdui-display-name-not-english",
                "rands/sp-metadata-incomplete",
            ],
        ),
        cover("incommon/no-https-logo", &["edugain/mdui-logo"]),
        cover("incommon/no-privacy-statement", &[]),
        cover("incommon/idp-no-error-url", &[]),
        cover("keys/rsa-under-1024", &["metadata/weak-rsa-key"]),
        cover("keys/rsa-under-2048", &["metadata/weak-rsa-key"]),
        cover(
            "keys/certificate-expires-soon",
            &["metadata/certificate-expires-soon"],
        ),
        Coverage {
            code: "keys/certificate-expired",
            // The SP's certificate ends on 2026-12-10; a month later the feed has expired too.
            fires: run("keys-certificate-expires-soon.xml").at("2027-01-10T00:00:00Z"),
            also: &[
                "metadata/certificate-expired",
                "metadata/valid-until-passed",
                "edugain/valid-until-missing",
            ],
            // Forty days before, it is neither expired nor inside the 30-day horizon.
            quiet: run("keys-certificate-expires-soon.xml").at("2026-10-31T10:00:00Z"),
        },
    ]
}

/// Every federation code `samlkit rules` lists.
fn federation_catalogue() -> Vec<String> {
    let output = samlkit().arg("rules").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|code| FEDERATION_AREAS.iter().any(|area| code.starts_with(area)))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_clean_aggregate_passes_every_rule_set() {
    let (exit, codes) = run(CLEAN).codes();
    assert_eq!(exit, 0);
    assert!(codes.is_empty(), "{codes:?}");
}

#[test]
fn every_federation_code_fires_on_its_fixture_and_not_on_its_near_miss() {
    let catalogue = federation_catalogue();
    let rules_output = samlkit().arg("rules").output().unwrap();
    let rules_text = String::from_utf8(rules_output.stdout).unwrap();
    let severities: std::collections::HashMap<&str, &str> = rules_text
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?, words.next()?))
        })
        .collect();
    let table = table();
    let covered: BTreeSet<&str> = table.iter().map(|c| c.code).collect();
    assert_eq!(covered.len(), table.len(), "a code is in the table twice");
    for code in &catalogue {
        assert!(
            covered.contains(code.as_str()),
            "{code} has no fixture in table()"
        );
    }
    for coverage in &table {
        assert!(
            catalogue.iter().any(|c| c == coverage.code),
            "{} is not in the catalogue",
            coverage.code
        );
        let (exit, codes) = coverage.fires.codes();
        let mut expected: BTreeSet<String> = coverage.also.iter().map(|c| c.to_string()).collect();
        expected.insert(coverage.code.to_string());
        assert_eq!(codes, expected, "{}: {:?}", coverage.code, coverage.fires);
        let any_error = codes
            .iter()
            .any(|c| severities.get(c.as_str()).copied() == Some("error"));
        assert_eq!(
            exit,
            if any_error { 1 } else { 0 },
            "{}: exit code",
            coverage.code
        );
        let (_, quiet) = coverage.quiet.codes();
        assert!(
            !quiet.contains(coverage.code),
            "{} fires on {:?}",
            coverage.code,
            coverage.quiet
        );
    }
}

fn metadata(args: &[&str]) -> (i32, String, String) {
    let output = samlkit().arg("metadata").args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn json_lines_hold_the_document_each_entity_and_a_summary_per_rule() {
    let file = format!("{FIXTURES}/sirtfi-no-security-contact.xml");
    let (exit, stdout, _) = metadata(&[
        "--rules", "sirtfi", "--rules", "incommon", "--format", "json", "--now", NOW, &file,
    ]);
    assert_eq!(exit, 1);
    let lines = json_lines(stdout.as_bytes());
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["document", "entity", "entity", "summary"]);
    assert_eq!(lines[0]["entity_count"], 2);
    let idp = &lines[1];
    assert_eq!(idp["entity_id"], "https://idp.example.org/idp/shibboleth");
    assert_eq!(idp["verdict"], "pass");
    assert_eq!(idp["findings"].as_array().unwrap().len(), 0);
    let sp = &lines[2];
    assert_eq!(sp["entity_id"], "https://sp.example.net/shibboleth");
    assert_eq!(sp["line"], 67);
    assert_eq!(sp["verdict"], "fail");
    let codes: Vec<&str> = sp["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["sirtfi/no-security-contact", "incommon/no-security-contact"]
    );
    assert!(sp["findings"][0]["fix"]
        .as_str()
        .unwrap()
        .contains("remd:contactType"));
    let rules = lines[3]["rules"].as_array().unwrap();
    let summaries: Vec<&str> = rules
        .iter()
        .map(|r| r["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries,
        [
            "1 entity without a security contact",
            "1 Sirtfi entity without a security contact"
        ]
    );
}

#[test]
fn text_groups_findings_by_entity_and_ends_with_the_summary_per_rule() {
    let file = format!("{FIXTURES}/incommon-no-administrative-contact.xml");
    let (exit, stdout, _) = metadata(&["--rules", "incommon", "--now", NOW, &file]);
    assert_eq!(exit, 1);
    let entity = stdout
        .find("entity #1 https://idp.example.org/idp/shibboleth (line 14)")
        .expect(&stdout);
    let finding = stdout
        .find("[incommon/no-administrative-contact]")
        .expect(&stdout);
    let summary = stdout.find("By rule:").expect(&stdout);
    assert!(entity < finding && finding < summary, "{stdout}");
    assert!(
        stdout.contains("1 entity without an administrative contact"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("entity #2"),
        "the clean SP is not listed: {stdout}"
    );
}

#[test]
fn sarif_results_carry_the_entity_and_its_line() {
    let file = format!("{FIXTURES}/ukf-location-space.xml");
    let (exit, stdout, _) = metadata(&["--rules", "ukf", "--format", "sarif", "--now", NOW, &file]);
    assert_eq!(exit, 1);
    assert_eq!(common::sarif_schema_errors(&stdout), "");
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    let result = &results[0];
    assert_eq!(result["ruleId"], "ukf/location-space");
    assert_eq!(
        result["properties"]["subject"],
        "https://idp.example.org/idp/shibboleth"
    );
    assert_eq!(result["properties"]["entityLine"], 14);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        47
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == "ukf/location-space"));
}

#[test]
fn entity_lints_one_entity_of_the_aggregate() {
    let file = format!("{FIXTURES}/edugain-entity-id-invalid.xml");
    let (exit, stdout, _) = metadata(&[
        "--rules",
        "edugain",
        "--entity",
        "https://idp.example.org/idp/shibboleth",
        "--format",
        "json",
        "--now",
        NOW,
        &file,
    ]);
    assert_eq!(exit, 0, "{stdout}");
    let lines = json_lines(stdout.as_bytes());
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[1]["entity_id"],
        "https://idp.example.org/idp/shibboleth"
    );

    let (exit, stdout, _) = metadata(&[
        "--rules",
        "edugain",
        "--entity",
        "sp.example.net/shibboleth",
        "--format",
        "json",
        "--now",
        NOW,
        &file,
    ]);
    assert_eq!(exit, 1);
    let lines = json_lines(stdout.as_bytes());
    assert_eq!(lines[0]["entity_count"], 1);
    assert_eq!(lines[1]["findings"][0]["code"], "edugain/entity-id-invalid");

    let (exit, _, stderr) = metadata(&["--entity", "https://nobody.example/", "--now", NOW, &file]);
    assert_eq!(exit, 2);
    assert!(
        stderr.contains("no EntityDescriptor has entityID `https://nobody.example/`"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_rule_set_is_bad_input() {
    let file = format!("{FIXTURES}/{CLEAN}");
    let (exit, stdout, stderr) = metadata(&["--rules", "edugian", &file]);
    assert_eq!(exit, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--rules edugian: no such rule set"),
        "{stderr}"
    );
    assert!(stderr.contains("edugain"), "{stderr}");
}

#[test]
fn rule_sets_apply_only_when_selected() {
    let file = format!("{FIXTURES}/sirtfi-no-security-contact.xml");
    // Without --rules: the enterprise lint of today, which knows nothing of Sirtfi.
    let (exit, stdout, _) = metadata(&["--format", "json", "--now", NOW, &file]);
    assert_eq!(exit, 0);
    assert!(
        !stdout.contains("sirtfi/") && !stdout.contains("\"kind\""),
        "{stdout}"
    );
    // --rules enterprise is the same as no --rules.
    let (_, enterprise, _) = metadata(&[
        "--rules",
        "enterprise",
        "--format",
        "json",
        "--now",
        NOW,
        &file,
    ]);
    assert_eq!(enterprise, stdout);
    // --rules sirtfi alone drops the enterprise findings (the SLO notes are absent too).
    let (exit, stdout, _) =
        metadata(&["--rules", "sirtfi", "--format", "json", "--now", NOW, &file]);
    assert_eq!(exit, 1);
    assert!(
        stdout.contains("sirtfi/no-security-contact") && !stdout.contains("\"metadata/"),
        "{stdout}"
    );
}

#[test]
fn the_validity_window_can_be_set_in_days() {
    // clean.xml is valid for 15 days after its creationInstant: inside eduGAIN's 5–28 days.
    let narrow = run(CLEAN).with(&["--validity-window", "1-7"]);
    let (exit, codes) = narrow.codes();
    assert_eq!(exit, 1);
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["edugain/valid-until-window"]
    );
    let (exit, codes) = run(CLEAN).with(&["--validity-window", "15-15"]).codes();
    assert_eq!((exit, codes.len()), (0, 0));
    let file = format!("{FIXTURES}/{CLEAN}");
    let (exit, _, stderr) = metadata(&["--rules", "edugain", "--validity-window", "28-5", &file]);
    assert_eq!(exit, 2);
    assert!(stderr.contains("--validity-window 28-5"), "{stderr}");
}

#[test]
fn the_document_line_says_whether_the_signature_verified() {
    let signed = "tests/fixtures/metadata-rules/idp-signed.xml";
    let cert = "tests/fixtures/metadata/keys/check-idp.crt";
    let (_, stdout, _) = metadata(&[
        "--rules", "keys", "--cert", cert, "--format", "json", "--now", NOW, signed,
    ]);
    let document = &json_lines(stdout.as_bytes())[0];
    assert_eq!(document["kind"], "document");
    assert_eq!(document["rule_sets"], serde_json::json!(["keys"]));
    assert_eq!(document["signature"]["verified"], true);
    let (exit, stdout, _) = metadata(&["--rules", "keys", "--cert", cert, "--now", NOW, signed]);
    assert_eq!(exit, 0);
    assert!(stdout.contains("Signature verified by"), "{stdout}");

    let tampered = "tests/fixtures/metadata-rules/idp-signed-tampered.xml";
    let (exit, stdout, _) = metadata(&[
        "--rules", "keys", "--cert", cert, "--format", "json", "--now", NOW, tampered,
    ]);
    assert_eq!(exit, 1);
    let document = &json_lines(stdout.as_bytes())[0];
    assert_eq!(document["signature"]["verified"], false);
    assert!(document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "metadata/not-verified"));
}
