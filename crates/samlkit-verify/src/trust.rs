//! The user's trust: the only source of keys a signature may verify with.
//!
//! Trust comes from IdP metadata (every signing `KeyDescriptor`, so a key rollover with two
//! certificates works), from certificates (PEM, DER, several in one file, a bare base64 body)
//! and from SHA-256 fingerprints. A certificate inside a message is never trust: with
//! fingerprints, a `KeyInfo` certificate becomes a key only when its SHA-256 matches one.

use std::sync::{Arc, OnceLock};

use openssl::pkey::{PKey, PKeyRef, Public};
use roxmltree::{Document, Node};
use samlkit_parse::xml::{self, ns};
use samlkit_parse::{InputError, Limits};

use crate::certs::{
    colon_hex, describe_key, read_key_material, Certificate, CertificateError, KeyMaterial,
};
use crate::report::TrustedKeySummary;

/// Why something given as trust could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    #[error("the IdP metadata could not be read: {0}")]
    Metadata(#[from] InputError),
    #[error(
        "the IdP metadata has no signing key: no KeyDescriptor (use=\"signing\" or without use) \
         with an X509Certificate in an IDPSSODescriptor or RoleDescriptor"
    )]
    NoSigningKeyInMetadata,
    #[error("{origin}: {source}")]
    Certificate {
        origin: String,
        source: CertificateError,
    },
    #[error(
        "'{text}' is not a SHA-256 fingerprint: {reason} (get one with \
         `openssl x509 -in idp.pem -noout -fingerprint -sha256`)"
    )]
    Fingerprint { text: String, reason: &'static str },
}

/// Where a trusted key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorSource {
    /// A signing `KeyDescriptor` of IdP metadata.
    Metadata {
        entity_id: Option<String>,
        /// `IDPSSODescriptor` or `RoleDescriptor`.
        role: &'static str,
        /// One-based position among the metadata's distinct signing keys.
        position: usize,
        total: usize,
    },
    /// A certificate or public key file given directly.
    Given { origin: String },
}

/// One trusted key.
#[derive(Debug, Clone)]
pub struct TrustAnchor {
    label: String,
    source: AnchorSource,
    certificate: Option<Certificate>,
    /// The certificate's DER as standard padded base64: a message's KeyInfo usually carries
    /// the trusted certificate as exactly this text, recognised without decoding it.
    certificate_base64: Option<Box<str>>,
    public_key: PKey<Public>,
    /// [`TrustAnchor::description`], made once: reports quote it for every message.
    description: OnceLock<String>,
}

impl TrustAnchor {
    fn from_certificate(label: String, source: AnchorSource, certificate: Certificate) -> Self {
        let public_key = certificate.public_key().to_owned();
        TrustAnchor::new(label, source, Some(certificate), public_key)
    }

    fn new(
        label: String,
        source: AnchorSource,
        certificate: Option<Certificate>,
        public_key: PKey<Public>,
    ) -> Self {
        let certificate_base64 = certificate.as_ref().map(|cert| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .encode(cert.der())
                .into_boxed_str()
        });
        TrustAnchor {
            label,
            source,
            certificate,
            certificate_base64,
            public_key,
            description: OnceLock::new(),
        }
    }

    /// E.g. "metadata signing key 2 of 2" or "certificate idp.pem (1 of 3)".
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn source(&self) -> &AnchorSource {
        &self.source
    }

    pub fn certificate(&self) -> Option<&Certificate> {
        self.certificate.as_ref()
    }

    pub fn public_key(&self) -> &PKeyRef<Public> {
        &self.public_key
    }

    /// "metadata signing key 2 of 2, CN=…, SHA-256 …" — what a report says verified.
    pub fn description(&self) -> &str {
        self.description.get_or_init(|| match &self.certificate {
            Some(cert) => format!("{}, {}", self.label, cert.facts().short_description()),
            None => format!(
                "{}, {} public key",
                self.label,
                describe_key(&self.public_key)
            ),
        })
    }

    pub(crate) fn summary(&self) -> TrustedKeySummary {
        TrustedKeySummary {
            label: self.label.clone(),
            certificate: self.certificate.as_ref().map(Certificate::shared_facts),
            key: describe_key(&self.public_key),
        }
    }
}

/// A trusted SHA-256 certificate fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedFingerprint {
    sha256: [u8; 32],
}

