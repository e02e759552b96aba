//! The SP's private keys that decrypt: read from PEM (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8
//! with a passphrase) or DER, each with the certificate it belongs to when one is given.

use std::fmt;

use openssl::pkey::{Id, PKey, Private};
use openssl::rsa::Rsa;

use crate::certs::{colon_hex, Certificate, CertificateFacts};

/// Why a private key file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlEncError {
    #[error("{origin}: no private key found (expected PEM `BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`){hint}")]
    NoPrivateKey { origin: String, hint: String },
    #[error("{origin}: the private key is protected by a passphrase; write an unprotected copy (`openssl pkey -in {origin} -out sp-key.pem`) and pass that")]
    EncryptedPrivateKey { origin: String },
    #[error("{origin}: this is {kind} key; SAML key transport uses RSA, so only RSA private keys can decrypt")]
    NotRsa { origin: String, kind: String },
    #[error("{origin}: the private key cannot be read: {detail}")]
    Unreadable { origin: String, detail: String },
}

/// One SP private key that may decrypt.
pub struct DecryptionKey {
    pub(super) private_key: PKey<Private>,
    /// SubjectPublicKeyInfo DER of the public half, compared with certificates' keys.
    public_key_der: Vec<u8>,
    label: String,
    certificate: Option<CertificateFacts>,
}

impl fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        f.debug_struct("DecryptionKey")
            .field("label", &self.label)
            .field("certificate", &self.certificate)
            .finish_non_exhaustive()
    }
}

impl DecryptionKey {
    pub(super) fn new(
        private_key: PKey<Private>,
        label: String,
        origin: &str,
    ) -> Result<DecryptionKey, XmlEncError> {
        if private_key.id() != Id::RSA {
            let kind = match private_key.id() {
                Id::EC => "an EC".to_string(),
                Id::DSA => "a DSA".to_string(),
                Id::ED25519 => "an Ed25519".to_string(),
                Id::RSA_PSS => "an RSA-PSS (signing only)".to_string(),
                other => format!("a type {}", other.as_raw()),
            };
            return Err(XmlEncError::NotRsa {
                origin: origin.to_string(),
                kind,
            });
        }
        let public_key_der =
            private_key
                .public_key_to_der()
                .map_err(|err| XmlEncError::Unreadable {
                    origin: origin.to_string(),
                    detail: err.to_string(),
                })?;
        Ok(DecryptionKey {
            private_key,
            public_key_der,
            label,
            certificate: None,
        })
    }

    /// Where the key came from: the file name, with `(key N)` when a file holds several.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The certificate found beside the key in the same file, when its public key matches.
    pub fn certificate(&self) -> Option<&CertificateFacts> {
        self.certificate.as_ref()
    }

    /// SHA-256 of the public key (SubjectPublicKeyInfo DER), uppercase hex with colons.
    pub fn public_key_sha256(&self) -> String {
        colon_hex(&openssl::sha::sha256(&self.public_key_der))
    }

    /// How the key is named in messages: label, size, public-key fingerprint, certificate.
    pub fn description(&self) -> String {
        let mut text = format!(
            "{} (RSA {}, public key SHA-256 {}",
            self.label,
            self.private_key.bits(),
            self.public_key_sha256()
        );
        if let Some(cert) = &self.certificate {
            text.push_str(&format!(", certificate {}", cert.subject));
        }
        text.push(')');
        text
    }

    pub(super) fn matches(&self, certificate: &Certificate) -> bool {
        certificate
            .public_key()
            .public_key_to_der()
            .is_ok_and(|der| der == self.public_key_der)
    }
}

/// The SP private keys given by the user, tried in the order they were added (keys that
/// belong to the certificate a message names are tried first).
#[derive(Debug, Default)]
pub struct DecryptionKeys {
    keys: Vec<DecryptionKey>,
}

impl DecryptionKeys {
    pub fn new() -> Self {
        DecryptionKeys::default()
    }

