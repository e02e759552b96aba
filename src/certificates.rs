//! Certificates found in messages and metadata, described for people: subject, validity relative
//! to now, SHA-256 fingerprint. Reading is done by `samlkit-verify`; this only shapes the output.

use samlkit_parse::time::{describe_duration, Instant};
use samlkit_verify::certs::{read_key_material, KeyMaterial};
use serde::Serialize;

#[derive(Serialize, Debug, Clone)]
pub struct CertificateSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// "valid for 2 years more" / "expired 3 days ago" / "not valid before …".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Why the certificate could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Describes the certificate in a `ds:X509Certificate` body (base64, whitespace removed).
pub fn describe_certificate(base64_body: &str, now: Instant) -> CertificateSummary {
    let unreadable = |error: String| CertificateSummary {
        subject: None,
        issuer: None,
        not_before: None,
        not_after: None,
        validity: None,
        sha256: None,
        key: None,
        error: Some(error),
    };
    let found = match read_key_material(base64_body.as_bytes()) {
        Ok((found, _)) => found,
        Err(err) => return unreadable(err.to_string()),
    };
    let Some(certificate) = found.iter().find_map(|m| match m {
        KeyMaterial::Certificate(c) => Some(c),
        KeyMaterial::PublicKey(_) => None,
    }) else {
        return unreadable("holds a public key, not a certificate".into());
    };
    let facts = certificate.facts();
    let now_secs = now.unix_seconds();
    let validity = if now_secs < facts.not_before {
        format!("not valid before {}", facts.not_before_utc)
    } else if now_secs >= facts.not_after {
        format!(
            "expired {} ({} ago)",
            facts.not_after_utc,
            describe_duration(facts.not_after - now_secs)
        )
    } else {
        format!(
            "valid until {} ({} more)",
            facts.not_after_utc,
            describe_duration(facts.not_after - now_secs)
        )
    };
    CertificateSummary {
        subject: Some(facts.subject.clone()),
        issuer: Some(facts.issuer.clone()),
        not_before: Some(facts.not_before_utc.clone()),
        not_after: Some(facts.not_after_utc.clone()),
        validity: Some(validity),
        sha256: Some(facts.sha256_fingerprint.clone()),
        key: Some(facts.key.clone()),
        error: None,
    }
}
