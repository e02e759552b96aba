//! SARIF 2.1.0 output for code-scanning UIs: one run, samlkit as the tool with every code as a
//! rule, one result per finding with its location in the decoded XML of its input.

use samlkit_lint::catalogue::catalogue;
use samlkit_lint::Severity;
use serde_json::{json, Value};

use crate::explain::Outcome;
use crate::snippet::snippet;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn sarif(outcomes: &[Outcome]) -> Value {
    let rules_catalogue = catalogue();
    let rules: Vec<Value> = rules_catalogue
        .iter()
        .map(|entry| {
            json!({
                "id": entry.code,
                "name": entry.code.replace(['/', '-'], "_"),
                "shortDescription": { "text": entry.title },
                "fullDescription": { "text": entry.description },
                "help": { "text": format!("{}\n\nRun `samlkit rules {}` for details.", entry.description, entry.code) },
                "defaultConfiguration": { "level": level(entry.severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Error { label, message } => notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{label}: {message}") },
            })),
            Outcome::Report(explained) => {
                for finding in &explained.report.findings {
                    let rule_index = rules_catalogue.iter().position(|e| e.code == finding.code);
                    let mut text = finding.message.clone();
                    if let Some(fix) = &finding.fix {
                        text.push_str(&format!(" Fix: {fix}"));
                    }
                    let mut location = json!({
                        "physicalLocation": {
                            "artifactLocation": { "uri": explained.label },
                        }
                    });
                    if let Some(span) = &finding.span {
                        let snip = snippet(&explained.xml, span);
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
                    if let Some(index) = rule_index {
                        result["ruleIndex"] = json!(index);
                    }
                    results.push(result);
                }
            }
        }
    }
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
