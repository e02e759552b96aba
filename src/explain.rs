//! `samlkit explain`: read each input, hand every message to the library's pipeline
//! (`samlkit_lint::explain`: parse, decrypt, verify, lint, binding checks), judge replay across
//! the run in input order, then say in plain words what is wrong, where, what was expected,
//! what was found, and what to change.

use std::fmt::Write as _;
use std::io::Write as _;

use colored::Colorize;
use samlkit_lint::explain::{ContentFingerprint, ExplainError, ReplayInput, ReplayTracker, Setup};
use samlkit_lint::{
    ClockSource, Finding, LintOptions, Profile, ProfileSource, Report, Severity, Verdict,
};
use samlkit_parse::time::Instant;

use crate::cli::{ExplainArgs, ReportFormat, SpArgs, TrustArgs};
use crate::config::Config;
use crate::exit;
use crate::flag_hints::HintStyle;
use crate::input::{self, LoadedMessage};
use crate::redact::Redactor;
use crate::snippet::{snippet_with, Snippet};
use crate::style::print_error;

/// What explain concluded about one input message.
pub enum Outcome {
    Report(Box<Explained>),
    Error { label: String, message: String },
}

pub struct Explained {
    pub label: String,
    /// The input (file, `-`) the message was read from: replay is judged within a capture.
    pub capture: String,
    /// The decoded XML the findings' locations point into.
    pub xml: String,
    /// What replay compares across inputs, taken while the message is explained; None in a
    /// run of one input, where it is never compared (taking the first one costs OpenSSL a
    /// millisecond of set-up).
    pub fingerprint: Option<ContentFingerprint>,
    pub report: Report,
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match self {
            // Unverified is not a pass: CI must not go green on claims nobody verified.
            Outcome::Report(explained)
                if matches!(
                    explained.report.verdict,
                    Verdict::Fail | Verdict::Unverified
                ) =>
            {
                exit::PROBLEMS
            }
            Outcome::Report(_) => exit::OK,
            Outcome::Error { .. } => exit::BAD_INPUT,
        }
    }
}

/// The flags that shape the setup; each one that is given wins over the config file.
#[derive(Default)]
pub struct SetupFlags<'a> {
    pub trust: Option<&'a crate::cli::TrustArgs>,
    pub sp_keys: &'a [std::path::PathBuf],
    pub expect: Option<crate::cli::ExpectedKind>,
    pub sp_entity_id: Option<&'a str>,
    pub acs_url: Option<&'a str>,
    pub request_id: Option<&'a str>,
    pub profile: Option<&'a str>,
    pub user_id_attribute: Option<&'a str>,
    pub idp: Option<&'a str>,
    pub profile_file: Option<&'a std::path::Path>,
    pub now: Option<Instant>,
    pub clock_skew: Option<i64>,
}

impl<'a> SetupFlags<'a> {
    pub fn of(args: &'a ExplainArgs) -> SetupFlags<'a> {
        SetupFlags {
            expect: args.input.expect,
            ..SetupFlags::from_sp(&args.trust, &args.input.sp_key, &args.sp)
        }
    }

    /// The flags every command that explains shares: trust, the SP's keys and settings.
    pub fn from_sp(
        trust: &'a TrustArgs,
        sp_keys: &'a [std::path::PathBuf],
        sp: &'a SpArgs,
    ) -> SetupFlags<'a> {
        SetupFlags {
            trust: Some(trust),
            sp_keys,
            expect: None,
            sp_entity_id: sp.sp_entity_id.as_deref(),
            acs_url: sp.acs_url.as_deref(),
            request_id: sp.request_id.as_deref(),
            profile: sp.profile.as_deref(),
            user_id_attribute: sp.user_id_attribute.as_deref(),
            idp: sp.idp.as_deref(),
            profile_file: sp.profile_file.as_deref(),
            now: sp.now,
            clock_skew: sp.clock_skew,
        }
    }
}

