//! The full list of codes samlkit reports: the linter's own rules and every finding of the
//! signature verifier, each as its own rule under `signature/` or `cert/`.

use samlkit_verify::report::FindingCode;
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

fn verifier_fix(code: FindingCode) -> Option<Fix<'static>> {
    match code {
        FindingCode::UntrustedKey
        | FindingCode::KeyInfoCertificateNotTrusted
        | FindingCode::SignatureMismatch
        | FindingCode::CertificateExpired => Some(Fix::RefreshMetadata),
        FindingCode::NotSigned => Some(Fix::SignAssertion),
        FindingCode::Sha1Deprecated => Some(Fix::SignResponse),
        _ => None,
    }
}

fn fixes(fix: Option<Fix<'static>>) -> Vec<IdpFix> {
    let Some(fix) = fix else { return Vec::new() };
    Idp::ALL
        .iter()
        .map(|idp| IdpFix {
            idp: *idp,
            idp_name: idp.name(),
            fix: fix.text(*idp),
        })
        .collect()
}

/// The code and title under which a verifier finding is reported.
pub fn verifier_code(code: FindingCode) -> (String, &'static str) {
    let area = match code {
        FindingCode::CertificateExpired
        | FindingCode::CertificateNotYetValid
        | FindingCode::WeakRsaKey
        | FindingCode::CertificateSha1Signature
        | FindingCode::KeyInfoCertificateNotTrusted
        | FindingCode::KeyInfoPemWrapped
        | FindingCode::KeyInfoCertificateUnreadable => "cert",
        _ => "signature",
    };
    (format!("{area}/{}", code.as_str()), verifier_doc(code).0)
}

fn verifier_severity(code: FindingCode) -> Severity {
    match code {
        FindingCode::Sha1Deprecated
        | FindingCode::DsaDeprecated
        | FindingCode::CertificateExpired
        | FindingCode::CertificateNotYetValid
        | FindingCode::WeakRsaKey
        | FindingCode::CertificateSha1Signature
        | FindingCode::KeyInfoCertificateNotTrusted
        | FindingCode::CommentInSignedText => Severity::Warning,
        FindingCode::KeyInfoCertificateUnreadable => Severity::Warning,
        FindingCode::NonStandardAlgorithmUri | FindingCode::KeyInfoPemWrapped => Severity::Info,
        _ => Severity::Error,
    }
}

