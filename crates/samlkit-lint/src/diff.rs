//! What changed between two messages (a sign-in that works and one that fails), or between
//! two metadata documents (key rollover, endpoints): a comparison of meaning, not of text.
//!
//! Both messages are summarised ([`crate::summary::summarise`]); the summaries are flattened
//! into named fields and compared. What always differs between two captures (IDs, instants,
//! signature and digest values, positions) is left out; times are compared in relative terms
//! only (the assertion's lifetime, how far NotBefore lies before the issue instant). With a
//! [`Setup`], both messages are also explained, and every finding the second has and the
//! first lacks is linked to the differences that cause it.

use std::collections::BTreeMap;

use samlkit_parse::decode::DecodedMessage;
use samlkit_parse::time::Instant;
use samlkit_parse::Limits;
use serde::Serialize;
use serde_json::Value;

use crate::explain::{ExplainError, Setup};
use crate::summary::summarise;
use crate::{Code, Finding, Verdict};

/// The comparison of message A (the one that works) with message B.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// The kind of each message (`response`, `entity-descriptor`, …).
    pub kind_a: String,
    pub kind_b: String,
    /// Every field that differs, in field order.
    pub changes: Vec<Change>,
    /// Explain's verdicts on A and B, when a setup was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict_a: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict_b: Option<Verdict>,
    /// Findings B has and A lacks, each with the changes that explain it.
    pub new_findings: Vec<CausedFinding>,
    /// Codes of findings A has and B lacks.
    pub resolved_findings: Vec<Code>,
}

/// One field that differs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    /// What the field is about: `attribute`, `nameid`, `issuer`, `audience`, `signature`, …
    pub aspect: &'static str,
    /// The field, e.g. `assertion 1 › attribute Email`.
    pub field: String,
    pub kind: ChangeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
    /// The change in plain words.
    pub summary: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// A finding of B that A does not have, and the changes (indexes into
/// [`DiffReport::changes`]) that cause it.
#[derive(Debug, Clone, Serialize)]
pub struct CausedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub caused_by: Vec<usize>,
    /// The finding linked to its cause in plain words.
    pub because: String,
}

/// Compares two decoded messages, judged at `now`; with a setup, explains both too.
pub fn diff_messages(
    a: &DecodedMessage,
    b: &DecodedMessage,
    now: Instant,
    setup: Option<&Setup>,
) -> Result<DiffReport, (char, ExplainError)> {
    let limits = setup.map_or_else(Limits::default, |s| s.limits);
    let keys = setup.map(|s| &s.keys);
    let summary_a = summarise(a, "A", now, keys, None, &limits).map_err(|e| ('A', e))?;
    let summary_b = summarise(b, "B", now, keys, None, &limits).map_err(|e| ('B', e))?;
    let value_a = serde_json::to_value(&summary_a).unwrap_or_default();
    let value_b = serde_json::to_value(&summary_b).unwrap_or_default();
    let kind = |v: &Value| v["kind"].as_str().unwrap_or("unknown").to_string();
    let mut report = DiffReport {
        kind_a: kind(&value_a),
        kind_b: kind(&value_b),
        changes: compare_fields(&fields_of(&value_a), &fields_of(&value_b)),
        verdict_a: None,
        verdict_b: None,
        new_findings: Vec::new(),
        resolved_findings: Vec::new(),
    };
    let is_metadata = |v: &Value| v.get("metadata").is_some();
    if let Some(setup) = setup.filter(|_| !is_metadata(&value_a) && !is_metadata(&value_b)) {
        let explained_a = crate::explain(a, setup).map_err(|e| ('A', e))?.report;
        let explained_b = crate::explain(b, setup).map_err(|e| ('B', e))?.report;
        let detected = |r: &crate::Report| {
            BTreeMap::from([
                ("idp".to_string(), r.idp.name().to_string()),
                ("profile".to_string(), r.profile.to_string()),
            ])
        };
        let mut detected_changes = compare_fields(&detected(&explained_a), &detected(&explained_b));
        for change in &mut detected_changes {
            change.aspect = "detected";
        }
        report.changes.extend(detected_changes);
        report.verdict_a = Some(explained_a.verdict);
        report.verdict_b = Some(explained_b.verdict);
        let has = |findings: &[Finding], code: Code| findings.iter().any(|f| f.code == code);
        for finding in &explained_b.findings {
            if !has(&explained_a.findings, finding.code) {
                report
                    .new_findings
                    .push(link_cause(finding.clone(), &report.changes));
            }
        }
        for finding in &explained_a.findings {
            if !has(&explained_b.findings, finding.code)
                && !report.resolved_findings.contains(&finding.code)
            {
                report.resolved_findings.push(finding.code);
            }
        }
    }
    Ok(report)
}

/// Keys that always differ between two captures, or only say where something is.
const IGNORED_KEYS: [&str; 14] = [
    "id",
    "on_id",
    "line",
    "column",
    "source",
    "now",
    "captured_at",
    "form",
    "relay_state",
    "encoding_note",
    "validity",
    "session_index",
    "uri",
    "parameter",
];

