//! `samlkit check`: the pre-deployment gate for CI. Everything comes from `samlkit.toml`: the
//! IdP metadata, the SP's settings (entity ID, Reply URL, profile, user-id attribute, NameID
//! format), optionally the SP metadata and captured sample responses with the instant to judge
//! them at. Each part is checked alone (metadata lint, `explain` for each sample) and against
//! the others: SP metadata vs the configured Identifier and Reply URL, WantAssertionsSigned vs
//! where the samples are signed, the samples' signing certificates vs the IdP metadata's keys,
//! the samples' Issuer vs the IdP's entityID, and every certificate's expiry against
//! `warn_days`, which fails the gate.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use colored::Colorize;
use samlkit_lint::explain::{MetadataKeys, Setup};
use samlkit_lint::metadata::{cross_check_sp_metadata, MetadataOptions, DEFAULT_WARN_DAYS};
use samlkit_lint::{Policy, Severity};
use samlkit_verify::MissingInput;

use crate::check_summary::{self, Coverage, FileSetting};
use crate::cli::{CheckArgs, ExpectedKind, InputArgs, ReportFormat};
use crate::config::Config;
use crate::exit;
use crate::explain::{self, explain_inputs, plural, setup_from, Outcome, SetupFlags};
use crate::flag_hints::HintStyle;
use crate::metadata_cmd::{self, MetadataOutcome};
use crate::sarif::SarifResult;
use crate::snippet::snippet;
use crate::style::print_error;

/// One checked part of the deployment.
pub enum Part {
    Metadata {
        /// `idp-metadata` or `sp-metadata`.
        role: &'static str,
        outcome: MetadataOutcome,
    },
    Sample(Outcome),
}

impl Part {
    fn exit_code(&self) -> u8 {
        match self {
            Part::Metadata { outcome, .. } => outcome.exit_code(),
            Part::Sample(outcome) => outcome.exit_code(),
        }
    }

    /// Errors and warnings of the part (an unreadable input counts as one error).
    fn counts(&self) -> (usize, usize) {
        match self {
            Part::Metadata {
                outcome: MetadataOutcome::Report(linted),
                ..
            } => (linted.report.errors, linted.report.warnings),
            Part::Sample(Outcome::Report(explained)) => (
                explained.report.count(Severity::Error),
                explained.report.count(Severity::Warning),
            ),
            _ => (1, 0),
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Part::Metadata {
                role: "idp-metadata",
                ..
            } => "IdP metadata",
            Part::Metadata { .. } => "SP metadata",
            Part::Sample(_) => "Sample",
        }
    }

    fn label(&self) -> &str {
        match self {
            Part::Metadata {
                outcome: MetadataOutcome::Report(linted),
                ..
            } => &linted.label,
            Part::Metadata {
                outcome: MetadataOutcome::Error { label, .. },
                ..
            } => label,
            Part::Sample(Outcome::Report(explained)) => &explained.label,
            Part::Sample(Outcome::Error { label, .. }) => label,
        }
    }
}

/// The whole result: what was checked, at which instant, and each part.
pub struct CheckReport {
    pub config: String,
    pub profile: String,
    /// The instant the samples were judged at (`--now`, else `[check] now`, else the clock).
    pub samples_now: String,
    /// The instant the metadata and its certificates were judged at (`--now`, else the clock).
    pub metadata_now: String,
    pub warn_days: i64,
    pub parts: Vec<Part>,
    /// What was and was not cross-checked; decides whether a clean run is ready to deploy.
    pub coverage: Coverage,
}

impl CheckReport {
    fn exit_code(&self) -> u8 {
        self.coverage.exit_code(self.parts_exit_code())
    }

    fn parts_exit_code(&self) -> u8 {
        self.parts
            .iter()
            .map(Part::exit_code)
            .max()
            .unwrap_or(exit::OK)
    }
}

pub fn run(args: &CheckArgs) -> u8 {
    let path = args
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from("samlkit.toml"));
    let config = match Config::load(Some(&path)) {
        Ok(config) => config,
        Err(message) => {
            print_error("config", &message);
            return exit::BAD_INPUT;
        }
    };
    let report = match check(&config, &path, args) {
        Ok(report) => report,
        Err(message) => {
            print_error("check", &message);
            return exit::BAD_INPUT;
        }
    };
    render(&report, args.format);
    report.exit_code()
}