/// Everything explain needs besides the inputs, from the flags and the config file.
pub fn setup_from(flags: &SetupFlags<'_>, config: &Config) -> Result<Setup, String> {
    let no_trust_flags = crate::cli::TrustArgs::default();
    let trust = crate::trust::load(flags.trust.unwrap_or(&no_trust_flags), config)?;
    let (now, clock_source) = match (flags.now, &config.check.now) {
        (Some(now), _) => (now, ClockSource::Flag),
        (None, Some(text)) => (
            Instant::parse(text).map_err(|e| format!("samlkit.toml: now: {e}"))?,
            ClockSource::Config,
        ),
        (None, None) => (crate::inspect::system_now(), ClockSource::System),
    };
    let flag_or = |flag: Option<&str>, setting: &Option<String>| {
        flag.map(str::to_string).or_else(|| setting.clone())
    };
    let (profile_file, file_source) = match (flags.profile_file, &config.sp.profile_file) {
        (Some(path), _) => (Some(path.to_path_buf()), ProfileSource::Flag),
        (None, Some(path)) => (Some(config.resolve(path)), ProfileSource::Config),
        (None, None) => (None, ProfileSource::Default),
    };
    let (profile_name, name_source) = match (flags.profile, &config.sp.profile) {
        (Some(name), _) => (name.to_string(), ProfileSource::Flag),
        (None, Some(name)) => (name.clone(), ProfileSource::Config),
        (None, None) => ("generic".to_string(), ProfileSource::Default),
    };
    let mut options = LintOptions::new(now);
    // A profile file, when given, is the profile; otherwise the name (flag, setting, generic).
    let profile_source = if profile_file.is_some() {
        file_source
    } else {
        name_source
    };
    options.profile = match profile_file {
        Some(path) => load_profile_file(&path)?,
        None => parse_profile(&profile_name)?,
    };
    options.sp_entity_id = flag_or(flags.sp_entity_id, &config.sp.entity_id);
    options.acs_url = flag_or(flags.acs_url, &config.sp.acs_url);
    options.request_id = flag_or(flags.request_id, &config.check.request_id);
    options.user_id_attribute = flag_or(flags.user_id_attribute, &config.sp.user_id_attribute);
    options.expected_name_id_format = config.sp.name_id_format.clone();
    if let Some(name) = flag_or(flags.idp, &config.idp.name) {
        options.idp = Some(parse_idp(&name)?);
    }
    if let Some(skew) = flags.clock_skew.or(config.check.clock_skew) {
        if skew < 0 {
            return Err(format!("--clock-skew must not be negative (got {skew})"));
        }
        options.clock_skew_seconds = skew;
    }
    options.idp_entity_id = trust.idp_entity_id.clone();
    options.idp_endpoints = trust.idp_endpoints.clone();
    let key_files: Vec<std::path::PathBuf> = if flags.sp_keys.is_empty() {
        config.sp.keys.iter().map(|p| config.resolve(p)).collect()
    } else {
        flags.sp_keys.to_vec()
    };
    let mut setup = Setup::new(trust.store, options);
    setup.profile_source = profile_source;
    setup.clock_source = clock_source;
    setup.keys = crate::input::load_keys(&key_files)?;
    setup.expect = flags.expect.map(Into::into);
    Ok(setup)
}

/// A profile file (`--profile-file`, `[sp] profile_file`).
fn load_profile_file(path: &std::path::Path) -> Result<Profile, String> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{label}: cannot read the profile file: {e}"))?;
    Profile::from_file(&label, &text).map_err(|e| format!("{label}: {}", e.message))
}

