//! Reading certificates in the shapes people paste them, and the facts about each that an
//! administrator needs: who, valid when, which key, and its SHA-256 fingerprint.
//!
//! Accepted shapes: PEM (one or several certificates), DER, a bare base64 body as found in
//! metadata and `KeyInfo`, and base64 of a whole PEM file (some ADFS responses put exactly that
//! in `X509Certificate`). Facts are computed once when a certificate is read; checking them
//! against `now` is cheap and happens per verification.

use std::sync::Arc;

use openssl::asn1::{Asn1Time, Asn1TimeRef};
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, PKeyRef, Public};
use openssl::rsa::Rsa;
use openssl::x509::{X509NameRef, X509};
use serde::Serialize;

use crate::report::{Finding, FindingCode};

/// Smallest RSA modulus not flagged as weak.
pub const MIN_RSA_BITS: u32 = 2048;

/// Why a certificate or key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("no certificate or public key found (expected PEM, DER or a base64 certificate body)")]
    NothingFound,
    #[error("not valid base64: {0}")]
    Base64(String),
    #[error("not a readable X.509 certificate: {0}")]
    X509(String),
    #[error("the certificate's public key cannot be read: {0}")]
    PublicKey(String),
}

/// Facts about one certificate, all computed when it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateFacts {
    /// Subject as `CN=…, O=…`, in the order the certificate lists it.
    pub subject: String,
    pub issuer: String,
    /// Start of validity, unix seconds.
    pub not_before: i64,
    /// End of validity, unix seconds.
    pub not_after: i64,
    /// Start of validity as `YYYY-MM-DDTHH:MM:SSZ`.
    pub not_before_utc: String,
    /// End of validity as `YYYY-MM-DDTHH:MM:SSZ`.
    pub not_after_utc: String,
    /// SHA-256 of the DER encoding, uppercase hex with colons.
    pub sha256_fingerprint: String,
    /// E.g. `RSA 2048`, `EC prime256v1`.
    pub key: String,
    /// The algorithm the issuer signed the certificate with, e.g. `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// The RSA modulus size, for RSA keys.
    #[serde(skip)]
    pub rsa_bits: Option<u32>,
    #[serde(skip)]
    pub signed_with_sha1: bool,
}

impl CertificateFacts {
    /// `CN=…, SHA-256 AB:CD:…` — how a certificate is named in messages.
    pub fn short_description(&self) -> String {
        format!("{}, SHA-256 {}", self.subject, self.sha256_fingerprint)
    }

    /// Findings about the certificate itself at time `now` (unix seconds): expired, not yet
    /// valid, weak RSA key, SHA-1 signature. `role` says which certificate this is, e.g.
    /// "trusted signing certificate (metadata signing key 1 of 2)".
    pub fn findings(&self, now: i64, role: &str) -> Vec<Finding> {
        let mut findings = Vec::new();
        if now > self.not_after {
            findings.push(
                Finding::warning(
                    FindingCode::CertificateExpired,
                    format!(
                        "the {role} {} expired on {}",
                        self.subject, self.not_after_utc
                    ),
                )
                .with_fix(
                    "ask the identity provider for its current signing certificate (or fresh \
                     metadata) and replace the expired one in the SP configuration",
                ),
            );
        } else if now < self.not_before {
            findings.push(Finding::warning(
                FindingCode::CertificateNotYetValid,
                format!(
                    "the {role} {} is not valid before {}",
                    self.subject, self.not_before_utc
                ),
            ));
        }
        if let Some(bits) = self.rsa_bits.filter(|bits| *bits < MIN_RSA_BITS) {
            findings.push(
                Finding::warning(
                    FindingCode::WeakRsaKey,
                    format!(
                        "the {role} {} has a {bits}-bit RSA key (under {MIN_RSA_BITS} bits)",
                        self.subject
                    ),
                )
                .with_fix("have the identity provider issue a signing key of 2048 bits or more"),
            );
        }
        if self.signed_with_sha1 {
            findings.push(Finding::warning(
                FindingCode::CertificateSha1Signature,
                format!(
                    "the {role} {} is signed with {} (SHA-1 is deprecated)",
                    self.subject, self.signature_algorithm
                ),
            ));
        }
        findings
    }
}

/// A parsed certificate with its facts and public key.
#[derive(Clone)]
pub struct Certificate {
    // Shared: a trusted certificate is handed to the report of every message it verifies.
    der: Arc<[u8]>,
    public_key: PKey<Public>,
    // Shared for the same reason, and so that a certificate stays small beside a bare public
    // key in `KeyMaterial`.
    facts: Arc<CertificateFacts>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("facts", &self.facts)
            .finish_non_exhaustive()
    }
}

