//! `samlkit explain`: decode, parse, verify and lint each message, then say in plain words what
//! is wrong, where, what was expected, what was found, and what to change.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;

use colored::Colorize;
use samlkit_lint::Rule;
use samlkit_lint::{Finding, LintOptions, Profile, Report, Severity, Verdict};
use samlkit_parse::model::SamlMessage;
use samlkit_parse::time::Instant;
use samlkit_parse::{parse_xml, read_message, Limits};
use samlkit_verify::decrypted::verify_decrypted;
use samlkit_verify::dsig::{verify_document, VerifyOptions};
use samlkit_verify::redirect::{verify_redirect_signature, RedirectSignature};
use samlkit_verify::report::Severity as VerifierSeverity;
use samlkit_verify::report::SignatureOutcome;
use samlkit_verify::xmlenc::{decrypt_document, encrypted_elements, DecryptionKeys};

use crate::cli::{ExplainArgs, ReportFormat};
use crate::config::Config;
use crate::exit;
use crate::input::{self, LoadedMessage};
use crate::redact::Redactor;
use crate::snippet::{snippet_with, Snippet};
use crate::style::print_error;
use crate::trust::{self, LoadedTrust};

/// What explain concluded about one input message.
pub enum Outcome {
    Report(Box<Explained>),
    Error { label: String, message: String },
}

pub struct Explained {
    pub label: String,
    /// The decoded XML the findings' locations point into.
    pub xml: String,
    pub report: Report,
    /// The report as the output shows it (a JSON line, or the text report), written by the
    /// worker that explained it when the output streams (JSON or text without redaction);
    /// `None` otherwise. Rendered again whenever the report changes.
    pub rendered: Option<Vec<u8>>,
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Report(explained) if explained.report.verdict == Verdict::Fail => {
                exit::PROBLEMS
            }
            Outcome::Report(_) => exit::OK,
            Outcome::Error { .. } => exit::BAD_INPUT,
        }
    }
}

/// Everything explain needs besides the inputs.
pub struct Setup {
    pub trust: LoadedTrust,
    pub options: LintOptions,
    pub limits: Limits,
    /// SP private keys for encrypted assertions.
    pub keys: DecryptionKeys,
}

impl Setup {
    pub fn from_args(args: &ExplainArgs, config: &Config) -> Result<Setup, String> {
        let trust = trust::load(&args.trust, config)?;
        let now = match (args.now, &config.check.now) {
            (Some(now), _) => now,
            (None, Some(text)) => {
                Instant::parse(text).map_err(|e| format!("samlkit.toml: now: {e}"))?
            }
            (None, None) => crate::inspect::system_now(),
        };
        let profile_name = args
            .profile
            .clone()
            .or_else(|| config.sp.profile.clone())
            .unwrap_or_else(|| "generic".into());
        let profile = parse_profile(&profile_name)?;
        let mut options = LintOptions::new(now);
        options.profile = profile;
        options.sp_entity_id = args
            .sp_entity_id
            .clone()
            .or_else(|| config.sp.entity_id.clone());
        options.acs_url = args.acs_url.clone().or_else(|| config.sp.acs_url.clone());
        options.request_id = args
            .request_id
            .clone()
            .or_else(|| config.check.request_id.clone());
        options.user_id_attribute = args
            .user_id_attribute
            .clone()
            .or_else(|| config.sp.user_id_attribute.clone());
        options.expected_name_id_format = config.sp.name_id_format.clone();
        if let Some(skew) = args.clock_skew.or(config.check.clock_skew) {
            if skew < 0 {
                return Err(format!("--clock-skew must not be negative (got {skew})"));
            }
            options.clock_skew_seconds = skew;
        }
        options.idp_entity_id = trust.idp_entity_id.clone();
        let key_files: Vec<std::path::PathBuf> = if args.input.sp_key.is_empty() {
            config.sp.keys.iter().map(|p| config.resolve(p)).collect()
        } else {
            args.input.sp_key.clone()
        };
        let keys = crate::input::load_keys(&key_files)?;
        Ok(Setup {
            trust,
            options,
            limits: Limits::default(),
            keys,
        })
    }
}

