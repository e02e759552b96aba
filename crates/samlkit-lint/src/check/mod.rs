//! The rules applied to a Response (and to an AuthnRequest), producing findings and a verdict.

use samlkit_parse::model::{
    Assertion, AttrValue, Attribute, AuthnRequest, Response, TimeValue, CONFIRMATION_BEARER,
};
use samlkit_parse::time::{describe_duration, Instant, Zone};
use samlkit_parse::xml;
use samlkit_verify::report::{
    MissingInput, SignatureOutcome, Stage, Verdict as SignatureVerdict, VerificationReport,
};

use crate::aadsts;
use crate::claims::{looks_like_email, near_miss, placeholder_in, NearMiss};
use crate::console_data::SpFixKind;
use crate::idp::{Fix, Idp, IdpClues, IdpDetection};
use crate::profile::*;
use crate::report::*;
use crate::rules::{Rule, Severity};
use crate::uri::short_uri as short;

mod assertion;
mod attributes;
mod envelope;
mod request;
mod signatures;
mod sp_profiles;
mod stray_content;
mod subject;
mod time;
mod values;
use assertion::check_assertion;
use attributes::{check_attributes, require_attribute};
use envelope::{check_envelope, check_issuer_format, check_status};
pub use request::lint_authn_request;
use signatures::check_signatures;
use sp_profiles::check_profile;
use stray_content::check_stray_content;
use subject::check_subject;
use time::{check_conditions, check_issue_instant, check_time};
use values::check_identity_values;

/// Clock skew allowed when judging validity windows, unless `--clock-skew` says otherwise.
pub const DEFAULT_CLOCK_SKEW_SECONDS: i64 = 180;
/// An IssueInstant older than this is noted (a stale capture or a re-posted form).
pub const DEFAULT_MAX_ISSUE_AGE_SECONDS: i64 = 3600;

/// What the service provider expects, and when to judge.
#[derive(Debug, Clone)]
pub struct LintOptions {
    pub now: Instant,
    pub clock_skew_seconds: i64,
    pub max_issue_age_seconds: i64,
    pub sp_entity_id: Option<String>,
    pub acs_url: Option<String>,
    pub request_id: Option<String>,
    pub profile: Profile,
    /// The attribute the SP reads the user from (`--user-id-attribute`).
    pub user_id_attribute: Option<String>,
    /// The IdP's entityID from its metadata, when given.
    pub idp_entity_id: Option<String>,
    /// The IdP's SingleSignOnService locations from its metadata, when given.
    pub idp_endpoints: Vec<String>,
    /// The SP requires a signature on the assertion itself (SP metadata WantAssertionsSigned).
    pub want_assertions_signed: bool,
    /// The NameID format the SP expects (overrides the profile's).
    pub expected_name_id_format: Option<String>,
    /// The identity provider named by `--idp` (otherwise it is detected from the message).
    pub idp: Option<Idp>,
}

impl LintOptions {
    pub fn new(now: Instant) -> LintOptions {
        LintOptions {
            now,
            clock_skew_seconds: DEFAULT_CLOCK_SKEW_SECONDS,
            max_issue_age_seconds: DEFAULT_MAX_ISSUE_AGE_SECONDS,
            sp_entity_id: None,
            acs_url: None,
            request_id: None,
            profile: Profile::Generic,
            user_id_attribute: None,
            idp_entity_id: None,
            idp_endpoints: Vec::new(),
            want_assertions_signed: false,
            expected_name_id_format: None,
            idp: None,
        }
    }

    fn user_id_attribute(&self) -> Option<&str> {
        self.user_id_attribute
            .as_deref()
            .or(self.profile.default_user_id_attribute())
    }
}

struct Checker<'o> {
    text: &'o str,
    /// Built on the first finding with a place, so clean messages do not pay for it.
    lines: std::cell::OnceCell<xml::LineIndex<'o>>,
    options: &'o LintOptions,
    idp: Idp,
    idp_detection: Option<IdpDetection>,
    findings: Vec<Finding>,
}

impl<'o> Checker<'o> {
    fn new(text: &'o str, options: &'o LintOptions, idp: Idp) -> Checker<'o> {
        Checker {
            text,
            lines: std::cell::OnceCell::new(),
            options,
            idp,
            idp_detection: None,
            findings: Vec::new(),
        }
    }
}