impl Certificate {
    /// Reads one DER-encoded certificate.
    pub fn from_der(der: &[u8]) -> Result<Certificate, CertificateError> {
        let x509 = X509::from_der(der).map_err(|err| CertificateError::X509(err.to_string()))?;
        Certificate::from_x509(&x509, der.to_vec())
    }

    fn from_x509(x509: &X509, der: Vec<u8>) -> Result<Certificate, CertificateError> {
        let public_key = x509
            .public_key()
            .map_err(|err| CertificateError::PublicKey(err.to_string()))?;
        let not_before = unix_seconds(x509.not_before());
        let not_after = unix_seconds(x509.not_after());
        let signature_nid = x509.signature_algorithm().object().nid();
        let signed_with_sha1 = signature_nid
            .signature_algorithms()
            .is_some_and(|algs| algs.digest == Nid::SHA1);
        let facts = CertificateFacts {
            subject: format_name(x509.subject_name()),
            issuer: format_name(x509.issuer_name()),
            not_before,
            not_after,
            not_before_utc: format_unix_utc(not_before),
            not_after_utc: format_unix_utc(not_after),
            sha256_fingerprint: colon_hex(&openssl::sha::sha256(&der)),
            key: describe_key(&public_key),
            signature_algorithm: signature_nid
                .long_name()
                .or_else(|_| signature_nid.short_name())
                .unwrap_or("unknown")
                .to_string(),
            rsa_bits: (public_key.id() == Id::RSA).then(|| public_key.bits()),
            signed_with_sha1,
        };
        Ok(Certificate {
            der: der.into(),
            public_key,
            facts: Arc::new(facts),
        })
    }

    pub fn facts(&self) -> &CertificateFacts {
        &self.facts
    }

    /// The facts, shared rather than copied, for a report to keep.
    pub fn shared_facts(&self) -> Arc<CertificateFacts> {
        Arc::clone(&self.facts)
    }

    pub fn public_key(&self) -> &PKeyRef<Public> {
        &self.public_key
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// SHA-256 of the DER encoding.
    pub fn sha256(&self) -> [u8; 32] {
        openssl::sha::sha256(&self.der)
    }
}

/// What a blob of certificate text turned out to hold.
#[derive(Debug, Clone)]
pub enum KeyMaterial {
    Certificate(Certificate),
    /// A bare public key (`-----BEGIN PUBLIC KEY-----`).
    PublicKey(PKey<Public>),
}

/// How the certificate text was encoded, when it was not plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded {
    /// The input was base64 of a PEM file.
    pub pem_wrapped: bool,
}

/// Reads every certificate or public key in `data`: PEM with one or more blocks, DER, a bare
/// base64 body, or base64 of a PEM file.
pub fn read_key_material(data: &[u8]) -> Result<(Vec<KeyMaterial>, Decoded), CertificateError> {
    read_key_material_inner(data, true)
}

fn read_key_material_inner(
    data: &[u8],
    may_unwrap: bool,
) -> Result<(Vec<KeyMaterial>, Decoded), CertificateError> {
    let plain = Decoded { pem_wrapped: false };
    let trimmed = trim_ascii(data);
    if trimmed.is_empty() {
        return Err(CertificateError::NothingFound);
    }
    if contains(trimmed, b"-----BEGIN") {
        return read_pem(trimmed).map(|found| (found, plain));
    }
    if trimmed[0] == 0x30 {
        // A DER SEQUENCE: base64 text never starts with this byte.
        return Ok((
            vec![KeyMaterial::Certificate(Certificate::from_der(trimmed)?)],
            plain,
        ));
    }
    let decoded = decode_base64_lenient(trimmed)?;
    if contains(&decoded, b"-----BEGIN") {
        if !may_unwrap {
            return Err(CertificateError::NothingFound);
        }
        let (found, _) = read_key_material_inner(&decoded, false)?;
        return Ok((found, Decoded { pem_wrapped: true }));
    }
    Ok((
        vec![KeyMaterial::Certificate(Certificate::from_der(&decoded)?)],
        plain,
    ))
}