impl TrustedFingerprint {
    pub fn sha256(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// Uppercase hex with colons.
    pub fn display(&self) -> String {
        colon_hex(&self.sha256)
    }
}

/// Everything the user trusts. Empty means "nothing can be verified", which verification
/// reports as its own outcome rather than skipping.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<TrustAnchor>,
    fingerprints: Vec<TrustedFingerprint>,
    notes: Vec<String>,
    /// What every report lists as trusted, made once for all the messages of a run (cleared
    /// when a key is added).
    summaries: OnceLock<Arc<[TrustedKeySummary]>>,
}

impl TrustStore {
    pub fn new() -> TrustStore {
        TrustStore::default()
    }

    /// True when nothing is trusted.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty() && self.fingerprints.is_empty()
    }

    pub fn anchors(&self) -> &[TrustAnchor] {
        &self.anchors
    }

    pub fn fingerprints(&self) -> &[TrustedFingerprint] {
        &self.fingerprints
    }

    /// Oddities noticed while loading trust (e.g. metadata written with wrong namespaces) that
    /// were tolerated because the user supplied the file.
    pub fn load_notes(&self) -> &[String] {
        &self.notes
    }

    /// Adds every signing key of IdP metadata (XML text). Returns how many distinct keys
    /// were added.
    pub fn add_idp_metadata(&mut self, xml_text: &str) -> Result<usize, TrustError> {
        let document = xml::parse_xml(xml_text, &Limits::default())?;
        self.add_idp_metadata_document(&document)
    }

    /// Adds every signing key of already parsed IdP metadata: each `KeyDescriptor` with
    /// `use="signing"` or without `use`, in every `IDPSSODescriptor` and in WS-Federation
    /// `RoleDescriptor`s (Entra ID and ADFS list their keys there too). The same certificate
    /// listed in several places counts once.
    pub fn add_idp_metadata_document(
        &mut self,
        document: &Document<'_>,
    ) -> Result<usize, TrustError> {
        let mut found: Vec<(Option<String>, &'static str, Certificate)> = Vec::new();
        let mut decoded_texts = Vec::new();
        for descriptor in document.descendants().filter(|node| node.is_element()) {
            let role = if xml::is_element(descriptor, ns::MD, "IDPSSODescriptor") {
                "IDPSSODescriptor"
            } else if xml::is_element(descriptor, ns::MD, "RoleDescriptor") {
                "RoleDescriptor"
            } else {
                continue;
            };
            let entity_id = descriptor
                .ancestors()
                .find(|node| xml::is_element(*node, ns::MD, "EntityDescriptor"))
                .and_then(|entity| xml::plain_attribute(entity, "entityID"))
                .map(|attr| attr.value().to_string());
            for key_descriptor in xml::children_named(descriptor, ns::MD, "KeyDescriptor") {
                let usage = xml::plain_attribute(key_descriptor, "use").map(|attr| attr.value());
                if !matches!(usage, None | Some("signing")) {
                    continue;
                }
                let mut cert_nodes: Vec<Node<'_, '_>> = x509_certificates(key_descriptor).collect();
                if cert_nodes.is_empty() {
                    // Some generators (samlify) write KeyInfo in the metadata namespace. The
                    // user chose this file as trust, so read it, and say so.
                    cert_nodes = key_descriptor
                        .descendants()
                        .filter(|node| {
                            node.is_element() && node.tag_name().name() == "X509Certificate"
                        })
                        .collect();
                    if let Some(first) = cert_nodes.first() {
                        let pos = xml::line_column(document.input_text(), first.range().start);
                        self.notes.push(format!(
                            "IdP metadata line {}: the signing certificate's KeyInfo is not in the \
                             XML-DSig namespace ({}); read anyway",
                            pos.line,
                            first.tag_name().namespace().unwrap_or("no namespace")
                        ));
                    }
                }
                for cert_node in cert_nodes {
                    let text = xml::text_content(cert_node);
                    // The same certificate often serves several roles (Entra ID lists it for
                    // SAML and for WS-Federation): decode each text once; decoding is most of
                    // the cost of loading metadata.
                    if decoded_texts.contains(&text) {
                        continue;
                    }
                    let (materials, _) = read_key_material(text.as_bytes()).map_err(|source| {
                        let pos = xml::line_column(document.input_text(), cert_node.range().start);
                        TrustError::Certificate {
                            origin: format!(
                                "IdP metadata X509Certificate at line {}, column {}",
                                pos.line, pos.column
                            ),
                            source,
                        }
                    })?;
                    for material in materials {
                        if let KeyMaterial::Certificate(cert) = material {
                            if !found.iter().any(|(_, _, known)| known.der() == cert.der()) {
                                found.push((entity_id.clone(), role, cert));
                            }
                        }
                    }
                    decoded_texts.push(text);
                }
            }
        }
        if found.is_empty() {
            return Err(TrustError::NoSigningKeyInMetadata);
        }
        let total = found.len();
        for (position, (entity_id, role, cert)) in found.into_iter().enumerate() {
            let position = position + 1;
            self.push_anchor(TrustAnchor::from_certificate(
                format!("metadata signing key {position} of {total}"),
                AnchorSource::Metadata {
                    entity_id,
                    role,
                    position,
                    total,
                },
                cert,
            ));
        }
        Ok(total)
    }

    /// Adds the certificates or public keys in `data` (PEM with one or more blocks, DER, a
    /// bare base64 certificate body, or base64 of a PEM file). `origin` names the source in
    /// labels and errors, e.g. the file name. Returns how many keys were added.
    pub fn add_certificates(&mut self, data: &[u8], origin: &str) -> Result<usize, TrustError> {
        let (materials, _) = read_key_material(data).map_err(|source| TrustError::Certificate {
            origin: origin.to_string(),
            source,
        })?;
        let total = materials.len();
        let source = || AnchorSource::Given {
            origin: origin.to_string(),
        };
        for (position, material) in materials.into_iter().enumerate() {
            let label = if total == 1 {
                format!("trusted certificate {origin}")
            } else {
                format!("trusted certificate {origin} ({} of {total})", position + 1)
            };
            let anchor = match material {
                KeyMaterial::Certificate(cert) => {
                    TrustAnchor::from_certificate(label, source(), cert)
                }
                KeyMaterial::PublicKey(key) => TrustAnchor::new(
                    label.replace("trusted certificate", "trusted public key"),
                    source(),
                    None,
                    key,
                ),
            };
            self.push_anchor(anchor);
        }
        Ok(total)
    }

    /// Adds a SHA-256 certificate fingerprint: 64 hex digits, with or without colons (or
    /// spaces), any case. SHA-1 fingerprints are refused with a hint to use SHA-256.
    pub fn add_fingerprint(&mut self, text: &str) -> Result<(), TrustError> {
        let fingerprint = parse_sha256_fingerprint(text)?;
        if !self.fingerprints.contains(&fingerprint) {
            self.fingerprints.push(fingerprint);
            self.summaries = OnceLock::new();
        }
        Ok(())
    }

    /// The trusted anchor whose certificate is exactly `der`, if any.
    pub(crate) fn anchor_with_certificate(&self, der: &[u8]) -> Option<usize> {
        self.anchors.iter().position(|anchor| {
            anchor
                .certificate
                .as_ref()
                .is_some_and(|cert| cert.der() == der)
        })
    }

    /// The trusted anchor whose certificate's standard padded base64 is `text` once ASCII
    /// whitespace is left out (lines folded or indented, as metadata and KeyInfo write it).
    /// Such text decodes to that certificate's DER and nothing else, so this is
    /// [`TrustStore::anchor_with_certificate`] without decoding; rarer spellings of the same
    /// certificate (no padding, PEM inside base64) are not found here.
    pub(crate) fn anchor_with_certificate_base64(&self, text: &str) -> Option<usize> {
        self.anchors.iter().position(|anchor| {
            anchor
                .certificate_base64
                .as_deref()
                .is_some_and(|canonical| same_apart_from_whitespace(text, canonical))
        })
    }

    /// True when the SHA-256 of `der` is a trusted fingerprint.
    pub(crate) fn fingerprint_matches(&self, sha256: &[u8; 32]) -> bool {
        self.fingerprints
            .iter()
            .any(|fingerprint| &fingerprint.sha256 == sha256)
    }

    pub(crate) fn summaries(&self) -> Arc<[TrustedKeySummary]> {
        let summaries = self.summaries.get_or_init(|| {
            let anchors = self.anchors.iter().map(TrustAnchor::summary);
            let fingerprints = self
                .fingerprints
                .iter()
                .map(|fingerprint| TrustedKeySummary {
                    label: format!("trusted fingerprint SHA-256 {}", fingerprint.display()),
                    certificate: None,
                    key: "any certificate with this SHA-256 fingerprint".to_string(),
                });
            anchors.chain(fingerprints).collect()
        });
        Arc::clone(summaries)
    }

    fn push_anchor(&mut self, anchor: TrustAnchor) {
        // The same certificate given twice (metadata and a PEM file) is one key.
        let duplicate = anchor
            .certificate
            .as_ref()
            .is_some_and(|cert| self.anchor_with_certificate(cert.der()).is_some())
            || (anchor.certificate.is_none()
                && self
                    .anchors
                    .iter()
                    .any(|known| known.public_key.public_eq(&anchor.public_key)));
        if !duplicate {
            self.anchors.push(anchor);
            self.summaries = OnceLock::new();
        }
    }
}

