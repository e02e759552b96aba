//! SARIF 2.1.0 output for code-scanning UIs: one run, samlkit as the tool with every code as a
//! rule, one result per finding with its location in the decoded XML of its input.

use samlkit_lint::catalogue::catalogue;
use samlkit_lint::{Finding, Severity};
use serde_json::{json, Value};

use crate::explain::Outcome;
use crate::snippet::{snippet_with, Snippet};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One finding to report, with the input it belongs to.
pub struct SarifResult<'a> {
    /// The input's label (file name), used as the artifact URI.
    pub uri: &'a str,
    pub finding: &'a Finding,
    /// The place in the input's decoded XML, already cut out.
    pub snippet: Option<Snippet>,
    /// What inside the input the finding is about, e.g. the entityID in an aggregate.
    pub subject: Option<&'a str>,
}

/// The SARIF log of `explain`. `transform` is applied to each snippet's whole line before it
/// is cut (redaction).
pub fn sarif(outcomes: &[Outcome], transform: &dyn Fn(&str) -> String) -> Value {
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Error { label, message } => notifications.push(format!("{label}: {message}")),
            Outcome::Report(explained) => {
                results.extend(explained.report.findings.iter().map(|finding| {
                    SarifResult {
                        uri: &explained.label,
                        finding,
                        snippet: finding
                            .span
                            .as_ref()
                            .map(|span| snippet_with(&explained.xml, span, transform)),
                        subject: None,
                    }
                }));
            }
        }
    }
    sarif_document(&results, &notifications)
}

/// The SARIF log of any command: `results` in order, `notifications` for inputs that could not
/// be read.
pub fn sarif_document(results: &[SarifResult<'_>], notifications: &[String]) -> Value {
    let rules_catalogue = catalogue();
    let rules: Vec<Value> = rules_catalogue
        .iter()
        .map(|entry| {
            json!({
                "id": entry.code,
                "name": entry.code.as_str().replace(['/', '-'], "_"),
                "shortDescription": { "text": entry.title },
                "fullDescription": { "text": entry.description },
                "help": { "text": format!("{}\n\nRun `samlkit rules {}` for details.", entry.description, entry.code) },
                "defaultConfiguration": { "level": level(entry.severity) },
            })
        })
        .collect();
    let notifications: Vec<Value> = notifications
        .iter()
        .map(|text| json!({ "level": "error", "message": { "text": text } }))
        .collect();
    let results: Vec<Value> = results
        .iter()
        .map(|item| {
            let finding = item.finding;
            let rule_index = rules_catalogue.iter().position(|e| e.code == finding.code);
            let mut text = match item.subject {
                Some(subject) => format!("{subject}: {}", finding.message),
                None => finding.message.to_string(),
            };
            if let Some(fix) = &finding.fix {
                text.push_str(&format!(" Fix: {fix}"));
            }
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": item.uri },
                }
            });
            if let Some(snip) = &item.snippet {
                location["physicalLocation"]["region"] = json!({
                    "startLine": snip.line_number,
                    "startColumn": snip.column,
                    "snippet": { "text": snip.text },
                });
            }
            let mut result = json!({
                "ruleId": finding.code,
                "level": level(finding.severity),
                "message": { "text": text },
                "locations": [location],
                "properties": {
                    "title": finding.title,
                    "expected": finding.expected,
                    "found": finding.actual,
                    "fix": finding.fix,
                    "locationIn": "decoded XML of the input",
                },
            });
            if let Some(subject) = item.subject {
                result["properties"]["subject"] = json!(subject);
            }
            if let Some(index) = rule_index {
                result["ruleIndex"] = json!(index);
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "samlkit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://example.invalid/samlkit",
                    "rules": rules,
                }
            },
            "results": results,
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
        }],
    })
}
