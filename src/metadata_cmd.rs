//! `samlkit metadata`: lint IdP and SP metadata files — structure, endpoints, keys and
//! certificates, validity, the metadata's own signature, encoding — and report per entity.

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use colored::Colorize;
use samlkit_lint::federation::FederationOptions;
use samlkit_lint::idp::Idp;
use samlkit_lint::metadata::{
    binding_name, encoding_findings, lint_metadata_verified_later, EndpointView, EntityReport,
    MetadataOptions, MetadataReport, MetadataSignature,
};
use samlkit_lint::{Finding, Severity, Verdict};
use samlkit_parse::model::{Metadata, SamlMessage};
use samlkit_parse::{parse_xml, read_message, xml, Limits};
use samlkit_verify::dsig::{verify_document, VerifyOptions};
use samlkit_verify::trust::TrustStore;

use crate::cli::{MetadataArgs, ReportFormat};
use crate::exit;
use crate::explain::{parse_profile, plural, render_finding};
use crate::flag_hints::HintStyle;
use crate::sarif::SarifResult;
use crate::snippet::{snippet, Snippet};
use crate::style::print_error;

/// In aggregates larger than this, notes are counted in the summary instead of printed one by
/// one (JSON and SARIF carry them all).
const NOTES_PRINTED_UP_TO_ENTITIES: usize = 20;
/// Aggregates up to this size get each entity's facts in the text summary.
const FACTS_PRINTED_UP_TO_ENTITIES: usize = 3;

/// One metadata file, linted.
pub struct LintedMetadata {
    pub label: String,
    /// The decoded XML the findings' spans point into.
    pub xml: String,
    pub report: MetadataReport,
}

/// What `metadata` concluded about one file.
pub enum MetadataOutcome {
    Report(Box<LintedMetadata>),
    Error { label: String, message: String },
}

impl MetadataOutcome {
    pub fn exit_code(&self) -> u8 {
        match self {
            MetadataOutcome::Report(linted) if linted.report.verdict == Verdict::Fail => {
                exit::PROBLEMS
            }
            MetadataOutcome::Report(_) => exit::OK,
            MetadataOutcome::Error { .. } => exit::BAD_INPUT,
        }
    }
}

pub fn run(args: &MetadataArgs) -> u8 {
    let options = match options_from(args) {
        Ok(options) => options,
        Err(message) => {
            print_error("setup", &message);
            return exit::BAD_INPUT;
        }
    };
    let trust = match trust_from(args) {
        Ok(trust) => trust,
        Err(message) => {
            print_error("trust", &message);
            return exit::BAD_INPUT;
        }
    };
    let limits = aggregate_limits();
    let outcomes: Vec<MetadataOutcome> = args
        .files
        .iter()
        .map(|path| {
            let label = path.display().to_string();
            let hints = HintStyle::Flags;
            lint_file(
                path,
                &label,
                trust.as_ref(),
                &options,
                &limits,
                hints,
                |_| Vec::new(),
            )
        })
        .collect();
    let outcomes = crate::federation_report::require_entity(outcomes, args.entity.as_deref());
    let code = outcomes
        .iter()
        .map(MetadataOutcome::exit_code)
        .max()
        .unwrap_or(exit::OK);
    if options.federation.any_federation_set() || args.entity.is_some() {
        let names: Vec<&str> = options.federation.sets.iter().map(|s| s.name()).collect();
        crate::federation_report::render(&outcomes, args.format, &names);
    } else {
        render(&outcomes, args.format);
    }
    // The process ends here: freeing an aggregate's tens of thousands of small allocations one
    // by one would only delay the exit.
    std::mem::forget(outcomes);
    code
}

/// Federation aggregates are the one legitimately large input: eduGAIN's passes 64 MiB, and a
/// 25,000-entity feed is over 100 MiB. They may be four times the default size, and hold
/// proportionally more nodes; every other bound stays.
pub fn aggregate_limits() -> Limits {
    let default = Limits::default();
    Limits {
        max_bytes: 4 * default.max_bytes,
        max_nodes: 4 * default.max_nodes,
        ..default
    }
}

