//! Findings and the report of one message: what is wrong, where, what was expected, what was
//! found, what to change — and the verdict.

use std::borrow::Cow;
use std::ops::Range;

use samlkit_parse::xml::LineColumn;
use samlkit_verify::report::{FindingCode, MissingInput};
use serde::Serialize;

use crate::code::Code;
use crate::idp::{Idp, IdpDetection};
use crate::rules::{Rule, Severity};

/// One problem (or note) about a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `claims/required-missing` or `signature/digest-mismatch`.
    pub code: Code,
    pub severity: Severity,
    /// The rule's title (static text, shared by every finding of the rule).
    pub title: Cow<'static, str>,
    /// What was found, in plain words, for this message (often static text: an aggregate's
    /// report holds one for every finding of tens of thousands of entities).
    pub message: Cow<'static, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// What to change, naming the console and field of the detected IdP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Cow<'static, str>>,
    /// Line and column in the decoded XML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<LineColumn>,
    /// Byte range in the decoded XML.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// The input whose absence this finding is about, so a front end can say how to give it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingInput>,
}

impl Finding {
    pub fn new(rule: Rule, message: impl Into<Cow<'static, str>>) -> Finding {
        let info = rule.info();
        Finding {
            code: Code::Rule(rule),
            severity: info.severity,
            title: Cow::Borrowed(info.title),
            message: message.into(),
            expected: None,
            actual: None,
            fix: None,
            location: None,
            span: None,
            missing: None,
        }
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn actual(mut self, actual: impl Into<String>) -> Self {
        self.actual = Some(actual.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<Cow<'static, str>>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn missing(mut self, input: MissingInput) -> Self {
        self.missing = Some(input);
        self
    }

    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// True when this finding has this code (a [`Rule`], a verifier code or a federation
    /// rule).
    pub fn is(&self, code: impl Into<Code>) -> bool {
        self.code == code.into()
    }
}

/// The verdict on one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No errors: sign-in would succeed as far as SAML can tell.
    Pass,
    /// At least one error.
    Fail,
    /// Nothing fails, but no trusted key was given, so the claims are unverified.
    Unverified,
}

/// Where the profile a message was judged by came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileSource {
    /// `--profile`.
    Flag,
    /// The configuration file.
    Config,
    /// Recognised in the message's URLs.
    Detected,
    /// Nothing given and nothing recognised: `generic`.
    #[default]
    Default,
}

/// Where the instant a message was judged at came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockSource {
    /// `--now`, or the caller's fixed instant.
    #[default]
    Flag,
    /// The configuration file.
    Config,
    /// The system clock.
    System,
    /// The time the browser recorded the request (HAR `startedDateTime`, SAML-tracer
    /// `timestamp`).
    Capture,
    /// The message's own IssueInstant: an old paste, judged as when it was issued.
    IssueInstant,
}

/// The subject as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectView {
    pub name_id: Option<String>,
    pub format: Option<String>,
    /// True when the assertion it was read from is covered by a verified signature.
    pub verified: bool,
}

/// One attribute as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeView {
    pub name: String,
    pub friendly_name: Option<String>,
    pub values: Vec<String>,
}

/// One signature's outcome, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureView {
    /// The element it signs, e.g. `Assertion`.
    pub on: Option<String>,
    pub outcome: String,
    /// Where it failed, when it did.
    pub stage: Option<String>,
    pub algorithm: Option<String>,
    pub verified_by: Option<String>,
    pub location: Option<LineColumn>,
}

/// Signature facts for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureSummary {
    /// True when the claims that decide sign-in are covered by a verified signature.
    pub verified: bool,
    /// The verifier's verdict on the document, e.g. `verified`, `no-trust-configured`.
    pub verdict: String,
    pub signatures: Vec<SignatureView>,
}

/// Who, from whom, for whom, until when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MessageFacts {
    pub kind: String,
    pub issuer: Option<String>,
    pub destination: Option<String>,
    pub audiences: Vec<String>,
    pub recipient: Option<String>,
    pub in_response_to: Option<String>,
    pub not_before: Option<String>,
    pub not_on_or_after: Option<String>,
    pub status: Option<String>,
    pub assertion_id: Option<String>,
}

/// Everything `explain` says about one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    pub profile: String,
    pub profile_source: ProfileSource,
    /// The field and value the profile was recognised in, when it was detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_detected: Option<crate::profile_detect::DetectedProfile>,
    /// The instant the validity windows were judged at (RFC 3339, UTC).
    pub judged_at: String,
    pub judged_at_source: ClockSource,
    pub idp: Idp,
    /// What the identity provider was recognised from (absent when it was not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_detected_from: Option<IdpDetection>,
    pub findings: Vec<Finding>,
    pub subject: Option<SubjectView>,
    pub attributes: Vec<AttributeView>,
    pub signature: SignatureSummary,
    pub facts: MessageFacts,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn has(&self, rule: Rule) -> bool {
        self.findings.iter().any(|f| f.is(rule))
    }

    /// Adds a finding found after linting (by the caller: replay across messages, the
    /// HTTP-Redirect binding) and keeps the verdict and the notes consistent with it.
    pub fn add(&mut self, finding: Finding) {
        // Keep the order of `fix_order`: what to fix first leads.
        let key = fix_order(&finding);
        let at = self
            .findings
            .iter()
            .position(|f| fix_order(f) > key)
            .unwrap_or(self.findings.len());
        self.findings.insert(at, finding);
        self.settle();
    }

    /// Recomputes the verdict from the findings; a report with errors never keeps the note
    /// that the SAML is fine. Missing trust alone makes the verdict `unverified`, not `fail`.
    pub fn settle(&mut self) {
        let failed = self.findings.iter().any(|f| f.severity == Severity::Error);
        let untrusted = self
            .findings
            .iter()
            .any(|f| f.is(FindingCode::NoTrustConfigured));
        if failed || untrusted {
            self.findings.retain(|f| !f.is(Rule::AuthorizationNotSaml));
        }
        self.verdict = if failed {
            Verdict::Fail
        } else if untrusted {
            Verdict::Unverified
        } else {
            Verdict::Pass
        };
    }
}

/// The order findings are shown in, what to fix first leading: errors before warnings before
/// notes, and within a severity trust and signatures (nothing else can be believed before
/// them), then what the service provider requires, then time (an expired window is often
/// just an old capture).
pub fn fix_order(finding: &Finding) -> (std::cmp::Reverse<Severity>, u8) {
    // The summary "claims not verified" follows the signature finding that says why.
    let area = match finding.code.area() {
        _ if finding.is(Rule::ClaimsNotVerified) => 1,
        "signature" | "cert" | "trust" | "encryption" | "decryption" | "binding" => 0,
        "time" => 3,
        _ => 2,
    };
    (std::cmp::Reverse(finding.severity), area)
}