/// Keys whose value is an ID of another message: only whether it is there matters.
const PRESENCE_KEYS: [&str; 1] = ["in_response_to"];

/// Keys that name an element of a list, so lists are compared by name rather than position.
const NAMING_KEYS: [&str; 6] = ["name", "sha256", "location", "on", "role", "entity_id"];

/// The summary as `field → value` text, with relative times added.
fn fields_of(summary: &Value) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    flatten(summary, "", &mut fields);
    if let Some(assertions) = summary["response"]["assertions"].as_array() {
        for (index, assertion) in assertions.iter().enumerate() {
            add_relative_times(
                assertion,
                &format!("assertions[{}]", index + 1),
                &mut fields,
            );
        }
    }
    fields
}

fn seconds_of(instant: &Value) -> Option<i64> {
    instant["seconds_from_now"].as_i64()
}

/// Lifetime (NotOnOrAfter − IssueInstant) and backdating (IssueInstant − NotBefore), which
/// say how much clock skew a message tolerates whatever the instant it was captured at.
fn add_relative_times(assertion: &Value, path: &str, fields: &mut BTreeMap<String, String>) {
    let issued = seconds_of(&assertion["issue_instant"]);
    let conditions = &assertion["conditions"];
    if let (Some(issued), Some(until)) = (issued, seconds_of(&conditions["not_on_or_after"])) {
        fields.insert(format!("{path}.lifetime"), format!("{} s", until - issued));
    }
    if let (Some(issued), Some(from)) = (issued, seconds_of(&conditions["not_before"])) {
        fields.insert(
            format!("{path}.not_before_offset"),
            format!("{} s", from - issued),
        );
    }
}

fn flatten(value: &Value, path: &str, fields: &mut BTreeMap<String, String>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Null => {}
        Value::Object(map) if map.contains_key("seconds_from_now") => {} // an instant
        // A certificate is one field: added, removed or the same (rolled over when its
        // fingerprint, which names it in the path, changes).
        Value::Object(map) if map.contains_key("sha256") => {
            let text = |key: &str| map.get(key).and_then(Value::as_str).unwrap_or("?");
            fields.insert(
                path.to_string(),
                format!(
                    "{}, {}, valid until {}",
                    text("subject"),
                    text("key"),
                    text("not_after")
                ),
            );
        }
        Value::Object(map) if map.contains_key("value") && map.contains_key("line") => {
            flatten(&map["value"], path, fields)
        }
        Value::Object(map) => {
            for (key, item) in map {
                if IGNORED_KEYS.contains(&key.as_str()) || names_element(path, key, item) {
                    continue;
                }
                if PRESENCE_KEYS.contains(&key.as_str()) {
                    if !item.is_null() {
                        fields.insert(join(key), "present".into());
                    }
                    continue;
                }
                flatten(item, &join(key), fields);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            if !items.is_empty() {
                let texts: Vec<String> = items.iter().map(scalar_text).collect();
                fields.insert(path.to_string(), texts.join(", "));
            }
        }
        Value::Array(items) => {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for (index, item) in items.iter().enumerate() {
                let name = NAMING_KEYS
                    .iter()
                    .find_map(|key| {
                        let named = &item[*key];
                        named["value"]
                            .as_str()
                            .or(named.as_str())
                            .map(str::to_string)
                    })
                    .unwrap_or_else(|| (index + 1).to_string());
                let count = seen.entry(name.clone()).or_default();
                *count += 1;
                let name = if *count > 1 {
                    format!("{name} #{count}")
                } else {
                    name
                };
                flatten(item, &format!("{path}[{name}]"), fields);
            }
        }
        scalar => {
            fields.insert(path.to_string(), scalar_text(scalar));
        }
    }
}

/// Whether this key is what the list element at `path` is already named by (`[Email]`).
fn names_element(path: &str, key: &str, item: &Value) -> bool {
    NAMING_KEYS.contains(&key)
        && item["value"]
            .as_str()
            .or(item.as_str())
            .is_some_and(|name| path.ends_with(&format!("[{name}]")))
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn compare_fields(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let (in_a, in_b) = (a.get(path), b.get(path));
        let kind = match (in_a, in_b) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(_), Some(_)) => ChangeKind::Changed,
            (Some(_), None) => ChangeKind::Removed,
            (None, Some(_)) => ChangeKind::Added,
            (None, None) => continue,
        };
        let field = readable_field(path);
        let quoted = |v: Option<&String>| v.map(|v| format!("`{v}`")).unwrap_or_default();
        let summary = match kind {
            ChangeKind::Removed => format!("B has no {field}; A had {}", quoted(in_a)),
            ChangeKind::Added => format!("B has {field} = {}; A had none", quoted(in_b)),
            ChangeKind::Changed => {
                format!("{field} changed: {} → {}", quoted(in_a), quoted(in_b))
            }
        };
        changes.push(Change {
            aspect: aspect_of(path),
            field,
            kind,
            a: in_a.cloned(),
            b: in_b.cloned(),
            summary,
        });
    }
    changes
}

