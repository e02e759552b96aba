//! Certificates found in messages and metadata, described for people: subject, validity relative
//! to now, SHA-256 fingerprint. The facts are `samlkit-verify`'s [`CertificateFacts`], the one
//! certificate type of samlkit; this adds only what a summary says about them at an instant.

use samlkit_parse::time::{describe_duration, Instant};
use samlkit_verify::certs::{read_key_material, CertificateFacts, KeyMaterial};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A certificate as a summary shows it: its facts, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSummary {
    pub facts: Result<CertificateFacts, String>,
    /// "valid until … (2 years more)" / "expired … (3 days ago)" / "not valid before …".
    pub validity: Option<String>,
}

impl CertificateSummary {
    /// The subject, when the certificate could be read.
    pub fn subject(&self) -> Option<&str> {
        self.facts.as_ref().ok().map(|f| f.subject.as_str())
    }

    /// The SHA-256 fingerprint, when the certificate could be read.
    pub fn sha256(&self) -> Option<&str> {
        self.facts
            .as_ref()
            .ok()
            .map(|f| f.sha256_fingerprint.as_str())
    }

    /// Why the certificate could not be read, when it could not.
    pub fn error(&self) -> Option<&str> {
        self.facts.as_ref().err().map(String::as_str)
    }
}

/// The summary's JSON keeps its documented field names (`sha256`, `not_after` as text).
impl Serialize for CertificateSummary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match &self.facts {
            Ok(facts) => {
                map.serialize_entry("subject", &facts.subject)?;
                map.serialize_entry("issuer", &facts.issuer)?;
                map.serialize_entry("not_before", &facts.not_before_utc)?;
                map.serialize_entry("not_after", &facts.not_after_utc)?;
                if let Some(validity) = &self.validity {
                    map.serialize_entry("validity", validity)?;
                }
                map.serialize_entry("sha256", &facts.sha256_fingerprint)?;
                map.serialize_entry("key", &facts.key)?;
            }
            Err(error) => map.serialize_entry("error", error)?,
        }
        map.end()
    }
}

/// Describes the certificate in a `ds:X509Certificate` body (base64, whitespace removed).
pub fn describe_certificate(base64_body: &str, now: Instant) -> CertificateSummary {
    let unreadable = |error: String| CertificateSummary {
        facts: Err(error),
        validity: None,
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
        facts: Ok(facts.clone()),
        validity: Some(validity),
    }
}
