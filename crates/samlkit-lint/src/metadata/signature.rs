//! The metadata's own signature, when trust for its signer was given.

use super::*;
use samlkit_verify::MissingInput;

pub(super) fn lint_signature<'a, 'i>(
    metadata: &Metadata<'a, 'i>,
    verification: Option<&VerificationReport<'a, 'i>>,
    idp: Idp,
    findings: &mut Vec<Finding>,
) -> MetadataSignature {
    let document = metadata.node().document();
    let count = document
        .descendants()
        .filter(|n| xml::is_element(*n, xml::ns::DS, "Signature"))
        .count();
    let verification = verification.filter(|v| v.verdict != SignatureVerdict::NoTrustConfigured);
    let Some(verification) = verification else {
        if count > 0 {
            findings.push(
                Finding::new(
                    Rule::MetadataSignatureNotChecked,
                    "the metadata is signed, but no key was given to check the signature with",
                )
                .fix("give the publisher's signing certificate, or its SHA-256 fingerprint")
                .missing(MissingInput::MetadataSigner),
            );
        }
        return MetadataSignature {
            signatures: count,
            checked: false,
            verified: false,
            verified_by: None,
        };
    };
    for finding in verification.all_findings() {
        if matches!(
            finding.code,
            FindingCode::NotSigned | FindingCode::NoTrustConfigured
        ) {
            continue;
        }
        findings.push(crate::catalogue::from_verifier(finding, idp));
    }
    let root = verification.verified_root();
    let verified_by = root.and_then(|element| {
        verification
            .signatures
            .get(element.signature_index())
            .and_then(|s| s.verified_by.as_ref())
            .map(|k| k.description.clone())
    });
    if verification.verdict == SignatureVerdict::NotSigned || count == 0 {
        findings.push(
            Finding::new(
                Rule::MetadataSignatureMissing,
                "a key was given to check the metadata's signature, but the metadata carries no \
                 signature: it was stripped, or this is not the file the publisher signed",
            )
            .expected("a ds:Signature in the root element")
            .actual("no signature")
            .fix(
                "download the metadata straight from its publisher and use it unchanged; if the \
                 publisher does not sign its metadata, stop giving a key for its signature and \
                 verify the file another way",
            )
            .at(metadata.node().range()),
        );
    } else if root.is_none() {
        let failing = verification
            .signatures
            .iter()
            .find(|s| s.outcome == SignatureOutcome::Failed);
        let reason = if verification.verdict == SignatureVerdict::Rejected {
            "the document has a shape used by signature-wrapping attacks".to_string()
        } else {
            match failing.and_then(|s| s.stage) {
                Some(Stage::UntrustedKey) => {
                    "it is signed with a key other than the one given".to_string()
                }
                Some(Stage::SignatureMismatch) => {
                    "the signature value does not verify with the key given".to_string()
                }
                Some(Stage::DigestMismatch) => {
                    "the metadata was changed (edited or re-formatted) after it was signed"
                        .to_string()
                }
                Some(stage) => format!(
                    "the signature failed at the {} stage",
                    crate::check::stage_name(stage)
                ),
                None => {
                    let on: Vec<String> = verification
                        .signatures
                        .iter()
                        .filter_map(|s| s.parent.as_ref().map(|p| format!("<{}>", p.name)))
                        .collect();
                    format!(
                        "the signatures cover {} only, not the whole document",
                        if on.is_empty() {
                            "nothing".to_string()
                        } else {
                            on.join(", ")
                        }
                    )
                }
            }
        };
        findings.push(
            Finding::new(
                Rule::MetadataNotVerified,
                format!("the metadata is not covered by a verified signature: {reason}"),
            )
            .expected("a signature over the root element from the key given")
            .actual(reason)
            .fix(Fix::RefreshMetadata.text(idp))
            .at(metadata.node().range()),
        );
    }
    MetadataSignature {
        signatures: count,
        checked: true,
        verified: verified_by.is_some() || root.is_some(),
        verified_by,
    }
}