pub fn parse_profile(name: &str) -> Result<Profile, String> {
    Profile::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
        format!(
            "unknown profile '{name}'; one of: {} (see `samlkit profiles`)",
            names.join(", ")
        )
    })
}

pub fn run(args: &ExplainArgs) -> u8 {
    let config = match Config::load(args.config.as_deref()) {
        Ok(config) => config,
        Err(message) => {
            print_error("config", &message);
            return exit::BAD_INPUT;
        }
    };
    let setup = match Setup::from_args(args, &config) {
        Ok(setup) => setup,
        Err(message) => {
            print_error("setup", &message);
            return exit::BAD_INPUT;
        }
    };
    // Redaction needs every value of the run first, and SARIF is one document: only those
    // wait for all inputs; JSON Lines and text stream.
    match (args.format, args.redact) {
        (ReportFormat::Json, false) => return stream(&args.input, &setup, Rendering::JsonLines),
        (ReportFormat::Text, false) => return stream(&args.input, &setup, Rendering::Text),
        _ => {}
    }
    let outcomes = explain_inputs(&args.input, &setup);
    let code = outcomes
        .iter()
        .map(Outcome::exit_code)
        .max()
        .unwrap_or(exit::OK);
    render(&outcomes, args.format, args.redact);
    // The process ends next: freeing thousands of reports one by one would only delay it.
    std::mem::forget(outcomes);
    code
}

/// JSON Lines or text without redaction: each report is written as soon as it and every one
/// before it are explained, so a batch of any size is held in memory only a few reports at a
/// time.
fn stream(input: &crate::cli::InputArgs, setup: &Setup, rendering: Rendering) -> u8 {
    // Not `stdout().lock()`: whichever worker is next in order writes.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut code = exit::OK;
    let mut written = 0usize;
    explain_each(input, setup, rendering, &mut |outcome| {
        code = code.max(outcome.exit_code());
        if rendering == Rendering::Text && written > 0 {
            let _ = writeln!(out);
        }
        written += 1;
        match &outcome {
            Outcome::Report(explained) => {
                let _ = match &explained.rendered {
                    Some(rendered) => out.write_all(rendered),
                    None => out.write_all(&rendering.render(explained).unwrap_or_default()),
                };
            }
            Outcome::Error { label, message } => {
                if rendering == Rendering::JsonLines {
                    let _ = writeln!(out, "{}", json_value(&outcome));
                }
                // Keeps stdout and stderr in order on a terminal.
                let _ = out.flush();
                print_error(label, message);
            }
        }
    });
    let _ = out.flush();
    code
}

/// Explains every message of every input, noting assertion IDs seen twice (replay).
pub fn explain_inputs(input: &crate::cli::InputArgs, setup: &Setup) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    explain_each(input, setup, Rendering::Later, &mut |outcome| {
        outcomes.push(outcome)
    });
    outcomes
}

/// What the workers do with each report besides producing it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rendering {
    /// Nothing: the caller renders (text, SARIF, redacted JSON, `samlkit check`).
    Later,
    /// Serialise the JSON line at once and let go of the decoded XML, which JSON output does
    /// not show: serialising is a large share of a batch's work and spreads over the cores.
    JsonLines,
    /// Render the text report at once (snippets of the XML included).
    Text,
}

impl Rendering {
    /// The report as this rendering shows it, or `None` for [`Rendering::Later`].
    fn render(self, explained: &Explained) -> Option<Vec<u8>> {
        match self {
            Rendering::Later => None,
            Rendering::JsonLines => Some(json_line(&explained.label, &explained.report)),
            Rendering::Text => Some(render_text(explained, None).into_bytes()),
        }
    }
}

