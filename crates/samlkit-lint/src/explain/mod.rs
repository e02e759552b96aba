//! The whole flow for one captured message, as one call: [`explain`] parses it, decrypts what
//! the service provider's keys can and parses the result, verifies every signature, lints the
//! claims, checks the binding (the HTTP-Redirect or SimpleSign signature, a Response sent in a
//! URL) and, for `samlkit check`, compares the signing certificates with the IdP metadata's.
//! Replay spans messages: a [`ReplayTracker`] passed across a run's inputs in order judges it.
//!
//! Commands that need only part of the flow (showing the decrypted XML, a summary, the
//! signatures) call [`open_message`], which does "decrypt, re-parse, verify" for all of them.

mod binding;
mod decryption;
mod encoding;
mod open;
mod replay;

use std::borrow::Cow;
use std::fmt;

use samlkit_parse::decode::DecodedMessage;
use samlkit_parse::error::InputError;
use samlkit_parse::model::{is_wsfed_response, ExpectedKind, Response, SamlMessage, Spanned};
use samlkit_parse::Limits;
use samlkit_verify::dsig::VerifyOptions;
use samlkit_verify::trust::TrustStore;
use samlkit_verify::xmlenc::DecryptionKeys;

pub use binding::verify_binding_signature;
pub use open::{open_message, Opened};
pub use replay::{ContentFingerprint, ReplayInput, ReplayTracker};

use crate::check::{lint_authn_request, lint_response, LintOptions};
use crate::idp::Idp;
use crate::metadata::cross_check_sample_keys;
use crate::profile_detect::{detect_profile, DetectedField};
use crate::report::{ClockSource, Finding, ProfileSource, Report};
use crate::rules::Rule;
use samlkit_parse::time::{describe_duration, Instant};

/// Everything [`explain`] needs besides the message: whom to trust, what the service provider
/// expects, how large an input may be, and the keys that decrypt encrypted assertions.
pub struct Setup {
    /// The keys signatures are verified with (never a key found in the message).
    pub trust: TrustStore,
    pub options: LintOptions,
    pub limits: Limits,
    /// The service provider's private keys, for encrypted assertions, NameIDs and attributes.
    pub keys: DecryptionKeys,
    /// Refuse messages of any other kind.
    pub expect: Option<ExpectedKind>,
    /// The IdP metadata's signing keys, when the metadata was linted too: every certificate a
    /// message is signed with is looked for among them.
    pub metadata_keys: Option<MetadataKeys>,
    /// Where `options.profile` came from. `Default` lets [`explain`] pick the profile from the
    /// message's URLs (see [`crate::profile_detect`]).
    pub profile_source: ProfileSource,
    /// Where `options.now` came from. `System` lets [`explain`] judge a capture at the time it
    /// was recorded, and an old paste at its IssueInstant.
    pub clock_source: ClockSource,
}

impl Setup {
    /// A setup that trusts `trust`, judges with `options`, holds no decryption keys and takes
    /// any kind of message.
    pub fn new(trust: TrustStore, options: LintOptions) -> Setup {
        Setup {
            trust,
            options,
            limits: Limits::default(),
            keys: DecryptionKeys::new(),
            expect: None,
            metadata_keys: None,
            profile_source: ProfileSource::Flag,
            clock_source: ClockSource::Flag,
        }
    }
}

/// The IdP metadata's signing certificates, as [`explain`] compares a message's with them.
#[derive(Debug, Clone)]
pub struct MetadataKeys {
    /// SHA-256 fingerprints of the signing certificates.
    pub fingerprints: Vec<String>,
    /// The identity provider the metadata was detected as, for the fix's wording.
    pub idp: Idp,
}

/// The report on one message, and the decrypted XML its findings point into when anything
/// was decrypted (otherwise they point into the message as it arrived).
#[derive(Debug, Clone)]
pub struct Explained {
    pub report: Report,
    pub decrypted_xml: Option<String>,
}

/// Why a message could not be judged at all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExplainError {
    /// The message is not well-formed XML, not SAML, or not of the expected kind.
    Unreadable(InputError),
    /// Decryption produced a document that does not parse.
    DecryptedUnreadable(InputError),
    /// The message is metadata, which the metadata rules judge rather than [`explain`].
    Metadata(InputError),
}

impl fmt::Display for ExplainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplainError::Unreadable(err) | ExplainError::Metadata(err) => err.fmt(f),
            ExplainError::DecryptedUnreadable(err) => {
                write!(f, "the decrypted document does not parse: {err}")
            }
        }
    }
}

impl std::error::Error for ExplainError {}

