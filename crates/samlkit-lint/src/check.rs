//! The rules applied to a Response (and to an AuthnRequest), producing findings and a verdict.

use samlkit_parse::model::{
    Assertion, AttrValue, Attribute, AuthnRequest, Response, TimeValue, CONFIRMATION_BEARER,
};
use samlkit_parse::time::{describe_duration, Instant, Zone};
use samlkit_parse::xml;
use samlkit_verify::report::{
    SignatureOutcome, Stage, Verdict as SignatureVerdict, VerificationReport,
};

use crate::aadsts;
use crate::claims::{looks_like_email, near_miss, placeholder_in, NearMiss};
use crate::idp::{Fix, Idp};
use crate::profile::*;
use crate::report::*;
use crate::rules::{Rule, Severity};

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
    /// The SP requires a signature on the assertion itself (SP metadata WantAssertionsSigned).
    pub want_assertions_signed: bool,
    /// The NameID format the SP expects (overrides the profile's).
    pub expected_name_id_format: Option<String>,
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
            want_assertions_signed: false,
            expected_name_id_format: None,
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
    findings: Vec<Finding>,
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

    fn fix(&self, fix: Fix<'_>) -> String {
        fix.text(self.idp)
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

fn short(uri: &str) -> &str {
    uri.rsplit([':', '/', '#'])
        .find(|s| !s.is_empty())
        .unwrap_or(uri)
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
    let idp = issuer
        .as_deref()
        .or(options.idp_entity_id.as_deref())
        .map_or(Idp::Generic, Idp::detect);
    let mut checker = Checker {
        text,
        lines: std::cell::OnceCell::new(),
        options,
        idp,
        findings: Vec::new(),
    };
    let mut facts = MessageFacts {
        kind: "response".into(),
        issuer: issuer.clone(),
        destination: attr_str(&response.header.destination).map(str::to_string),
        in_response_to: attr_str(&response.in_response_to).map(str::to_string),
        ..MessageFacts::default()
    };

    check_envelope(&mut checker, response, verification);
    let success = check_status(&mut checker, response, &mut facts);

    let decision = response.assertions.first();
    let claims_verified = decision.is_some_and(|a| verification.verified(a.node).is_some());
    if success {
        match decision {
            Some(assertion) => {
                check_assertion(&mut checker, response, assertion, &mut facts);
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
                        "the assertion is encrypted; its subject and claims cannot be checked",
                    )
                    .fix("pass the service provider's private key with --sp-key FILE")
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

fn finish(
    mut checker: Checker<'_>,
    verification: &VerificationReport<'_, '_>,
    facts: MessageFacts,
    subject: Option<SubjectView>,
    attributes: Vec<AttributeView>,
) -> Report {
    // Errors first, then warnings, then notes; within a severity, document order.
    checker.findings.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| {
            a.span
                .as_ref()
                .map(|s| s.start)
                .cmp(&b.span.as_ref().map(|s| s.start))
        })
    });
    let verdict = if checker
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error)
    {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    let text = checker.text;
    Report {
        verdict,
        profile: checker.options.profile.name().to_string(),
        idp: checker.idp,
        findings: checker.findings,
        subject,
        attributes,
        signature: signature_summary(verification, text, &facts),
        facts,
    }
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
        name_id: s.name_id.as_ref().map(|n| n.value.trimmed().to_string()),
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

fn check_envelope(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    verification: &VerificationReport<'_, '_>,
) {
    let header = &response.header;
    if let Some(version) = &header.version {
        if version.value.trim() != "2.0" {
            checker.push(
                Finding::new(Rule::VersionNot20, "the Response is not SAML 2.0")
                    .expected("2.0")
                    .actual(version.value)
                    .at(version.span.clone()),
            );
        }
    }
    let options = checker.options;
    match &header.issuer {
        None => checker.push(
            Finding::new(Rule::IssuerMissing, "the Response does not name its Issuer")
                .expected("<saml:Issuer> with the IdP's entity ID")
                .actual("no Issuer element")
                .at(response.node.range()),
        ),
        Some(issuer) => {
            if let Some(expected) = &options.idp_entity_id {
                if issuer.value.trimmed() != expected {
                    let fix = checker.fix(Fix::RefreshMetadata);
                    checker.push(
                        Finding::new(
                            Rule::IssuerMismatch,
                            "the Response's Issuer is not the entityID of the IdP metadata you gave",
                        )
                        .expected(expected.clone())
                        .actual(issuer.value.trimmed())
                        .fix(format!(
                            "import the metadata of the IdP that actually signs in these users \
                             (check tenant and application, and http vs https): {fix}"
                        ))
                        .at(issuer.value.span.clone()),
                    );
                }
            }
            check_issuer_format(checker, issuer.format.as_ref());
        }
    }
    if let (Some(acs), Some(destination)) = (&options.acs_url, &header.destination) {
        if destination.value != acs {
            let fix = checker.fix(Fix::ReplyUrl { url: acs });
            checker.push(
                Finding::new(
                    Rule::DestinationMismatch,
                    "the Response was addressed to another URL than the service provider's ACS",
                )
                .expected(acs.clone())
                .actual(destination.value)
                .fix(fix)
                .at(destination.span.clone()),
            );
        }
    }
    let response_signed = !header.signatures.is_empty();
    if header.destination.is_none() && response_signed {
        checker.push(
            Finding::new(
                Rule::DestinationMissing,
                "the signed Response has no Destination",
            )
            .expected("Destination=\"<the ACS URL>\"")
            .actual("no Destination attribute")
            .at(response.node.range()),
        );
    }
    match (&options.request_id, &response.in_response_to) {
        (Some(request_id), Some(in_response_to)) if in_response_to.value != request_id => {
            checker.push(
                Finding::new(
                    Rule::InResponseToMismatch,
                    "the Response answers another AuthnRequest than the one given",
                )
                .expected(request_id.clone())
                .actual(in_response_to.value)
                .fix(
                    "start the sign-in again from the service provider; make sure one browser \
                      tab completes it",
                )
                .at(in_response_to.span.clone()),
            );
        }
        (Some(request_id), None) => checker.push(
            Finding::new(
                Rule::InResponseToMismatch,
                "the Response has no InResponseTo: it is IdP-initiated (unsolicited), but the \
                 service provider sent a request and expects its answer",
            )
            .expected(request_id.clone())
            .actual("no InResponseTo (IdP-initiated)")
            .fix("start the sign-in at the service provider, or allow IdP-initiated sign-in there")
            .at(response.node.range()),
        ),
        (None, None) => checker.push(
            Finding::new(
                Rule::UnsolicitedResponse,
                "no InResponseTo: this sign-in started at the identity provider (a portal tile or \
                 link), not at the service provider",
            )
            .fix(
                "if the service provider refuses IdP-initiated sign-in, start from its own \
                  sign-in page (Amazon Q: use the web experience URL, not the My Apps tile)",
            )
            .at(response.node.range()),
        ),
        _ => {}
    }
    check_time(
        checker,
        header.issue_instant.as_ref(),
        "Response IssueInstant",
    );
    if let Some(issued) = header.issue_instant.as_ref().and_then(|t| t.instant()) {
        check_issue_instant(checker, issued, header.issue_instant.as_ref());
    }
    let _ = verification;
}

fn check_issuer_format(checker: &mut Checker<'_>, format: Option<&AttrValue<'_>>) {
    if let Some(format) = format {
        if format.value.trim() != "urn:oasis:names:tc:SAML:2.0:nameid-format:entity" {
            checker.push(
                Finding::new(
                    Rule::IssuerFormat,
                    "the Issuer declares a Format other than entity",
                )
                .expected("no Format, or urn:oasis:names:tc:SAML:2.0:nameid-format:entity")
                .actual(format.value)
                .at(format.span.clone()),
            );
        }
    }
}

/// Returns whether the status is Success.
fn check_status(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    facts: &mut MessageFacts,
) -> bool {
    let Some(status) = &response.status else {
        checker.push(
            Finding::new(Rule::StatusNotSuccess, "the Response has no Status")
                .expected("samlp:Status with StatusCode Success")
                .actual("no Status element")
                .at(response.node.range()),
        );
        return false;
    };
    let codes: Vec<&str> = status
        .code
        .iter()
        .chain(status.sub_codes.iter())
        .map(|c| c.value.trim())
        .collect();
    facts.status = Some(codes.iter().map(|c| short(c)).collect::<Vec<_>>().join("/"));
    if status.is_success() {
        return true;
    }
    let message = status.message.as_ref().map(|m| m.trimmed().to_string());
    let detail = status.detail.as_ref().map(|d| d.trimmed().to_string());
    let combined = format!(
        "{} {}",
        message.as_deref().unwrap_or(""),
        detail.as_deref().unwrap_or("")
    );
    let mut text = format!(
        "the identity provider refused the sign-in with status {}",
        codes
            .iter()
            .map(|c| short(c))
            .collect::<Vec<_>>()
            .join(" / ")
    );
    if let Some(message) = &message {
        text.push_str(&format!(": \"{message}\""));
    }
    let mut finding = Finding::new(Rule::StatusNotSuccess, text)
        .expected("urn:oasis:names:tc:SAML:2.0:status:Success")
        .actual(codes.join(" / "));
    let aadsts: Vec<_> = aadsts::codes_in(&combined)
        .into_iter()
        .filter_map(aadsts::lookup)
        .collect();
    if let Some(first) = aadsts.first() {
        finding
            .message
            .push_str(&format!(" — AADSTS{}: {}", first.code, first.meaning));
        let idp = if checker.idp == Idp::Generic {
            Idp::EntraId
        } else {
            checker.idp
        };
        finding = finding.fix(first.fix.text(idp));
    } else if codes.iter().any(|c| c.ends_with(":RequestDenied")) {
        finding = finding.fix(checker.fix(Fix::AssignUser));
    } else {
        finding = finding.fix(format!(
            "look up the request in {}'s sign-in logs for the full reason",
            checker.idp.name()
        ));
    }
    let span = status
        .code
        .as_ref()
        .map_or(status.node.range(), |c| c.span.clone());
    checker.push(finding.at(span));
    if !response.assertions.is_empty() || !response.encrypted_assertions.is_empty() {
        checker.push(
            Finding::new(
                Rule::ErrorWithAssertions,
                "the error Response nevertheless carries an assertion",
            )
            .at(response
                .assertions
                .first()
                .map_or(status.node.range(), |a| a.node.range())),
        );
    }
    false
}

fn check_time(checker: &mut Checker<'_>, value: Option<&TimeValue<'_>>, label: &str) {
    let Some(value) = value else { return };
    match &value.parsed {
        Err(err) => checker.push(
            Finding::new(
                Rule::TimeUnreadable,
                format!("{label} cannot be read: {}", err.reason),
            )
            .expected("an xs:dateTime in UTC, like 2026-11-28T09:00:00Z")
            .actual(value.text.value)
            .at(value.text.span.clone()),
        ),
        Ok(dt) => {
            let problem = match dt.zone {
                Zone::Utc => None,
                Zone::Offset(minutes) => Some(format!("has a UTC offset of {minutes:+} minutes")),
                Zone::Missing => Some("has no timezone".to_string()),
            };
            if let Some(problem) = problem {
                checker.push(
                    Finding::new(Rule::TimeNotUtc, format!("{label} {problem}"))
                        .expected(format!("{} (UTC, with Z)", dt.instant))
                        .actual(value.text.value)
                        .at(value.text.span.clone()),
                );
            }
        }
    }
}

fn check_issue_instant(checker: &mut Checker<'_>, issued: Instant, value: Option<&TimeValue<'_>>) {
    let span = value.map(|v| v.text.span.clone());
    let ahead = checker.now().seconds_until(issued);
    if ahead > checker.skew() {
        let mut finding = Finding::new(
            Rule::IssuedInFuture,
            format!(
                "issued {} in the future: the IdP's clock is about {} ahead of this one",
                describe_duration(ahead),
                describe_duration(ahead)
            ),
        )
        .expected(format!(
            "IssueInstant at or before {} (+{} s skew)",
            checker.now(),
            checker.skew()
        ))
        .actual(issued.to_string())
        .fix(checker.fix(Fix::Clock));
        if let Some(span) = span.clone() {
            finding = finding.at(span);
        }
        checker.push(finding);
    } else if -ahead > checker.options.max_issue_age_seconds {
        let mut finding = Finding::new(
            Rule::IssuedLongAgo,
            format!("issued {} ago", describe_duration(ahead)),
        )
        .expected(format!(
            "issued within {} of {}",
            describe_duration(checker.options.max_issue_age_seconds),
            checker.now()
        ))
        .actual(issued.to_string());
        if let Some(span) = span {
            finding = finding.at(span);
        }
        checker.push(finding);
    }
}

fn check_assertion(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    assertion: &Assertion<'_, '_>,
    facts: &mut MessageFacts,
) {
    let options = checker.options;
    facts.assertion_id = attr_str(&assertion.id).map(str::to_string);
    // Issuer
    match &assertion.issuer {
        None => checker.push(
            Finding::new(
                Rule::AssertionIssuerMissing,
                "the assertion does not name its Issuer",
            )
            .at(assertion.node.range()),
        ),
        Some(issuer) => {
            let expected = options.idp_entity_id.clone().or_else(|| {
                response
                    .header
                    .issuer
                    .as_ref()
                    .map(|i| i.value.trimmed().to_string())
            });
            if let Some(expected) = expected {
                if issuer.value.trimmed() != expected {
                    let fix = checker.fix(Fix::RefreshMetadata);
                    checker.push(
                        Finding::new(
                            Rule::AssertionIssuerMismatch,
                            "the assertion's Issuer is not the identity provider's entity ID",
                        )
                        .expected(expected)
                        .actual(issuer.value.trimmed())
                        .fix(fix)
                        .at(issuer.value.span.clone()),
                    );
                }
            }
            check_issuer_format(checker, issuer.format.as_ref());
        }
    }
    check_time(
        checker,
        assertion.issue_instant.as_ref(),
        "Assertion IssueInstant",
    );
    check_subject(checker, assertion, facts);
    check_conditions(checker, assertion, facts);
    if assertion.authn_statements.is_empty() {
        checker.push(
            Finding::new(
                Rule::NoAuthnStatement,
                "the assertion has no AuthnStatement",
            )
            .at(assertion.node.range()),
        );
    }
    for statement in &assertion.authn_statements {
        check_time(checker, statement.authn_instant.as_ref(), "AuthnInstant");
        check_time(
            checker,
            statement.session_not_on_or_after.as_ref(),
            "SessionNotOnOrAfter",
        );
        if let Some(end) = statement
            .session_not_on_or_after
            .as_ref()
            .and_then(|t| t.instant())
        {
            let remaining = checker.now().seconds_until(end);
            if remaining + checker.skew() <= 0 {
                checker.push(
                    Finding::new(
                        Rule::SessionExpired,
                        format!("the IdP session ended {} ago", describe_duration(remaining)),
                    )
                    .expected(format!("SessionNotOnOrAfter after {}", checker.now()))
                    .actual(end.to_string())
                    .at(statement
                        .session_not_on_or_after
                        .as_ref()
                        .map_or(statement.node.range(), |t| t.text.span.clone())),
                );
            }
        }
    }
    check_attributes(checker, assertion);
}

fn check_subject(
    checker: &mut Checker<'_>,
    assertion: &Assertion<'_, '_>,
    facts: &mut MessageFacts,
) {
    let options = checker.options;
    let Some(subject) = &assertion.subject else {
        checker.push(
            Finding::new(Rule::SubjectMissing, "the assertion has no Subject")
                .expected("saml:Subject with a NameID and a bearer SubjectConfirmation")
                .actual("none")
                .at(assertion.node.range()),
        );
        return;
    };
    // NameID
    match &subject.name_id {
        None if subject.encrypted_id.is_some() => checker.push(
            Finding::new(
                Rule::NameIdEncrypted,
                "the NameID is encrypted (EncryptedID)",
            )
            .fix("pass the service provider's private key with --sp-key FILE")
            .at(subject.node.range()),
        ),
        None => {
            let severity = if options.profile.requires_name_id() {
                Severity::Error
            } else {
                Severity::Warning
            };
            checker.push(
                Finding::new(Rule::NameIdMissing, "the Subject has no NameID")
                    .severity(severity)
                    .expected("a NameID identifying the user")
                    .actual("none")
                    .fix(checker.fix(Fix::NameIdFormat {
                        format: "Email address or Unspecified",
                        source: "user.mail",
                    }))
                    .at(subject.node.range()),
            )
        }
        Some(name_id) => {
            let value = name_id.value.trimmed();
            if name_id.value.mixed_content {
                checker.push(
                    Finding::new(
                        Rule::NameIdMarkup,
                        format!(
                            "the NameID's text is split by a comment or markup; read whole it is \
                             \"{value}\" — a library that reads only the first text node would see \
                             someone else"
                        ),
                    )
                    .expected("plain text")
                    .actual(value)
                    .at(name_id.node.range()),
                );
            }
            if value.is_empty() {
                checker.push(
                    Finding::new(Rule::NameIdEmpty, "the NameID is empty")
                        .expected("the user's identifier")
                        .actual("\"\"")
                        .fix(checker.fix(Fix::PopulateSource {
                            claim: "NameID",
                            source: "user.mail",
                        }))
                        .at(name_id.node.range()),
                );
            }
            let format = attr_str(&name_id.format).map(str::trim);
            let accepted: Vec<&str> = match &options.expected_name_id_format {
                Some(expected) => vec![expected.as_str()],
                None => options.profile.accepted_name_id_formats().to_vec(),
            };
            let effective = format.unwrap_or(NAMEID_UNSPECIFIED);
            if !accepted.is_empty() && !accepted.contains(&effective) {
                let wanted = accepted[0];
                let wanted_name = match wanted {
                    NAMEID_UNSPECIFIED => "Unspecified",
                    NAMEID_EMAIL => "Email address",
                    NAMEID_PERSISTENT => "Persistent",
                    NAMEID_TRANSIENT => "Transient",
                    other => other,
                };
                let source = if wanted == NAMEID_PERSISTENT {
                    "user.objectid"
                } else {
                    "user.mail"
                };
                let why = match (options.profile, effective) {
                    (Profile::Github, NAMEID_TRANSIENT) => {
                        " (a transient NameID changes at every sign-in, so GitHub re-links the account each time)"
                    }
                    (Profile::AmazonQBusiness, _) => {
                        " (Amazon Q Business answers \"Permission needed\" / 403)"
                    }
                    _ => "",
                };
                checker.push(
                    Finding::new(
                        Rule::NameIdFormat,
                        format!(
                            "the NameID format is {}, but {} needs {}{why}",
                            short(effective),
                            options.profile.title(),
                            short(wanted)
                        ),
                    )
                    .expected(wanted)
                    .actual(format.unwrap_or("no Format (unspecified)"))
                    .fix(checker.fix(Fix::NameIdFormat {
                        format: wanted_name,
                        source,
                    }))
                    .at(name_id
                        .format
                        .as_ref()
                        .map_or(name_id.node.range(), |f| f.span.clone())),
                );
            }
            if !value.is_empty() {
                let misfit = match effective {
                    NAMEID_EMAIL if !looks_like_email(value) => {
                        Some("an emailAddress NameID that is not an e-mail address")
                    }
                    NAMEID_PERSISTENT | NAMEID_TRANSIENT if value.len() > 256 => {
                        Some("a NameID longer than 256 characters")
                    }
                    _ => None,
                };
                if let Some(misfit) = misfit {
                    let severity = if options.profile == Profile::AwsIdentityCenter {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    checker.push(
                        Finding::new(Rule::NameIdValue, misfit)
                            .severity(severity)
                            .expected(format!("a value that fits {}", short(effective)))
                            .actual(value)
                            .at(name_id.value.span.clone()),
                    );
                }
                if matches!(
                    options.profile,
                    Profile::Atlassian | Profile::AwsIdentityCenter
                ) && misfit.is_none()
                    && !looks_like_email(value)
                {
                    checker.push(
                        Finding::new(
                            Rule::NameIdValue,
                            format!(
                                "{} identifies users by e-mail address",
                                options.profile.title()
                            ),
                        )
                        .severity(Severity::Error)
                        .expected("the user's e-mail address")
                        .actual(value)
                        .fix(checker.fix(Fix::NameIdFormat {
                            format: "Email address",
                            source: "user.mail",
                        }))
                        .at(name_id.value.span.clone()),
                    );
                }
            }
            if let (Some(sp), Some(qualifier)) = (&options.sp_entity_id, &name_id.sp_name_qualifier)
            {
                if qualifier.value.trim() != sp {
                    checker.push(
                        Finding::new(
                            Rule::NameIdSpNameQualifier,
                            "the NameID's SPNameQualifier names another service provider",
                        )
                        .expected(sp.clone())
                        .actual(qualifier.value)
                        .at(qualifier.span.clone()),
                    );
                }
            }
        }
    }
    // Confirmations
    let bearers: Vec<_> = subject
        .confirmations
        .iter()
        .filter(|c| c.is_bearer())
        .collect();
    if options.profile == Profile::AwsIam && subject.confirmations.len() != 1 {
        checker.push(
            Finding::new(
                Rule::ConfirmationCount,
                format!(
                    "AWS requires exactly one SubjectConfirmation; this Subject has {}",
                    subject.confirmations.len()
                ),
            )
            .expected("1")
            .actual(subject.confirmations.len().to_string())
            .at(subject.node.range()),
        );
    }
    let Some(bearer) = bearers.first() else {
        let methods: Vec<&str> = subject
            .confirmations
            .iter()
            .filter_map(|c| attr_str(&c.method))
            .collect();
        checker.push(
            Finding::new(Rule::NoBearerConfirmation, "no bearer SubjectConfirmation")
                .expected(CONFIRMATION_BEARER)
                .actual(if methods.is_empty() {
                    "no SubjectConfirmation".to_string()
                } else {
                    methods.join(", ")
                })
                .at(subject.node.range()),
        );
        return;
    };
    let Some(data) = &bearer.data else {
        checker.push(
            Finding::new(
                Rule::RecipientMissing,
                "the bearer SubjectConfirmation has no SubjectConfirmationData",
            )
            .at(bearer.node.range()),
        );
        return;
    };
    facts.recipient = attr_str(&data.recipient).map(str::to_string);
    let expected_recipient: Vec<String> = match (&options.acs_url, options.profile) {
        (Some(acs), _) => vec![acs.clone()],
        (None, Profile::AwsIam) => vec![AWS_SIGNIN.to_string()],
        _ => Vec::new(),
    };
    match &data.recipient {
        None => checker.push(
            Finding::new(
                Rule::RecipientMissing,
                "the bearer confirmation has no Recipient",
            )
            .expected(
                expected_recipient
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "the ACS URL".into()),
            )
            .actual("none")
            .at(data.node.range()),
        ),
        Some(recipient) => {
            let value = recipient.value.trim();
            let regional_aws = options.profile == Profile::AwsIam
                && options.acs_url.is_none()
                && value.starts_with("https://")
                && value.ends_with(".signin.aws.amazon.com/saml");
            if !expected_recipient.is_empty()
                && !expected_recipient.iter().any(|e| e == value)
                && !regional_aws
            {
                let fix = checker.fix(Fix::ReplyUrl {
                    url: &expected_recipient[0],
                });
                let mut message =
                    "the assertion is addressed to another ACS URL than the service provider's"
                        .to_string();
                if options.profile == Profile::AwsIam {
                    message.push_str(
                        " (AWS sets SAML:aud from this Recipient: the role's trust policy \
                         condition must name the same URL, or AssumeRoleWithSAML answers \"Not \
                         authorized\")",
                    );
                }
                checker.push(
                    Finding::new(Rule::RecipientMismatch, message)
                        .expected(expected_recipient.join(" or "))
                        .actual(value)
                        .fix(fix)
                        .at(recipient.span.clone()),
                );
            }
        }
    }
    match &data.not_on_or_after {
        None => checker.push(
            Finding::new(
                Rule::ConfirmationNotOnOrAfterMissing,
                "the bearer confirmation does not limit its lifetime",
            )
            .expected("NotOnOrAfter on SubjectConfirmationData")
            .actual("none")
            .at(data.node.range()),
        ),
        Some(value) => {
            check_time(checker, Some(value), "SubjectConfirmationData NotOnOrAfter");
            if let Some(end) = value.instant() {
                let late = -checker.now().seconds_until(end);
                if late >= checker.skew() {
                    checker.push(
                        Finding::new(
                            Rule::ConfirmationExpired,
                            format!(
                                "the bearer confirmation expired {} ago",
                                describe_duration(late)
                            ),
                        )
                        .expected(format!(
                            "NotOnOrAfter later than {} − {} s skew",
                            checker.now(),
                            checker.skew()
                        ))
                        .actual(end.to_string())
                        .fix(checker.fix(Fix::Clock))
                        .at(value.text.span.clone()),
                    );
                }
            }
        }
    }
    if let Some(not_before) = &data.not_before {
        checker.push(
            Finding::new(
                Rule::ConfirmationNotBefore,
                "the bearer SubjectConfirmationData carries NotBefore",
            )
            .expected("no NotBefore")
            .actual(not_before.text.value)
            .at(not_before.text.span.clone()),
        );
    }
    if let (Some(request_id), Some(in_response_to)) = (&options.request_id, &data.in_response_to) {
        if in_response_to.value != request_id {
            checker.push(
                Finding::new(
                    Rule::ConfirmationInResponseToMismatch,
                    "the bearer confirmation answers another AuthnRequest",
                )
                .expected(request_id.clone())
                .actual(in_response_to.value)
                .at(in_response_to.span.clone()),
            );
        }
    }
    if options.profile == Profile::AwsIam && options.acs_url.is_none() {
        // nothing more: the recipient check above covered the AWS endpoint
    }
}

fn check_conditions(
    checker: &mut Checker<'_>,
    assertion: &Assertion<'_, '_>,
    facts: &mut MessageFacts,
) {
    let options = checker.options;
    let Some(conditions) = &assertion.conditions else {
        checker.push(
            Finding::new(
                Rule::AudienceMissing,
                "the assertion has no Conditions (no audience, no validity window)",
            )
            .expected("Conditions with an AudienceRestriction")
            .actual("none")
            .at(assertion.node.range()),
        );
        return;
    };
    facts.audiences = conditions
        .audiences()
        .map(|a| a.trimmed().to_string())
        .collect();
    facts.not_before = conditions
        .not_before
        .as_ref()
        .map(|t| t.text.value.to_string());
    facts.not_on_or_after = conditions
        .not_on_or_after
        .as_ref()
        .map(|t| t.text.value.to_string());
    let expected_audiences: Vec<String> = match &options.sp_entity_id {
        Some(sp) => vec![sp.clone()],
        None => options
            .profile
            .default_audiences()
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    if conditions.audience_restrictions.is_empty() {
        checker.push(
            Finding::new(
                Rule::AudienceMissing,
                "the assertion has no AudienceRestriction",
            )
            .expected(
                expected_audiences
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "the SP's entity ID".into()),
            )
            .actual("none")
            .at(conditions.node.range()),
        );
    }
    for restriction in &conditions.audience_restrictions {
        for audience in restriction.iter().filter(|a| a.trimmed().is_empty()) {
            let fix = expected_audiences
                .first()
                .map(|sp| checker.fix(Fix::Identifier { entity_id: sp }));
            let mut finding = Finding::new(Rule::AudienceEmpty, "an Audience element is empty")
                .expected(
                    expected_audiences
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "the SP's entity ID".into()),
                )
                .actual("<Audience/>")
                .at(audience.span.clone());
            if let Some(fix) = fix {
                finding = finding.fix(fix);
            }
            checker.push(finding);
        }
        if expected_audiences.is_empty() {
            continue;
        }
        let regional_aws = |a: &str| {
            options.profile == Profile::AwsIam
                && options.sp_entity_id.is_none()
                && a.starts_with("https://")
                && a.ends_with(".signin.aws.amazon.com/saml")
        };
        let matched = restriction.iter().any(|a| {
            expected_audiences.iter().any(|e| e == a.trimmed()) || regional_aws(a.trimmed())
        });
        if !matched && restriction.iter().any(|a| !a.trimmed().is_empty()) {
            let actual: Vec<&str> = restriction.iter().map(|a| a.trimmed()).collect();
            let fix = checker.fix(Fix::Identifier {
                entity_id: &expected_audiences[0],
            });
            checker.push(
                Finding::new(
                    Rule::AudienceMismatch,
                    "the assertion is meant for another service provider (Audience)",
                )
                .expected(expected_audiences.join(" or "))
                .actual(actual.join(", "))
                .fix(fix)
                .at(restriction[0].span.clone()),
            );
        }
    }
    check_time(
        checker,
        conditions.not_before.as_ref(),
        "Conditions NotBefore",
    );
    check_time(
        checker,
        conditions.not_on_or_after.as_ref(),
        "Conditions NotOnOrAfter",
    );
    let start = conditions.not_before.as_ref().and_then(|t| t.instant());
    let end = conditions
        .not_on_or_after
        .as_ref()
        .and_then(|t| t.instant());
    if let (Some(start), Some(end)) = (start, end) {
        if start >= end {
            checker.push(
                Finding::new(Rule::WindowInverted, "the validity window is empty")
                    .expected("NotBefore < NotOnOrAfter")
                    .actual(format!("{start} ≥ {end}"))
                    .at(conditions.node.range()),
            );
            return;
        }
    }
    let issued = assertion.issue_instant.as_ref().and_then(|t| t.instant());
    if let Some(start) = start {
        let early = checker.now().seconds_until(start);
        if early > checker.skew() {
            let clock = match issued {
                Some(issued) => format!(
                    "; the assertion was issued at {issued}, so the IdP's clock runs about {} ahead of this one",
                    describe_duration(checker.now().seconds_until(issued).max(0))
                ),
                None => String::new(),
            };
            checker.push(
                Finding::new(
                    Rule::NotYetValid,
                    format!(
                        "the assertion becomes valid only in {}{clock}; a clock skew allowance of at least {} s would have been needed (allowed: {} s)",
                        describe_duration(early),
                        early,
                        checker.skew()
                    ),
                )
                .expected(format!("NotBefore at or before {} + {} s", checker.now(), checker.skew()))
                .actual(start.to_string())
                .fix(checker.fix(Fix::Clock))
                .at(conditions.not_before.as_ref().map_or(conditions.node.range(), |t| t.text.span.clone())),
            );
        }
    }
    if let Some(end) = end {
        let late = -checker.now().seconds_until(end);
        if late >= checker.skew() {
            checker.push(
                Finding::new(
                    Rule::Expired,
                    format!(
                        "the assertion expired {} ago; it would take a clock skew allowance of more than {} s to accept it (allowed: {} s)",
                        describe_duration(late),
                        late,
                        checker.skew()
                    ),
                )
                .expected(format!("NotOnOrAfter later than {} − {} s", checker.now(), checker.skew()))
                .actual(end.to_string())
                .fix(checker.fix(Fix::Clock))
                .at(conditions.not_on_or_after.as_ref().map_or(conditions.node.range(), |t| t.text.span.clone())),
            );
        }
    }
}

fn check_attributes(checker: &mut Checker<'_>, assertion: &Assertion<'_, '_>) {
    // Duplicates
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for attribute in &assertion.attributes {
        let name = attribute.name_str();
        if !seen.insert(name) {
            checker.push(
                Finding::new(
                    Rule::ClaimDuplicate,
                    format!("the attribute `{name}` appears more than once"),
                )
                .at(attribute.node.range()),
            );
        }
        if name == "http://schemas.microsoft.com/claims/groups.link" {
            let fix = checker.fix(Fix::GroupsOverage);
            checker.push(
                Finding::new(
                    Rule::GroupsOverage,
                    "the user is in too many groups: Entra ID sent a groups.link instead of the \
                     groups claim, so the service provider sees no groups",
                )
                .expected("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups")
                .actual(name)
                .fix(fix)
                .at(attribute.node.range()),
            );
        }
        for value in &attribute.values {
            if let Some(placeholder) = placeholder_in(value.text.as_str()) {
                checker.push(
                    Finding::new(
                        Rule::Placeholder,
                        format!(
                            "the value of `{name}` still holds the placeholder `{placeholder}`"
                        ),
                    )
                    .actual(value.text.as_str())
                    .at(value.text.span.clone()),
                );
            }
        }
    }
    for encrypted in &assertion.encrypted_attributes {
        checker.push(
            Finding::new(
                Rule::EncryptedAttribute,
                "an attribute is encrypted (EncryptedAttribute)",
            )
            .fix("pass the service provider's private key with --sp-key FILE")
            .at(encrypted.node.range()),
        );
    }
    // Placeholders in the addressing values too.
    let mut addressed: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    if let Some(conditions) = &assertion.conditions {
        for audience in conditions.audiences() {
            addressed.push((audience.as_str(), audience.span.clone()));
        }
    }
    if let Some(subject) = &assertion.subject {
        for confirmation in &subject.confirmations {
            if let Some(recipient) = confirmation
                .data
                .as_ref()
                .and_then(|d| d.recipient.as_ref())
            {
                addressed.push((recipient.value, recipient.span.clone()));
            }
        }
    }
    for (value, span) in addressed {
        if let Some(placeholder) = placeholder_in(value) {
            checker.push(
                Finding::new(
                    Rule::Placeholder,
                    format!("`{value}` still holds the placeholder `{placeholder}`"),
                )
                .actual(value)
                .fix("replace the placeholder with the real value in the IdP's Basic SAML Configuration")
                .at(span),
            );
        }
    }
    if let Some(wanted) = checker.options.user_id_attribute() {
        require_attribute(
            checker,
            assertion,
            wanted,
            AttributeShape::Email,
            true,
            None,
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AttributeShape {
    Email,
    Any,
}

/// Checks that an attribute with exactly `wanted` as Name is present with one non-empty value
/// of the right shape; explains near misses.
fn require_attribute<'a, 'i>(
    checker: &mut Checker<'_>,
    assertion: &'a Assertion<'a, 'i>,
    wanted: &str,
    shape: AttributeShape,
    single: bool,
    fix_when_missing: Option<Fix<'_>>,
) -> Option<&'a Attribute<'a, 'i>> {
    let source = if shape == AttributeShape::Email {
        "user.mail"
    } else {
        "the right user attribute"
    };
    let Some(attribute) = assertion.attributes.iter().find(|a| a.name_str() == wanted) else {
        let mut near: Vec<(&Attribute<'_, '_>, NearMiss)> = assertion
            .attributes
            .iter()
            .filter_map(|a| {
                near_miss(wanted, a.name_str(), attr_str(&a.friendly_name)).map(|n| (a, n))
            })
            .collect();
        near.sort_by_key(|(_, why)| why.rank());
        let present: Vec<&str> = assertion.attributes.iter().map(|a| a.name_str()).collect();
        let mut message = format!("the assertion has no attribute named exactly `{wanted}`");
        if checker.options.profile == Profile::AmazonQBusiness {
            message.push_str(" (Amazon Q Business shows \"Permission needed\")");
        }
        let fix = match (near.first(), fix_when_missing) {
            (Some((_, NearMiss::NamespacePrefixed)), _) => {
                checker.fix(Fix::ClearClaimNamespace { name: wanted })
            }
            (_, Some(fix)) => checker.fix(fix),
            _ => checker.fix(Fix::AddClaim {
                name: wanted,
                source,
            }),
        };
        if let Some((attribute, why)) = near.first() {
            message.push_str(&format!(
                "; did you mean `{}`? {}",
                attribute.name_str(),
                why.explain()
            ));
        }
        let span = near
            .first()
            .map(|(a, _)| a.node.range())
            .or_else(|| {
                xml::child_named(assertion.node, xml::ns::SAML, "AttributeStatement")
                    .map(|s| s.range())
            })
            .unwrap_or(assertion.node.range());
        let mut fix_text = fix;
        if near.is_empty() && shape == AttributeShape::Email {
            fix_text.push_str(&format!(
                "; if such a claim is already configured, this user's e-mail is empty and the IdP \
                 leaves the empty claim out: {}",
                checker.fix(Fix::PopulateSource {
                    claim: wanted,
                    source
                })
            ));
        }
        if checker.options.profile == Profile::AmazonQBusiness {
            fix_text.push_str(&format!(
                "; or set the \"Email attribute\" field in Amazon Q Business to the exact name the \
                 IdP sends{}",
                near.first()
                    .map(|(a, _)| format!(" (`{}`)", a.name_str()))
                    .unwrap_or_default()
            ));
        }
        checker.push(
            Finding::new(Rule::ClaimMissing, message)
                .expected(format!("an Attribute with Name=\"{wanted}\""))
                .actual(match present.len() {
                    0 => "no attributes".to_string(),
                    1..=8 => format!("attributes: {}", present.join(", ")),
                    n => format!("attributes: {}, … ({n} in all)", present[..8].join(", ")),
                })
                .fix(fix_text)
                .at(span),
        );
        return None;
    };
    let values: Vec<&str> = attribute.values.iter().map(|v| v.text.trimmed()).collect();
    if values.is_empty() || values.iter().all(|v| v.is_empty()) {
        let fix = checker.fix(Fix::PopulateSource {
            claim: wanted,
            source,
        });
        checker.push(
            Finding::new(
                Rule::ClaimEmpty,
                format!("the attribute `{wanted}` has no value"),
            )
            .expected(if shape == AttributeShape::Email {
                "the user's e-mail address".to_string()
            } else {
                "a value".to_string()
            })
            .actual(if values.is_empty() {
                "no AttributeValue".to_string()
            } else {
                "\"\"".to_string()
            })
            .fix(fix)
            .at(attribute.node.range()),
        );
        return Some(attribute);
    }
    if single && values.len() > 1 {
        checker.push(
            Finding::new(
                Rule::ClaimMultipleValues,
                format!(
                    "the attribute `{wanted}` has {} values; one is expected",
                    values.len()
                ),
            )
            .expected("one value")
            .actual(values.join(", "))
            .at(attribute.node.range()),
        );
    }
    if shape == AttributeShape::Email {
        if let Some(bad) = values.iter().find(|v| !looks_like_email(v)) {
            checker.push(
                Finding::new(
                    Rule::ClaimValueFormat,
                    format!("the attribute `{wanted}` does not hold an e-mail address"),
                )
                .expected("an e-mail address such as alice@example.com")
                .actual(*bad)
                .fix(checker.fix(Fix::AddClaim {
                    name: wanted,
                    source: "user.mail",
                }))
                .at(attribute.values[0].text.span.clone()),
            );
        }
    }
    Some(attribute)
}

fn check_profile(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    assertion: &Assertion<'_, '_>,
    verification: &VerificationReport<'_, '_>,
) {
    let options = checker.options;
    match options.profile {
        Profile::AwsIam => check_aws_iam(checker, assertion),
        Profile::Slack => {
            let response_signed = verification.signatures.iter().any(|s| {
                s.parent.as_ref().is_some_and(|p| p.name == "Response")
                    && (s.outcome == SignatureOutcome::Verified
                        || verification.verdict == SignatureVerdict::NoTrustConfigured)
            }) || (verification.signatures.is_empty()
                && !response.header.signatures.is_empty());
            if !response_signed {
                let where_signed = if assertion.signatures.is_empty() {
                    "no signature at all"
                } else {
                    "a Signature only inside <Assertion>"
                };
                checker.push(
                    Finding::new(
                        Rule::ResponseNotSigned,
                        "Slack verifies the signature of the Response, and this Response is not signed",
                    )
                    .expected("a ds:Signature directly in <samlp:Response>")
                    .actual(where_signed)
                    .fix(checker.fix(Fix::SignResponse))
                    .at(response.node.range()),
                );
            }
        }
        Profile::Github => {
            if let Some(acs) = &options.acs_url {
                if !acs.trim_end_matches('/').ends_with("/saml/consume") {
                    checker.push(
                        Finding::new(
                            Rule::DestinationMismatch,
                            "GitHub's ACS URL ends with /saml/consume",
                        )
                        .severity(Severity::Warning)
                        .expected("https://github.com/enterprises/<enterprise>/saml/consume (or /orgs/<org>/saml/consume)")
                        .actual(acs.clone()),
                    );
                }
            }
        }
        Profile::Atlassian => {
            for (wanted, alternative) in [
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                    "givenname",
                ),
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                    "surname",
                ),
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                    "name",
                ),
            ] {
                let present = assertion.attributes.iter().any(|a| {
                    a.name_str() == wanted || a.name_str().eq_ignore_ascii_case(alternative)
                });
                if !present {
                    let fix = checker.fix(Fix::AddClaim {
                        name: alternative,
                        source: "the user's profile",
                    });
                    checker.push(
                        Finding::new(
                            Rule::ClaimMissing,
                            format!("Atlassian Cloud expects the `{alternative}` claim"),
                        )
                        .severity(Severity::Warning)
                        .expected(wanted)
                        .actual("absent")
                        .fix(fix)
                        .at(assertion.node.range()),
                    );
                }
            }
        }
        Profile::Generic | Profile::AmazonQBusiness | Profile::AwsIdentityCenter => {}
    }
    if options.want_assertions_signed && assertion.signatures.is_empty() {
        checker.push(
            Finding::new(
                Rule::AssertionNotSigned,
                "the service provider wants signed assertions (WantAssertionsSigned), and this \
                 assertion carries no signature of its own",
            )
            .expected("a ds:Signature inside <saml:Assertion>")
            .actual(if response.header.signatures.is_empty() {
                "no signature"
            } else {
                "a signature on the Response only"
            })
            .fix(checker.fix(Fix::SignAssertion))
            .at(assertion.node.range()),
        );
    }
}

