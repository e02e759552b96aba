//! The cryptography of a signature that passed the profile: the digest of the signed element,
//! the signature value over the canonical `SignedInfo` with each trusted key in turn, the
//! message's own certificates as evidence, and the explanation when nothing verifies.

use std::borrow::Cow;

use openssl::bn::BigNum;
use openssl::dsa::DsaSig;
use openssl::ecdsa::EcdsaSig;
use openssl::pkey::{Id, PKeyRef, Public};
use openssl::rsa::Padding;
use openssl::sign::{RsaPssSaltlen, Verifier};
use roxmltree::Node;
use samlkit_parse::xml::{self, ns};

use crate::algorithms::{SignatureAlgorithm, SignatureFamily};
use crate::c14n::{canonicalize_subtree, canonicalize_subtree_in_pieces, C14nOptions};
use crate::certs::{self, Certificate, KeyMaterial};
use crate::report::{
    Finding, FindingCode, KeyInfoCertificate, KeyUsed, MissingInput, SignatureReport, Span, Stage,
};

use super::alteration::{find_alteration, Alteration};
use super::placement::describe;
use super::profile::Profiled;
use super::{Context, PSS_SALT_LENGTH_AUTO};

/// A key that may verify the signature, and what to call it.
struct Candidate<'k> {
    key: &'k PKeyRef<Public>,
    anchor: Option<usize>,
    /// E.g. "metadata signing key 2 of 2".
    label: &'k str,
    /// The label plus the certificate's subject and fingerprint.
    description: Cow<'k, str>,
}