/// `response.assertions[1].attributes[Email].values` → `assertion 1 › attribute Email`.
fn readable_field(path: &str) -> String {
    let mut parts = Vec::new();
    for segment in segments(path) {
        let (name, key) = match segment.split_once('[') {
            Some((name, key)) => (name, Some(key.trim_end_matches(']'))),
            None => (segment, None),
        };
        let word = match name {
            "response" | "metadata" | "values" | "value" => continue,
            "assertions" => "assertion",
            "attributes" => "attribute",
            "signatures" => "signature on",
            "certificates" => "certificate",
            "entities" => "entity",
            "roles" => "role",
            "keys" => "key",
            "confirmations" => "confirmation",
            other => other,
        };
        parts.push(match key {
            Some(key) => format!("{word} {key}"),
            None => word.replace('_', " "),
        });
    }
    parts.join(" › ")
}

/// The dot-separated segments of a path; dots inside `[…]` (attribute names, URLs) stay.
fn segments(path: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (index, c) in path.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                parts.push(&path[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&path[start..]);
    parts
}

/// What a flattened field is about, for linking findings to changes.
fn aspect_of(path: &str) -> &'static str {
    const ASPECTS: [(&str, &str); 16] = [
        ("attributes[", "attribute"),
        ("name_id", "nameid"),
        ("subject.format", "nameid"),
        ("audiences", "audience"),
        ("recipient", "recipient"),
        ("destination", "destination"),
        ("in_response_to", "in-response-to"),
        ("status", "status"),
        ("certificates", "certificate"),
        ("signatures", "signature"),
        ("encrypt", "encryption"),
        ("lifetime", "validity"),
        ("not_before_offset", "validity"),
        ("keys", "key"),
        ("single_sign_on", "endpoint"),
        ("issuer", "issuer"),
    ];
    if path.contains("assertion_consumer_services") || path.contains("single_logout") {
        return "endpoint";
    }
    ASPECTS
        .iter()
        .find(|(needle, _)| path.contains(needle))
        .map_or("other", |(_, aspect)| aspect)
}

/// The aspects of the changes that can cause a finding with this code, recognised by the
/// words of its text (`…/audience-mismatch`, `time/…`).
fn aspects_for(code: Code) -> &'static [&'static str] {
    let code = code.as_str();
    const CAUSES: [(&str, &[&str]); 13] = [
        ("claims/", &["attribute"]),
        ("nameid/", &["nameid"]),
        ("audience", &["audience"]),
        ("destination", &["destination"]),
        ("recipient", &["recipient"]),
        ("in-response-to", &["in-response-to"]),
        ("unsolicited", &["in-response-to"]),
        ("issuer", &["issuer"]),
        ("status", &["status"]),
        ("encrypt", &["encryption"]),
        ("time/", &["validity"]),
        ("cert/", &["certificate", "signature"]),
        ("signature/", &["signature", "certificate"]),
    ];
    CAUSES
        .iter()
        .find(|(needle, _)| code.contains(needle))
        .map_or(&[], |(_, aspects)| aspects)
}

fn link_cause(finding: Finding, changes: &[Change]) -> CausedFinding {
    let aspects = aspects_for(finding.code);
    let candidates: Vec<usize> = (0..changes.len())
        .filter(|&i| aspects.contains(&changes[i].aspect))
        .collect();
    // A finding that names a field (`Email`) is caused by that field's change when there is one.
    let text = format!(
        "{} {}",
        finding.message,
        finding.expected.as_deref().unwrap_or("")
    );
    let named: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| {
            let field = &changes[i].field;
            let last = field.rsplit(" › ").next().unwrap_or(field);
            let key = last.split_once(' ').map_or(last, |(_, key)| key);
            text.contains(&format!("`{key}`")) || text.contains(&format!("\"{key}\""))
        })
        .collect();
    let caused_by = if named.is_empty() { candidates } else { named };
    let because = match caused_by.as_slice() {
        [] => format!(
            "B has [{}] ({}); no compared field differs in a way that explains it",
            finding.code, finding.message
        ),
        causes => {
            let reasons: Vec<&str> = causes
                .iter()
                .map(|&i| changes[i].summary.as_str())
                .collect();
            format!("B has [{}] because {}", finding.code, reasons.join("; "))
        }
    };
    CausedFinding {
        finding,
        caused_by,
        because,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_readable() {
        assert_eq!(
            readable_field("response.assertions[1].attributes[Email].values"),
            "assertion 1 › attribute Email"
        );
        assert_eq!(
            readable_field("response.assertions[1].attributes[http://a.example/x.y].values"),
            "assertion 1 › attribute http://a.example/x.y"
        );
        assert_eq!(aspect_of("response.assertions[1].subject.format"), "nameid");
    }
}