/// Inputs handled per worker thread before many inputs are worth spreading over cores.
const INPUTS_PER_THREAD: usize = 32;

/// Reads, decodes and explains each input and hands every outcome to `emit` in input order,
/// after noting assertion IDs seen twice (replay). Many inputs (a CI batch, a benchmark) are
/// spread over the machine's cores, each worker taking whole inputs (reading, decoding,
/// explaining and, for JSON, serialising); outcomes are emitted as soon as every input before
/// them is done.
fn explain_each(
    input: &crate::cli::InputArgs,
    setup: &Setup,
    rendering: Rendering,
    emit: &mut (dyn FnMut(Outcome) + Send),
) {
    let sources = input::sources(input);
    let explain_source = |source: &str| -> Vec<Outcome> {
        input::load_source(source, input, &setup.limits)
            .into_iter()
            .map(|item| match item {
                Err(failure) => Outcome::Error {
                    label: failure.label,
                    message: failure.message,
                },
                Ok(loaded) => {
                    let mut outcome = explain_one(loaded, input.expect, setup);
                    if let Outcome::Report(explained) = &mut outcome {
                        explained.rendered = rendering.render(explained);
                        if rendering == Rendering::JsonLines {
                            explained.xml = String::new();
                        }
                    }
                    outcome
                }
            })
            .collect()
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(sources.len() / INPUTS_PER_THREAD)
        .min(8);
    let mut replay = ReplayCheck {
        first_seen: HashMap::new(),
        rendering,
    };
    if threads <= 1 {
        for source in &sources {
            for mut outcome in explain_source(source) {
                replay.note(&mut outcome);
                emit(outcome);
            }
        }
        return;
    }
    // Whichever worker finishes the input that is next in order emits it and whatever waits
    // behind it; no thread sits between the workers and the output.
    let in_order = std::sync::Mutex::new(InOrder {
        waiting: std::collections::BTreeMap::new(),
        next_out: 0,
        replay,
        emit,
    });
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(source) = sources.get(index) else {
                    break;
                };
                let outcomes = explain_source(source);
                let mut state = in_order
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                state.waiting.insert(index, outcomes);
                state.emit_ready();
            });
        }
        // A worker that panics ends the scope by re-raising its panic.
    });
}

/// Outcomes finished ahead of an input still being worked on, and where emitting stands.
struct InOrder<'e> {
    waiting: std::collections::BTreeMap<usize, Vec<Outcome>>,
    next_out: usize,
    replay: ReplayCheck,
    emit: &'e mut (dyn FnMut(Outcome) + Send),
}

impl InOrder<'_> {
    fn emit_ready(&mut self) {
        while let Some(outcomes) = self.waiting.remove(&self.next_out) {
            for mut outcome in outcomes {
                self.replay.note(&mut outcome);
                (self.emit)(outcome);
            }
            self.next_out += 1;
        }
    }
}

/// Replay: the same assertion ID in two messages, judged in input order.
struct ReplayCheck {
    /// Assertion ID → the label of the message it was first seen in.
    first_seen: HashMap<String, String>,
    /// How a report that gains the replay finding is rendered again.
    rendering: Rendering,
}

impl ReplayCheck {
    fn note(&mut self, outcome: &mut Outcome) {
        let Outcome::Report(explained) = outcome else {
            return;
        };
        let Some(id) = explained.report.facts.assertion_id.as_deref() else {
            return;
        };
        match self.first_seen.get(id) {
            Some(first) => {
                let finding = samlkit_lint::replayed_assertion(id, first);
                explained.report.add(finding);
                // What was rendered no longer says everything.
                explained.rendered = self.rendering.render(explained);
            }
            None => {
                self.first_seen
                    .insert(id.to_string(), explained.label.clone());
            }
        }
    }
}