impl Checker<'_> {
    fn push(&mut self, mut finding: Finding) {
        if let Some(span) = &finding.span {
            let text = self.text;
            let lines = self.lines.get_or_init(|| xml::LineIndex::new(text));
            finding.location = Some(lines.position(span.start));
        }
        self.findings.push(finding);
    }

    /// `"; the user sees \"<the service provider's error words>\""` for the headline of a finding about
    /// what the profile requires, so the admin can match it to the page the user saw; empty when
    /// the profile names no error words.
    fn sp_shows(&self) -> String {
        self.options
            .profile
            .error_words()
            .map_or(String::new(), |words| {
                format!("; the user sees \"{words}\"")
            })
    }

    /// The fix at the identity provider, followed by the matching step at the service
    /// provider in its own words when the profile has one.
    fn fix(&self, fix: Fix<'_>) -> String {
        let at_idp = fix.text(self.idp);
        let sp_kind = match fix {
            Fix::ReplyUrl { .. } => SpFixKind::AcsUrl,
            Fix::Identifier { .. } => SpFixKind::EntityId,
            Fix::RefreshMetadata => SpFixKind::IdpMetadata,
            Fix::AwsSessionDuration => SpFixKind::MaxSessionDuration,
            _ => return at_idp,
        };
        let profile = self.options.profile;
        match profile.sp_fix(sp_kind) {
            Some(at_sp) => format!("{at_idp}; at {}: {at_sp}", profile.title()),
            None => at_idp,
        }
    }

    fn now(&self) -> Instant {
        self.options.now
    }

    fn skew(&self) -> i64 {
        self.options.clock_skew_seconds
    }
}

fn attr_str<'a>(value: &Option<AttrValue<'a>>) -> Option<&'a str> {
    value.as_ref().map(|v| v.value)
}

/// Lints a Response: status, envelope, assertion, time, subject, claims, signature, profile.
pub fn lint_response<'a, 'i>(
    response: &Response<'a, 'i>,
    verification: &VerificationReport<'a, 'i>,
    options: &LintOptions,
) -> Report {
    let text = response.node.document().input_text();
    let issuer = response
        .header
        .issuer
        .as_ref()
        .map(|i| i.value.trimmed().to_string())
        .or_else(|| {
            response
                .assertions
                .first()
                .and_then(|a| a.issuer.as_ref())
                .map(|i| i.value.trimmed().to_string())
        });
    let attribute_names: Vec<&str> = response
        .assertions
        .iter()
        .flat_map(|a| a.attributes.iter())
        .filter_map(|a| attr_str(&a.name))
        .collect();
    let message_ids: Vec<&str> = std::iter::once(&response.header.id)
        .chain(response.assertions.iter().map(|a| &a.id))
        .filter_map(attr_str)
        .collect();
    let endpoints: Vec<&str> = options.idp_endpoints.iter().map(String::as_str).collect();
    let (idp, detection) = IdpClues {
        named: options.idp,
        issuer: issuer.as_deref(),
        metadata_entity_id: options.idp_entity_id.as_deref(),
        endpoints: &endpoints,
        attribute_names: &attribute_names,
        message_ids: &message_ids,
    }
    .detect();
    let mut checker = Checker::new(text, options, idp);
    checker.idp_detection = detection;
    let mut facts = MessageFacts {
        kind: "response".into(),
        issuer: issuer.clone(),
        destination: attr_str(&response.header.destination).map(str::to_string),
        in_response_to: attr_str(&response.in_response_to).map(str::to_string),
        ..MessageFacts::default()
    };

    check_envelope(&mut checker, response, verification);
    check_stray_content(&mut checker, response, verification);
    let success = check_status(&mut checker, response, &mut facts);

    let decision = response.assertions.first();
    let claims_verified = decision.is_some_and(|a| verification.verified(a.node).is_some());
    if success {
        match decision {
            Some(assertion) => {
                check_assertion(&mut checker, response, assertion, &mut facts);
                check_identity_values(&mut checker, assertion);
                check_profile(&mut checker, response, assertion, verification);
            }
            None if response.encrypted_assertions.is_empty() => checker.push(
                Finding::new(
                    Rule::NoAssertion,
                    "the Response is successful but carries no assertion",
                )
                .expected("one saml:Assertion (or EncryptedAssertion) in the Response")
                .actual("none")
                .at(response.node.range()),
            ),
            None => {
                let encrypted = &response.encrypted_assertions[0];
                checker.push(
                    Finding::new(
                        Rule::EncryptedAssertionUnread,
                        encrypted_unread_message(response, encrypted, &facts),
                    )
                    .expected("the service provider's private key, to decrypt the assertion")
                    .actual("no decryption key given")
                    .fix(
                        "give the service provider's private key (the one whose certificate the \
                         IdP encrypts for); its signature, subject and claims are inside the \
                         encrypted assertion",
                    )
                    .missing(MissingInput::SpDecryptionKey)
                    .at(encrypted.node.range()),
                );
            }
        }
    }
    check_signatures(
        &mut checker,
        response,
        verification,
        claims_verified,
        decision,
    );

    let (subject, attributes) = match decision {
        Some(assertion) => views(assertion, claims_verified),
        None => (None, Vec::new()),
    };
    finish(checker, verification, facts, subject, attributes)
}

