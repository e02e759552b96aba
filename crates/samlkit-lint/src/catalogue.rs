//! The full list of codes samlkit reports: the linter's own rules and every finding of the
//! signature verifier, each as its own rule under `signature/` or `cert/`.

use samlkit_verify::report::{FindingCode, Severity as VerifierSeverity};
use serde::Serialize;

use crate::idp::{Fix, Idp};
use crate::rules::{Rule, Severity};

/// One entry of the catalogue, for `samlkit rules`, the docs pages and SARIF rule metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueEntry {
    pub code: String,
    pub severity: Severity,
    pub title: String,
    pub description: String,
    /// How to fix it at each identity provider (empty when no console change applies).
    pub fixes: Vec<IdpFix>,
    /// For federation rules: where the rule set states the requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The fix for one identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdpFix {
    pub idp: Idp,
    pub idp_name: &'static str,
    pub fix: String,
}

/// The console change that fixes what a rule reports, with placeholders for the values a
/// report fills in.
fn rule_fix(rule: Rule) -> Option<Fix<'static>> {
    let fix = match rule {
        Rule::ClaimMissing | Rule::ClaimValueFormat => Fix::AddClaim {
            name: "<the attribute name the SP reads, e.g. Email>",
            source: "user.mail",
        },
        Rule::ClaimEmpty | Rule::NameIdEmpty => Fix::PopulateSource {
            claim: "<the claim>",
            source: "user.mail",
        },
        Rule::NameIdFormat | Rule::NameIdMissing | Rule::NameIdValue => Fix::NameIdFormat {
            format: "<the format the SP needs, e.g. Unspecified>",
            source: "user.mail",
        },
        Rule::DestinationMismatch | Rule::RecipientMismatch | Rule::RequestAcsMismatch => {
            Fix::ReplyUrl {
                url: "<the SP's ACS URL>",
            }
        }
        Rule::AudienceMismatch | Rule::AudienceEmpty | Rule::RequestIssuerMismatch => {
            Fix::Identifier {
                entity_id: "<the SP's entity ID>",
            }
        }
        Rule::ResponseNotSigned => Fix::SignResponse,
        Rule::AssertionNotSigned | Rule::ClaimsNotVerified => Fix::SignAssertion,
        Rule::IssuerMismatch | Rule::AssertionIssuerMismatch => Fix::RefreshMetadata,
        Rule::StatusNotSuccess => Fix::AssignUser,
        Rule::NotYetValid | Rule::Expired | Rule::ConfirmationExpired | Rule::IssuedInFuture => {
            Fix::Clock
        }
        Rule::GroupsOverage => Fix::GroupsOverage,
        _ => return None,
    };
    Some(fix)
}

/// The console change that fixes what a verifier code reports, where there is one. Every code
/// is listed, so a new code has to decide.
fn verifier_fix(code: FindingCode) -> Option<Fix<'static>> {
    match code {
        FindingCode::UntrustedKey
        | FindingCode::KeyInfoCertificateNotTrusted
        | FindingCode::SignatureMismatch
        | FindingCode::CertificateExpired => Some(Fix::RefreshMetadata),
        FindingCode::NotSigned => Some(Fix::SignAssertion),
        FindingCode::Sha1Deprecated => Some(Fix::SignResponse),
        FindingCode::NoTrustConfigured
        | FindingCode::SignatureMisplaced
        | FindingCode::ElementMisplaced
        | FindingCode::MalformedSignature
        | FindingCode::MultipleSignedInfo
        | FindingCode::MultipleReferences
        | FindingCode::ObjectOrManifest
        | FindingCode::MarkupInSignatureData
        | FindingCode::InvalidBase64
        | FindingCode::LookalikeNamespace
        | FindingCode::DuplicateId
        | FindingCode::MultipleAssertions
        | FindingCode::ReferenceWholeDocument
        | FindingCode::ReferenceNotSameDocument
        | FindingCode::ReferenceNotFound
        | FindingCode::ReferenceAmbiguous
        | FindingCode::ReferenceNotParent
        | FindingCode::SignedElementWithoutId
        | FindingCode::TransformNotAllowed
        | FindingCode::TooManyTransforms
        | FindingCode::InclusiveNamespacesInvalid
        | FindingCode::UnsupportedAlgorithm
        | FindingCode::HmacRefused
        | FindingCode::DsaDeprecated
        | FindingCode::NonStandardAlgorithmUri
        | FindingCode::DigestMismatch
        | FindingCode::KeyInfoPemWrapped
        | FindingCode::CertificateNotYetValid
        | FindingCode::WeakRsaKey
        | FindingCode::CertificateSha1Signature
        | FindingCode::CommentInSignedText
        | FindingCode::KeyInfoCertificateUnreadable
        | FindingCode::SignedAssertionInUnsignedAdvice
        | FindingCode::TransformXpathOrXslt => None,
    }
}