/// Whether `text` is `canonical` with ASCII whitespace put in anywhere (`canonical` has none).
fn same_apart_from_whitespace(text: &str, canonical: &str) -> bool {
    // One unbroken line is the common case, and one comparison.
    if text.trim_ascii() == canonical {
        return true;
    }
    let mut rest = canonical.as_bytes();
    for piece in text.as_bytes().split(u8::is_ascii_whitespace) {
        match rest.strip_prefix(piece) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

fn x509_certificates<'a, 'i>(key_descriptor: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    xml::children_named(key_descriptor, ns::DS, "KeyInfo")
        .flat_map(|key_info| xml::children_named(key_info, ns::DS, "X509Data"))
        .flat_map(|data| xml::children_named(data, ns::DS, "X509Certificate"))
}

fn parse_sha256_fingerprint(text: &str) -> Result<TrustedFingerprint, TrustError> {
    let error = |reason| TrustError::Fingerprint {
        text: text.to_string(),
        reason,
    };
    let trimmed = text.trim();
    let trimmed = trimmed
        .strip_prefix("sha256:")
        .or_else(|| trimmed.strip_prefix("SHA256:"))
        .or_else(|| trimmed.strip_prefix("SHA-256:"))
        .unwrap_or(trimmed);
    let digits: Vec<u8> = trimmed
        .bytes()
        .filter(|byte| !matches!(byte, b':' | b' ' | b'-'))
        .collect();
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(error(
            "it contains characters other than hex digits and colons",
        ));
    }
    match digits.len() {
        64 => {}
        40 => {
            return Err(error(
                "it has 40 hex digits, a SHA-1 fingerprint; samlkit needs SHA-256",
            ))
        }
        32 => {
            return Err(error(
                "it has 32 hex digits, an MD5 fingerprint; samlkit needs SHA-256",
            ))
        }
        _ => return Err(error("a SHA-256 fingerprint has 64 hex digits")),
    }
    let mut sha256 = [0u8; 32];
    for (i, pair) in digits.chunks(2).enumerate() {
        let hex = std::str::from_utf8(pair).map_err(|_| error("not ASCII"))?;
        sha256[i] = u8::from_str_radix(hex, 16).map_err(|_| error("not hex"))?;
    }
    Ok(TrustedFingerprint { sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_text_is_the_certificate_only_when_it_differs_by_whitespace_alone() {
        let canonical = "MIIBaQ==";
        for same in ["MIIBaQ==", "  MIIBaQ==\n", "MII\nBaQ==", "MI\r\nIB\taQ=\n="] {
            assert!(same_apart_from_whitespace(same, canonical), "{same:?}");
        }
        for other in [
            "",
            " \n",
            "MIIBaQ=",
            "MIIBaQ===",
            "MIIBaR==",
            "XMIIBaQ==",
            "MII BaQ== x",
        ] {
            assert!(!same_apart_from_whitespace(other, canonical), "{other:?}");
        }
    }

    #[test]
    fn fingerprints_with_and_without_colons_are_equal() {
        let bare = "ab".repeat(32);
        let colons = vec!["AB"; 32].join(":");
        assert_eq!(
            parse_sha256_fingerprint(&bare).unwrap(),
            parse_sha256_fingerprint(&colons).unwrap()
        );
    }

    #[test]
    fn sha1_fingerprints_are_refused_with_a_reason() {
        let err = parse_sha256_fingerprint("657302a5e11a4794a1e50a705988d66c9377575d").unwrap_err();
        assert!(err.to_string().contains("SHA-1"), "{err}");
        assert!(parse_sha256_fingerprint("zz".repeat(32).as_str()).is_err());
        let err = parse_sha256_fingerprint(&"9f".repeat(16)).unwrap_err();
        assert!(err.to_string().contains("an MD5 fingerprint"), "{err}");
        let err = parse_sha256_fingerprint(&"9f".repeat(31)).unwrap_err();
        assert!(err.to_string().contains("has 64 hex digits"), "{err}");
    }

    #[test]
    fn metadata_without_signing_keys_is_an_error() {
        let mut trust = TrustStore::new();
        let metadata = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#;
        assert_eq!(
            trust.add_idp_metadata(metadata),
            Err(TrustError::NoSigningKeyInMetadata)
        );
        assert!(trust.is_empty());
    }
}
