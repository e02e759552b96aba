//! `samlkit diff A B`: what changed between a sign-in that works (A) and one that fails (B),
//! by meaning rather than text (`samlkit_lint::diff`), and which change explains each finding
//! B has that A lacks. Also compares two metadata documents (keys added or removed,
//! endpoints changed).

use std::fmt::Write as _;

use colored::Colorize;
use samlkit_lint::diff::{ChangeKind, DiffReport};
use samlkit_lint::explain::Setup;
use samlkit_parse::decode::{decode_input, DecodedMessage};

use crate::cli::{DiffArgs, InputArgs, ReportFormat};
use crate::config::Config;
use crate::exit;
use crate::explain::{setup_from, SetupFlags};
use crate::redact::Redactor;
use crate::style::print_error;

pub fn run(args: &DiffArgs) -> u8 {
    let config = match Config::load(args.sp.config.as_deref()) {
        Ok(config) => config,
        Err(message) => {
            print_error("config", &message);
            return exit::BAD_INPUT;
        }
    };
    let flags = SetupFlags::from_sp(&args.trust, &args.sp_key, &args.sp);
    let setup = match setup_from(&flags, &config) {
        Ok(setup) => setup,
        Err(message) => {
            print_error("setup", &message);
            return exit::BAD_INPUT;
        }
    };
    let (a, b) = match pick_messages(args, &setup) {
        Ok(pair) => pair,
        Err((label, message)) => {
            print_error(&label, &message);
            return exit::BAD_INPUT;
        }
    };
    let diff = match compare(&a, &b, &setup) {
        Ok(diff) => diff,
        Err(message) => {
            print_error("diff", &message);
            return exit::BAD_INPUT;
        }
    };
    let redactor = args.redact.then(|| redactor_for(&diff));
    match args.format {
        ReportFormat::Json | ReportFormat::Sarif => {
            let mut value = serde_json::json!({ "a": a.0, "b": b.0, "diff": diff });
            if let Some(redactor) = &redactor {
                crate::explain::redact_json(&mut value, redactor);
            }
            println!("{value}");
        }
        ReportFormat::Text => {
            println!("A: {}\nB: {}", a.0.bold(), b.0.bold());
            print!("{}", render_text(&diff, redactor.as_ref()));
        }
    }
    if diff.changes.is_empty() && diff.new_findings.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    }
}

type Labelled = (String, DecodedMessage);

/// The two messages: the first of each input, or messages N and M of one input (`--pick`).
fn pick_messages(args: &DiffArgs, setup: &Setup) -> Result<(Labelled, Labelled), (String, String)> {
    let load = |source: &str| -> Result<Vec<Labelled>, (String, String)> {
        let input = InputArgs {
            inputs: vec![source.to_string()],
            input_format: None,
            expect: None,
            sp_key: Vec::new(),
        };
        crate::input::load_source(source, &input, &setup.limits)
            .into_iter()
            .map(|item| match item {
                Ok(loaded) => Ok((loaded.label, loaded.decoded)),
                Err(failure) => Err((failure.label, failure.message)),
            })
            .collect()
    };
    match (&args.b, &args.pick) {
        (None, Some(pick)) => {
            let (n, m) = parse_pick(pick).map_err(|e| ("--pick".to_string(), e))?;
            let mut messages = load(&args.a)?;
            let count = messages.len();
            let out_of_range = |i: usize| {
                (
                    args.a.clone(),
                    format!("--pick {i}: the input holds {count} message(s)"),
                )
            };
            if n > count {
                return Err(out_of_range(n));
            }
            if m > count {
                return Err(out_of_range(m));
            }
            let b = messages[m - 1].clone();
            Ok((messages.swap_remove(n - 1), b))
        }
        (Some(b), None) => {
            let first = |source: &str| {
                load(source)?.into_iter().next().ok_or_else(|| {
                    (
                        source.to_string(),
                        "no SAML message in this input".to_string(),
                    )
                })
            };
            Ok((first(&args.a)?, first(b)?))
        }
        (Some(_), Some(_)) => Err((
            "--pick".into(),
            "give either two inputs, or one input with --pick N,M".into(),
        )),
        (None, None) => Err((
            "diff".into(),
            "give two inputs (A that works, B that fails), or one with --pick N,M".into(),
        )),
    }
}