impl<'a, 'i> Context<'_, 'a, 'i> {
    /// Reads the certificates in `KeyInfo` into the report, marking the trusted ones.
    pub(super) fn read_key_info(
        &self,
        key_info: Node<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Vec<Certificate> {
        let mut certificates = Vec::new();
        let cert_nodes = xml::children_named(key_info, ns::DS, "X509Data")
            .flat_map(|data| xml::children_named(data, ns::DS, "X509Certificate"));
        for cert_node in cert_nodes {
            let text = xml::text_content(cert_node);
            // Fast path: the certificate is byte-for-byte a trusted one, written as the
            // trusted certificate's own base64 text (most messages), or spelled otherwise.
            let trusted_anchor = self
                .trust
                .anchor_with_certificate_base64(&text)
                .or_else(|| {
                    let der = certs::decode_base64_lenient(text.as_bytes()).ok()?;
                    self.trust.anchor_with_certificate(&der)
                });
            if let Some(cert) =
                trusted_anchor.and_then(|anchor| self.trust.anchors()[anchor].certificate())
            {
                report.keyinfo_certificates.push(KeyInfoCertificate {
                    facts: cert.shared_facts(),
                    trusted: true,
                    pem_wrapped: false,
                });
                certificates.push(cert.clone());
                continue;
            }
            match certs::read_key_material(text.as_bytes()) {
                Ok((materials, decoded)) => {
                    if decoded.pem_wrapped {
                        report.findings.push(
                            Finding::info(
                                FindingCode::KeyInfoPemWrapped,
                                "the <X509Certificate> in KeyInfo holds base64 of a whole PEM \
                                 file instead of the certificate's DER; samlkit unwrapped it",
                            )
                            .at(cert_node.range()),
                        );
                    }
                    for material in materials {
                        if let KeyMaterial::Certificate(cert) = material {
                            let trusted = self.trust.anchor_with_certificate(cert.der()).is_some()
                                || self.trust.fingerprint_matches(&cert.sha256());
                            report.keyinfo_certificates.push(KeyInfoCertificate {
                                facts: cert.shared_facts(),
                                trusted,
                                pem_wrapped: decoded.pem_wrapped,
                            });
                            certificates.push(cert);
                        }
                    }
                }
                Err(err) => report.findings.push(
                    Finding::warning(
                        FindingCode::KeyInfoCertificateUnreadable,
                        format!("the <X509Certificate> in KeyInfo cannot be read: {err}"),
                    )
                    .at(cert_node.range()),
                ),
            }
        }
        certificates
    }

    pub(super) fn check_cryptography(
        &self,
        signature: Node<'a, 'i>,
        profiled: &Profiled<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Result<(), Stage> {
        let message_certificates = match profiled.key_info {
            Some(key_info) => self.read_key_info(key_info, report),
            None => Vec::new(),
        };
        if self.trust.is_empty() {
            return Err(Stage::NoTrustConfigured);
        }

        let decode = |node: Node<'a, 'i>, what: &str, report: &mut SignatureReport| {
            let text = xml::text_content(node);
            certs::decode_base64_lenient(text.as_bytes()).map_err(|err| {
                report.findings.push(
                    Finding::error(
                        FindingCode::InvalidBase64,
                        format!("<{what}> is not valid base64: {err}"),
                    )
                    .at(node.range()),
                );
                Stage::MalformedStructure
            })
        };
        let expected_digest = decode(profiled.digest_value, "DigestValue", report)?;
        let signature_value = decode(profiled.signature_value, "SignatureValue", report)?;

        let digest_matches =
            self.reference_digest_matches(signature, profiled, &expected_digest, report)?;
        // Signature validation over the canonical SignedInfo.
        let canonical = canonical_signed_info(profiled, report)?;
        let candidates = self.candidates(&message_certificates);
        let algorithm = profiled.signature_algorithm;
        let mut verified_with = None;
        for candidate in &candidates {
            match verify_signature_value(algorithm, candidate.key, &canonical, &signature_value) {
                KeyCheck::Verified => {
                    verified_with = Some(candidate);
                    break;
                }
                KeyCheck::Mismatch => report.keys_tried.push(candidate.description.to_string()),
                KeyCheck::WrongKeyType(kind) => report.keys_tried.push(format!(
                    "{} (a {kind} key cannot check an {} signature)",
                    candidate.description,
                    algorithm.name()
                )),
            }
        }

        let element = describe(profiled.target);
        let digest = if digest_matches {
            DigestCheck::Matches
        } else {
            DigestCheck::Fails(self.digest_alteration(signature, profiled, &expected_digest))
        };
        let Some(candidate) = verified_with else {
            return Err(self.explain_failure(
                algorithm,
                &canonical,
                &signature_value,
                &message_certificates,
                digest,
                &element,
                report,
                signature,
            ));
        };

        if let DigestCheck::Fails(alteration) = digest {
            let signer = format!(
                "the signature itself is valid, made by {}",
                candidate.description
            );
            report
                .findings
                .push(digest_finding(&element, alteration, &signer).at(profiled.target.range()));
            return Err(Stage::DigestMismatch);
        }

        self.report_verified_key(signature, candidate, &message_certificates, report);
        Ok(())
    }

    /// Reference validation: whether the digest of the signed element, canonicalized from this
    /// tree straight into the digest (a signed aggregate of many megabytes is never copied
    /// whole), equals `DigestValue`.
    fn reference_digest_matches(
        &self,
        signature: Node<'a, 'i>,
        profiled: &Profiled<'a, 'i>,
        expected_digest: &[u8],
        report: &mut SignatureReport,
    ) -> Result<bool, Stage> {
        let reference_options = C14nOptions {
            method: profiled.reference_c14n,
            inclusive_prefixes: &profiled.reference_prefixes,
            exclude: profiled.enveloped.then(|| signature.id()),
        };
        let mut digester = profiled.digest.digester();
        let canonicalized = canonicalize_subtree_in_pieces(
            profiled.target,
            &reference_options,
            DIGEST_CHUNK,
            &mut |piece| digester.update(piece),
        );
        if let Err(err) = canonicalized {
            report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    format!("the signed element cannot be canonicalized: {err}"),
                )
                .at(profiled.target.range()),
            );
            return Err(Stage::MalformedStructure);
        }
        Ok(digester.finish() == expected_digest)
    }

    /// The change that explains a digest mismatch, if it is one of the common ones: the signed
    /// element is canonicalized again and each change undone on the canonical bytes until the
    /// digest matches.
    fn digest_alteration(
        &self,
        signature: Node<'a, 'i>,
        profiled: &Profiled<'a, 'i>,
        expected_digest: &[u8],
    ) -> Option<Alteration> {
        let options = C14nOptions {
            method: profiled.reference_c14n,
            inclusive_prefixes: &profiled.reference_prefixes,
            exclude: profiled.enveloped.then(|| signature.id()),
        };
        let mut canonical = Vec::new();
        canonicalize_subtree(profiled.target, &options, &mut canonical).ok()?;
        find_alteration(&canonical, &mut |bytes| {
            profiled.digest.digest(bytes) == expected_digest
        })
    }

    /// Whether `SignedInfo` was altered the same way (so a trusted key does verify the original).
    fn signed_info_alteration(
        &self,
        algorithm: SignatureAlgorithm,
        canonical_signed_info: &[u8],
        signature_value: &[u8],
        message_certificates: &[Certificate],
    ) -> Option<Alteration> {
        let candidates = self.candidates(message_certificates);
        find_alteration(canonical_signed_info, &mut |bytes| {
            candidates.iter().any(|candidate| {
                verify_signature_value(algorithm, candidate.key, bytes, signature_value)
                    == KeyCheck::Verified
            })
        })
    }

    /// Records the key that verified the signature and what is worth saying about it: its
    /// certificate's facts (expiry, key size) and any untrusted certificate the message carries.
    fn report_verified_key(
        &self,
        signature: Node<'a, 'i>,
        candidate: &Candidate<'_>,
        message_certificates: &[Certificate],
        report: &mut SignatureReport,
    ) {
        report.verified_by = Some(KeyUsed {
            anchor: candidate.anchor,
            description: candidate.description.to_string(),
        });
        // Facts about the key that verified: an expired certificate is a warning with its date.
        let certificate = match candidate.anchor {
            Some(anchor) => self.trust.anchors()[anchor].certificate(),
            None => message_certificates
                .iter()
                .find(|cert| cert.public_key().public_eq(candidate.key)),
        };
        if let Some(certificate) = certificate {
            let role = format!("signing certificate ({})", candidate.label);
            let findings = certificate
                .facts()
                .findings(self.options.now, &role)
                .into_iter()
                .map(|finding| finding.at(signature.range()));
            report.findings.extend(findings);
        } else if candidate.key.id() == Id::RSA && candidate.key.bits() < certs::MIN_RSA_BITS {
            report.findings.push(
                Finding::warning(
                    FindingCode::WeakRsaKey,
                    format!(
                        "the signing key ({}) is a {}-bit RSA key (under {} bits)",
                        candidate.description,
                        candidate.key.bits(),
                        certs::MIN_RSA_BITS
                    ),
                )
                .at(signature.range()),
            );
        }
        // A certificate in the message that is not the trusted one is worth a word.
        for carried in report
            .keyinfo_certificates
            .iter()
            .filter(|cert| !cert.trusted)
            .map(|cert| cert.facts.clone())
            .collect::<Vec<_>>()
        {
            report.findings.push(
                Finding::info(
                    FindingCode::KeyInfoCertificateNotTrusted,
                    format!(
                        "the message's KeyInfo carries {}, valid {} to {}, which is not a trusted \
                         certificate; it was ignored (the signature verified with {})",
                        carried.short_description(),
                        carried.not_before_utc,
                        carried.not_after_utc,
                        candidate.description
                    ),
                )
                .at(signature.range()),
            );
        }
    }

    /// Trusted keys to try, most likely first: the anchor whose certificate the message names,
    /// then every other anchor, then `KeyInfo` certificates that match a trusted fingerprint.
    fn candidates<'k>(&'k self, message_certificates: &'k [Certificate]) -> Vec<Candidate<'k>> {
        let anchors = self.trust.anchors();
        let mut order: Vec<usize> = message_certificates
            .iter()
            .filter_map(|cert| self.trust.anchor_with_certificate(cert.der()))
            .collect();
        order.dedup();
        let rest: Vec<usize> = (0..anchors.len())
            .filter(|index| !order.contains(index))
            .collect();
        order.extend(rest);
        let mut candidates: Vec<Candidate<'k>> = order
            .into_iter()
            .map(|index| Candidate {
                key: anchors[index].public_key(),
                anchor: Some(index),
                label: anchors[index].label(),
                description: Cow::Borrowed(anchors[index].description()),
            })
            .collect();
        for cert in message_certificates {
            if self.trust.anchor_with_certificate(cert.der()).is_none()
                && self.trust.fingerprint_matches(&cert.sha256())
            {
                candidates.push(Candidate {
                    key: cert.public_key(),
                    anchor: None,
                    label: "KeyInfo certificate matching a trusted fingerprint",
                    description: Cow::Owned(format!(
                        "KeyInfo certificate matching a trusted fingerprint, {}",
                        cert.facts().short_description()
                    )),
                });
            }
        }
        candidates
    }

    /// No trusted key verified the signature value: find out whether an untrusted key did.
    #[allow(clippy::too_many_arguments)]
    fn explain_failure(
        &self,
        algorithm: SignatureAlgorithm,
        canonical_signed_info: &[u8],
        signature_value: &[u8],
        message_certificates: &[Certificate],
        digest: DigestCheck,
        element: &str,
        report: &mut SignatureReport,
        signature: Node<'a, 'i>,
    ) -> Stage {
        let digest_matches = digest == DigestCheck::Matches;
        let span = Span::from(signature.range());
        let trusted: Vec<String> = self
            .trust
            .summaries()
            .iter()
            .map(|summary| match &summary.certificate {
                Some(facts) => format!(
                    "{} ({}, valid {} to {})",
                    summary.label,
                    facts.short_description(),
                    facts.not_before_utc,
                    facts.not_after_utc
                ),
                None => summary.label.clone(),
            })
            .collect();
        let untrusted_signer = message_certificates.iter().find(|cert| {
            self.trust.anchor_with_certificate(cert.der()).is_none()
                && !self.trust.fingerprint_matches(&cert.sha256())
                && verify_signature_value(
                    algorithm,
                    cert.public_key(),
                    canonical_signed_info,
                    signature_value,
                ) == KeyCheck::Verified
        });
        if let Some(signer) = untrusted_signer {
            let facts = signer.facts();
            report.findings.push(
                Finding::error(
                    FindingCode::UntrustedKey,
                    format!(
                        "the signature was made with the key of the certificate in the message's \
                         KeyInfo — {}, valid {} to {} — which is not trusted. Trusted: {}",
                        facts.short_description(),
                        facts.not_before_utc,
                        facts.not_after_utc,
                        trusted.join("; ")
                    ),
                )
                .at(span)
                .with_fix(
                    "if the IdP did not rotate its signing certificate, this message was signed \
                     by someone else and must be refused; if it did, give its current metadata \
                     or certificate",
                )
                .missing(MissingInput::IdpTrust),
            );
            if !digest_matches {
                report.findings.push(
                    Finding::error(
                        FindingCode::DigestMismatch,
                        format!("also, the {element} does not match its DigestValue"),
                    )
                    .at(span),
                );
            }
            return Stage::UntrustedKey;
        }
        // The signed content changed: that is the cause to report, and the certificates are
        // not to blame until an unaltered copy fails too.
        if let DigestCheck::Fails(alteration) = digest {
            let signed_info = self.signed_info_alteration(
                algorithm,
                canonical_signed_info,
                signature_value,
                message_certificates,
            );
            let signature_note = match signed_info {
                Some(_) => "the SignedInfo was changed the same way, and with that undone the \
                            signature verifies with a trusted key"
                    .to_string(),
                None => "the signature value does not verify either; judge the key only on an \
                         unaltered copy"
                    .to_string(),
            };
            report.findings.push(
                digest_finding(element, alteration.or(signed_info), &signature_note).at(span),
            );
            return Stage::DigestMismatch;
        }
        let mut message = format!(
            "the signature value does not verify with any trusted key (tried: {})",
            report.keys_tried.join("; ")
        );
        let untrusted: Vec<String> = report
            .keyinfo_certificates
            .iter()
            .filter(|cert| !cert.trusted)
            .map(|cert| {
                format!(
                    "{}, valid {} to {}",
                    cert.facts.short_description(),
                    cert.facts.not_before_utc,
                    cert.facts.not_after_utc
                )
            })
            .collect();
        if !untrusted.is_empty() {
            message.push_str(&format!(
                "; the message's KeyInfo carries an untrusted certificate: {}",
                untrusted.join("; ")
            ));
        }
        report.findings.push(
            Finding::error(FindingCode::SignatureMismatch, message)
                .at(span)
                .with_fix(
                    "check that the configured IdP certificate is the one the IdP signs with now; \
                     a message edited after signing fails this way too",
                ),
        );
        if report.keyinfo_certificates.iter().any(|cert| !cert.trusted) {
            report.findings.push(
                Finding::warning(
                    FindingCode::KeyInfoCertificateNotTrusted,
                    format!(
                        "the message's KeyInfo names a certificate that is not trusted: {}. \
                         Trusted: {}",
                        untrusted.join("; "),
                        trusted.join("; ")
                    ),
                )
                .at(span),
            );
        }
        Stage::SignatureMismatch
    }
}

