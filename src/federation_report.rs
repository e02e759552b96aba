//! Output of `samlkit metadata --rules …` (and `--entity`): findings grouped by entity, a
//! summary per rule ("412 entities without a security contact"), as text, as JSON Lines (one
//! object for the document, one per entity, one summary) or as SARIF with each entity's line.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;

use colored::Colorize;
use samlkit_lint::metadata::{MetadataReport, MetadataSignature};
use samlkit_lint::{Code, Finding, Severity, Verdict};
use serde::Serialize;

use crate::cli::ReportFormat;
use crate::explain::{plural, render_finding};
use crate::metadata_cmd::{
    sarif_results, signature_text, snippet_for, LintedMetadata, MetadataOutcome,
};
use crate::style::print_error;

/// Aggregates up to this many entities get each finding with its snippet; larger ones one line
/// per finding, and their notes only counted.
const DETAILED_UP_TO_ENTITIES: usize = 20;

/// How many entities (and document-level findings) one rule reported.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    pub code: Code,
    pub severity: Severity,
    /// Entities with at least one finding of the rule (the document counts as one).
    pub entities: usize,
    pub findings: usize,
    /// E.g. "412 entities without a security contact".
    pub summary: String,
}

/// The per-rule summary of a report, most severe and most frequent first.
pub fn rule_summaries(report: &MetadataReport) -> Vec<RuleSummary> {
    let mut by_code: HashMap<Code, (Severity, usize, usize)> = HashMap::new();
    let mut titles: HashMap<Code, &str> = HashMap::new();
    let document_codes: Vec<Code> = report.findings.iter().map(|f| f.code).collect();
    let groups = std::iter::once(report.findings.as_slice())
        .chain(report.entities.iter().map(|e| e.findings.as_slice()));
    for findings in groups {
        let mut seen_here: Vec<Code> = Vec::new();
        for finding in findings {
            let entry = by_code
                .entry(finding.code)
                .or_insert((finding.severity, 0, 0));
            entry.0 = entry.0.max(finding.severity);
            entry.2 += 1;
            titles.insert(finding.code, finding.title.as_ref());
            if !seen_here.contains(&finding.code) {
                seen_here.push(finding.code);
                entry.1 += 1;
            }
        }
    }
    let mut summaries: Vec<RuleSummary> = by_code
        .into_iter()
        .map(|(code, (severity, entities, findings))| RuleSummary {
            code,
            severity,
            entities,
            findings,
            summary: summary_text(
                code,
                entities,
                titles.get(&code).copied().unwrap_or(""),
                entities == 1 && document_codes.contains(&code),
            ),
        })
        .collect();
    summaries.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.entities.cmp(&a.entities))
            .then(a.code.cmp(&b.code))
    });
    summaries
}

fn summary_text(code: Code, entities: usize, title: &str, document_only: bool) -> String {
    let one = entities == 1;
    let federation_rule = match code {
        Code::Federation(rule) => Some(rule.info()),
        Code::Rule(_) | Code::Verifier(_) => None,
    };
    match federation_rule {
        Some(info) if info.summary.starts_with("documents") => {
            let summary = if one {
                info.summary.replacen("documents", "document", 1)
            } else {
                info.summary.to_string()
            };
            format!("{entities} {summary}")
        }
        Some(info) if one => format!(
            "1 {}",
            info.summary
                .replacen("entities", "entity", 1)
                .replacen("SPs", "SP", 1)
                .replacen("IdPs", "IdP", 1)
        ),
        Some(info) => format!("{entities} {}", info.summary),
        None if document_only => format!("the document: {title}"),
        None if one => format!("1 entity: {title}"),
        None => format!("{entities} entities: {title}"),
    }
}