/// What an encrypted assertion hides and what can be read without the key.
fn encrypted_unread_message(
    response: &Response<'_, '_>,
    encrypted: &samlkit_parse::model::EncryptedInfo<'_, '_>,
    facts: &MessageFacts,
) -> String {
    let mut readable = Vec::new();
    if let Some(issuer) = &facts.issuer {
        readable.push(format!("issuer {issuer}"));
    }
    if let Some(destination) = &facts.destination {
        readable.push(format!("destination {destination}"));
    }
    if let Some(status) = &facts.status {
        readable.push(format!("status {}", short(status)));
    }
    if let Some(algorithm) = attr_str(&encrypted.data_algorithm) {
        readable.push(format!("content encrypted with {}", short(algorithm)));
    }
    for algorithm in &encrypted.key_algorithms {
        readable.push(format!("key transported with {}", short(algorithm.value)));
    }
    match encrypted.recipient_certificates.len() {
        0 => readable.push("no certificate named for the recipient".to_string()),
        n => readable.push(format!(
            "{} of the service provider it was encrypted for",
            if n == 1 {
                "the certificate"
            } else {
                "the certificates"
            }
        )),
    }
    let signed_outside = !response.header.signatures.is_empty();
    format!(
        "the assertion is encrypted for the service provider, so its signature{}, subject and \
         claims cannot be checked without the service provider's private key; readable \
         without it: {}",
        if signed_outside { " (if any)" } else { "" },
        readable.join(", ")
    )
}

fn finish(
    mut checker: Checker<'_>,
    verification: &VerificationReport<'_, '_>,
    facts: MessageFacts,
    subject: Option<SubjectView>,
    attributes: Vec<AttributeView>,
) -> Report {
    // What to fix first leads (`fix_order`); then document order.
    checker.findings.sort_by(|a, b| {
        fix_order(a).cmp(&fix_order(b)).then_with(|| {
            a.span
                .as_ref()
                .map(|s| s.start)
                .cmp(&b.span.as_ref().map(|s| s.start))
        })
    });
    let text = checker.text;
    let mut report = Report {
        verdict: Verdict::Pass,
        profile: checker.options.profile.name().to_string(),
        profile_source: ProfileSource::Default,
        profile_detected: None,
        judged_at: checker.options.now.to_string(),
        judged_at_source: ClockSource::Flag,
        idp: checker.idp,
        idp_detected_from: checker.idp_detection,
        findings: checker.findings,
        subject,
        attributes,
        signature: signature_summary(verification, text, &facts),
        facts,
    };
    report.settle();
    report
}

fn signature_summary(
    verification: &VerificationReport<'_, '_>,
    text: &str,
    _facts: &MessageFacts,
) -> SignatureSummary {
    // A few signatures are located directly; many get an index (linear either way).
    let lines = (verification.signatures.len() > 4).then(|| xml::LineIndex::new(text));
    let verdict = serde_json::to_value(verification.verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    SignatureSummary {
        verified: verification.verdict == SignatureVerdict::Verified,
        verdict,
        signatures: verification
            .signatures
            .iter()
            .map(|sig| SignatureView {
                on: sig.parent.as_ref().map(|p| p.name.clone()),
                outcome: match sig.outcome {
                    SignatureOutcome::Verified => "verified".into(),
                    SignatureOutcome::Failed => "failed".into(),
                },
                stage: sig.stage.map(stage_name),
                algorithm: sig
                    .algorithms
                    .signature_name
                    .clone()
                    .or_else(|| sig.algorithms.signature.clone()),
                verified_by: sig.verified_by.as_ref().map(|k| k.description.clone()),
                location: Some(match &lines {
                    Some(lines) => lines.position(sig.location.start),
                    None => xml::line_column(text, sig.location.start),
                }),
            })
            .collect(),
    }
}

pub(crate) fn stage_name(stage: Stage) -> String {
    serde_json::to_value(stage)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn views(
    assertion: &Assertion<'_, '_>,
    verified: bool,
) -> (Option<SubjectView>, Vec<AttributeView>) {
    let subject = assertion.subject.as_ref().map(|s| SubjectView {
        // Exactly as signed: an SP that compares exactly sees these characters.
        name_id: s.name_id.as_ref().map(|n| n.value.as_str().to_string()),
        format: s
            .name_id
            .as_ref()
            .and_then(|n| attr_str(&n.format))
            .map(str::to_string),
        verified,
    });
    let attributes = assertion
        .attributes
        .iter()
        .map(|a| AttributeView {
            name: a.name_str().to_string(),
            friendly_name: attr_str(&a.friendly_name).map(str::to_string),
            values: a
                .values
                .iter()
                .map(|v| v.text.as_str().to_string())
                .collect(),
        })
        .collect();
    (subject, attributes)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AttributeShape {
    Email,
    Any,
}
