//! The full list of codes samlkit reports: the linter's own rules and every finding of the
//! signature verifier, each as its own rule under `signature/` or `cert/`.

use samlkit_verify::report::FindingCode;
use serde::Serialize;

use crate::code::Code;
use crate::idp::{Fix, Idp};
use crate::rules::{Rule, Severity};

/// One entry of the catalogue, for `samlkit rules`, the docs pages and SARIF rule metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueEntry {
    pub code: Code,
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

/// The catalogue's entry for one code.
pub fn entry(code: Code) -> CatalogueEntry {
    let (fixes, source) = match code {
        Code::Rule(rule) => (fixes(rule_fix(rule)), None),
        Code::Verifier(code) => (fixes(verifier_fix(code)), None),
        Code::Federation(rule) => {
            let info = rule.info();
            let fix = IdpFix {
                idp: Idp::GENERIC,
                idp_name: Idp::GENERIC.name(),
                fix: info.fix.to_string(),
            };
            (vec![fix], Some(info.reference.to_string()))
        }
    };
    CatalogueEntry {
        code,
        severity: code.severity(),
        title: code.title().to_string(),
        description: code.description().to_string(),
        fixes,
        source,
    }
}

/// Every code samlkit can report: linter rules, then verifier findings, then federation rules.
pub fn catalogue() -> Vec<CatalogueEntry> {
    Code::all().map(entry).collect()
}

/// A verifier finding as the linter reports it: its `signature/…` or `cert/…` code and title,
/// and, where the verifier gave no fix, the console change for the detected IdP.
pub fn from_verifier(
    finding: &samlkit_verify::report::Finding,
    idp: Idp,
) -> crate::report::Finding {
    let code = Code::Verifier(finding.code);
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
        severity: finding.severity.into(),
        title: code.title().into(),
        message: finding.message.clone().into(),
        expected: None,
        actual: None,
        fix: fix.map(Into::into),
        location: None,
        span: finding.span.map(|s| s.start..s.end),
        missing: finding.missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_entry_with_a_title_and_a_description() {
        let entries = catalogue();
        assert_eq!(entries.len(), Code::all().count());
        for (entry, code) in entries.iter().zip(Code::all()) {
            assert_eq!(entry.code, code);
            assert_eq!(*entry, super::entry(code));
            assert!(!entry.title.is_empty(), "{code} has no title");
            assert!(!entry.description.is_empty(), "{code} has no description");
            assert_eq!(
                entry.source.is_some(),
                code.rule_set().is_some(),
                "{code}: only federation rules cite a rule set"
            );
        }
    }

    #[test]
    fn a_verifier_finding_keeps_its_code_and_takes_the_table_title() {
        let verified = samlkit_verify::report::Finding {
            code: FindingCode::DigestMismatch,
            severity: samlkit_verify::report::Severity::Error,
            message: "the digest differs".into(),
            fix: None,
            span: None,
            missing: None,
        };
        let finding = from_verifier(&verified, Idp::GENERIC);
        assert_eq!(finding.code, Code::Verifier(FindingCode::DigestMismatch));
        assert!(finding.is(FindingCode::DigestMismatch));
        assert_eq!(finding.title, FindingCode::DigestMismatch.info().title);
        assert_eq!(finding.severity, Severity::Error);
    }
}