/// `rule_sets` names the selected sets for the header and the document line.
pub fn render(outcomes: &[MetadataOutcome], format: ReportFormat, rule_sets: &[&str]) {
    match format {
        ReportFormat::Text => {
            for (index, outcome) in outcomes.iter().enumerate() {
                if index > 0 {
                    println!();
                }
                match outcome {
                    MetadataOutcome::Report(linted) => {
                        // Written as it is rendered: the report of a large aggregate runs to
                        // tens of megabytes.
                        let stdout = std::io::stdout();
                        let mut out = std::io::BufWriter::new(stdout.lock());
                        render_text_in_pieces(linted, rule_sets, &mut |piece| {
                            let _ = out.write_all(piece.as_bytes());
                        });
                        let _ = out.flush();
                    }
                    MetadataOutcome::Error { label, message } => print_error(label, message),
                }
            }
        }
        ReportFormat::Json => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            for outcome in outcomes {
                let written = match outcome {
                    MetadataOutcome::Report(linted) => {
                        write_json_lines(&mut out, linted, rule_sets)
                    }
                    MetadataOutcome::Error { label, message } => {
                        let value = crate::json_lines::error_value(label, message);
                        serde_json::to_writer(&mut out, &value)
                            .map_err(std::io::Error::from)
                            .and_then(|()| writeln!(out))
                    }
                };
                if written.is_err() {
                    break;
                }
                if let MetadataOutcome::Error { label, message } = outcome {
                    print_error(label, message);
                }
            }
            let _ = out.flush();
        }
        ReportFormat::Sarif => {
            let mut results = Vec::new();
            let mut notifications = Vec::new();
            let mut entity_lines = Vec::new();
            for outcome in outcomes {
                match outcome {
                    MetadataOutcome::Report(linted) => {
                        results.extend(sarif_results(linted));
                        entity_lines.extend(linted.report.findings.iter().map(|_| None));
                        for entity in &linted.report.entities {
                            let line = entity.location.map(|l| l.line);
                            entity_lines.extend(entity.findings.iter().map(|_| line));
                        }
                    }
                    MetadataOutcome::Error { label, message } => {
                        notifications.push(format!("{label}: {message}"))
                    }
                }
            }
            let mut value = crate::sarif::sarif_document(&results, &notifications);
            if let Some(list) = value["runs"][0]["results"].as_array_mut() {
                for (result, line) in list.iter_mut().zip(&entity_lines) {
                    if let Some(line) = line {
                        result["properties"]["entityLine"] = serde_json::json!(line);
                    }
                }
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
            for outcome in outcomes {
                if let MetadataOutcome::Error { label, message } = outcome {
                    print_error(label, message);
                }
            }
        }
    }
}

#[derive(Serialize)]
struct DocumentLine<'r> {
    source: &'r str,
    kind: &'static str,
    rule_sets: &'r [&'r str],
    verdict: Verdict,
    root: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_until: Option<&'r str>,
    signature: &'r MetadataSignature,
    entity_count: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    findings: &'r [Finding],
}

#[derive(Serialize)]
struct EntityLine<'r> {
    source: &'r str,
    kind: &'static str,
    entity_id: Option<&'r str>,
    line: Option<u32>,
    roles: &'r [String],
    verdict: Verdict,
    findings: &'r [Finding],
}

#[derive(Serialize)]
struct SummaryLine<'r> {
    source: &'r str,
    kind: &'static str,
    rules: &'r [RuleSummary],
}

/// One line for the document, one per entity, one with the per-rule summary.
fn write_json_lines(
    out: &mut impl std::io::Write,
    linted: &LintedMetadata,
    rule_sets: &[&str],
) -> std::io::Result<()> {
    let report = &linted.report;
    let mut line = |value: &dyn erased::Line| -> std::io::Result<()> {
        value.write(out)?;
        writeln!(out)
    };
    line(&DocumentLine {
        source: &linted.label,
        kind: "document",
        rule_sets,
        verdict: report.verdict,
        root: report.root,
        name: report.name.as_deref(),
        valid_until: report.valid_until.as_deref(),
        signature: &report.signature,
        entity_count: report.entity_count,
        errors: report.errors,
        warnings: report.warnings,
        notes: report.notes,
        findings: &report.findings,
    })?;
    for entity in &report.entities {
        let failed = entity
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error);
        line(&EntityLine {
            source: &linted.label,
            kind: "entity",
            entity_id: entity.entity_id.as_deref(),
            line: entity.location.map(|l| l.line),
            roles: &entity.roles,
            verdict: if failed { Verdict::Fail } else { Verdict::Pass },
            findings: &entity.findings,
        })?;
    }
    let rules = rule_summaries(report);
    line(&SummaryLine {
        source: &linted.label,
        kind: "summary",
        rules: &rules,
    })
}

/// Lets one closure write the three line shapes.
mod erased {
    pub trait Line {
        fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()>;
    }
    impl<T: serde::Serialize> Line for T {
        fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
            serde_json::to_writer(out, self).map_err(std::io::Error::from)
        }
    }
}