/// Whether the signed element's digest matched, and when not, the change that explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DigestCheck {
    Matches,
    Fails(Option<Alteration>),
}

/// The headline finding of a message changed after signing: what changed when that is known
/// (reformatting, line endings, encoding), otherwise that the element's content was edited.
fn digest_finding(element: &str, alteration: Option<Alteration>, signature_note: &str) -> Finding {
    match alteration {
        Some(alteration) => Finding::error(
            FindingCode::DigestMismatch,
            format!(
                "the {element} does not match its signed DigestValue: {} ({signature_note})",
                alteration.cause()
            ),
        )
        .with_fix(alteration.fix()),
        None => Finding::error(
            FindingCode::DigestMismatch,
            format!(
                "the {element} was edited after it was signed: its digest does not match the \
                 signed DigestValue, and neither whitespace, line endings nor encoding explain \
                 it, so a value inside it was changed ({signature_note})"
            ),
        )
        .with_fix(
            "use the message exactly as the IdP sent it (the original base64 value); if it was \
             not edited, something between the IdP and here changed it",
        ),
    }
}

/// `SignedInfo` in canonical form, the bytes the signature value covers.
fn canonical_signed_info(
    profiled: &Profiled<'_, '_>,
    report: &mut SignatureReport,
) -> Result<Vec<u8>, Stage> {
    let mut canonical = Vec::with_capacity(profiled.signed_info.range().len());
    let signed_info_options = C14nOptions {
        method: profiled.canonicalization,
        inclusive_prefixes: &profiled.signed_info_prefixes,
        exclude: None,
    };
    if let Err(err) =
        canonicalize_subtree(profiled.signed_info, &signed_info_options, &mut canonical)
    {
        report.findings.push(
            Finding::error(
                FindingCode::MalformedSignature,
                format!("<SignedInfo> cannot be canonicalized: {err}"),
            )
            .at(profiled.signed_info.range()),
        );
        return Err(Stage::MalformedStructure);
    }
    Ok(canonical)
}