/// `N,M`: two 1-based message numbers.
fn parse_pick(text: &str) -> Result<(usize, usize), String> {
    let bad = || format!("expected two message numbers like 2,5; got '{text}'");
    let (n, m) = text.split_once(',').ok_or_else(bad)?;
    let number = |s: &str| s.trim().parse::<usize>().ok().filter(|&n| n >= 1);
    Ok((number(n).ok_or_else(bad)?, number(m).ok_or_else(bad)?))
}

fn compare(a: &Labelled, b: &Labelled, setup: &Setup) -> Result<DiffReport, String> {
    samlkit_lint::diff::diff_messages(&a.1, &b.1, setup.options.now, Some(setup)).map_err(
        |(side, err)| {
            let label = if side == 'A' { &a.0 } else { &b.0 };
            format!("{label}: {}", crate::explain::explain_error_text(&err))
        },
    )
}

/// Compares the first message of each of two pasted inputs (the page's diff view).
pub fn compare_texts(
    a: (&str, &[u8]),
    b: (&str, &[u8]),
    setup: &Setup,
) -> Result<DiffReport, String> {
    let first = |(label, bytes): (&str, &[u8])| -> Result<Labelled, String> {
        let messages =
            decode_input(bytes, None, &setup.limits).map_err(|e| format!("{label}: {e}"))?;
        let decoded = messages
            .into_iter()
            .next()
            .ok_or_else(|| format!("{label}: no SAML message found"))?;
        Ok((label.to_string(), decoded))
    };
    compare(&first(a)?, &first(b)?, setup)
}

/// Redaction covers the values of attributes and NameIDs on both sides.
fn redactor_for(diff: &DiffReport) -> Redactor {
    let values = diff
        .changes
        .iter()
        .filter(|c| c.aspect == "attribute" || c.aspect == "nameid")
        .flat_map(|c| c.a.iter().chain(c.b.iter()))
        .flat_map(|v| v.split(", ").map(str::to_string).collect::<Vec<_>>());
    Redactor::new(values)
}

pub fn render_text(diff: &DiffReport, redactor: Option<&Redactor>) -> String {
    let clean = |text: &str| match redactor {
        Some(r) => r.apply(text),
        None => text.to_string(),
    };
    let mut out = String::new();
    let verdict = |v: Option<samlkit_lint::Verdict>| {
        v.map(|v| {
            format!(
                ", verdict {}",
                serde_json::to_value(v)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or("?")
            )
        })
        .unwrap_or_default()
    };
    let _ = writeln!(
        out,
        "A is a {}{}; B is a {}{}",
        diff.kind_a,
        verdict(diff.verdict_a),
        diff.kind_b,
        verdict(diff.verdict_b)
    );
    if diff.changes.is_empty() {
        let _ = writeln!(
            out,
            "No difference in meaning (IDs, instants and signature values aside)."
        );
    } else {
        let _ = writeln!(
            out,
            "\n{}",
            format!("{} difference(s):", diff.changes.len()).bold()
        );
    }
    for change in &diff.changes {
        let mark = match change.kind {
            ChangeKind::Added => "+".green(),
            ChangeKind::Removed => "-".red(),
            ChangeKind::Changed => "~".yellow(),
        };
        let _ = writeln!(
            out,
            "  {mark} [{}] {}",
            change.aspect,
            clean(&change.summary)
        );
    }
    if !diff.new_findings.is_empty() {
        let _ = writeln!(out, "\n{}", "What B has that A lacks, and why:".bold());
        for caused in &diff.new_findings {
            let _ = writeln!(
                out,
                "  {}[{}]: {}",
                crate::explain::severity_label(caused.finding.severity),
                caused.finding.code,
                clean(&caused.because)
            );
        }
    }
    if !diff.resolved_findings.is_empty() {
        let _ = writeln!(
            out,
            "\nFindings of A that B no longer has: {}",
            diff.resolved_findings
                .iter()
                .map(|code| code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}