pub fn explain_one(
    loaded: LoadedMessage,
    expect: Option<crate::cli::ExpectedKind>,
    setup: &Setup,
) -> Outcome {
    match judge(&loaded, expect, setup) {
        Ok((mut report, decrypted_xml)) => {
            crate::flag_hints::add_flag_hints(&mut report.findings);
            Outcome::Report(Box::new(Explained {
                label: loaded.label,
                xml: decrypted_xml.unwrap_or(loaded.decoded.xml),
                report,
                rendered: None,
            }))
        }
        Err(message) => Outcome::Error {
            label: loaded.label,
            message,
        },
    }
}

/// The report on one message and, when anything was decrypted, the decrypted XML its
/// findings point into; or why the message could not be explained.
fn judge(
    loaded: &LoadedMessage,
    expect: Option<crate::cli::ExpectedKind>,
    setup: &Setup,
) -> Result<(Report, Option<String>), String> {
    let text = loaded.decoded.xml.as_str();
    let doc = match parse_xml(text, &setup.limits) {
        Ok(doc) => doc,
        Err(err) => return Err(err.to_string()),
    };
    let message = match read_message(&doc) {
        Ok(message) => message,
        Err(err) => return Err(err.to_string()),
    };
    if let Err(err) = crate::inspect::check_expected(&message, expect) {
        return Err(err.to_string());
    }
    let verify_options = VerifyOptions {
        now: setup.options.now.unix_seconds(),
    };
    // The decrypted document, when anything was decrypted: findings point into it.
    let mut decrypted_xml: Option<String> = None;
    let mut report = match &message {
        SamlMessage::AuthnRequest(request) => {
            samlkit_lint::lint_authn_request(request, &setup.options)
        }
        other => {
            let response = match other.expect_response() {
                Ok(response) => response,
                Err(err) => {
                    let hint = if other.kind().is_metadata() {
                        "; lint metadata with `samlkit metadata`"
                    } else {
                        ""
                    };
                    return Err(format!("{err}{hint}"));
                }
            };
            if encrypted_elements(&doc).is_empty() {
                let verification = verify_document(&doc, &setup.trust.store, &verify_options);
                samlkit_lint::lint_response(response, &verification, &setup.options)
            } else {
                match explain_encrypted(text, &doc, setup, &verify_options) {
                    Ok((report, decrypted)) => {
                        decrypted_xml = decrypted;
                        report
                    }
                    Err(message) => return Err(message),
                }
            }
        }
    };
    if let Some(redirect) = &loaded.decoded.redirect_signature {
        let signed = RedirectSignature {
            sig_alg: &redirect.sig_alg,
            signature: &redirect.signature,
            signed_octets: redirect.signed_octets.as_bytes(),
        };
        let result = verify_redirect_signature(&signed, &setup.trust.store, &verify_options);
        if result.outcome != SignatureOutcome::Verified {
            let reasons: Vec<&str> = result.findings.iter().map(|f| f.message.as_str()).collect();
            report.add(
                Finding::new(
                    samlkit_lint::Rule::RedirectSignatureFailed,
                    format!(
                        "the {} signature does not verify: {}",
                        match loaded.decoded.binding {
                            Some(samlkit_parse::decode::Binding::HttpPostSimpleSign) => {
                                "SimpleSign (SigAlg/Signature form fields)"
                            }
                            _ => "query-string",
                        },
                        reasons.join("; ")
                    ),
                )
                .actual(redirect.sig_alg.clone()),
            );
        }
    }
    if loaded.decoded.binding == Some(samlkit_parse::decode::Binding::HttpRedirect)
        && matches!(message, SamlMessage::Response(_))
    {
        report.add(
            Finding::new(
                samlkit_lint::Rule::ResponseOverRedirect,
                "this SAML Response travelled in a URL (HTTP-Redirect binding)",
            )
            .expected("HTTP-POST to the ACS URL")
            .actual("HTTP-Redirect"),
        );
    }
    Ok((report, decrypted_xml))
}