fn options_from(args: &MetadataArgs) -> Result<MetadataOptions, String> {
    if args.warn_days < 0 {
        return Err(format!(
            "--warn-days must not be negative (got {})",
            args.warn_days
        ));
    }
    let mut options = MetadataOptions::new(args.now.unwrap_or_else(crate::inspect::system_now));
    options.warn_days = args.warn_days;
    options.profile = parse_profile(args.profile.as_deref().unwrap_or("generic"))?;
    options.federation.sets = FederationOptions::parse_sets(&args.rules)?;
    options.federation.entity = args.entity.clone();
    options.federation.registration_authorities = args.registration_authority.clone();
    if let Some(window) = &args.validity_window {
        options.federation.validity_window_hours = FederationOptions::parse_window_days(window)?;
    }
    Ok(options)
}

/// Trust for the metadata's own signature, or `None` when none was given.
fn trust_from(args: &MetadataArgs) -> Result<Option<TrustStore>, String> {
    signer_trust(&args.cert, &args.fingerprint)
}

/// The metadata signer's certificates (PEM or DER files) and SHA-256 fingerprints as a trust
/// store, or `None` when there are none.
pub fn signer_trust(
    certificates: &[PathBuf],
    fingerprints: &[String],
) -> Result<Option<TrustStore>, String> {
    if certificates.is_empty() && fingerprints.is_empty() {
        return Ok(None);
    }
    let mut store = TrustStore::new();
    for path in certificates {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("{}: cannot read the certificate file: {e}", path.display()))?;
        store
            .add_certificates(&bytes, &path.display().to_string())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for fingerprint in fingerprints {
        store
            .add_fingerprint(fingerprint)
            .map_err(|e| e.to_string())?;
    }
    Ok(Some(store))
}

