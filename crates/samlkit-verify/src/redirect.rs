//! Detached signatures of the HTTP-Redirect binding (SAML Bindings §3.4.4.1) and of
//! HTTP-POST-SimpleSign. Redirect: the signature covers the query string octets
//! `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as they were sent, not the XML. SimpleSign:
//! the same shape with the message's XML text and the form fields' values. The decoder builds
//! those octets and hands them over with `SigAlg` and `Signature`; the same trust and the same
//! algorithm rules as for XML signatures apply.

use openssl::sign::Verifier;
use serde::Serialize;

use crate::algorithms::{self, SignatureAlgorithm, SignatureFamily, UriStatus};
use crate::certs;
use crate::dsig::{verify_signature_value, KeyCheck, VerifyOptions};
use crate::report::{Finding, FindingCode, KeyUsed, MissingInput, SignatureOutcome, Stage};
use crate::trust::{TrustAnchor, TrustStore};

/// What the decoder extracted from a signed HTTP-Redirect URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedirectSignature<'a> {
    /// The `SigAlg` parameter, URL-decoded.
    pub sig_alg: &'a str,
    /// The `Signature` parameter, URL-decoded (still base64).
    pub signature: &'a str,
    /// `SAMLRequest=…[&RelayState=…]&SigAlg=…` (or `SAMLResponse=…`) exactly as sent,
    /// URL-encoded.
    pub signed_octets: &'a [u8],
}

impl<'a> From<&'a samlkit_parse::decode::RedirectSignature> for RedirectSignature<'a> {
    /// What the decoder found in a signed Redirect URL, as this module checks it.
    fn from(decoded: &'a samlkit_parse::decode::RedirectSignature) -> Self {
        RedirectSignature {
            sig_alg: &decoded.sig_alg,
            signature: &decoded.signature,
            signed_octets: decoded.signed_octets.as_bytes(),
        }
    }
}

/// The outcome of checking one HTTP-Redirect signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedirectVerification {
    pub outcome: SignatureOutcome,
    pub stage: Option<Stage>,
    /// E.g. `RSA-SHA1`, when the `SigAlg` was recognised.
    pub algorithm: Option<String>,
    pub verified_by: Option<KeyUsed>,
    pub keys_tried: Vec<String>,
    pub findings: Vec<Finding>,
}