/// Explains a Response with encrypted parts: decrypts what the given keys can, verifies the
/// arrived and the decrypted document together, and lints the decrypted content. Returns the
/// report and the decrypted text (when anything was decrypted).
fn explain_encrypted(
    text: &str,
    doc: &roxmltree::Document<'_>,
    setup: &Setup,
    verify_options: &VerifyOptions,
) -> Result<(Report, Option<String>), String> {
    let decryption =
        decrypt_document(text, &setup.keys, &setup.limits).map_err(|e| e.to_string())?;
    let changed = decryption.text != text;
    let mut notes: Vec<Finding> = Vec::new();
    for element in &decryption.elements {
        match &element.result {
            Ok(done) => {
                notes.push(Finding::new(
                    Rule::AssertionDecrypted,
                    format!(
                        "the {} was encrypted ({}); decrypted with {}",
                        element.wrapper, done.description, done.key_label
                    ),
                ));
                for weak in done
                    .findings
                    .iter()
                    .filter(|f| f.severity >= VerifierSeverity::Warning)
                {
                    let mut finding = Finding::new(Rule::WeakEncryption, weak.message.clone());
                    if let Some(fix) = &weak.fix {
                        finding = finding.fix(fix.clone());
                    }
                    notes.push(finding);
                }
            }
            Err(failure) => {
                let mut finding = Finding::new(
                    Rule::EncryptedAssertionUnread,
                    format!(
                        "the {} could not be decrypted: {}",
                        element.wrapper, failure.message
                    ),
                );
                if let Some(fix) = &failure.fix {
                    finding = finding.fix(fix.clone());
                }
                finding.missing = failure.missing;
                // Spans point into the arrived text, which is what is shown when nothing
                // was decrypted.
                if !changed && element.round == 0 {
                    finding.location =
                        Some(samlkit_parse::xml::line_column(text, failure.span.start));
                    finding = finding.at(failure.span.start..failure.span.end);
                }
                notes.push(finding);
            }
        }
    }
    let mut report = if changed {
        let decrypted = parse_xml(&decryption.text, &setup.limits)
            .map_err(|e| format!("the decrypted document does not parse: {e}"))?;
        let message = read_message(&decrypted).map_err(|e| e.to_string())?;
        let response = message.expect_response().map_err(|e| e.to_string())?;
        let verification = verify_decrypted(doc, &decrypted, &setup.trust.store, verify_options);
        samlkit_lint::lint_response(response, &verification, &setup.options)
    } else {
        let message = read_message(doc).map_err(|e| e.to_string())?;
        let response = message.expect_response().map_err(|e| e.to_string())?;
        let verification = verify_document(doc, &setup.trust.store, verify_options);
        samlkit_lint::lint_response(response, &verification, &setup.options)
    };
    let unread = Rule::EncryptedAssertionUnread.code();
    if notes.iter().any(|f| f.code == unread) {
        // The decryption failures say more than the linter's generic note.
        report.findings.retain(|f| f.code != unread);
    }
    for note in notes {
        report.add(note);
    }
    Ok((report, changed.then_some(decryption.text)))
}

// ------------------------------------------------------------------ rendering