fn read_pem(text: &[u8]) -> Result<Vec<KeyMaterial>, CertificateError> {
    let mut found = Vec::new();
    if contains(text, b"-----BEGIN CERTIFICATE-----") {
        let stack =
            X509::stack_from_pem(text).map_err(|err| CertificateError::X509(err.to_string()))?;
        for x509 in stack {
            let der = x509
                .to_der()
                .map_err(|err| CertificateError::X509(err.to_string()))?;
            let certificate = Certificate::from_x509(&x509, der)?;
            found.push(KeyMaterial::Certificate(certificate));
        }
    }
    // Public keys may sit beside certificates; read each block on its own. Both SPKI
    // (`PUBLIC KEY`) and PKCS#1 (`RSA PUBLIC KEY`) blocks occur in the wild.
    for (begin, end) in [
        (
            &b"-----BEGIN PUBLIC KEY-----"[..],
            &b"-----END PUBLIC KEY-----"[..],
        ),
        (
            &b"-----BEGIN RSA PUBLIC KEY-----"[..],
            &b"-----END RSA PUBLIC KEY-----"[..],
        ),
    ] {
        let mut rest = text;
        while let Some(start) = find(rest, begin) {
            let after = &rest[start..];
            let Some(stop) = find(after, end) else {
                break;
            };
            let block = &after[..stop + end.len()];
            let key = if begin.starts_with(b"-----BEGIN RSA") {
                Rsa::public_key_from_pem_pkcs1(block).and_then(PKey::from_rsa)
            } else {
                PKey::public_key_from_pem(block)
            }
            .map_err(|err| CertificateError::PublicKey(err.to_string()))?;
            found.push(KeyMaterial::PublicKey(key));
            rest = &after[stop + end.len()..];
        }
    }
    if found.is_empty() {
        return Err(CertificateError::NothingFound);
    }
    Ok(found)
}

/// Decodes base64 that may be wrapped across lines or padded with spaces.
pub(crate) fn decode_base64_lenient(text: &[u8]) -> Result<Vec<u8>, CertificateError> {
    samlkit_parse::decode::decode_base64_lenient(text)
        .map_err(|err| CertificateError::Base64(err.to_string()))
}

/// A short description of a public key, e.g. `RSA 2048` or `EC prime256v1`.
pub fn describe_key(key: &PKeyRef<Public>) -> String {
    match key.id() {
        Id::RSA => format!("RSA {}", key.bits()),
        Id::EC => {
            let curve = key
                .ec_key()
                .ok()
                .and_then(|ec| ec.group().curve_name())
                .and_then(|nid| nid.short_name().ok())
                .unwrap_or("unknown curve");
            format!("EC {curve}")
        }
        Id::DSA => format!("DSA {}", key.bits()),
        Id::ED25519 => "Ed25519".to_string(),
        Id::ED448 => "Ed448".to_string(),
        other => format!("key type {}", other.as_raw()),
    }
}

/// Uppercase hex with colons, e.g. `AB:CD:01`.
pub fn colon_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, byte) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(&format!("{byte:02X}"));
    }
    out
}

fn format_name(name: &X509NameRef) -> String {
    let parts: Vec<String> = name
        .entries()
        .map(|entry| {
            let key = entry.object().nid().short_name().unwrap_or("?").to_string();
            let value = entry.data().to_string().unwrap_or_else(|_| "?".to_string());
            format!("{key}={value}")
        })
        .collect();
    if parts.is_empty() {
        "(empty subject)".to_string()
    } else {
        parts.join(", ")
    }
}

fn unix_seconds(time: &Asn1TimeRef) -> i64 {
    let Ok(epoch) = Asn1Time::from_unix(0) else {
        return 0;
    };
    match epoch.diff(time) {
        Ok(diff) => i64::from(diff.days) * 86_400 + i64::from(diff.secs),
        Err(_) => 0,
    }
}

/// Formats unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian calendar).
pub fn format_unix_utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let time_of_day = seconds.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm), valid for the whole i64 day range we see.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        time_of_day / 3600,
        time_of_day % 3600 / 60,
        time_of_day % 60
    )
}

fn trim_ascii(data: &[u8]) -> &[u8] {
    let start = data
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(data.len());
    let end = data
        .iter()
        .rposition(|byte| !byte.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &data[start..end]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_formats_as_utc() {
        assert_eq!(format_unix_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_unix_utc(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(format_unix_utc(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn colon_hex_is_uppercase() {
        assert_eq!(colon_hex(&[0xab, 0x01]), "AB:01");
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(read_key_material(b"   ").is_err());
        assert!(read_key_material(b"not base64 !!").is_err());
        assert!(read_key_material(b"aGVsbG8=").is_err());
    }
}