fn is_role_arn(arn: &str) -> bool {
    arn_parts(arn, "role/")
}

fn is_provider_arn(arn: &str) -> bool {
    arn_parts(arn, "saml-provider/")
}

fn arn_parts(arn: &str, resource_prefix: &str) -> bool {
    // arn:<partition>:iam::<12 digits>:<resource_prefix><name>
    let parts: Vec<&str> = arn.trim().splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5].starts_with(resource_prefix)
        && parts[5].len() > resource_prefix.len()
}

fn check_aws_iam(checker: &mut Checker<'_>, assertion: &Assertion<'_, '_>) {
    if let Some(role) = require_attribute(
        checker,
        assertion,
        AWS_ROLE,
        AttributeShape::Any,
        false,
        Some(Fix::AwsRole),
    ) {
        for value in &role.values {
            let text = value.text.trimmed();
            if text.is_empty() {
                continue;
            }
            let pair: Vec<&str> = text.split(',').map(str::trim).collect();
            let problem = match pair.as_slice() {
                [role_arn, provider_arn]
                    if is_role_arn(role_arn) && is_provider_arn(provider_arn) =>
                {
                    None
                }
                [provider_arn, role_arn]
                    if is_role_arn(role_arn) && is_provider_arn(provider_arn) =>
                {
                    Some((
                        Severity::Warning,
                        "the provider ARN comes first; AWS documents role-arn,provider-arn",
                    ))
                }
                [single] if is_role_arn(single) => Some((
                    Severity::Error,
                    "only a role ARN: the SAML provider ARN is missing",
                )),
                _ => Some((Severity::Error, "not a role-arn,provider-arn pair")),
            };
            if let Some((severity, problem)) = problem {
                let fix = checker.fix(Fix::AwsRole);
                checker.push(
                    Finding::new(Rule::ClaimValueFormat, format!("Role value: {problem}"))
                        .severity(severity)
                        .expected("arn:aws:iam::<account>:role/<role>,arn:aws:iam::<account>:saml-provider/<provider>")
                        .actual(text)
                        .fix(fix)
                        .at(value.text.span.clone()),
                );
            }
        }
    }
    // RoleSessionName
    match assertion.attributes_named(AWS_ROLE_SESSION_NAME).next() {
        None => {
            let near = assertion.attributes.iter().find_map(|a| {
                near_miss(
                    AWS_ROLE_SESSION_NAME,
                    a.name_str(),
                    attr_str(&a.friendly_name),
                )
                .map(|n| (a, n))
            });
            let mut message =
                "RoleSessionName is required in AuthnResponse: the attribute is missing"
                    .to_string();
            if let Some((attribute, why)) = near {
                message.push_str(&format!(
                    "; did you mean `{}`? {}",
                    attribute.name_str(),
                    why.explain()
                ));
            }
            checker.push(
                Finding::new(Rule::ClaimMissing, message)
                    .expected(format!(
                        "an Attribute with Name=\"{AWS_ROLE_SESSION_NAME}\""
                    ))
                    .actual("absent")
                    .fix(checker.fix(Fix::AwsRoleSessionName))
                    .at(assertion.node.range()),
            );
        }
        Some(attribute) => {
            let values: Vec<&str> = attribute.values.iter().map(|v| v.text.trimmed()).collect();
            if values.len() != 1 {
                checker.push(
                    Finding::new(
                        Rule::ClaimMultipleValues,
                        "RoleSessionName must have exactly one value",
                    )
                    .expected("one value")
                    .actual(values.join(", "))
                    .at(attribute.node.range()),
                );
            }
            if let Some(value) = values.first() {
                let valid = (2..=64).contains(&value.chars().count())
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
                if !valid {
                    checker.push(
                        Finding::new(
                            Rule::ClaimValueFormat,
                            "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
                        )
                        .expected("2-64 characters of letters, digits and +=,.@_-")
                        .actual(*value)
                        .fix(checker.fix(Fix::AwsRoleSessionName))
                        .at(attribute.values[0].text.span.clone()),
                    );
                }
            }
        }
    }
    if let Some(attribute) = assertion.attributes_named(AWS_SESSION_DURATION).next() {
        let value = attribute
            .values
            .first()
            .map(|v| v.text.trimmed())
            .unwrap_or("");
        let ok = value
            .parse::<u32>()
            .is_ok_and(|d| (900..=43_200).contains(&d));
        if !ok {
            checker.push(
                Finding::new(
                    Rule::ClaimValueFormat,
                    "SessionDuration must be 900 to 43200 seconds",
                )
                .expected("an integer from 900 to 43200")
                .actual(value)
                .at(attribute.node.range()),
            );
        }
    }
    if let Some(tag) = assertion
        .attributes
        .iter()
        .find(|a| a.name_str().starts_with(AWS_PRINCIPAL_TAG_PREFIX))
    {
        checker.push(
            Finding::new(
                Rule::PrincipalTagNeedsTagSession,
                format!(
                    "`{}` is a session tag: the role's trust policy must allow sts:TagSession, or \
                     AWS answers \"Not authorized to perform sts:AssumeRoleWithSAML\"",
                    tag.name_str()
                ),
            )
            .fix("add \"sts:TagSession\" to the Action of the role's trust policy statement for the SAML provider")
            .at(tag.node.range()),
        );
    }
}