pub fn render(outcomes: &[Outcome], format: ReportFormat, redact: bool) {
    let redactor = redact.then(|| redactor_for(outcomes));
    match format {
        ReportFormat::Text => {
            for (index, outcome) in outcomes.iter().enumerate() {
                if index > 0 {
                    println!();
                }
                match outcome {
                    Outcome::Report(explained) => {
                        print!("{}", render_text(explained, redactor.as_ref()))
                    }
                    Outcome::Error { label, message } => print_error(label, message),
                }
            }
        }
        ReportFormat::Json => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for outcome in outcomes {
                // Without redaction, `run` streams the lines instead (`stream`).
                let mut value = json_value(outcome);
                if let Some(redactor) = &redactor {
                    redact_json(&mut value, redactor);
                }
                let _ = writeln!(out, "{value}");
                if let Outcome::Error { label, message } = outcome {
                    let _ = out.flush();
                    print_error(label, message);
                }
            }
            let _ = out.flush();
        }
        ReportFormat::Sarif => {
            let transform = |text: &str| match &redactor {
                Some(redactor) => redactor.apply(text),
                None => text.to_string(),
            };
            let mut value = crate::sarif::sarif(outcomes, &transform);
            if let Some(redactor) = &redactor {
                redact_json(&mut value, redactor);
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
            for outcome in outcomes {
                if let Outcome::Error { label, message } = outcome {
                    print_error(label, message);
                }
            }
        }
    }
}

fn redactor_for(outcomes: &[Outcome]) -> Redactor {
    let mut values = Vec::new();
    for outcome in outcomes {
        if let Outcome::Report(explained) = outcome {
            let report = &explained.report;
            if let Some(name_id) = report.subject.as_ref().and_then(|s| s.name_id.clone()) {
                values.push(name_id);
            }
            for attribute in &report.attributes {
                values.extend(attribute.values.iter().cloned());
            }
        }
    }
    Redactor::new(values)
}

fn redact_json(value: &mut serde_json::Value, redactor: &Redactor) {
    match value {
        serde_json::Value::String(text) => *text = redactor.apply(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| redact_json(v, redactor)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| redact_json(v, redactor)),
        _ => {}
    }
}

/// One line of JSON Lines output for a report.
fn json_line(source: &str, report: &Report) -> Vec<u8> {
    crate::json_lines::line(source, report)
}

/// The JSON object of one message (one line of JSON Lines output).
pub fn json_value(outcome: &Outcome) -> serde_json::Value {
    match outcome {
        Outcome::Error { label, message } => crate::json_lines::error_value(label, message),
        Outcome::Report(explained) => {
            crate::json_lines::report_value(&explained.label, &explained.report)
        }
    }
}

pub fn severity_label(severity: Severity) -> colored::ColoredString {
    match severity {
        Severity::Error => "error".red().bold(),
        Severity::Warning => "warning".yellow().bold(),
        Severity::Info => "note".cyan().bold(),
    }
}

pub fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

pub fn render_text(explained: &Explained, redactor: Option<&Redactor>) -> String {
    let clean = |text: &str| match redactor {
        Some(r) => r.apply(text),
        None => text.to_string(),
    };
    let report = &explained.report;
    let mut out = String::new();
    let what = match report.facts.kind.as_str() {
        "authn-request" => "AuthnRequest",
        _ => "Response",
    };
    let idp = match report.idp {
        samlkit_lint::idp::Idp::Generic => String::new(),
        idp => format!(" from {}", idp.name()),
    };
    let _ = writeln!(
        out,
        "{} {} — {what}{idp}, profile {}",
        "==>".cyan().bold(),
        explained.label.bold(),
        report.profile
    );
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let verdict = match (report.verdict, what) {
        (Verdict::Fail, "Response") => format!(
            "✗ Sign-in will fail: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
        .red()
        .bold(),
        (Verdict::Fail, _) => format!(
            "✗ The request will be refused: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
        .red()
        .bold(),
        (Verdict::Pass, _) if warnings > 0 => {
            format!("✓ No errors ({})", plural(warnings, "warning"))
                .green()
                .bold()
        }
        (Verdict::Pass, _) => "✓ No problems found".green().bold(),
    };
    let _ = writeln!(out, "{verdict}");
    for finding in &report.findings {
        out.push('\n');
        let snip = finding
            .span
            .as_ref()
            .map(|span| snippet_with(&explained.xml, span, &clean));
        render_finding(&mut out, finding, &explained.label, snip, &clean);
    }
    out.push('\n');
    render_summary(&mut out, report, &clean);
    out
}

/// One finding, rustc-style: `severity[code]: message`, the place in the decoded XML with its
/// snippet, then expected / found / fix. Shared by every command that reports findings.
pub fn render_finding(
    out: &mut String,
    finding: &Finding,
    label: &str,
    snip: Option<Snippet>,
    clean: &dyn Fn(&str) -> String,
) {
    let _ = writeln!(
        out,
        "{}{}: {}",
        severity_label(finding.severity),
        format!("[{}]", finding.code).bold(),
        clean(&finding.message)
    );
    if let Some(snip) = snip {
        let gutter = snip.line_number.to_string().len();
        let _ = writeln!(
            out,
            "{:gutter$}{} {} (decoded XML) line {}, column {}",
            "",
            "-->".blue().bold(),
            label,
            snip.line_number,
            snip.column
        );
        let bar = "|".blue().bold();
        let _ = writeln!(out, "{:gutter$} {bar}", "");
        let _ = writeln!(
            out,
            "{} {bar} {}",
            snip.line_number.to_string().blue().bold(),
            clean(&snip.text)
        );
        let _ = writeln!(out, "{:gutter$} {bar} {}", "", snip.marker.red().bold());
    }
    for (label, value) in [
        ("expected", &finding.expected),
        ("found", &finding.actual),
        ("fix", &finding.fix),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "  {} {label}: {}", "=".blue().bold(), clean(value));
        }
    }
}