    /// Reads every private key in `data` and keeps it under a label made from `origin` (the
    /// file name). Accepted: PEM PKCS#8 (`BEGIN PRIVATE KEY`) and PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`), several per file, beside certificates (a certificate whose
    /// public key matches a key is remembered for messages); also bare DER or base64 of DER.
    /// Returns how many keys were added.
    pub fn add_pem(&mut self, data: &[u8], origin: &str) -> Result<usize, XmlEncError> {
        let blocks = pem_blocks(data);
        let mut private_keys: Vec<PKey<Private>> = Vec::new();
        let mut certificates: Vec<Certificate> = Vec::new();
        let unreadable = |detail: String| XmlEncError::Unreadable {
            origin: origin.to_string(),
            detail,
        };
        if blocks.is_empty() {
            // No PEM armour: DER, or the base64 body alone as some configuration files hold it.
            let der = if data.first() == Some(&0x30) {
                data.to_vec()
            } else {
                decode_base64(data).map_err(|_| XmlEncError::NoPrivateKey {
                    origin: origin.to_string(),
                    hint: String::new(),
                })?
            };
            let key = PKey::private_key_from_der(&der).map_err(|_| XmlEncError::NoPrivateKey {
                origin: origin.to_string(),
                hint: String::new(),
            })?;
            private_keys.push(key);
        }
        for block in &blocks {
            if block.encrypted_header {
                return Err(XmlEncError::EncryptedPrivateKey {
                    origin: origin.to_string(),
                });
            }
            match block.label.as_str() {
                "RSA PRIVATE KEY" => {
                    let der = decode_base64(block.body.as_bytes()).map_err(unreadable)?;
                    let rsa = Rsa::private_key_from_der(&der)
                        .map_err(|err| unreadable(err.to_string()))?;
                    private_keys
                        .push(PKey::from_rsa(rsa).map_err(|err| unreadable(err.to_string()))?);
                }
                "PRIVATE KEY" => {
                    let der = decode_base64(block.body.as_bytes()).map_err(unreadable)?;
                    private_keys.push(
                        PKey::private_key_from_pkcs8(&der)
                            .map_err(|err| unreadable(err.to_string()))?,
                    );
                }
                "ENCRYPTED PRIVATE KEY" => {
                    return Err(XmlEncError::EncryptedPrivateKey {
                        origin: origin.to_string(),
                    })
                }
                "EC PRIVATE KEY" | "DSA PRIVATE KEY" => {
                    let kind = if block.label.starts_with("EC") {
                        "an EC"
                    } else {
                        "a DSA"
                    };
                    return Err(XmlEncError::NotRsa {
                        origin: origin.to_string(),
                        kind: kind.to_string(),
                    });
                }
                "OPENSSH PRIVATE KEY" => {
                    return Err(unreadable(
                        "this is OpenSSH's own key format; convert a copy to PEM with \
                         `ssh-keygen -p -m PKCS8 -f <copy>`"
                            .to_string(),
                    ))
                }
                "CERTIFICATE" => {
                    // A certificate that cannot be read only costs a nicer message later.
                    if let Ok(der) = decode_base64(block.body.as_bytes()) {
                        if let Ok(cert) = Certificate::from_der(&der) {
                            certificates.push(cert);
                        }
                    }
                }
                _ => {}
            }
        }
        if private_keys.is_empty() {
            let hint = if certificates.is_empty() {
                String::new()
            } else {
                " — it holds only a certificate; decryption needs the private key that belongs \
                 to it"
                    .to_string()
            };
            return Err(XmlEncError::NoPrivateKey {
                origin: origin.to_string(),
                hint,
            });
        }
        let several = private_keys.len() > 1;
        let mut added = Vec::with_capacity(private_keys.len());
        for (index, private_key) in private_keys.into_iter().enumerate() {
            let label = if several {
                format!("{origin} (key {})", index + 1)
            } else {
                origin.to_string()
            };
            let mut key = DecryptionKey::new(private_key, label, origin)?;
            key.certificate = certificates
                .iter()
                .find(|cert| key.matches(cert))
                .map(|cert| cert.facts().clone());
            added.push(key);
        }
        let count = added.len();
        self.keys.extend(added);
        Ok(count)
    }

    /// Adds one key that is already in memory.
    pub fn add_private_key(
        &mut self,
        private_key: PKey<Private>,
        label: &str,
    ) -> Result<(), XmlEncError> {
        self.keys
            .push(DecryptionKey::new(private_key, label.to_string(), label)?);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &DecryptionKey> {
        self.keys.iter()
    }

    /// The keys in the order to try them for an EncryptedKey addressed to `recipient`: those
    /// whose public key is the recipient's first.
    pub(super) fn ordered_for<'k>(
        &'k self,
        recipient: Option<&Certificate>,
    ) -> Vec<&'k DecryptionKey> {
        let Some(cert) = recipient else {
            return self.keys.iter().collect();
        };
        let (mut matching, others): (Vec<_>, Vec<_>) =
            self.keys.iter().partition(|key| key.matches(cert));
        matching.extend(others);
        matching
    }
}

pub(super) struct PemBlock {
    pub(super) label: String,
    pub(super) body: String,
    /// `Proc-Type: 4,ENCRYPTED`: an OpenSSL-style passphrase-protected PKCS#1 key.
    encrypted_header: bool,
}

/// The PEM blocks of `data`, in order. Unterminated blocks are skipped.
pub(super) fn pem_blocks(data: &[u8]) -> Vec<PemBlock> {
    let text = String::from_utf8_lossy(data);
    let mut blocks = Vec::new();
    let mut rest: &str = &text;
    while let Some(begin) = rest.find("-----BEGIN ") {
        let after_begin = &rest[begin + "-----BEGIN ".len()..];
        let Some(label_end) = after_begin.find("-----") else {
            break;
        };
        let label = after_begin[..label_end].trim().to_string();
        let body_start = &after_begin[label_end + "-----".len()..];
        let end_marker = format!("-----END {label}-----");
        let Some(body_end) = body_start.find(&end_marker) else {
            rest = body_start;
            continue;
        };
        let raw_body = &body_start[..body_end];
        let encrypted_header = raw_body.contains("Proc-Type:") && raw_body.contains("ENCRYPTED");
        // Header lines ("Name: value") are not part of the base64 body.
        let body: String = raw_body
            .lines()
            .filter(|line| !line.contains(':'))
            .collect::<Vec<_>>()
            .join("");
        blocks.push(PemBlock {
            label,
            body,
            encrypted_header,
        });
        rest = &body_start[body_end + end_marker.len()..];
    }
    blocks
}

/// Decodes base64 that may be wrapped over lines; padding may be missing.
pub(super) fn decode_base64(text: &[u8]) -> Result<Vec<u8>, String> {
    samlkit_parse::decode::decode_base64_lenient(text).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_skip_headers_and_flag_encryption() {
        let text = b"junk\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nQUJD\n-----END RSA PRIVATE KEY-----\n";
        let blocks = pem_blocks(text);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].label, "RSA PRIVATE KEY");
        assert_eq!(blocks[0].body, "QUJD");
        assert!(blocks[0].encrypted_header);
    }
}