fn check(config: &Config, config_path: &Path, args: &CheckArgs) -> Result<CheckReport, String> {
    let config_label = config_path.display().to_string();
    let idp_metadata = config
        .idp
        .metadata
        .as_ref()
        .map(|path| config.resolve(path))
        .ok_or_else(|| {
            format!(
                "{config_label}: `check` needs the IdP metadata: set `metadata` in the [idp] \
                 section"
            )
        })?;
    let flags = SetupFlags {
        expect: Some(ExpectedKind::Response),
        now: args.now,
        ..SetupFlags::default()
    };
    let mut setup = setup_from(&flags, config)?;
    let warn_days = config.check.warn_days.unwrap_or(DEFAULT_WARN_DAYS);
    if warn_days < 0 {
        return Err(format!(
            "{config_label}: warn_days must not be negative (got {warn_days})"
        ));
    }
    // Samples are judged when they were captured (`[check] now`); certificates when the gate
    // runs, or a certificate about to expire would never be noticed.
    let metadata_now = args.now.unwrap_or_else(crate::inspect::system_now);
    let mut metadata_options = MetadataOptions::new(metadata_now);
    metadata_options.warn_days = warn_days;
    metadata_options.profile = setup.options.profile;
    let gate = GateOptions::new(metadata_options);

    // The IdP metadata's own signature, when its signer is configured.
    let signer_certificates: Vec<PathBuf> = config
        .idp
        .metadata_certs
        .iter()
        .map(|path| config.resolve(path))
        .collect();
    let metadata_signer =
        metadata_cmd::signer_trust(&signer_certificates, &config.idp.metadata_fingerprints)
            .map_err(|e| {
                format!("{config_label}: [idp] metadata_certs/metadata_fingerprints: {e}")
            })?;

    let idp_outcome = metadata_cmd::lint_file(
        &idp_metadata,
        &idp_metadata.display().to_string(),
        metadata_signer.as_ref(),
        &gate.idp_metadata,
        &setup.limits,
        HintStyle::ConfigSettings,
        |_| Vec::new(),
    );
    // The samples' signing certificates are looked for among the metadata's signing keys.
    setup.metadata_keys = Some(metadata_keys(&idp_outcome));
    let mut parts = vec![Part::Metadata {
        role: "idp-metadata",
        outcome: idp_outcome,
    }];
    if let Some(sp_metadata) = config.sp.metadata.as_ref().map(|p| config.resolve(p)) {
        parts.push(check_sp_metadata(
            &sp_metadata,
            &gate.sp_metadata,
            &mut setup,
        ));
    }
    parts.extend(check_samples(config, &setup));

    let coverage = coverage(config, &parts, warn_days);
    Ok(CheckReport {
        config: config_label,
        profile: setup.options.profile.name().to_string(),
        samples_now: setup.options.now.to_string(),
        metadata_now: metadata_now.to_string(),
        warn_days,
        parts,
        coverage,
    })
}

/// How the gate lints each metadata document.
struct GateOptions {
    idp_metadata: MetadataOptions,
    sp_metadata: MetadataOptions,
}

impl GateOptions {
    /// The gate fails on certificates about to expire. The IdP metadata's own signature is
    /// checked with the [idp] setting that names its signer; the SP metadata has none.
    fn new(metadata_options: MetadataOptions) -> GateOptions {
        let warn_days = metadata_options.warn_days;
        let gate = Policy::new().fail_on_expiring_certificates(format!(
            " (`samlkit check` fails on certificates that expire within warn_days, {warn_days} \
             days)"
        ));
        let idp_metadata = MetadataOptions {
            policy: gate
                .clone()
                .unchecked_metadata_signature(Some(
                    HintStyle::ConfigSettings.how_to_give(MissingInput::MetadataSigner),
                ))
                .fix(
                    samlkit_lint::Rule::MetadataSignatureMissing,
                    "download the metadata straight from its publisher and use it unchanged; if \
                     the publisher does not sign its metadata, drop `metadata_certs` / \
                     `metadata_fingerprints` from [idp] in samlkit.toml and verify the file \
                     another way",
                ),
            ..metadata_options.clone()
        };
        let sp_metadata = MetadataOptions {
            policy: gate.unchecked_metadata_signature(None),
            ..metadata_options
        };
        GateOptions {
            idp_metadata,
            sp_metadata,
        }
    }
}