fn render_summary(out: &mut String, report: &Report, clean: &dyn Fn(&str) -> String) {
    let facts = &report.facts;
    let mut line = |name: &str, value: String| {
        let _ = writeln!(out, "  {:<11} {}", name.dimmed(), value);
    };
    if let Some(subject) = &report.subject {
        let verified = if subject.verified {
            "signature verified".green().to_string()
        } else {
            "NOT covered by a verified signature".red().to_string()
        };
        line(
            "Who",
            format!(
                "{} ({}) — {verified}",
                clean(subject.name_id.as_deref().unwrap_or("(no NameID)")),
                subject
                    .format
                    .as_deref()
                    .map(|f| f.rsplit(':').next().unwrap_or(f))
                    .unwrap_or("no format")
            ),
        );
    }
    if let Some(issuer) = &facts.issuer {
        line("Issuer", issuer.clone());
    }
    if !facts.audiences.is_empty() {
        line("Audience", facts.audiences.join(", "));
    }
    if let Some(recipient) = &facts.recipient {
        line("Recipient", recipient.clone());
    } else if let Some(destination) = &facts.destination {
        line("Destination", destination.clone());
    }
    if facts.not_before.is_some() || facts.not_on_or_after.is_some() {
        line(
            "Valid",
            format!(
                "{} → {}",
                facts.not_before.as_deref().unwrap_or("?"),
                facts.not_on_or_after.as_deref().unwrap_or("?")
            ),
        );
    }
    if let Some(status) = &facts.status {
        line("Status", status.clone());
    }
    if !report.attributes.is_empty() {
        let names: Vec<&str> = report.attributes.iter().map(|a| a.name.as_str()).collect();
        let shown = if names.len() > 6 {
            format!("{}, … ({} in all)", names[..6].join(", "), names.len())
        } else {
            names.join(", ")
        };
        line("Claims", shown);
    }
    for signature in &report.signature.signatures {
        let mut text = format!(
            "{}: {}",
            signature.on.as_deref().unwrap_or("?"),
            if signature.outcome == "verified" {
                "verified".green().to_string()
            } else {
                format!(
                    "failed at {}",
                    signature.stage.as_deref().unwrap_or("an unknown stage")
                )
                .red()
                .to_string()
            }
        );
        if let Some(algorithm) = &signature.algorithm {
            let _ = write!(text, " ({algorithm})");
        }
        if let Some(key) = &signature.verified_by {
            let _ = write!(text, " by {key}");
        }
        line("Signature", text);
    }
}