/// How much canonical text is gathered before it is handed to the digest.
const DIGEST_CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyCheck {
    Verified,
    Mismatch,
    /// The key's type cannot check this algorithm (named for the message).
    WrongKeyType(&'static str),
}

fn key_kind(key: &PKeyRef<Public>) -> &'static str {
    match key.id() {
        Id::RSA => "RSA",
        Id::EC => "EC",
        Id::DSA => "DSA",
        _ => "non-RSA/EC/DSA",
    }
}

/// Checks an XML-DSig signature value over `data`. ECDSA and DSA values are the raw `r‖s`
/// pair XML-DSig prescribes and are converted to DER for OpenSSL.
pub(crate) fn verify_signature_value(
    algorithm: SignatureAlgorithm,
    key: &PKeyRef<Public>,
    data: &[u8],
    signature: &[u8],
) -> KeyCheck {
    let expected_key = match algorithm.family {
        SignatureFamily::RsaPkcs1 | SignatureFamily::RsaPss => Id::RSA,
        SignatureFamily::Ecdsa => Id::EC,
        SignatureFamily::Dsa => Id::DSA,
        SignatureFamily::Hmac => return KeyCheck::WrongKeyType(key_kind(key)),
    };
    if key.id() != expected_key {
        return KeyCheck::WrongKeyType(key_kind(key));
    }
    let der;
    let signature = match algorithm.family {
        SignatureFamily::Ecdsa | SignatureFamily::Dsa => {
            match raw_pair_to_der(algorithm.family, signature) {
                Some(encoded) => {
                    der = encoded;
                    der.as_slice()
                }
                None => return KeyCheck::Mismatch,
            }
        }
        _ => signature,
    };
    if algorithm.family == SignatureFamily::RsaPkcs1 {
        return match rsa_pkcs1_verifies(algorithm.hash, key, data, signature) {
            Ok(true) => KeyCheck::Verified,
            _ => KeyCheck::Mismatch,
        };
    }
    let check = || -> Result<bool, openssl::error::ErrorStack> {
        let mut verifier = Verifier::new(algorithm.hash.message_digest(), key)?;
        if algorithm.family == SignatureFamily::RsaPss {
            verifier.set_rsa_padding(Padding::PKCS1_PSS)?;
            verifier.set_rsa_mgf1_md(algorithm.hash.message_digest())?;
            verifier.set_rsa_pss_saltlen(RsaPssSaltlen::custom(PSS_SALT_LENGTH_AUTO))?;
        }
        verifier.update(data)?;
        verifier.verify(signature)
    };
    match check() {
        Ok(true) => KeyCheck::Verified,
        _ => KeyCheck::Mismatch,
    }
}

