//! Every `metadata/` code `samlkit rules` lists has a run of `samlkit metadata` (or of
//! `samlkit check`, for the cross-checks between metadata, settings and samples) that reports
//! it and a near miss that does not. The table is checked against the catalogue both ways, so a
//! metadata rule cannot be added without a fixture that shows it firing.
//!
//! Fixtures: tests/fixtures/metadata-rules. Those that need a certificate, a signature or
//! particular bytes are made by generate.py there (its docstring lists them), with the keys of
//! tests/fixtures/metadata; the others are small files written by hand.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use common::{json_lines, repo_root, samlkit};
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/metadata-rules";
/// The key that signs idp-signed.xml and response.xml (valid 2025-06-01 → 2028-06-01).
const IDP_CERT: &str = "tests/fixtures/metadata/keys/check-idp.crt";
/// A key idp.xml does not list; it signs response-other-key.xml.
const OTHER_CERT: &str = "tests/fixtures/metadata/keys/check-idp-rolled.crt";
/// The instant every run is judged at unless it says otherwise.
const NOW: &str = "2026-12-01T10:00:00Z";
/// The SP of sp.xml and of the samples.
const SP_ENTITY: &str = "https://sp.example.org/saml";
const SP_ACS: &str = "https://sp.example.org/saml/acs";

/// Codes no run can produce, each with the reason (a linter bug, named with where it is).
/// None so far: every metadata code fires.
const EXCEPTIONS: &[(&str, &str)] = &[];

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// The settings of one `samlkit check` run; written to a samlkit.toml with absolute paths.
#[derive(Clone, Debug)]
struct Deployment {
    idp_metadata: &'static str,
    sp_metadata: Option<&'static str>,
    entity_id: &'static str,
    acs_url: &'static str,
    samples: Vec<&'static str>,
    warn_days: i64,
}

impl Deployment {
    fn sp_metadata(mut self, name: &'static str) -> Deployment {
        self.sp_metadata = Some(name);
        self
    }

    fn idp_metadata(mut self, name: &'static str) -> Deployment {
        self.idp_metadata = name;
        self
    }

    fn entity_id(mut self, entity_id: &'static str) -> Deployment {
        self.entity_id = entity_id;
        self
    }

    fn acs_url(mut self, acs_url: &'static str) -> Deployment {
        self.acs_url = acs_url;
        self
    }

    fn samples(mut self, samples: &[&'static str]) -> Deployment {
        self.samples = samples.to_vec();
        self
    }

    fn warn_days(mut self, days: i64) -> Deployment {
        self.warn_days = days;
        self
    }

    fn config(&self) -> String {
        let path = |name: &str| format!("{:?}", repo_root().join(fixture(name)));
        let sp_metadata = self
            .sp_metadata
            .map_or(String::new(), |name| format!("metadata = {}\n", path(name)));
        let samples: Vec<String> = self.samples.iter().map(|s| path(s)).collect();
        format!(
            "[idp]\nmetadata = {}\n\n[sp]\nentity_id = {:?}\nacs_url = {:?}\nprofile = \"generic\"\n\
             user_id_attribute = \"Email\"\n{sp_metadata}\n[check]\nsamples = [{}]\nnow = {NOW:?}\n\
             request_id = \"_rq7b3d9e1f\"\nwarn_days = {}\n",
            path(self.idp_metadata),
            self.entity_id,
            self.acs_url,
            samples.join(", "),
            self.warn_days
        )
    }

    fn files(&self) -> Vec<&'static str> {
        let mut files = vec![self.idp_metadata];
        files.extend(self.sp_metadata);
        files.extend(self.samples.iter().copied());
        files
    }
}

/// The consistent deployment the cross-checks start from: IdP metadata, SP metadata and the
/// settings agree, and there are no samples.
fn deployment() -> Deployment {
    Deployment {
        idp_metadata: "idp.xml",
        sp_metadata: Some("sp.xml"),
        entity_id: SP_ENTITY,
        acs_url: SP_ACS,
        samples: Vec::new(),
        warn_days: 30,
    }
}