fn check_signatures(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    verification: &VerificationReport<'_, '_>,
    claims_verified: bool,
    decision: Option<&Assertion<'_, '_>>,
) {
    for finding in verification.all_findings() {
        let converted = crate::catalogue::from_verifier(finding, checker.idp);
        checker.push(converted);
    }
    if decision.is_none() || claims_verified {
        if claims_verified
            && checker.options.profile == Profile::AmazonQBusiness
            && !checker
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error)
        {
            checker.push(Finding::new(
                Rule::AuthorizationNotSaml,
                "the SAML Response carries everything Amazon Q Business reads; if it still \
                 answers \"Permissions needed… 403\", check the user's subscription and the \
                 application's role permissions",
            ));
        }
        return;
    }
    let assertion = decision.expect("checked above");
    let (reason, fix) = match verification.verdict {
        SignatureVerdict::NoTrustConfigured => (
            "no trusted key was given, so no signature can be verified".to_string(),
            "pass the IdP's metadata with --idp-metadata FILE (Entra ID: Single sign-on › SAML \
             Certificates › Federation Metadata XML), or its certificate with --idp-cert FILE, or \
             its SHA-256 fingerprint with --idp-fingerprint"
                .to_string(),
        ),
        SignatureVerdict::NotSigned => (
            "the message carries no signature at all".to_string(),
            checker.fix(Fix::SignAssertion),
        ),
        SignatureVerdict::Rejected => (
            "the document has a shape used by signature-wrapping attacks, so nothing in it is \
             treated as signed"
                .to_string(),
            "do not accept this message; capture a fresh one straight from the identity provider"
                .to_string(),
        ),
        SignatureVerdict::Verified | SignatureVerdict::NotVerified => {
            let failing = verification
                .signatures
                .iter()
                .find(|s| s.outcome == SignatureOutcome::Failed);
            match failing.and_then(|s| s.stage) {
                Some(Stage::UntrustedKey) => (
                    "the signature verifies only with a key you do not trust (the certificate in \
                     the message): the IdP signs with a certificate your metadata does not have"
                        .to_string(),
                    checker.fix(Fix::RefreshMetadata),
                ),
                Some(Stage::SignatureMismatch) => (
                    "the signature does not verify with any trusted key".to_string(),
                    checker.fix(Fix::RefreshMetadata),
                ),
                Some(Stage::DigestMismatch) => (
                    "the signed content was modified after it was signed".to_string(),
                    "capture the Response again without editing or re-formatting it".to_string(),
                ),
                Some(stage) => (
                    format!("the signature failed at the {} stage", stage_name(stage)),
                    "see the signature findings above".to_string(),
                ),
                None => (
                    "no verified signature covers the assertion".to_string(),
                    checker.fix(Fix::SignAssertion),
                ),
            }
        }
    };
    checker.push(
        Finding::new(
            Rule::ClaimsNotVerified,
            format!("the assertion's subject and claims are not covered by a verified signature: {reason}"),
        )
        .expected("a signature from a trusted key over the Assertion or the Response")
        .actual(reason)
        .fix(fix)
        .at(assertion.node.range()),
    );
    let _ = response;
}