/// Title and description of each verifier finding.
fn verifier_doc(code: FindingCode) -> (&'static str, &'static str) {
    match code {
        FindingCode::NoTrustConfigured => ("no trusted key configured", "Nothing was given to verify signatures with, so nothing in the message is treated as authentic. Pass the IdP metadata (--idp-metadata), certificate (--idp-cert) or SHA-256 fingerprint (--idp-fingerprint)."),
        FindingCode::NotSigned => ("the message is not signed", "Trust is configured but the message carries no signature at all: a stripped signature, or an IdP configured not to sign."),
        FindingCode::SignatureMisplaced => ("a signature in a place SAML does not sign", "A ds:Signature whose parent is not a Response, Assertion or metadata element does not count."),
        FindingCode::ElementMisplaced => ("a SAML element where SAML never puts one", "An Assertion or Response inside Extensions, SubjectConfirmationData or ds:Object is the shape of signature-wrapping attacks; the document is rejected."),
        FindingCode::MalformedSignature => ("a malformed signature", "A required part of the signature is missing or repeated, or something foreign is inside it."),
        FindingCode::MultipleSignedInfo => ("several SignedInfo elements", "A signature must have exactly one SignedInfo; more is an attack shape."),
        FindingCode::MultipleReferences => ("several References", "A SAML signature covers exactly one element through one Reference."),
        FindingCode::ObjectOrManifest => ("ds:Object or ds:Manifest inside the signature", "SAML signatures carry neither; they are used to smuggle content past naive verifiers."),
        FindingCode::MarkupInSignatureData => ("markup inside DigestValue or SignatureValue", "A comment or element inside these values lets some libraries read a different value than was checked (CVE-2025-29775); rejected."),
        FindingCode::InvalidBase64 => ("DigestValue or SignatureValue is not base64", "The value cannot be decoded, so the signature cannot be checked."),
        FindingCode::LookalikeNamespace => ("a look-alike namespace", "An element in a namespace that imitates SAML's or XML-DSig's is not what it pretends to be; the document is rejected."),
        FindingCode::DuplicateId => ("two elements share an ID", "Duplicate IDs let a signature cover one element while the claims are read from another (CVE-2024-45409); rejected."),
        FindingCode::MultipleAssertions => ("several assertions, not all signed", "A Response with more than one assertion where not every one is covered by a signature is the shape of wrapping attacks; rejected."),
        FindingCode::ReferenceWholeDocument => ("the signature references the whole document", "URI=\"\" (or no URI) signs the document, not the element the signature sits in; SAML requires #ID of the parent."),
        FindingCode::ReferenceNotSameDocument => ("the reference is not a same-document #ID", "XPointer expressions and external URLs are refused."),
        FindingCode::ReferenceNotFound => ("no element has the referenced ID", "The signature points at an ID that is not in the document."),
        FindingCode::ReferenceAmbiguous => ("several elements have the referenced ID", "The signature's reference is ambiguous; rejected."),
        FindingCode::ReferenceNotParent => ("the signature covers another element than its parent", "A signature counts only for the element it sits in; one that references a sibling or child covers nothing the claims are read from."),
        FindingCode::SignedElementWithoutId => ("the signed element has no ID", "The parent of the signature has no ID attribute to reference."),
        FindingCode::TransformNotAllowed => ("a transform other than enveloped-signature and canonicalization", "XPath, XSLT, base64 and other transforms are refused: they let the signed bytes differ from what is read."),
        FindingCode::TooManyTransforms => ("too many transforms", "SAML needs enveloped-signature plus one canonicalization; more is refused."),
        FindingCode::InclusiveNamespacesInvalid => ("invalid InclusiveNamespaces", "An InclusiveNamespaces PrefixList in the wrong place or with a bad prefix."),
        FindingCode::UnsupportedAlgorithm => ("an unsupported algorithm", "The signature, digest or canonicalization algorithm is not one samlkit implements."),
        FindingCode::HmacRefused => ("an HMAC signature with a certificate as trust", "HMAC keyed with a public certificate is a key-confusion attack; refused."),
        FindingCode::DsaDeprecated => ("a DSA signature", "DSA is deprecated for XML signatures."),
        FindingCode::Sha1Deprecated => ("SHA-1 in the signature", "SHA-1 is deprecated; Entra ID and most IdPs can sign with SHA-256."),
        FindingCode::NonStandardAlgorithmUri => ("a non-standard algorithm URI", "An algorithm URI no specification defines, accepted because its meaning is unambiguous."),
        FindingCode::DigestMismatch => ("the signed element was modified after it was signed", "The digest of the signed element differs from DigestValue: the XML was edited (or re-formatted) after signing."),
        FindingCode::SignatureMismatch => ("the signature value does not verify", "SignatureValue does not verify with any trusted key: the IdP signs with a key you do not have, or the signature was altered."),
        FindingCode::UntrustedKey => ("signed with an untrusted key", "The signature verifies only with a key you did not configure (such as the certificate inside the message): usually metadata that is stale after a certificate rollover."),
        FindingCode::KeyInfoCertificateNotTrusted => ("the message's certificate is not a trusted one", "The certificate in KeyInfo is not among the trusted ones; compare its fingerprint with your metadata's."),
        FindingCode::KeyInfoPemWrapped => ("KeyInfo holds a PEM file, not DER", "The X509Certificate element contains base64 of a whole PEM file; tolerated, but unusual."),
        FindingCode::CertificateExpired => ("a certificate has expired", "A signing certificate whose validity has ended; many service providers refuse it, and rollover is overdue."),
        FindingCode::CertificateNotYetValid => ("a certificate is not yet valid", "A signing certificate whose validity starts in the future."),
        FindingCode::WeakRsaKey => ("an RSA key under 2048 bits", "Short RSA keys are weak; AWS requires at least 1024 bits and most guidance 2048."),
        FindingCode::CertificateSha1Signature => ("a certificate signed with SHA-1", "SHA-1 certificate signatures are deprecated."),
        FindingCode::CommentInSignedText => ("a comment splits signed text", "A comment or processing instruction inside a signed element's text is the shape of comment-injection attacks (CVE-2017-11427)."),
        FindingCode::KeyInfoCertificateUnreadable => ("a KeyInfo certificate cannot be read", "The certificate in KeyInfo is not valid base64 DER."),
        _ => ("signature verification", "A finding of the signature verifier."),
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
        let (title, description) = verifier_doc(*code);
        entries.push(CatalogueEntry {
            code: verifier_code(*code).0,
            severity: verifier_severity(*code),
            title: title.to_string(),
            description: description.to_string(),
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
                idp: Idp::Generic,
                idp_name: Idp::Generic.name(),
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
    use samlkit_verify::report::Severity as VerifierSeverity;
    let (code, title) = verifier_code(finding.code);
    let severity = match finding.severity {
        VerifierSeverity::Error => Severity::Error,
        VerifierSeverity::Warning => Severity::Warning,
        VerifierSeverity::Info => Severity::Info,
    };
    let fix = finding
        .fix
        .clone()
        .or_else(|| verifier_fix(finding.code).map(|fix| fix.text(idp)));
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
    }
}