/// One invocation.
#[derive(Clone, Debug)]
enum Run {
    /// `samlkit metadata --format json` on one fixture, with flags (a flag set twice replaces
    /// the first).
    Metadata {
        file: &'static str,
        flags: Vec<(&'static str, &'static str)>,
    },
    /// `samlkit check --format json --now NOW` on a deployment.
    Check(Deployment),
}

/// `samlkit metadata` on a fixture, judged at [`NOW`].
fn lint(file: &'static str) -> Run {
    Run::Metadata {
        file,
        flags: vec![("--now", NOW)],
    }
}

fn check(deployment: Deployment) -> Run {
    Run::Check(deployment)
}

impl Run {
    fn with(self, flag: &'static str, value: &'static str) -> Run {
        match self {
            Run::Metadata { file, mut flags } => {
                flags.retain(|(f, _)| *f != flag);
                flags.push((flag, value));
                Run::Metadata { file, flags }
            }
            Run::Check(_) => panic!("set {flag} in the Deployment"),
        }
    }

    /// The same run judged at another instant.
    fn at(self, now: &'static str) -> Run {
        self.with("--now", now)
    }

    fn argv(&self) -> Vec<String> {
        match self {
            Run::Metadata { file, flags } => {
                let mut argv = vec!["metadata".to_string(), "--format".into(), "json".into()];
                for (flag, value) in flags {
                    argv.push(flag.to_string());
                    argv.push(value.to_string());
                }
                argv.push(fixture(file));
                argv
            }
            Run::Check(_) => ["check", "--format", "json", "--now", NOW, "--config"]
                .map(String::from)
                .to_vec(),
        }
    }

    /// How the run reads in a failure message.
    fn describe(&self) -> String {
        match self {
            Run::Metadata { .. } => format!("samlkit {}", self.argv().join(" ")),
            Run::Check(deployment) => format!("samlkit check on {deployment:?}"),
        }
    }

    fn files(&self) -> Vec<&'static str> {
        match self {
            Run::Metadata { file, .. } => vec![*file],
            Run::Check(deployment) => deployment.files(),
        }
    }
}

/// A code, a run that must report it and a run that must not.
struct Coverage {
    code: &'static str,
    fires: Run,
    quiet: Run,
    /// The severity reported when it is not the catalogue's default.
    severity: Option<&'static str>,
    /// Other codes the firing run reports too: the fixture cannot avoid them.
    also: &'static [&'static str],
    /// The part of `samlkit check`'s output the finding belongs to.
    part: Option<&'static str>,
}

fn cover(code: &'static str, fires: Run, quiet: Run) -> Coverage {
    Coverage {
        code,
        fires,
        quiet,
        severity: None,
        also: &[],
        part: None,
    }
}

impl Coverage {
    fn severity(mut self, severity: &'static str) -> Coverage {
        self.severity = Some(severity);
        self
    }

    fn also(mut self, codes: &'static [&'static str]) -> Coverage {
        self.also = codes;
        self
    }

    fn part(mut self, part: &'static str) -> Coverage {
        self.part = Some(part);
        self
    }
}