/// Lints an AuthnRequest against what the IdP is configured with (the SP's entity ID and ACS).
pub fn lint_authn_request(request: &AuthnRequest<'_, '_>, options: &LintOptions) -> Report {
    let text = request.node.document().input_text();
    let destination = attr_str(&request.header.destination).unwrap_or("");
    let idp = if destination.starts_with("https://login.microsoftonline.com/") {
        Idp::EntraId
    } else {
        options
            .idp_entity_id
            .as_deref()
            .map_or(Idp::Generic, Idp::detect)
    };
    let mut checker = Checker {
        text,
        lines: std::cell::OnceCell::new(),
        options,
        idp,
        findings: Vec::new(),
    };
    let issuer = request
        .header
        .issuer
        .as_ref()
        .map(|i| i.value.trimmed().to_string());
    if let (Some(acs), Some(requested)) =
        (&options.acs_url, &request.assertion_consumer_service_url)
    {
        if requested.value != acs {
            checker.push(
                Finding::new(
                    Rule::RequestAcsMismatch,
                    "the request asks the IdP to post to an ACS URL other than the configured one \
                     (Entra ID: AADSTS50011)",
                )
                .expected(acs.clone())
                .actual(requested.value)
                .fix(checker.fix(Fix::ReplyUrl {
                    url: requested.value,
                }))
                .at(requested.span.clone()),
            );
        }
    }
    if let Some(requested) = &request.assertion_consumer_service_url {
        if let Some(placeholder) = placeholder_in(requested.value) {
            checker.push(
                Finding::new(
                    Rule::Placeholder,
                    format!("the ACS URL still holds the placeholder `{placeholder}`"),
                )
                .actual(requested.value)
                .at(requested.span.clone()),
            );
        }
    }
    if let (Some(sp), Some(issuer_node)) = (&options.sp_entity_id, &request.header.issuer) {
        if issuer_node.value.trimmed() != sp {
            checker.push(
                Finding::new(
                    Rule::RequestIssuerMismatch,
                    "the request's Issuer is not the Identifier configured at the IdP (Entra ID: AADSTS700016)",
                )
                .expected(sp.clone())
                .actual(issuer_node.value.trimmed())
                .fix(checker.fix(Fix::Identifier { entity_id: issuer_node.value.trimmed() }))
                .at(issuer_node.value.span.clone()),
            );
        }
    }
    if let Some(id) = &request.header.id {
        if id.value.starts_with(|c: char| c.is_ascii_digit()) {
            checker.push(
                Finding::new(
                    Rule::RequestIdStartsWithDigit,
                    "the request ID starts with a digit",
                )
                .expected("an ID starting with a letter or underscore")
                .actual(id.value)
                .at(id.span.clone()),
            );
        }
    }
    if request.has_subject {
        checker.push(
            Finding::new(
                Rule::RequestHasSubject,
                "the AuthnRequest carries a Subject",
            )
            .at(request.node.range()),
        );
    }
    check_time(
        &mut checker,
        request.header.issue_instant.as_ref(),
        "AuthnRequest IssueInstant",
    );
    let facts = MessageFacts {
        kind: "authn-request".into(),
        issuer,
        destination: attr_str(&request.header.destination).map(str::to_string),
        ..MessageFacts::default()
    };
    let mut findings = checker.findings;
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let verdict = if findings.iter().any(|f| f.severity == Severity::Error) {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    Report {
        verdict,
        profile: options.profile.name().to_string(),
        idp,
        findings,
        subject: None,
        attributes: Vec::new(),
        signature: SignatureSummary {
            verified: false,
            verdict: "not-applicable".into(),
            signatures: Vec::new(),
        },
        facts,
    }
}