fn fixes(fix: Option<Fix<'static>>) -> Vec<IdpFix> {
    let Some(fix) = fix else { return Vec::new() };
    Idp::all()
        .iter()
        .map(|idp| IdpFix {
            idp: *idp,
            idp_name: idp.name(),
            fix: fix.text(*idp),
        })
        .collect()
}

/// The code and title under which a verifier finding is reported (both from the verifier's
/// code table).
pub fn verifier_code(code: FindingCode) -> (String, &'static str) {
    (code.qualified(), code.info().title)
}

fn severity_of(severity: VerifierSeverity) -> Severity {
    match severity {
        VerifierSeverity::Error => Severity::Error,
        VerifierSeverity::Warning => Severity::Warning,
        VerifierSeverity::Info => Severity::Info,
    }
}

/// Every code samlkit can report, linter rules first, then verifier findings.
pub fn catalogue() -> Vec<CatalogueEntry> {
    let mut entries: Vec<CatalogueEntry> = Rule::ALL
        .iter()
        .map(|rule| {
            let info = rule.info();
            CatalogueEntry {
                code: info.code.to_string(),
                severity: info.severity,
                title: info.title.to_string(),
                description: info.description.to_string(),
                fixes: fixes(rule_fix(*rule)),
                source: None,
            }
        })
        .collect();
    for code in FindingCode::ALL {
        let info = code.info();
        entries.push(CatalogueEntry {
            code: code.qualified(),
            severity: severity_of(info.severity),
            title: info.title.to_string(),
            description: info.description.to_string(),
            fixes: fixes(verifier_fix(*code)),
            source: None,
        });
    }
    entries.extend(crate::federation::FederationRule::ALL.iter().map(|rule| {
        let info = rule.info();
        CatalogueEntry {
            code: info.code.to_string(),
            severity: info.severity,
            title: info.title.to_string(),
            description: info.description.to_string(),
            fixes: vec![IdpFix {
                idp: Idp::GENERIC,
                idp_name: Idp::GENERIC.name(),
                fix: info.fix.to_string(),
            }],
            source: Some(info.reference.to_string()),
        }
    }));
    entries
}

/// A verifier finding as the linter reports it: its `signature/…` or `cert/…` code and title,
/// and, where the verifier gave no fix, the console change for the detected IdP.
pub fn from_verifier(
    finding: &samlkit_verify::report::Finding,
    idp: Idp,
) -> crate::report::Finding {
    let (code, title) = verifier_code(finding.code);
    let severity = severity_of(finding.severity);
    let console = verifier_fix(finding.code).map(|fix| fix.text(idp));
    let fix = match (finding.fix.clone(), console) {
        // A key the SP does not trust, or a signature no trusted key verifies, is most often a
        // certificate rotated at the IdP, and a missing signature a switch at the IdP: that
        // IdP's own console steps follow the verifier's advice, which names no console.
        (Some(own), Some(console))
            if matches!(
                finding.code,
                FindingCode::UntrustedKey
                    | FindingCode::KeyInfoCertificateNotTrusted
                    | FindingCode::SignatureMismatch
                    | FindingCode::NotSigned
            ) =>
        {
            Some(format!("{own}; {console}"))
        }
        (Some(own), _) => Some(own),
        (None, console) => console,
    };
    crate::report::Finding {
        code,
        severity,
        title: title.to_string(),
        message: finding.message.clone(),
        expected: None,
        actual: None,
        fix,
        location: None,
        span: finding.span.map(|s| s.start..s.end),
        missing: finding.missing,
    }
}
