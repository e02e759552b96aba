//! `samlkit verify`: the outcome of every signature, and which SAML elements a verified
//! signature covers. Exit 0 verified, 1 not verified, 2 bad input.

use std::fmt::Write as _;

use colored::Colorize;
use samlkit_lint::explain::{open_message, verify_binding_signature};
use samlkit_parse::{xml, Limits};
use samlkit_verify::dsig::VerifyOptions;
use samlkit_verify::report::{
    Severity, SignatureOutcome, SignatureReport, Verdict, VerificationReport,
};
use samlkit_verify::xmlenc::DecryptionKeys;
use serde_json::json;

use crate::cli::{OutputFormat, VerifyArgs};
use crate::config::Config;
use crate::exit;
use crate::input::{self, LoadedMessage};
use crate::style::print_error;

pub fn run(args: &VerifyArgs) -> u8 {
    let limits = Limits::default();
    let keys = match input::load_keys(&args.input.sp_key) {
        Ok(keys) => keys,
        Err(message) => {
            print_error("--sp-key", &message);
            return exit::BAD_INPUT;
        }
    };
    let trust = match crate::trust::load(&args.trust, &Config::default()) {
        Ok(trust) => trust,
        Err(message) => {
            print_error("trust", &message);
            return exit::BAD_INPUT;
        }
    };
    if args.cross_check && !cfg!(feature = "xmlsec") {
        print_error(
            "--cross-check",
            "this samlkit was built without the `xmlsec` feature; rebuild with \
             `cargo build --release --features xmlsec` (needs libxmlsec1-dev and libclang-dev)",
        );
        return exit::BAD_INPUT;
    }
    let now = args.now.unwrap_or_else(crate::inspect::system_now);
    let options = VerifyOptions {
        now: now.unix_seconds(),
    };
    let mut code = exit::OK;
    for (index, loaded) in input::load_all(&args.input, &limits)
        .into_iter()
        .enumerate()
    {
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(failure) => {
                report_error(args.format, &failure.label, &failure.message);
                code = code.max(exit::BAD_INPUT);
                continue;
            }
        };
        match verify_one(&loaded, args, &trust.store, &options, &keys, &limits) {
            Ok((verified, rendered)) => {
                if args.format == OutputFormat::Text && index > 0 {
                    println!();
                }
                print!("{rendered}");
                if !verified {
                    code = code.max(exit::PROBLEMS);
                }
            }
            Err(message) => {
                report_error(args.format, &loaded.label, &message);
                code = code.max(exit::BAD_INPUT);
            }
        }
    }
    code
}

fn report_error(format: OutputFormat, label: &str, message: &str) {
    if format == OutputFormat::Json {
        println!("{}", json!({ "source": label, "error": message }));
    }
    print_error(label, message);
}

/// Returns whether the message is verified, and its rendering.
fn verify_one(
    loaded: &LoadedMessage,
    args: &VerifyArgs,
    trust: &samlkit_verify::trust::TrustStore,
    options: &VerifyOptions,
    keys: &DecryptionKeys,
    limits: &Limits,
) -> Result<(bool, String), String> {
    // With --sp-key, signatures inside encrypted assertions are checked after decryption and
    // the arrived document's own signatures carried over (see samlkit_verify::decrypted).
    let keys = (!keys.is_empty()).then_some(keys);
    let expect = args.input.expect.map(Into::into);
    open_message(&loaded.decoded.xml, limits, keys, expect, |opened| {
        let mut report = opened.verify(trust, options);
        crate::flag_hints::add_verifier_flag_hints(
            report.findings.iter_mut().chain(
                report
                    .signatures
                    .iter_mut()
                    .flat_map(|sig| &mut sig.findings),
            ),
        );
        render_one(loaded, args, trust, options, opened.text(), &report)
    })
    .map_err(|err| err.to_string())
}

/// Whether the message is verified (its XML signature or its binding's), and its rendering.
fn render_one(
    loaded: &LoadedMessage,
    args: &VerifyArgs,
    trust: &samlkit_verify::trust::TrustStore,
    options: &VerifyOptions,
    text: &str,
    report: &VerificationReport<'_, '_>,
) -> (bool, String) {
    let mut redirect = verify_binding_signature(&loaded.decoded, trust, options);
    if let Some(redirect) = &mut redirect {
        crate::flag_hints::add_verifier_flag_hints(&mut redirect.findings);
    }
    let redirect_verified = redirect
        .as_ref()
        .is_some_and(|r| r.outcome == SignatureOutcome::Verified);
    let verified = report.verdict == Verdict::Verified || redirect_verified;
    let cross_check = cross_check(args, text, trust, report);
    let rendered = match args.format {
        OutputFormat::Json => {
            let mut value = json!({
                "source": loaded.label,
                "verified": verified,
                "report": report,
            });
            if let Some(redirect) = &redirect {
                value["redirect_signature"] = json!(redirect);
            }
            if let Some(cross) = cross_check {
                value["cross_check"] = cross;
            }
            format!("{value}\n")
        }
        OutputFormat::Text => {
            let mut out = render_text(&loaded.label, text, report, verified);
            if let Some(redirect) = &redirect {
                let which = match loaded.decoded.binding {
                    Some(samlkit_parse::decode::Binding::HttpPostSimpleSign) => "SimpleSign form",
                    _ => "Query-string",
                };
                let _ = writeln!(
                    out,
                    "  {which} signature ({}): {}",
                    redirect.algorithm.as_deref().unwrap_or("?"),
                    if redirect_verified {
                        "verified".green().to_string()
                    } else {
                        "NOT verified".red().to_string()
                    }
                );
                for finding in &redirect.findings {
                    let _ = writeln!(out, "    {}: {}", finding.code, finding.message);
                }
            }
            if let Some(cross) = cross_check {
                let _ = writeln!(
                    out,
                    "  libxmlsec1 cross-check: {}",
                    cross["summary"].as_str().unwrap_or("")
                );
            }
            out
        }
    };
    (verified, rendered)
}