#[rustfmt::skip]
fn table() -> Vec<Coverage> {
    vec![
        // ---- the file's bytes
        cover("metadata/byte-order-mark", lint("sp-bom.xml"), lint("sp.xml")),
        cover("metadata/not-utf8", lint("sp-utf16.xml"), lint("sp.xml")),
        cover("metadata/not-utf8", lint("sp-latin1.xml"), lint("sp.xml")),
        // Plain ASCII declared as US-ASCII reads the same as UTF-8: a warning (metadata.rs,
        // encoding_findings).
        cover("metadata/not-utf8", lint("sp-us-ascii.xml"), lint("sp.xml")).severity("warning"),
        // sp.xml has 658 characters: too short for Amazon Q Business, which is the only profile
        // with bounds; idp.xml has 1,831.
        cover("metadata/length-out-of-bounds", lint("sp.xml").with("--profile", "amazon-q-business"),
              lint("sp.xml")),
        cover("metadata/length-out-of-bounds", lint("sp.xml").with("--profile", "amazon-q-business"),
              lint("idp.xml").with("--profile", "amazon-q-business")),
        // Over 1,000 bytes but under 1,000 characters: characters are what counts.
        cover("metadata/length-out-of-bounds",
              lint("sp-short-non-ascii.xml").with("--profile", "amazon-q-business"),
              lint("idp.xml").with("--profile", "amazon-q-business")),
        // ---- aggregates
        cover("metadata/no-entity", lint("aggregate-empty.xml"), lint("aggregate.xml")),
        // 16 levels are read, the 17th is not.
        cover("metadata/nesting-too-deep", lint("aggregate-nesting-17.xml"), lint("aggregate-nesting-16.xml")),
        cover("metadata/duplicate-entity-id", lint("aggregate-duplicate.xml"), lint("aggregate.xml")),
        // ---- the entity
        cover("metadata/entity-id-missing", lint("sp-entity-id-missing.xml"), lint("sp.xml")),
        cover("metadata/entity-id-not-uri", lint("sp-entity-id-not-uri.xml"), lint("sp.xml")),
        // An empty entityID identifies nobody: an error (metadata.rs, check_entity_id).
        cover("metadata/entity-id-not-uri", lint("sp-entity-id-empty.xml"), lint("sp.xml")).severity("error"),
        cover("metadata/no-role", lint("no-role.xml"), lint("sp.xml")),
        // Attribute authorities have no sign-in role, legitimately: a note.
        cover("metadata/no-role", lint("attribute-authority.xml"), lint("sp.xml")).severity("info"),
        // `check` cannot compare the SP's settings with SP metadata that has no SP role.
        cover("metadata/no-role", check(deployment().sp_metadata("idp.xml")), check(deployment()))
            .part("sp-metadata"),
        cover("metadata/protocol-not-saml2", lint("sp-saml11.xml"), lint("sp.xml")),
        // ---- roles and endpoints
        cover("metadata/sso-missing", lint("idp-sso-missing.xml"), lint("idp.xml")),
        cover("metadata/acs-missing", lint("sp-acs-missing.xml"), lint("sp.xml")),
        cover("metadata/slo-missing", lint("sp-slo-missing.xml"), lint("sp.xml")),
        cover("metadata/binding-unknown", lint("sp-binding-unknown.xml"), lint("sp.xml")),
        cover("metadata/binding-unknown", lint("sp-binding-missing.xml"), lint("sp.xml")),
        // Plain http is tolerated on the loopback host only.
        cover("metadata/endpoint-http", lint("sp-acs-http.xml"), lint("sp-acs-localhost.xml")),
        // A DNS name that starts with 127 is not the loopback address.
        cover("metadata/endpoint-http", lint("sp-acs-127-hostname.xml"), lint("sp-acs-localhost.xml")),
        cover("metadata/endpoint-bad-url", lint("sp-acs-javascript.xml"), lint("sp.xml")),
        cover("metadata/endpoint-bad-url", lint("sp-acs-relative.xml"), lint("sp.xml")),
        cover("metadata/acs-index-duplicate", lint("sp-acs-index-duplicate.xml"), lint("sp-two-acs.xml")),
        cover("metadata/acs-index-invalid", lint("sp-acs-index-missing.xml"), lint("sp.xml")),
        cover("metadata/acs-multiple-defaults", lint("sp-acs-multiple-defaults.xml"), lint("sp-two-acs.xml")),
        // ---- keys and certificates
        cover("metadata/signing-key-missing", lint("idp-no-key.xml"), lint("idp.xml")),
        // An SP that signs its requests needs a key too; saying so is itself a note.
        cover("metadata/signing-key-missing", lint("sp-signs-requests-no-key.xml"), lint("sp-signs-requests.xml"))
            .also(&["metadata/authn-requests-signed"]),
        cover("metadata/keyinfo-wrong-namespace", lint("idp-keyinfo-md-namespace.xml"), lint("idp.xml")),
        cover("metadata/certificate-unreadable", lint("idp-certificate-unreadable.xml"), lint("idp.xml")),
        // idp.xml's certificate is valid 2025-06-01T00:00:00Z → 2028-06-01T00:00:00Z.
        cover("metadata/certificate-expired", lint("idp.xml").at("2028-06-01T00:00:01Z"),
              lint("idp.xml").at("2028-06-01T00:00:00Z")),
        // With the next certificate valid, the expired one is the leftover of a rollover: a
        // warning (metadata.rs, check_keys).
        cover("metadata/certificate-expired", lint("idp-rollover.xml").at("2028-06-01T00:00:01Z"),
              lint("idp-rollover.xml")).severity("warning").also(&["metadata/key-rollover"]),
        cover("metadata/certificate-not-yet-valid", lint("idp.xml").at("2025-05-31T23:59:59Z"),
              lint("idp.xml").at("2025-06-01T00:00:00Z")),
        // sp-expiring-certificate.xml's certificate expires on 2026-12-10, 8 days after NOW.
        cover("metadata/certificate-expires-soon", lint("sp-expiring-certificate.xml"),
              lint("sp-expiring-certificate.xml").with("--warn-days", "7")),
        // `samlkit check` fails the gate on it (documented in `samlkit rules`).
        cover("metadata/certificate-expires-soon", check(deployment().sp_metadata("sp-expiring-certificate.xml")),
              check(deployment().sp_metadata("sp-expiring-certificate.xml").warn_days(7)))
            .severity("error").part("sp-metadata"),
        cover("metadata/weak-rsa-key", lint("idp-weak-key.xml"), lint("idp.xml")),
        // Under 1,024 bits AWS IAM refuses the key outright: an error (documented).
        cover("metadata/weak-rsa-key", lint("idp-tiny-key.xml"), lint("idp.xml")).severity("error"),
        cover("metadata/certificate-sha1", lint("idp-sha1-certificate.xml"), lint("idp.xml")),
        cover("metadata/key-rollover", lint("idp-rollover.xml"), lint("idp.xml")),
        // ---- validity and caching
        cover("metadata/valid-until-passed", lint("sp-valid-until.xml"),
              lint("sp-valid-until.xml").at("2026-06-30T00:00:00Z")),
        cover("metadata/cache-duration-absurd", lint("sp-cache-two-years.xml"), lint("sp-cache-one-year.xml")),
        // ---- what the parties require of each other
        cover("metadata/want-assertions-signed", lint("sp-want-assertions-signed.xml"), lint("sp.xml")),
        cover("metadata/authn-requests-signed", lint("sp-signs-requests.xml"), lint("sp.xml")),
        cover("metadata/authn-requests-signed", lint("idp-wants-signed-requests.xml"), lint("idp.xml")),
        // ---- the metadata's own signature: judged only with --cert
        cover("metadata/signature-missing", lint("idp.xml").with("--cert", IDP_CERT), lint("idp.xml")),
        cover("metadata/not-verified", lint("idp-signed.xml").with("--cert", OTHER_CERT),
              lint("idp-signed.xml").with("--cert", IDP_CERT)).also(&["signature/untrusted-key"]),
        cover("metadata/not-verified", lint("idp-signed-tampered.xml").with("--cert", IDP_CERT),
              lint("idp-signed.xml").with("--cert", IDP_CERT)).also(&["signature/digest-mismatch"]),
        cover("metadata/signature-not-checked", lint("idp-signed.xml"),
              lint("idp-signed.xml").with("--cert", IDP_CERT)),
        // ---- cross-checks of `samlkit check`
        cover("metadata/sp-entity-id-mismatch", check(deployment().entity_id("https://sp.example.org/saml/")),
              check(deployment())).part("sp-metadata"),
        cover("metadata/sp-acs-mismatch", check(deployment().acs_url("https://sp.example.org/saml/acs/")),
              check(deployment())).part("sp-metadata"),
        // Near miss: the same sample, with IdP metadata that lists its key beside the old one.
        // Firing, explain itself also finds the signature untrusted.
        cover("metadata/sample-key-not-in-metadata", check(deployment().samples(&["response-other-key.xml"])),
              check(deployment().idp_metadata("idp-rollover.xml").samples(&["response-other-key.xml"])))
            .part("sample").also(&["signature/untrusted-key", "signature/claims-not-verified"]),
        cover("metadata/sample-key-not-in-metadata", check(deployment().samples(&["response-other-key.xml"])),
              check(deployment().samples(&["response.xml"]))).part("sample")
            .also(&["signature/untrusted-key", "signature/claims-not-verified"]),
    ]
}