/// The IdP metadata's signing keys, which the samples must be signed with.
fn metadata_keys(idp_outcome: &MetadataOutcome) -> MetadataKeys {
    match idp_outcome {
        MetadataOutcome::Report(linted) => MetadataKeys {
            fingerprints: linted
                .report
                .first_idp()
                .map(|entity| {
                    entity
                        .signing_fingerprints()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
            idp: linted.report.idp,
        },
        MetadataOutcome::Error { .. } => MetadataKeys {
            fingerprints: Vec::new(),
            idp: samlkit_lint::idp::Idp::GENERIC,
        },
    }
}

/// The SP metadata, alone and against the configured Identifier and Reply URL. Its
/// WantAssertionsSigned decides how the samples must be signed.
fn check_sp_metadata(sp_metadata: &Path, options: &MetadataOptions, setup: &mut Setup) -> Part {
    let idp = setup
        .options
        .idp
        .or(setup.metadata_keys.as_ref().map(|keys| keys.idp))
        .unwrap_or(samlkit_lint::idp::Idp::GENERIC);
    let sp_entity_id = setup.options.sp_entity_id.clone();
    let acs_url = setup.options.acs_url.clone();
    let sp_outcome = metadata_cmd::lint_file(
        sp_metadata,
        &sp_metadata.display().to_string(),
        None,
        options,
        &setup.limits,
        HintStyle::ConfigSettings,
        |metadata| {
            cross_check_sp_metadata(metadata, sp_entity_id.as_deref(), acs_url.as_deref(), idp)
        },
    );
    if let MetadataOutcome::Report(linted) = &sp_outcome {
        if linted
            .report
            .first_sp()
            .and_then(|sp| sp.want_assertions_signed)
            == Some(true)
        {
            setup.options.want_assertions_signed = true;
        }
    }
    Part::Metadata {
        role: "sp-metadata",
        outcome: sp_outcome,
    }
}

/// Each captured sample through `explain`, its hints naming check's own settings.
fn check_samples(config: &Config, setup: &Setup) -> Vec<Part> {
    let samples: Vec<String> = config
        .check
        .samples
        .iter()
        .map(|path| config.resolve(path).display().to_string())
        .collect();
    if samples.is_empty() {
        return Vec::new();
    }
    let input = InputArgs {
        inputs: samples,
        input_format: None,
        expect: Some(ExpectedKind::Response),
        sp_key: Vec::new(),
    };
    explain_inputs(&input, setup, HintStyle::ConfigSettings)
        .into_iter()
        .map(Part::Sample)
        .collect()
}

/// What the settings gave and which parts could be read, for the cross-check summary.
fn coverage(config: &Config, parts: &[Part], warn_days: i64) -> Coverage {
    let metadata = |wanted: &str| {
        parts
            .iter()
            .find_map(|part| match part {
                Part::Metadata { role, outcome } if *role == wanted => Some(match outcome {
                    MetadataOutcome::Report(_) => FileSetting::Read,
                    MetadataOutcome::Error { .. } => FileSetting::Unreadable,
                }),
                _ => None,
            })
            .unwrap_or(FileSetting::NotSet)
    };
    let samples_read = parts
        .iter()
        .filter(|part| matches!(part, Part::Sample(Outcome::Report(_))))
        .count();
    Coverage {
        idp_metadata: metadata("idp-metadata"),
        metadata_signer_set: !config.idp.metadata_certs.is_empty()
            || !config.idp.metadata_fingerprints.is_empty(),
        sp_metadata: metadata("sp-metadata"),
        sp_entity_id_set: config.sp.entity_id.is_some(),
        acs_url_set: config.sp.acs_url.is_some(),
        samples_listed: config.check.samples.len(),
        samples_read,
        warn_days,
    }
}

// ------------------------------------------------------------------ rendering

fn render(report: &CheckReport, format: ReportFormat) {
    match format {
        ReportFormat::Text => print!("{}", render_text(report)),
        ReportFormat::Json => {
            for part in &report.parts {
                let mut value = match part {
                    Part::Metadata { outcome, .. } => metadata_cmd::json_value(outcome),
                    Part::Sample(outcome) => explain::json_value(outcome),
                };
                if let Some(map) = value.as_object_mut() {
                    let role = match part {
                        Part::Metadata { role, .. } => *role,
                        Part::Sample(_) => "sample",
                    };
                    map.insert("part".into(), role.into());
                }
                println!("{value}");
            }
            let (errors, warnings) = totals(report);
            let verdict = match report.exit_code() {
                exit::OK => "pass",
                exit::PROBLEMS => "fail",
                _ => "error",
            };
            let mut summary = serde_json::json!({
                "part": "summary",
                "config": report.config,
                "profile": report.profile,
                "samples_now": report.samples_now,
                "metadata_now": report.metadata_now,
                "warn_days": report.warn_days,
                "verdict": verdict,
                "errors": errors,
                "warnings": warnings,
            });
            if let Some(fields) = summary.as_object_mut() {
                fields.extend(report.coverage.json_fields());
            }
            println!("{summary}");
        }
        ReportFormat::Sarif => {
            let mut results = Vec::new();
            let mut notifications = Vec::new();
            for part in &report.parts {
                match part {
                    Part::Metadata {
                        outcome: MetadataOutcome::Report(linted),
                        ..
                    } => results.extend(metadata_cmd::sarif_results(linted)),
                    Part::Sample(Outcome::Report(explained)) => {
                        results.extend(explained.report.findings.iter().map(|finding| {
                            SarifResult {
                                uri: &explained.label,
                                finding,
                                snippet: finding
                                    .span
                                    .as_ref()
                                    .map(|span| snippet(&explained.xml, span)),
                                subject: None,
                            }
                        }))
                    }
                    Part::Metadata {
                        outcome: MetadataOutcome::Error { label, message },
                        ..
                    }
                    | Part::Sample(Outcome::Error { label, message }) => {
                        notifications.push(format!("{label}: {message}"))
                    }
                }
            }
            let mut value = crate::sarif::sarif_document(&results, &notifications);
            report.coverage.annotate_sarif(&mut value);
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
    }
    if format != ReportFormat::Text {
        for part in &report.parts {
            if let Part::Metadata {
                outcome: MetadataOutcome::Error { label, message },
                ..
            }
            | Part::Sample(Outcome::Error { label, message }) = part
            {
                print_error(label, message);
            }
        }
    }
}

fn totals(report: &CheckReport) -> (usize, usize) {
    report
        .parts
        .iter()
        .map(Part::counts)
        .fold((0, 0), |(e, w), (pe, pw)| (e + pe, w + pw))
}

fn render_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} samlkit check — {} (profile {}; samples judged at {}; certificates at {}, valid for \
         {} more days at least)",
        "==>".cyan().bold(),
        report.config.bold(),
        report.profile,
        report.samples_now,
        report.metadata_now,
        report.warn_days
    );
    let (errors, warnings) = totals(report);
    let verdict = report
        .coverage
        .verdict_line(report.parts_exit_code(), errors, warnings);
    let _ = writeln!(out, "{verdict}");
    for part in &report.parts {
        let (part_errors, part_warnings) = part.counts();
        let mark = if part.exit_code() == exit::OK {
            "✓".green().bold()
        } else {
            "✗".red().bold()
        };
        let _ = writeln!(
            out,
            "  {:<13} {mark} {} ({}, {})",
            part.title().dimmed(),
            part.label(),
            plural(part_errors, "error"),
            plural(part_warnings, "warning")
        );
    }
    out.push_str(&report.coverage.render_table());
    for part in &report.parts {
        out.push('\n');
        match part {
            Part::Metadata {
                outcome: MetadataOutcome::Report(linted),
                role,
            } => out.push_str(&metadata_cmd::render_text_with_hint(
                linted,
                check_summary::unchecked_signature_hint(role),
            )),
            Part::Sample(Outcome::Report(explained)) => {
                out.push_str(&explain::render_text(explained, None))
            }
            Part::Metadata {
                outcome: MetadataOutcome::Error { label, message },
                ..
            }
            | Part::Sample(Outcome::Error { label, message }) => {
                let _ = writeln!(out, "{}: {label}: {message}", "error".red().bold());
            }
        }
    }
    out
}