/// Verifies a Redirect-binding signature with the trusted keys.
pub fn verify_redirect_signature(
    signed: &RedirectSignature<'_>,
    trust: &TrustStore,
    options: &VerifyOptions,
) -> RedirectVerification {
    let mut result = RedirectVerification {
        outcome: SignatureOutcome::Failed,
        stage: None,
        algorithm: None,
        verified_by: None,
        keys_tried: Vec::new(),
        findings: Vec::new(),
    };
    let fail = |mut result: RedirectVerification, stage, finding: Finding| {
        result.stage = Some(stage);
        result.findings.push(finding);
        result
    };

    let Some((algorithm, status)) = algorithms::signature_from_uri(signed.sig_alg) else {
        return fail(
            result,
            Stage::UnsupportedAlgorithm,
            Finding::error(
                FindingCode::UnsupportedAlgorithm,
                format!("unsupported SigAlg \"{}\"", signed.sig_alg),
            ),
        );
    };
    result.algorithm = Some(algorithm.name());
    if let Err(refusal) = check_algorithm(signed.sig_alg, algorithm, status, &mut result.findings) {
        return fail(result, Stage::UnsupportedAlgorithm, refusal);
    }
    if trust.is_empty() {
        return fail(
            result,
            Stage::NoTrustConfigured,
            Finding::error(
                FindingCode::NoTrustConfigured,
                "no trusted key is configured, so the redirect signature cannot be verified",
            )
            .with_fix(
                "give the signer's keys: its metadata, its certificate or the SHA-256 fingerprint \
                 of its certificate",
            )
            .missing(MissingInput::IdpTrust),
        );
    }
    let signature = match certs::decode_base64_lenient(signed.signature.as_bytes()) {
        Ok(signature) => signature,
        Err(err) => {
            return fail(
                result,
                Stage::MalformedStructure,
                Finding::error(
                    FindingCode::InvalidBase64,
                    format!("the Signature parameter is not valid base64: {err}"),
                ),
            )
        }
    };

    for anchor in trust.anchors() {
        let check = check_with_anchor(algorithm, anchor, signed.signed_octets, &signature);
        match check {
            KeyCheck::Verified => {
                result.outcome = SignatureOutcome::Verified;
                result.verified_by = Some(KeyUsed {
                    anchor: trust
                        .anchors()
                        .iter()
                        .position(|known| std::ptr::eq(known, anchor)),
                    description: anchor.description().to_string(),
                });
                if let Some(cert) = anchor.certificate() {
                    let role = format!("signing certificate ({})", anchor.label());
                    result
                        .findings
                        .extend(cert.facts().findings(options.now, &role));
                }
                return result;
            }
            KeyCheck::Mismatch => result.keys_tried.push(anchor.description().to_string()),
            KeyCheck::WrongKeyType(kind) => result.keys_tried.push(format!(
                "{} (a {kind} key cannot check an {} signature)",
                anchor.description(),
                algorithm.name()
            )),
        }
    }
    let tried = if result.keys_tried.is_empty() {
        "no certificate-based key is trusted; fingerprints alone cannot check a redirect \
         signature, which carries no certificate"
            .to_string()
    } else {
        format!("tried: {}", result.keys_tried.join("; "))
    };
    fail(
        result,
        Stage::SignatureMismatch,
        Finding::error(
            FindingCode::SignatureMismatch,
            format!(
                "the binding signature does not verify with any trusted key ({tried}); the \
                 signed octets must be exactly what was signed (for HTTP-Redirect, the query \
                 string as sent)"
            ),
        ),
    )
}

/// Whether samlkit allows the `SigAlg`: notes on a non-standard URI or SHA-1 go to `findings`;
/// the error is the finding that refuses it (an HMAC).
fn check_algorithm(
    sig_alg: &str,
    algorithm: SignatureAlgorithm,
    status: UriStatus,
    findings: &mut Vec<Finding>,
) -> Result<(), Finding> {
    if status == UriStatus::NonStandard {
        findings.push(Finding::info(
            FindingCode::NonStandardAlgorithmUri,
            format!(
                "the SigAlg \"{}\" is not defined by any specification; samlkit reads it as {}",
                sig_alg,
                algorithm.name()
            ),
        ));
    }
    if algorithm.family == SignatureFamily::Hmac {
        return Err(Finding::error(
            FindingCode::HmacRefused,
            format!(
                "SigAlg {} is a shared-secret MAC; with a certificate as trust anchor it is \
                 refused",
                algorithm.name()
            ),
        ));
    }
    if algorithm.hash.is_deprecated() {
        findings.push(Finding::warning(
            FindingCode::Sha1Deprecated,
            format!(
                "the redirect signature uses {} (SHA-1 is deprecated)",
                algorithm.name()
            ),
        ));
    }
    Ok(())
}

/// Checks the signature with one trusted key. XML-DSig prescribes raw r‖s for ECDSA and DSA,
/// but the Redirect binding does not say; many signers send DER there. Both encode the same
/// signature, so both are tried.
fn check_with_anchor(
    algorithm: SignatureAlgorithm,
    anchor: &TrustAnchor,
    signed_octets: &[u8],
    signature: &[u8],
) -> KeyCheck {
    let check = verify_signature_value(algorithm, anchor.public_key(), signed_octets, signature);
    if check == KeyCheck::Mismatch
        && matches!(
            algorithm.family,
            SignatureFamily::Ecdsa | SignatureFamily::Dsa
        )
    {
        let der_check = Verifier::new(algorithm.hash.message_digest(), anchor.public_key())
            .and_then(|mut verifier| {
                verifier.update(signed_octets)?;
                verifier.verify(signature)
            });
        if der_check.unwrap_or(false) {
            return KeyCheck::Verified;
        }
    }
    check
}