/// Every code `samlkit rules` lists under `metadata/`, with its default severity.
fn metadata_catalogue() -> Vec<(String, String)> {
    let output = samlkit().arg("rules").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("metadata/"))
        .map(|line| {
            let mut words = line.split_whitespace();
            let code = words.next().expect("a code").to_string();
            let severity = words.next().expect("a severity").to_string();
            (code, severity)
        })
        .collect()
}

/// One finding as a run reported it.
#[derive(Clone, Debug)]
struct Reported {
    /// `metadata` for `samlkit metadata`; `idp-metadata`, `sp-metadata` or `sample` for check.
    part: String,
    code: String,
    severity: String,
    message: String,
}

/// What one run printed, or what was wrong with its output.
#[derive(Clone)]
struct Outcome {
    exit: i32,
    reported: Vec<Reported>,
    malformed: Option<String>,
}

impl Outcome {
    fn codes(&self) -> BTreeSet<&str> {
        self.reported.iter().map(|r| r.code.as_str()).collect()
    }

    fn with_code(&self, code: &str) -> Vec<&Reported> {
        self.reported.iter().filter(|r| r.code == code).collect()
    }
}

/// Findings of one JSON line: a metadata report's (document and entities) or a sample's.
fn line_findings(line: &Value, part: &str) -> Vec<Reported> {
    let entities = line["entities"].as_array().into_iter().flatten();
    line["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(entities.flat_map(|e| e["findings"].as_array().into_iter().flatten()))
        .map(|f| Reported {
            part: part.to_string(),
            code: f["code"].as_str().unwrap_or("").to_string(),
            severity: f["severity"].as_str().unwrap_or("").to_string(),
            message: f["message"].as_str().unwrap_or("").to_string(),
        })
        .collect()
}

/// What is wrong with the lines of a run that claims to be a report, if anything: every line
/// fails exactly when it has an error finding, its counts add up, and the exit code says
/// whether any failed.
fn malformed(run: &Run, exit: i32, lines: &[Value], stderr: &str) -> Option<String> {
    if exit != 0 && exit != 1 {
        return Some(format!("exit {exit} (stderr: {stderr})"));
    }
    let (reports, summary) = match run {
        Run::Metadata { .. } => (lines, None),
        Run::Check(_) => match lines.split_last() {
            Some((last, parts)) if last["part"] == "summary" => (parts, Some(last)),
            _ => return Some("no summary line".to_string()),
        },
    };
    if reports.len() != run.files().len() {
        return Some(format!(
            "{} reports for {} files",
            reports.len(),
            run.files().len()
        ));
    }
    let mut totals = (0, 0);
    for report in reports {
        let findings = line_findings(report, "");
        let count = |severity: &str| findings.iter().filter(|f| f.severity == severity).count();
        let failing = report["verdict"] == "fail";
        if failing != (count("error") > 0) || (!failing && report["verdict"] != "pass") {
            return Some(format!(
                "{}: verdict {} with {} errors",
                report["source"],
                report["verdict"],
                count("error")
            ));
        }
        if report["errors"].is_u64()
            && (report["errors"] != count("error") || report["warnings"] != count("warning"))
        {
            return Some(format!("{}: counts do not add up", report["source"]));
        }
        if findings.iter().any(|f| f.message.trim().is_empty()) {
            return Some(format!("{}: a finding without a message", report["source"]));
        }
        totals.0 += count("error");
        totals.1 += count("warning");
    }
    let failing = reports.iter().any(|r| r["verdict"] == "fail");
    // `check` also fails a clean run that never tied the IdP metadata to the SP's settings.
    let not_ready = summary.is_some_and(|s| s["ready"] == false);
    if exit != i32::from(failing || not_ready) {
        return Some(format!(
            "exit {exit}, but failing reports: {failing}, not ready: {not_ready}"
        ));
    }
    if let Some(summary) = summary {
        let verdict = if failing || not_ready { "fail" } else { "pass" };
        if !summary["ready"].is_boolean()
            || summary["verdict"] != verdict
            || summary["errors"] != totals.0
            || summary["warnings"] != totals.1
        {
            return Some(format!("the summary disagrees with the parts: {summary}"));
        }
    }
    None
}

/// Runs each distinct invocation once.
#[derive(Default)]
struct Runner {
    seen: HashMap<String, Outcome>,
}

impl Runner {
    fn run(&mut self, run: &Run) -> Outcome {
        let key = match run {
            Run::Metadata { .. } => run.argv().join(" "),
            Run::Check(deployment) => deployment.config(),
        };
        if let Some(outcome) = self.seen.get(&key) {
            return outcome.clone();
        }
        let dir = tempfile::tempdir().unwrap();
        let mut command = samlkit();
        command.args(run.argv());
        if let Run::Check(deployment) = run {
            let config = dir.path().join("samlkit.toml");
            std::fs::write(&config, deployment.config()).unwrap();
            command.arg(&config);
        }
        let output = command.output().unwrap();
        let exit = output.status.code().unwrap_or(-1);
        let lines = json_lines(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reported = lines
            .iter()
            .filter(|line| line["part"] != "summary")
            .flat_map(|line| line_findings(line, line["part"].as_str().unwrap_or("metadata")))
            .collect();
        let outcome = Outcome {
            exit,
            reported,
            malformed: malformed(run, exit, &lines, &stderr),
        };
        self.seen.insert(key, outcome.clone());
        outcome
    }
}

/// Problems with one row of the table, given the catalogue's default severities.
fn check_coverage(
    coverage: &Coverage,
    default_severity: &BTreeMap<String, String>,
    runner: &mut Runner,
) -> Vec<String> {
    let code = coverage.code;
    let mut problems = Vec::new();
    let expected_severity = coverage
        .severity
        .or_else(|| default_severity.get(code).map(String::as_str))
        .unwrap_or("?");

    let fired = runner.run(&coverage.fires);
    let fires = coverage.fires.describe();
    if let Some(problem) = &fired.malformed {
        problems.push(format!("{code}: {fires}: {problem}"));
    } else {
        let found = fired.with_code(code);
        // The fixture shows this code, and only what the table says it cannot avoid.
        let expected: BTreeSet<&str> = coverage.also.iter().copied().chain([code]).collect();
        if found.is_empty() {
            problems.push(format!(
                "{code}: not reported by {fires}; got {:?}",
                fired.codes()
            ));
        } else if fired.codes() != expected {
            problems.push(format!(
                "{code}: {fires} reports {:?}, expected exactly {expected:?}",
                fired.codes()
            ));
        } else if let Some(bad) = found.iter().find(|f| f.severity != expected_severity) {
            problems.push(format!(
                "{code}: expected severity {expected_severity}, got {} from {fires}",
                bad.severity
            ));
        } else if let Some(part) = coverage.part.filter(|p| found.iter().any(|f| f.part != *p)) {
            problems.push(format!(
                "{code}: expected in the {part} part, got {:?}",
                found.iter().map(|f| &f.part).collect::<Vec<_>>()
            ));
        } else {
            // An error fails the run; without one, and with nothing else reported, it passes.
            let expected_exit = match expected_severity {
                "error" => Some(1),
                _ if coverage.also.is_empty() => Some(0),
                _ => None,
            };
            if expected_exit.is_some_and(|exit| exit != fired.exit) {
                problems.push(format!("{code}: {fires} exits {}", fired.exit));
            }
        }
    }

    let quiet = runner.run(&coverage.quiet);
    let quiet_run = coverage.quiet.describe();
    if let Some(problem) = &quiet.malformed {
        problems.push(format!("{code} (near miss): {quiet_run}: {problem}"));
    } else if !quiet.with_code(code).is_empty() {
        problems.push(format!(
            "{code}: also reported by its near miss {quiet_run}"
        ));
    }
    problems
}

#[test]
fn every_metadata_code_has_a_fixture_that_fires_and_one_that_does_not() {
    let catalogue = metadata_catalogue();
    assert!(
        catalogue.len() >= 38,
        "`samlkit rules` lists {} metadata codes; its format changed?",
        catalogue.len()
    );
    let table = table();
    let mut failures = Vec::new();

    // The table and the catalogue agree both ways.
    for (code, _) in &catalogue {
        let covered = table.iter().any(|c| c.code == code);
        let excepted = EXCEPTIONS.iter().any(|(e, _)| e == code);
        match (covered, excepted) {
            (false, false) => failures.push(format!(
                "{code}: in `samlkit rules` but has no fixture in table() (nor an exception)"
            )),
            (true, true) => failures.push(format!("{code}: both covered and excepted")),
            _ => {}
        }
    }
    for coverage in &table {
        if !catalogue.iter().any(|(code, _)| code == coverage.code) {
            failures.push(format!(
                "{}: in table() but not a metadata code of `samlkit rules`",
                coverage.code
            ));
        }
    }

    let default_severity: BTreeMap<String, String> = catalogue.into_iter().collect();
    let mut runner = Runner::default();
    for coverage in &table {
        failures.extend(check_coverage(coverage, &default_severity, &mut runner));
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn exceptions_are_few_known_and_in_the_catalogue() {
    // Empty: should a code become unreachable through a bug, it goes here with the bug named,
    // and this list of codes is updated on purpose.
    assert_eq!(
        EXCEPTIONS.iter().map(|(code, _)| *code).collect::<Vec<_>>(),
        Vec::<&str>::new(),
        "the list of metadata codes without a fixture changed"
    );
    let catalogue = metadata_catalogue();
    for (code, reason) in EXCEPTIONS {
        assert!(catalogue.iter().any(|(c, _)| c == code), "{code}");
        assert!(reason.len() > 40, "{code}: say why it cannot fire");
    }
}

#[test]
fn every_fixture_is_used() {
    let used: BTreeSet<&str> = table()
        .iter()
        .flat_map(|c| c.fires.files().into_iter().chain(c.quiet.files()))
        .collect();
    let mut unused = Vec::new();
    for entry in std::fs::read_dir(repo_root().join(FIXTURES)).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".xml") && !used.contains(name.as_str()) {
            unused.push(name);
        }
    }
    assert!(unused.is_empty(), "fixtures no run reads: {unused:?}");
}

/// The Entra ID-shaped sample metadata, its signing certificate, and when it is judged.
const ENTRA_METADATA: &str = "samples/entra-federation-metadata.xml";
const ENTRA_CERT: &str = "samples/keys/idp-signing.crt";
const ENTRA_NOW: &str = "2026-11-28T09:05:00Z";

#[test]
fn the_clean_entra_sample_metadata_reports_nothing() {
    let lint = |extra: &[&str]| -> (i32, Value) {
        let output = samlkit()
            .args(["metadata", "--format", "json", "--now", ENTRA_NOW])
            .args(extra)
            .arg(ENTRA_METADATA)
            .output()
            .unwrap();
        let mut lines = json_lines(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(lines.len(), 1, "{stderr}");
        (output.status.code().unwrap(), lines.remove(0))
    };
    let codes = |report: &Value| -> Vec<String> {
        line_findings(report, "metadata")
            .into_iter()
            .map(|f| f.code)
            .collect()
    };

    let (exit, report) = lint(&["--cert", ENTRA_CERT]);
    assert_eq!(exit, 0);
    assert_eq!(report["verdict"], "pass");
    assert_eq!(codes(&report), Vec::<String>::new(), "{report}");
    assert_eq!(report["idp"], "entra-id");
    assert_eq!(report["signature"]["verified"], true);

    // Amazon Q Business takes it as it is.
    let (exit, report) = lint(&["--cert", ENTRA_CERT, "--profile", "amazon-q-business"]);
    assert_eq!(exit, 0);
    assert_eq!(codes(&report), Vec::<String>::new(), "{report}");

    // Without the key, only the note that the signature went unchecked.
    let (exit, report) = lint(&[]);
    assert_eq!(exit, 0);
    assert_eq!(codes(&report), ["metadata/signature-not-checked"]);
    assert_eq!(report["findings"][0]["severity"], "info");
}