/// Judges one decoded message: parse → (decrypt → re-parse) → verify → lint → binding checks.
/// Replay needs the messages before this one: pass the report to a [`ReplayTracker`].
pub fn explain(decoded: &DecodedMessage, setup: &Setup) -> Result<Explained, ExplainError> {
    let keys = Some(&setup.keys);
    let judged = open_message(&decoded.xml, &setup.limits, keys, setup.expect, |opened| {
        judge_opened(&opened, decoded, setup)
    })??;
    let (mut report, decrypted_xml, is_response, verify_options) = judged;
    let trust = &setup.trust;
    for finding in binding::binding_findings(decoded, is_response, trust, &verify_options) {
        report.add(finding);
    }
    if let Some(finding) = encoding::encoding_finding(decoded) {
        report.add(finding);
    }
    Ok(Explained {
        report,
        decrypted_xml,
    })
}

/// The report on an opened message, the decrypted text when anything was decrypted, and
/// whether the message is a (plain) Response.
fn judge_opened(
    opened: &Opened<'_, '_>,
    decoded: &DecodedMessage,
    setup: &Setup,
) -> Result<(Report, Option<String>, bool, VerifyOptions), ExplainError> {
    let wsfed;
    let context = MessageContext::of(&opened.message, decoded, setup);
    let options = &context.options;
    let verify_options = VerifyOptions {
        now: options.now.unix_seconds(),
    };
    let response = match &opened.message {
        SamlMessage::AuthnRequest(request) => {
            let mut report = lint_authn_request(request, options);
            context.stamp(&mut report);
            return Ok((report, None, false, verify_options));
        }
        // A WS-Federation sign-in response: its token is judged as a Response's assertion.
        SamlMessage::Assertion(assertion)
            if is_wsfed_response(assertion.node.document().root_element()) =>
        {
            wsfed = Response::wsfed(assertion.node.document().root_element(), assertion.clone());
            &wsfed
        }
        other => other.expect_response().map_err(|err| {
            if other.kind().is_metadata() {
                ExplainError::Metadata(err)
            } else {
                ExplainError::Unreadable(err)
            }
        })?,
    };
    let verification = opened.verify(&setup.trust, &verify_options);
    let mut report = lint_response(response, &verification, options);
    context.stamp(&mut report);
    if let Some(done) = opened.decryption {
        let arrived = opened.arrived.input_text();
        decryption::add_decryption_findings(&mut report, done, arrived, opened.is_decrypted());
    }
    if let Some(metadata_keys) = &setup.metadata_keys {
        let certificates: Vec<&Spanned<Cow<'_, str>>> = response
            .header
            .signatures
            .iter()
            .chain(response.assertions.iter().flat_map(|a| a.signatures.iter()))
            .flat_map(|signature| signature.key_info.certificates.iter())
            .collect();
        let findings = cross_check_sample_keys(
            &certificates,
            &metadata_keys.fingerprints,
            metadata_keys.idp,
        );
        for mut finding in findings {
            if let Some(span) = &finding.span {
                finding.location = Some(samlkit_parse::xml::line_column(opened.text(), span.start));
            }
            report.add(finding);
        }
    }
    let decrypted = opened.is_decrypted().then(|| opened.text().to_string());
    let is_response = matches!(opened.message, SamlMessage::Response(_));
    Ok((report, decrypted, is_response, verify_options))
}

/// An old capture: validity that ended more than this before the system clock is not skew.
const OLD_CAPTURE_SECONDS: i64 = 3600;

/// The options one message is judged with: the setup's, with the profile recognised in the
/// message when none was chosen, and the instant the message was captured or issued when the
/// setup's clock is only the system's.
struct MessageContext {
    options: LintOptions,
    profile_source: ProfileSource,
    detected: Option<crate::profile_detect::DetectedProfile>,
    clock_source: ClockSource,
    note: Option<Finding>,
}