#[cfg(feature = "xmlsec")]
fn cross_check(
    args: &VerifyArgs,
    text: &str,
    trust: &samlkit_verify::trust::TrustStore,
    report: &VerificationReport<'_, '_>,
) -> Option<serde_json::Value> {
    use samlkit_verify::xmlsec_check::{disagreements, verify_with_xmlsec};
    if !args.cross_check {
        return None;
    }
    let verdict = verify_with_xmlsec(text, trust);
    let disagree = disagreements(report, &verdict);
    let summary = if disagree.is_empty() {
        "libxmlsec1 agrees".to_string()
    } else {
        disagree
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    Some(json!({ "xmlsec": verdict, "disagreements": disagree, "summary": summary }))
}

#[cfg(not(feature = "xmlsec"))]
fn cross_check(
    _args: &VerifyArgs,
    _text: &str,
    _trust: &samlkit_verify::trust::TrustStore,
    _report: &VerificationReport<'_, '_>,
) -> Option<serde_json::Value> {
    None
}

fn render_text(
    label: &str,
    text: &str,
    report: &VerificationReport<'_, '_>,
    verified: bool,
) -> String {
    let lines = xml::LineIndex::new(text);
    let mut out = String::new();
    let headline = if verified {
        "✓ verified".green().bold()
    } else {
        let verdict = serde_json::to_value(report.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        format!("✗ not verified ({verdict})").red().bold()
    };
    let _ = writeln!(out, "{} {}  {headline}", "==>".cyan().bold(), label.bold());
    for signature in &report.signatures {
        render_signature(&mut out, signature, &lines);
    }
    for finding in &report.findings {
        let _ = writeln!(
            out,
            "  {}[{}] {}",
            severity(finding.severity),
            finding.code,
            finding.message
        );
        if let Some(fix) = &finding.fix {
            let _ = writeln!(out, "    fix: {fix}");
        }
    }
    if !report.trusted_keys.is_empty() {
        let _ = writeln!(out, "  Trusted keys:");
        for key in report.trusted_keys.iter() {
            match &key.certificate {
                Some(cert) => {
                    let _ = writeln!(
                        out,
                        "    {}: {}, valid until {}",
                        key.label,
                        cert.short_description(),
                        cert.not_after_utc
                    );
                }
                None => {
                    let _ = writeln!(out, "    {}: {}", key.label, key.key);
                }
            }
        }
    }
    let _ = writeln!(out, "  Regions:");
    for element in &report.elements {
        let pos = lines.position(element.element.span.start);
        let state = if element.is_covered() {
            "signed (covered by a verified signature)"
                .green()
                .to_string()
        } else {
            "NOT covered by a verified signature".red().to_string()
        };
        let _ = writeln!(
            out,
            "    <{}>{} at line {}, column {}: {state}",
            element.element.name,
            element
                .element
                .id
                .as_deref()
                .map(|id| format!(" {id}"))
                .unwrap_or_default(),
            pos.line,
            pos.column
        );
    }
    out
}

/// One signature: where it is, its outcome, algorithms, keys, KeyInfo certificates and
/// findings.
fn render_signature(out: &mut String, signature: &SignatureReport, lines: &xml::LineIndex<'_>) {
    let pos = lines.position(signature.location.start);
    let on = signature
        .parent
        .as_ref()
        .map(|p| match &p.id {
            Some(id) => format!("<{}> {id}", p.name),
            None => format!("<{}>", p.name),
        })
        .unwrap_or_else(|| "(no parent)".into());
    let outcome = match signature.outcome {
        SignatureOutcome::Verified => "verified".green().to_string(),
        SignatureOutcome::Failed => format!(
            "failed: {}",
            signature
                .stage
                .map(|s| serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default())
                .unwrap_or_default()
        )
        .red()
        .to_string(),
    };
    let _ = writeln!(
        out,
        "  Signature {} on {on} (line {}, column {}): {outcome}",
        signature.index + 1,
        pos.line,
        pos.column
    );
    let algorithms = &signature.algorithms;
    let _ = writeln!(
        out,
        "    algorithm {} / digest {}",
        algorithms
            .signature_name
            .as_deref()
            .or(algorithms.signature.as_deref())
            .unwrap_or("?"),
        algorithms
            .digest_name
            .as_deref()
            .or(algorithms.digest.as_deref())
            .unwrap_or("?")
    );
    if let Some(key) = &signature.verified_by {
        let _ = writeln!(out, "    verified by {}", key.description);
    }
    for tried in &signature.keys_tried {
        let _ = writeln!(out, "    tried {tried}");
    }
    for cert in &signature.keyinfo_certificates {
        let trusted = if cert.trusted {
            "trusted"
        } else {
            "NOT trusted"
        };
        let _ = writeln!(
            out,
            "    KeyInfo certificate ({trusted}): {}, valid {} → {}",
            cert.facts.short_description(),
            cert.facts.not_before_utc,
            cert.facts.not_after_utc
        );
    }
    for finding in &signature.findings {
        let _ = writeln!(
            out,
            "    {}[{}] {}",
            severity(finding.severity),
            finding.code,
            finding.message
        );
    }
}

fn severity(severity: Severity) -> colored::ColoredString {
    match severity {
        Severity::Error => "error".red().bold(),
        Severity::Warning => "warning".yellow().bold(),
        Severity::Info => "note".cyan().bold(),
    }
}