/// The identity provider named by `--idp` or `[idp] name`.
pub fn parse_idp(name: &str) -> Result<samlkit_lint::idp::Idp, String> {
    samlkit_lint::idp::Idp::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = samlkit_lint::idp::Idp::all()
            .iter()
            .map(|i| i.id())
            .collect();
        format!(
            "unknown identity provider '{name}' (--idp); one of: {}",
            names.join(", ")
        )
    })
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
    let config = match Config::load(args.sp.config.as_deref()) {
        Ok(config) => config,
        Err(message) => {
            print_error("config", &message);
            return exit::BAD_INPUT;
        }
    };
    let setup = match setup_from(&SetupFlags::of(args), &config) {
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
    let outcomes = explain_inputs(&args.input, &setup, HintStyle::Flags);
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
    // Not `stdout().lock()`: whichever worker is next in order writes. A JSON report is ~4 KB:
    // a 64 KiB buffer writes a batch in a sixteenth of the calls an 8 KiB one needs.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
    let mut code = exit::OK;
    let mut written = 0usize;
    let mut counts = Vec::new();
    explain_each(input, setup, HintStyle::Flags, &mut |outcome| {
        code = code.max(outcome.exit_code());
        counts.push(outcome.batch_count());
        if rendering == Rendering::Text && written > 0 {
            let _ = writeln!(out);
        }
        written += 1;
        match &outcome {
            Outcome::Report(explained) => {
                let _ = out.write_all(&rendering.render(explained));
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
        Some(outcome)
    });
    if rendering == Rendering::Text {
        if let Some(summary) = batch_summary(counts) {
            let _ = writeln!(out, "\n{}", summary.bold());
        }
    }
    let _ = out.flush();
    code
}

/// Explains every message of every input, noting assertion IDs seen twice (replay).
/// `hints` says how a missing input is given: `explain`'s flags, `check`'s settings.
pub fn explain_inputs(
    input: &crate::cli::InputArgs,
    setup: &Setup,
    hints: HintStyle,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    explain_each(input, setup, hints, &mut |outcome| {
        outcomes.push(outcome);
        None
    });
    outcomes
}

/// How a streamed report is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rendering {
    /// One JSON line per report.
    JsonLines,
    /// The text report (snippets of the XML included).
    Text,
}

impl Rendering {
    fn render(self, explained: &Explained) -> Vec<u8> {
        match self {
            Rendering::JsonLines => json_line(&explained.label, &explained.report),
            Rendering::Text => render_text(explained, None).into_bytes(),
        }
    }
}

/// Inputs handled per worker thread before many inputs are worth spreading over cores.
const INPUTS_PER_THREAD: usize = 32;

/// Reads, decodes and explains each input and hands every outcome to `emit` in input order,
/// after the replay tracker has judged it. Many inputs (a CI batch, a benchmark) are spread
/// over the machine's cores, each worker taking whole inputs (reading, decoding, explaining);
/// outcomes are judged for replay and emitted as soon as every input before them is done.
/// `emit` hands back the outcomes it does not keep, to be freed by the worker that made them.
fn explain_each(
    input: &crate::cli::InputArgs,
    setup: &Setup,
    hints: HintStyle,
    emit: &mut (dyn FnMut(Outcome) -> Option<Outcome> + Send),
) {
    let sources = input::sources(input);
    let compared = sources.len() > 1;
    let explain_source = |source: &str| -> Vec<Outcome> {
        input::load_source(source, input, &setup.limits)
            .into_iter()
            .map(|item| match item {
                Err(failure) => Outcome::Error {
                    label: failure.label,
                    message: failure.message,
                },
                Ok(loaded) => {
                    let mut outcome = explain_one(loaded, setup, hints, compared);
                    if let Outcome::Report(explained) = &mut outcome {
                        explained.capture = source.to_string();
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
    let mut replay = ReplayTracker::new();
    if threads <= 1 {
        for source in &sources {
            for mut outcome in explain_source(source) {
                judge_replay(&mut replay, &mut outcome);
                drop(emit(outcome));
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
        emitted: (0..threads).map(|_| Vec::new()).collect(),
    });
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for worker in 0..threads {
            let (in_order, next, sources) = (&in_order, &next, &sources);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(source) = sources.get(index) else {
                    break;
                };
                let outcomes = explain_source(source);
                let mut state = in_order
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                state.waiting.insert(index, (worker, outcomes));
                state.emit_ready();
                let emitted = std::mem::take(&mut state.emitted[worker]);
                drop(state);
                // Freed here, outside the lock, by the thread whose allocator holds them: a
                // report freed by another thread costs its allocator a slower path per block.
                drop(emitted);
            });
        }
        // A worker that panics ends the scope by re-raising its panic.
    });
}

/// Outcomes finished ahead of an input still being worked on, and where emitting stands.
struct InOrder<'e> {
    /// Input index → the worker that explained it and its outcomes.
    waiting: std::collections::BTreeMap<usize, (usize, Vec<Outcome>)>,
    next_out: usize,
    replay: ReplayTracker,
    emit: &'e mut (dyn FnMut(Outcome) -> Option<Outcome> + Send),
    /// Per worker: emitted outcomes handed back, for that worker to free.
    emitted: Vec<Vec<Outcome>>,
}

impl InOrder<'_> {
    fn emit_ready(&mut self) {
        while let Some((worker, outcomes)) = self.waiting.remove(&self.next_out) {
            for mut outcome in outcomes {
                judge_replay(&mut self.replay, &mut outcome);
                if let Some(done) = (self.emit)(outcome) {
                    self.emitted[worker].push(done);
                }
            }
            self.next_out += 1;
        }
    }
}

/// Replay is judged across the run's messages, in input order, before anything is rendered.
pub fn judge_replay(replay: &mut ReplayTracker, outcome: &mut Outcome) {
    if let Outcome::Report(explained) = outcome {
        let input = ReplayInput {
            label: &explained.label,
            capture: &explained.capture,
            content: explained.fingerprint,
        };
        replay.judge(&input, &mut explained.report);
    }
}

/// `compared`: whether replay may compare this message's content with another input's.
pub fn explain_one(
    loaded: LoadedMessage,
    setup: &Setup,
    hints: HintStyle,
    compared: bool,
) -> Outcome {
    match samlkit_lint::explain(&loaded.decoded, setup) {
        Ok(mut explained) => {
            hints.add_hints(&mut explained.report.findings);
            let xml = explained.decrypted_xml.unwrap_or(loaded.decoded.xml);
            Outcome::Report(Box::new(Explained {
                capture: loaded.label.clone(),
                label: loaded.label,
                fingerprint: compared.then(|| ContentFingerprint::of(&xml)),
                xml,
                report: explained.report,
            }))
        }
        Err(err) => Outcome::Error {
            label: loaded.label,
            message: explain_error_text(&err),
        },
    }
}

/// The library's reason, with the command to use when the message is metadata.
pub fn explain_error_text(err: &ExplainError) -> String {
    match err {
        ExplainError::Metadata(_) => format!("{err}; lint metadata with `samlkit metadata`"),
        ExplainError::Unreadable(samlkit_parse::InputError::WrongKind { found, .. })
            if found.contains("Assertion") =>
        {
            format!(
                "{err}: `samlkit verify` checks its signature and `samlkit inspect` shows it; \
                 explain judges the whole Response the browser posts to the service provider \
                 (copy the SAMLResponse from the browser's network panel or SAML-tracer)"
            )
        }
        _ => err.to_string(),
    }
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
            if let Some(summary) = batch_summary(outcomes.iter().map(Outcome::batch_count)) {
                println!("\n{}", summary.bold());
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

pub fn redactor_for(outcomes: &[Outcome]) -> Redactor {
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

pub fn redact_json(value: &mut serde_json::Value, redactor: &Redactor) {
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
    let is_request = report.facts.kind == "authn-request";
    let what = if is_request {
        "AuthnRequest"
    } else {
        "Response"
    };
    // A request goes to the IdP; a response comes from it.
    let idp = match report.idp {
        samlkit_lint::idp::Idp::GENERIC => String::new(),
        idp if is_request => format!(" to {}", idp.name()),
        idp => format!(" from {}", idp.name()),
    };
    let _ = writeln!(
        out,
        "{} {} — {what}{idp}, {}",
        "==>".cyan().bold(),
        explained.label.bold(),
        profile_phrase(report)
    );
    let _ = writeln!(out, "    {}", judged_at_phrase(report).dimmed());
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let verdict = match report.verdict {
        Verdict::Fail if !is_request => format!(
            "✗ Sign-in will fail: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
        .red()
        .bold(),
        Verdict::Fail => format!(
            "✗ The request will be refused: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
        .red()
        .bold(),
        Verdict::Unverified => format!(
            "⚠ Not verified — no trusted IdP key was given, so the signature could not be \
             checked; give the IdP's certificate with --idp-cert FILE, its federation metadata \
             with --idp-metadata FILE, or --idp-fingerprint SHA256. The claims below were \
             checked but are unverified{}",
            // The missing-trust warning is the headline itself; count the others.
            match warnings.saturating_sub(1) {
                0 => String::new(),
                others => format!(" ({})", plural(others, "other warning")),
            }
        )
        .yellow()
        .bold(),
        Verdict::Pass if warnings > 0 => format!("✓ No errors ({})", plural(warnings, "warning"))
            .green()
            .bold(),
        Verdict::Pass => "✓ No problems found".green().bold(),
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
            "{:gutter$}{} {} line {}, column {} (of the XML as `samlkit decode --raw` prints it)",
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
        ("expected", finding.expected.as_deref()),
        ("found", finding.actual.as_deref()),
        ("fix", finding.fix.as_deref()),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "  {} {label}: {}", "=".blue().bold(), clean(value));
        }
    }
}

/// "profile amazon-q-business, detected from the Audience; --profile generic to turn off".
pub fn profile_phrase(report: &Report) -> String {
    match (report.profile_source, &report.profile_detected) {
        (ProfileSource::Detected, Some(detected)) => format!(
            "profile {}, detected from {} ({}); --profile generic to turn off",
            report.profile,
            detected.field.label(),
            detected.value
        ),
        (ProfileSource::Flag, _) => format!("profile {} (--profile)", report.profile),
        (ProfileSource::Config, _) => format!("profile {} (samlkit.toml)", report.profile),
        _ => format!(
            "profile {} (no service provider recognised; --profile NAME to choose one)",
            report.profile
        ),
    }
}

/// Which instant the validity windows were judged at, and why that one.
pub fn judged_at_phrase(report: &Report) -> String {
    let why = match report.judged_at_source {
        ClockSource::Flag => "--now",
        ClockSource::Config => "samlkit.toml",
        ClockSource::System => "this computer's clock",
        ClockSource::Capture => "when the browser captured it; --now to judge at another instant",
        ClockSource::IssueInstant => {
            "its IssueInstant, as it is an old capture; --now to judge at another instant"
        }
    };
    format!("judged at {} ({why})", report.judged_at)
}

/// "7 inputs: 5 pass, 1 fail, 1 unverified" after a batch.
pub fn batch_summary(outcomes: impl IntoIterator<Item = BatchCount>) -> Option<String> {
    let (mut inputs, mut pass, mut fail, mut unverified, mut error) = (0, 0, 0, 0, 0);
    for outcome in outcomes {
        inputs += 1;
        match outcome {
            BatchCount::Verdict(Verdict::Pass) => pass += 1,
            BatchCount::Verdict(Verdict::Fail) => fail += 1,
            BatchCount::Verdict(Verdict::Unverified) => unverified += 1,
            BatchCount::Error => error += 1,
        }
    }
    if inputs < 2 {
        return None;
    }
    let mut parts = vec![format!("{pass} pass"), format!("{fail} fail")];
    if unverified > 0 {
        parts.push(format!("{unverified} unverified"));
    }
    if error > 0 {
        parts.push(format!("{error} unreadable"));
    }
    Some(format!("{inputs} inputs: {}", parts.join(", ")))
}

/// What one outcome counts as in the batch summary.
#[derive(Clone, Copy)]
pub enum BatchCount {
    Verdict(Verdict),
    Error,
}

impl Outcome {
    pub fn batch_count(&self) -> BatchCount {
        match self {
            Outcome::Report(explained) => BatchCount::Verdict(explained.report.verdict),
            Outcome::Error { .. } => BatchCount::Error,
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
        } else if report.verdict == Verdict::Unverified {
            "unverified (no trusted IdP key given)".yellow().to_string()
        } else {
            "NOT covered by a verified signature".red().to_string()
        };
        line(
            "Who",
            format!(
                "{} ({}) — {verified}",
                subject.name_id.as_deref().map_or_else(
                    || "(no NameID)".to_string(),
                    |n| clean(&samlkit_lint::values::visible(n))
                ),
                subject
                    .format
                    .as_deref()
                    .map(samlkit_lint::uri::short_uri)
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