/// Reads, parses, verifies (when `trust` is given) and lints one metadata file. `hints` says
/// how a missing input is given; `extra` adds findings that need the parsed document (the
/// cross-checks of `samlkit check`).
pub fn lint_file(
    path: &Path,
    label: &str,
    trust: Option<&TrustStore>,
    options: &MetadataOptions,
    limits: &Limits,
    hints: HintStyle,
    extra: impl FnOnce(&Metadata<'_, '_>) -> Vec<Finding>,
) -> MetadataOutcome {
    let fail = |message: String| MetadataOutcome::Error {
        label: label.to_string(),
        message,
    };
    let raw = match read_capped(path, limits.max_bytes) {
        Ok(raw) => raw,
        Err(message) => return fail(message),
    };
    let encoding = encoding_findings(&raw);
    let xml = match into_text(raw, encoding.is_empty(), limits) {
        Ok(xml) => xml,
        Err(message) => return fail(message),
    };
    let report = {
        let doc = match parse_xml(&xml, limits) {
            Ok(doc) => doc,
            Err(err) => return fail(err.to_string()),
        };
        let not_metadata =
            |message: Result<SamlMessage<'_, '_>, samlkit_parse::InputError>| match message {
                Ok(SamlMessage::Metadata(_)) => None,
                Ok(other) => Some(format!(
                    "this is {}, not metadata; explain messages with `samlkit explain`",
                    other.kind().describe()
                )),
                Err(err) => Some(err.to_string()),
            };
        let root = doc.root_element().tag_name();
        let plain_metadata = root.namespace() == Some(xml::ns::MD)
            && matches!(root.name(), "EntityDescriptor" | "EntitiesDescriptor");
        if !plain_metadata {
            if let Some(message) = not_metadata(read_message(&doc)) {
                return fail(message);
            }
        }
        // The signature is verified on its own thread while the typed view is built and the
        // entities are linted: all only read the tree, and the canonical form is hashed in
        // pieces, never held whole.
        let verify_options = VerifyOptions {
            now: options.now.unix_seconds(),
        };
        let linted = std::thread::scope(|scope| {
            let verifying = trust.map(|store| {
                let (doc, verify_options) = (&doc, &verify_options);
                scope.spawn(move || verify_document(doc, store, verify_options))
            });
            let metadata = match read_message(&doc) {
                Ok(SamlMessage::Metadata(metadata)) => metadata,
                other => return Err(not_metadata(other).unwrap_or_default()),
            };
            let verified = || {
                verifying.map(|worker| {
                    worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            };
            let report = lint_metadata_verified_later(encoding, &metadata, verified, options);
            Ok((report, extra(&metadata)))
        });
        let (mut report, added) = match linted {
            Ok(linted) => linted,
            Err(message) => return fail(message),
        };
        hints.add_hints(&mut report.findings);
        if !added.is_empty() {
            report.add_findings(&xml, added);
        }
        report
    };
    MetadataOutcome::Report(Box::new(LintedMetadata {
        label: label.to_string(),
        xml,
        report,
    }))
}

fn read_capped(path: &Path, max_bytes: usize) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    // Sized from the start: growing by doubling would hold up to twice an aggregate's size.
    let expected = file
        .metadata()
        .map_or(0, |m| m.len().min(max_bytes as u64 + 1) as usize);
    let mut raw = Vec::with_capacity(expected + 1);
    file.take(max_bytes as u64 + 1)
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if raw.len() > max_bytes {
        return Err(format!(
            "the file is larger than {} MiB; refusing to read it",
            max_bytes / (1024 * 1024)
        ));
    }
    Ok(raw)
}

/// The file as text. Plain UTF-8 XML is taken as is, without a copy (aggregates are large);
/// anything else goes through the decoder, which transcodes, strips a BOM or decodes base64.
fn into_text(raw: Vec<u8>, plain_encoding: bool, limits: &Limits) -> Result<String, String> {
    if plain_encoding && raw.first() == Some(&b'<') {
        match String::from_utf8(raw) {
            Ok(text) => return Ok(text),
            Err(err) => return decode(&err.into_bytes(), limits),
        }
    }
    decode(&raw, limits)
}

fn decode(raw: &[u8], limits: &Limits) -> Result<String, String> {
    let mut messages =
        samlkit_parse::decode::decode_input(raw, None, limits).map_err(|e| e.to_string())?;
    if messages.is_empty() {
        return Err("no metadata found".to_string());
    }
    Ok(messages.swap_remove(0).xml)
}

// ------------------------------------------------------------------ rendering

pub fn render(outcomes: &[MetadataOutcome], format: ReportFormat) {
    match format {
        ReportFormat::Text => {
            for (index, outcome) in outcomes.iter().enumerate() {
                if index > 0 {
                    println!();
                }
                match outcome {
                    MetadataOutcome::Report(linted) => print!("{}", render_text(linted)),
                    MetadataOutcome::Error { label, message } => print_error(label, message),
                }
            }
        }
        ReportFormat::Json => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            for outcome in outcomes {
                // Written straight out: a JSON tree of a large aggregate would double its size.
                let written = match outcome {
                    MetadataOutcome::Report(linted) => serde_json::to_writer(
                        &mut out,
                        &crate::json_lines::Sourced {
                            source: &linted.label,
                            report: &linted.report,
                        },
                    ),
                    error => serde_json::to_writer(&mut out, &json_value(error)),
                };
                if written.is_err() || writeln!(out).is_err() {
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
            for outcome in outcomes {
                match outcome {
                    MetadataOutcome::Report(linted) => results.extend(sarif_results(linted)),
                    MetadataOutcome::Error { label, message } => {
                        notifications.push(format!("{label}: {message}"))
                    }
                }
            }
            let value = crate::sarif::sarif_document(&results, &notifications);
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

/// The JSON object of one file (one line of JSON Lines output).
pub fn json_value(outcome: &MetadataOutcome) -> serde_json::Value {
    match outcome {
        MetadataOutcome::Error { label, message } => crate::json_lines::error_value(label, message),
        MetadataOutcome::Report(linted) => {
            crate::json_lines::report_value(&linted.label, &linted.report)
        }
    }
}

/// Every finding of a file as a SARIF result; entity findings name their entityID.
pub fn sarif_results(linted: &LintedMetadata) -> Vec<SarifResult<'_>> {
    let document = linted.report.findings.iter().map(|finding| SarifResult {
        uri: &linted.label,
        finding,
        snippet: snippet_for(&linted.xml, finding),
        subject: None,
    });
    let entities = linted.report.entities.iter().flat_map(|entity| {
        entity.findings.iter().map(move |finding| SarifResult {
            uri: &linted.label,
            finding,
            snippet: snippet_for(&linted.xml, finding),
            subject: Some(entity.entity_id_str()),
        })
    });
    document.chain(entities).collect()
}

/// Bytes of the line kept on each side of a finding before the snippet is cut.
const WINDOW_BEFORE: usize = 200;
const WINDOW_AFTER: usize = 600;

/// The snippet of a finding, cut from a window of its line: one-line aggregates of many
/// megabytes must not be scanned whole for every finding. Line and column come from the
/// finding's location, computed for all findings in one pass by the lint.
pub fn snippet_for(xml: &str, finding: &Finding) -> Option<Snippet> {
    let span = finding.span.as_ref()?;
    let start = span.start.min(xml.len());
    let mut low = start.saturating_sub(WINDOW_BEFORE);
    while !xml.is_char_boundary(low) {
        low += 1;
    }
    let cut_front = match xml[low..start].rfind('\n') {
        Some(newline) => {
            low += newline + 1;
            false
        }
        None => low > 0 && xml.as_bytes()[low - 1] != b'\n',
    };
    let mut high = (start + WINDOW_AFTER).min(xml.len());
    while !xml.is_char_boundary(high) {
        high -= 1;
    }
    if let Some(newline) = xml[start..high].find('\n') {
        high = start + newline;
    }
    let end = span.end.clamp(start, high);
    let mut snip = snippet(&xml[low..high], &(start - low..end - low));
    if let Some(location) = finding.location {
        snip.line_number = location.line;
        snip.column = location.column;
    }
    if cut_front && !snip.text.starts_with('…') {
        snip.text.insert(0, '…');
        snip.marker.insert(0, ' ');
    }
    Some(snip)
}

fn what_it_is(report: &MetadataReport) -> String {
    let kind = match (report.idp_count > 0, report.sp_count > 0) {
        _ if report.entity_count > 1 => "federation metadata",
        (true, false) => "IdP metadata",
        (false, true) => "SP metadata",
        (true, true) => "IdP and SP metadata",
        (false, false) => "metadata",
    };
    let from = match report.idp {
        Idp::GENERIC => String::new(),
        idp if report.entity_count == 1 && report.idp_count == 1 => format!(" from {}", idp.name()),
        _ => String::new(),
    };
    let count = if report.entity_count == 1 {
        "1 entity".to_string()
    } else {
        format!("{} entities", report.entity_count)
    };
    format!("{kind}{from} ({}, {count})", report.root)
}

pub fn render_text(linted: &LintedMetadata) -> String {
    render_text_with_hint(linted, "pass --cert or --fingerprint")
}

/// The text report; `unchecked_signature_hint` says how to have an unchecked signature checked
/// (the flags here, a samlkit.toml setting in `check`).
pub fn render_text_with_hint(linted: &LintedMetadata, unchecked_signature_hint: &str) -> String {
    let report = &linted.report;
    let clean = |text: &str| text.to_string();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} — {}, profile {}",
        "==>".cyan().bold(),
        linted.label.bold(),
        what_it_is(report),
        report.profile
    );
    let verdict = match report.verdict {
        Verdict::Fail => format!(
            "✗ The metadata has problems that break sign-in: {}, {}",
            plural(report.errors, "error"),
            plural(report.warnings, "warning")
        )
        .red()
        .bold(),
        Verdict::Pass if report.warnings > 0 => {
            format!("✓ No errors ({})", plural(report.warnings, "warning"))
                .green()
                .bold()
        }
        // Metadata is never judged unverified: only messages carry claims to verify.
        Verdict::Pass | Verdict::Unverified => "✓ No problems found".green().bold(),
    };
    let _ = writeln!(out, "{verdict}");

    let print_notes = report.entity_count <= NOTES_PRINTED_UP_TO_ENTITIES;
    let shown = |finding: &&Finding| print_notes || finding.severity != Severity::Info;
    for finding in report.findings.iter().filter(shown) {
        out.push('\n');
        render_finding(
            &mut out,
            finding,
            &linted.label,
            snippet_for(&linted.xml, finding),
            &clean,
        );
    }
    for (index, entity) in report.entities.iter().enumerate() {
        let mut findings = entity.findings.iter().filter(shown).peekable();
        if findings.peek().is_none() {
            continue;
        }
        if report.entity_count > 1 {
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
        }
        for finding in findings {
            out.push('\n');
            render_finding(
                &mut out,
                finding,
                &linted.label,
                snippet_for(&linted.xml, finding),
                &clean,
            );
        }
    }
    if !print_notes && report.notes > 0 {
        let _ = writeln!(
            out,
            "\n{} {} not printed for an aggregate of {} entities; they are counted below, and \
             `--format json` lists them all",
            "note:".cyan().bold(),
            plural(report.notes, "note"),
            report.entity_count
        );
    }
    out.push('\n');
    render_summary(&mut out, report, unchecked_signature_hint);
    out
}

fn render_summary(out: &mut String, report: &MetadataReport, unchecked_signature_hint: &str) {
    let mut line = |name: &str, value: String| {
        let _ = writeln!(out, "  {:<11} {}", name.dimmed(), value);
    };
    if report.entity_count > 1 {
        line(
            "Entities",
            format!(
                "{} ({} with an IdP role, {} with an SP role)",
                report.entity_count, report.idp_count, report.sp_count
            ),
        );
    }
    if let Some(name) = &report.name {
        line("Name", name.clone());
    }
    if let Some(valid_until) = &report.valid_until {
        line("Valid until", valid_until.clone());
    }
    if let Some(cache) = &report.cache_duration {
        line("Cache", cache.clone());
    }
    if report.entity_count <= FACTS_PRINTED_UP_TO_ENTITIES {
        for entity in &report.entities {
            entity_facts(&mut line, entity);
        }
    }
    line(
        "Signature",
        signature_text(&report.signature, unchecked_signature_hint),
    );
    if report.entity_count > 1 && !report.counts.is_empty() {
        let counts: Vec<String> = report
            .counts
            .iter()
            .map(|c| format!("{} × {} ({})", c.count, c.code, severity_word(c.severity)))
            .collect();
        line("By rule", counts.join(", "));
    }
}

/// The metadata's own signature in a few words, as the summaries show it; `unchecked_signature_hint`
/// says how to have it checked.
pub fn signature_text(signature: &MetadataSignature, unchecked_signature_hint: &str) -> String {
    match (
        signature.signatures,
        signature.checked,
        &signature.verified_by,
    ) {
        (0, false, _) => "none (unsigned)".to_string(),
        (_, false, _) => format!("present, not checked ({unchecked_signature_hint})"),
        (_, true, Some(by)) => format!("{} by {by}", "verified".green()),
        (0, true, None) => "missing".red().to_string(),
        (_, true, None) => "does not verify".red().to_string(),
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn entity_facts(line: &mut dyn FnMut(&str, String), entity: &EntityReport) {
    let who = match entity.idp {
        Idp::GENERIC => String::new(),
        idp => format!(" ({})", idp.name()),
    };
    line("Entity", format!("{}{who}", entity.entity_id_str()));
    if !entity.roles.is_empty() {
        line("Roles", entity.roles.join(", "));
    }
    for endpoint in &entity.single_sign_on {
        line("SSO", endpoint_text(endpoint));
    }
    for endpoint in &entity.assertion_consumer_services {
        line("ACS", endpoint_text(endpoint));
    }
    for endpoint in &entity.single_logout {
        line("Logout", endpoint_text(endpoint));
    }
    if !entity.name_id_formats.is_empty() {
        let formats: Vec<&str> = entity
            .name_id_formats
            .iter()
            .map(|f| samlkit_lint::uri::short_uri(f))
            .collect();
        line("NameID", formats.join(", "));
    }
    for key in &entity.keys {
        let text = match (&key.certificate, &key.error) {
            (Some(cert), _) => format!(
                "{}: {}, {} → {}, {}, SHA-256 {}",
                key.usage,
                cert.subject,
                cert.not_before_utc,
                cert.not_after_utc,
                cert.key,
                cert.sha256_fingerprint
            ),
            (None, Some(error)) => format!("{}: unreadable ({error})", key.usage),
            (None, None) => key.usage.to_string(),
        };
        line("Key", text);
    }
    let mut wants = Vec::new();
    if entity.want_assertions_signed == Some(true) {
        wants.push("WantAssertionsSigned");
    }
    if entity.authn_requests_signed == Some(true) {
        wants.push("AuthnRequestsSigned");
    }
    if entity.want_authn_requests_signed == Some(true) {
        wants.push("WantAuthnRequestsSigned");
    }
    if !wants.is_empty() {
        line("Requires", wants.join(", "));
    }
}

fn endpoint_text(endpoint: &EndpointView) -> String {
    let mut text = String::new();
    if let Some(index) = &endpoint.index {
        let _ = write!(text, "[{index}");
        if endpoint.is_default == Some(true) {
            text.push_str(", default");
        }
        text.push_str("] ");
    }
    let _ = write!(
        text,
        "{} {}",
        endpoint
            .binding
            .as_deref()
            .map_or("(no binding)", binding_name),
        endpoint.location.as_deref().unwrap_or("(no location)")
    );
    text
}