impl MessageContext {
    fn of(message: &SamlMessage<'_, '_>, decoded: &DecodedMessage, setup: &Setup) -> Self {
        let mut options = setup.options.clone();
        let mut profile_source = setup.profile_source;
        let mut detected = None;
        if setup.profile_source == ProfileSource::Default {
            detected = detect_profile(&url_candidates(message));
            if let Some(found) = &detected {
                options.profile = found.profile;
                profile_source = ProfileSource::Detected;
            }
        }
        let mut clock_source = setup.clock_source;
        let mut note = None;
        if setup.clock_source == ClockSource::System {
            if let Some(captured) = decoded.origin.time.as_deref().and_then(capture_instant) {
                options.now = captured;
                clock_source = ClockSource::Capture;
            } else if let Some((issued, ended)) = issued_and_ended(message) {
                let ended_ago = ended.seconds_until(options.now);
                if ended_ago > OLD_CAPTURE_SECONDS {
                    note = Some(
                        Finding::new(
                            Rule::JudgedWhenIssued,
                            format!(
                                "the message stopped being valid {} before this computer's \
                                 clock, so it is an old capture: judged as at its IssueInstant \
                                 {issued}",
                                describe_duration(ended_ago)
                            ),
                        )
                        .actual(format!("valid until {ended}"))
                        .fix(format!(
                            "to judge at another instant, give that instant (its IssueInstant \
                             is {issued}); to judge a fresh sign-in, capture it again"
                        ))
                        .missing(samlkit_verify::MissingInput::JudgingInstant),
                    );
                    options.now = issued;
                    clock_source = ClockSource::IssueInstant;
                }
            }
        }
        MessageContext {
            options,
            profile_source,
            detected,
            clock_source,
            note,
        }
    }

    /// Records on the report what it was judged by and at.
    fn stamp(&self, report: &mut Report) {
        report.profile_source = self.profile_source;
        report.profile_detected = self.detected.clone();
        report.judged_at = self.options.now.to_string();
        report.judged_at_source = self.clock_source;
        if let Some(note) = &self.note {
            report.add(note.clone());
        }
    }
}

/// The URLs a service provider can be recognised by, most telling first.
fn url_candidates<'m>(message: &'m SamlMessage<'_, '_>) -> Vec<(DetectedField, &'m str)> {
    let mut candidates = Vec::new();
    match message {
        SamlMessage::Response(response) => {
            for assertion in &response.assertions {
                if let Some(conditions) = &assertion.conditions {
                    for audience in conditions.audiences() {
                        candidates.push((DetectedField::Audience, audience.trimmed()));
                    }
                }
                let confirmations = assertion.subject.iter().flat_map(|s| &s.confirmations);
                for data in confirmations.filter_map(|c| c.data.as_ref()) {
                    if let Some(recipient) = &data.recipient {
                        candidates.push((DetectedField::Recipient, recipient.value));
                    }
                }
            }
            if let Some(destination) = &response.header.destination {
                candidates.push((DetectedField::Destination, destination.value));
            }
        }
        SamlMessage::AuthnRequest(request) => {
            if let Some(acs) = &request.assertion_consumer_service_url {
                candidates.push((DetectedField::AssertionConsumerServiceUrl, acs.value));
            }
            if let Some(issuer) = &request.header.issuer {
                candidates.push((DetectedField::Issuer, issuer.value.trimmed()));
            }
        }
        _ => {}
    }
    candidates
}

/// The instant a capture recorded: an RFC 3339 text (HAR `startedDateTime`) or milliseconds
/// (or seconds) since the Unix epoch (SAML-tracer `timestamp`).
fn capture_instant(text: &str) -> Option<Instant> {
    let text = text.trim();
    if let Ok(number) = text.parse::<i64>() {
        // Milliseconds from 2001 on have 12+ digits; seconds have 10.
        return Some(if number > 100_000_000_000 {
            Instant::from_unix(
                number.div_euclid(1000),
                (number.rem_euclid(1000) as u32) * 1_000_000,
            )
        } else {
            Instant::from_unix(number, 0)
        });
    }
    Instant::parse(text).ok()
}

/// A Response's IssueInstant and the end of its validity (the earliest NotOnOrAfter of its
/// first assertion, or an hour after it was issued when it carries none).
fn issued_and_ended(message: &SamlMessage<'_, '_>) -> Option<(Instant, Instant)> {
    let SamlMessage::Response(response) = message else {
        return None;
    };
    let assertion = response.assertions.first();
    let issued = assertion
        .and_then(|a| a.issue_instant.as_ref())
        .or(response.header.issue_instant.as_ref())
        .and_then(|t| t.instant())?;
    let conditions_end = assertion
        .and_then(|a| a.conditions.as_ref())
        .and_then(|c| c.not_on_or_after.as_ref())
        .and_then(|t| t.instant());
    let confirmation_ends = assertion
        .and_then(|a| a.subject.as_ref())
        .into_iter()
        .flat_map(|s| &s.confirmations)
        .filter_map(|c| c.data.as_ref()?.not_on_or_after.as_ref()?.instant());
    let ended = conditions_end
        .into_iter()
        .chain(confirmation_ends)
        .min()
        .unwrap_or(issued.plus_seconds(OLD_CAPTURE_SECONDS));
    Some((issued, ended))
}