/// RSASSA-PKCS1-v1_5 verification by encoding and comparing (RFC 8017, section 8.2.2): the
/// signature, exactly as long as the modulus, is opened with the public key, and what comes
/// out must be the whole `DigestInfo` of `data`'s hash, byte for byte. The same check as
/// OpenSSL's `RSA_verify`, called on the key directly: `EVP_DigestVerify` would first fetch
/// the digest and the RSA implementation from OpenSSL 3's provider store on every call.
fn rsa_pkcs1_verifies(
    hash: crate::algorithms::HashFunction,
    key: &PKeyRef<Public>,
    data: &[u8],
    signature: &[u8],
) -> Result<bool, openssl::error::ErrorStack> {
    let rsa = key.rsa()?;
    let size = rsa.size() as usize;
    if signature.len() != size {
        return Ok(false);
    }
    let mut opened = vec![0u8; size];
    let length = rsa.public_decrypt(signature, &mut opened, Padding::PKCS1)?;
    let prefix = hash.pkcs1_digest_info_prefix();
    let digest = hash.digest(data);
    let expected_length = prefix.len() + digest.len();
    Ok(length == expected_length
        && opened[..prefix.len()] == *prefix
        && opened[prefix.len()..length] == *digest)
}

/// Converts XML-DSig's fixed-width `r‖s` into the DER `SEQUENCE { r, s }` OpenSSL verifies.
fn raw_pair_to_der(family: SignatureFamily, raw: &[u8]) -> Option<Vec<u8>> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) {
        return None;
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let r = BigNum::from_slice(r).ok()?;
    let s = BigNum::from_slice(s).ok()?;
    match family {
        SignatureFamily::Ecdsa => EcdsaSig::from_private_components(r, s).ok()?.to_der().ok(),
        SignatureFamily::Dsa => DsaSig::from_private_components(r, s).ok()?.to_der().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::rsa::Rsa;
    use openssl::sign::Signer;

    use super::{rsa_pkcs1_verifies, verify_signature_value, KeyCheck};
    use crate::algorithms::{HashFunction, SignatureAlgorithm, SignatureFamily};

    const HASHES: [HashFunction; 5] = [
        HashFunction::Sha1,
        HashFunction::Sha224,
        HashFunction::Sha256,
        HashFunction::Sha384,
        HashFunction::Sha512,
    ];

    fn sign(key: &PKey<openssl::pkey::Private>, digest: MessageDigest, data: &[u8]) -> Vec<u8> {
        let mut signer = Signer::new(digest, key).unwrap();
        signer.update(data).unwrap();
        signer.sign_to_vec().unwrap()
    }

    // The direct PKCS#1 v1.5 check must agree with OpenSSL's EVP verification on every hash:
    // the genuine signature verifies, and one over other data, under another hash's DigestInfo,
    // with a byte changed, or shortened by a byte does not.
    #[test]
    fn rsa_pkcs1_agrees_with_openssl_and_refuses_every_variation() {
        let private = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let public = PKey::public_key_from_der(&private.public_key_to_der().unwrap()).unwrap();
        let data = b"<ds:SignedInfo>...</ds:SignedInfo>";
        for hash in HASHES {
            let genuine = sign(&private, hash.message_digest(), data);
            assert!(
                rsa_pkcs1_verifies(hash, &public, data, &genuine).unwrap(),
                "{hash:?}"
            );
            let algorithm = SignatureAlgorithm {
                family: SignatureFamily::RsaPkcs1,
                hash,
            };
            assert!(matches!(
                verify_signature_value(algorithm, &public, data, &genuine),
                KeyCheck::Verified
            ));
            assert!(!rsa_pkcs1_verifies(hash, &public, b"other data", &genuine).unwrap_or(false));
            for other in HASHES.into_iter().filter(|other| *other != hash) {
                let under_other = sign(&private, other.message_digest(), data);
                assert!(
                    !rsa_pkcs1_verifies(hash, &public, data, &under_other).unwrap_or(false),
                    "{hash:?} accepted a {other:?} DigestInfo"
                );
            }
            let mut changed = genuine.clone();
            changed[100] ^= 1;
            assert!(!rsa_pkcs1_verifies(hash, &public, data, &changed).unwrap_or(false));
            assert!(!rsa_pkcs1_verifies(hash, &public, data, &genuine[1..]).unwrap_or(false));
            let mut longer = vec![0u8];
            longer.extend_from_slice(&genuine);
            assert!(!rsa_pkcs1_verifies(hash, &public, data, &longer).unwrap_or(false));
        }
    }

    #[test]
    fn digests_match_openssl() {
        for hash in HASHES {
            let data = b"canonical bytes";
            let expected = openssl::hash::hash(hash.message_digest(), data).unwrap();
            assert_eq!(hash.digest(data), expected.to_vec());
            let mut pieces = hash.digester();
            pieces.update(b"canonical ");
            pieces.update(b"bytes");
            assert_eq!(pieces.finish(), expected.to_vec());
        }
    }
}