/// The federation report as text, handed to `emit` a piece at a time (every 64 KiB or so, at
/// an entity's end).
fn render_text_in_pieces(linted: &LintedMetadata, rule_sets: &[&str], emit: &mut dyn FnMut(&str)) {
    const PIECE: usize = 64 * 1024;
    let report = &linted.report;
    let mut out = String::new();
    let failing = report
        .entities
        .iter()
        .filter(|e| e.findings.iter().any(|f| f.severity == Severity::Error))
        .count();
    let _ = writeln!(
        out,
        "{} {} — {} ({}; {} {})",
        "==>".cyan().bold(),
        linted.label.bold(),
        report.root,
        entity_count(report.entity_count),
        if rule_sets.len() == 1 {
            "rule set"
        } else {
            "rule sets"
        },
        rule_sets.join(", ")
    );
    let verdict = format!(
        "{} {}, {} ({} of {} entities with errors)",
        if report.verdict == Verdict::Fail {
            "✗"
        } else {
            "✓"
        },
        plural(report.errors, "error"),
        plural(report.warnings, "warning"),
        failing,
        report.entity_count
    );
    let _ = writeln!(
        out,
        "{}",
        if report.verdict == Verdict::Fail {
            verdict.red().bold()
        } else {
            verdict.green().bold()
        }
    );
    let _ = writeln!(
        out,
        "  {} {}",
        "Signature".dimmed(),
        signature_text(&report.signature, "pass --cert or --fingerprint")
    );
    let detailed = report.entity_count <= DETAILED_UP_TO_ENTITIES;
    let shown = |finding: &&Finding| detailed || finding.severity != Severity::Info;
    let clean = |text: &str| text.to_string();
    let print = |out: &mut String, finding: &Finding| {
        if detailed {
            out.push('\n');
            render_finding(
                out,
                finding,
                &linted.label,
                snippet_for(&linted.xml, finding),
                &clean,
            );
        } else {
            let line = finding
                .location
                .map_or(String::new(), |l| format!(" (line {})", l.line));
            let _ = writeln!(
                out,
                "  {} [{}] {}{line}",
                severity_word(finding.severity),
                finding.code,
                finding.message
            );
            if let Some(fix) = &finding.fix {
                let _ = writeln!(out, "      {} {fix}", "fix:".green());
            }
        }
    };
    let mut document = report.findings.iter().filter(shown).peekable();
    if document.peek().is_some() {
        let _ = writeln!(out, "\n{} the document", "──".cyan().bold());
        for finding in document {
            print(&mut out, finding);
        }
    }
    for (index, entity) in report.entities.iter().enumerate() {
        let mut findings = entity.findings.iter().filter(shown).peekable();
        if findings.peek().is_none() {
            continue;
        }
        let line = entity
            .location
            .map_or(String::new(), |l| format!(" (line {})", l.line));
        let _ = writeln!(
            out,
            "\n{} entity #{} {}{line}",
            "──".cyan().bold(),
            index + 1,
            entity.entity_id_str().bold()
        );
        for finding in findings {
            print(&mut out, finding);
        }
        if out.len() >= PIECE {
            emit(&out);
            out.clear();
        }
    }
    let summaries = rule_summaries(report);
    if !summaries.is_empty() {
        let _ = writeln!(out, "\n{}", "By rule:".bold());
        for rule in &summaries {
            let _ = writeln!(
                out,
                "  {:<8} {:<44} {}",
                severity_word(rule.severity),
                rule.code,
                rule.summary
            );
        }
    }
    if !detailed && report.notes > 0 {
        let _ = writeln!(
            out,
            "\n{} notes are counted above, not printed, for an aggregate of {} entities; \
             `--format json` lists them all",
            "note:".cyan().bold(),
            report.entity_count
        );
    }
    emit(&out);
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// With `--entity`, a file that holds no such entity is bad input, not a clean report.
pub fn require_entity(
    outcomes: Vec<MetadataOutcome>,
    entity: Option<&str>,
) -> Vec<MetadataOutcome> {
    let Some(entity) = entity else {
        return outcomes;
    };
    outcomes
        .into_iter()
        .map(|outcome| match outcome {
            MetadataOutcome::Report(linted) if linted.report.entity_count == 0 => {
                MetadataOutcome::Error {
                    message: format!("no EntityDescriptor has entityID `{entity}` (--entity)"),
                    label: linted.label,
                }
            }
            other => other,
        })
        .collect()
}

fn entity_count(count: usize) -> String {
    if count == 1 {
        "1 entity".to_string()
    } else {
        format!("{count} entities")
    }
}
