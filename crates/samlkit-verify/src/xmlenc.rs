//! XML Encryption (1.0 and 1.1) as SAML uses it: decrypting `EncryptedAssertion`,
//! `EncryptedID`, `EncryptedAttribute` and `NewEncryptedID` with the SP's private keys, and
//! saying in plain words why decryption failed.
//!
//! An encrypted SAML element holds an `xenc:EncryptedData` whose symmetric key travels in an
//! `xenc:EncryptedKey`, wrapped with the SP's RSA public key. That EncryptedKey sits inside the
//! data's `ds:KeyInfo`, or beside the EncryptedData (Okta, ADFS), found through a
//! `ds:RetrievalMethod`, a `ds:KeyName` matching its `CarriedKeyName`, or just by being there.
//!
//! Supported, all through OpenSSL:
//!
//! - key transport: `rsa-oaep-mgf1p` (MGF1 with SHA-1, OAEP digest from `ds:DigestMethod`),
//!   XML Encryption 1.1 `rsa-oaep` (digest and `xenc11:MGF` named, SHA-1 by default), both with
//!   optional `OAEPparams`; `rsa-1_5`, accepted and flagged as weak;
//! - content: AES-128/192/256-CBC (XML Encryption padding, which is not PKCS#7: only the last
//!   byte is fixed), AES-128/192/256-GCM (96-bit IV, 128-bit tag), and Triple DES CBC, accepted
//!   and flagged as weak.
//!
//! Failures carry a [`DecryptionStage`]. Messages about keys say which certificate the message
//! was encrypted for and which keys were tried, but never why one RSA or padding check failed:
//! a tool that reports "bad padding" apart from "bad key" is a decryption oracle.
//!
//! The decrypted text is not a document on its own (it uses prefixes declared on its
//! ancestors), so [`splice`] puts it back in place of the encrypted element, and the caller
//! parses the result as one document; [`decrypt_document`] does both, repeatedly, for
//! encrypted elements inside decrypted ones.

use std::fmt;
use std::ops::Range;

use openssl::md::{Md, MdRef};
use openssl::pkey::{Id, PKey, Private};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::{Padding, Rsa};
use openssl::symm::{Cipher, Crypter, Mode};
use roxmltree::{Document, Node};
use samlkit_parse::xml::{self, ns};
use samlkit_parse::{parse_xml, InputError, Limits};
use serde::Serialize;

use crate::algorithms::{digest_from_uri, HashFunction};
use crate::certs::{colon_hex, Certificate, CertificateFacts};
use crate::report::{MissingInput, Severity, Span};

/// Algorithm and type URIs of XML Encryption 1.0 and 1.1.
pub mod uri {
    pub const AES128_CBC: &str = "http://www.w3.org/2001/04/xmlenc#aes128-cbc";
    pub const AES192_CBC: &str = "http://www.w3.org/2001/04/xmlenc#aes192-cbc";
    pub const AES256_CBC: &str = "http://www.w3.org/2001/04/xmlenc#aes256-cbc";
    pub const TRIPLEDES_CBC: &str = "http://www.w3.org/2001/04/xmlenc#tripledes-cbc";
    pub const AES128_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
    pub const AES192_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes192-gcm";
    pub const AES256_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
    pub const RSA_1_5: &str = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
    pub const RSA_OAEP_MGF1P: &str = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
    pub const RSA_OAEP: &str = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
    pub const MGF1_SHA1: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha1";
    pub const MGF1_SHA224: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha224";
    pub const MGF1_SHA256: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha256";
    pub const MGF1_SHA384: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha384";
    pub const MGF1_SHA512: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha512";
    /// `Type` of a `ds:RetrievalMethod` that points at an EncryptedKey.
    pub const ENCRYPTED_KEY_TYPE: &str = "http://www.w3.org/2001/04/xmlenc#EncryptedKey";
}

/// More EncryptedKeys than any real message carries (one per SP certificate during a
/// rollover); only this many are tried, so a hostile message cannot demand endless RSA work.
const MAX_ENCRYPTED_KEYS: usize = 16;

/// Encrypted elements [`decrypt_document`] works on in one document, all rounds together: a
/// SAML message has an EncryptedAssertion, perhaps an EncryptedID and a few
/// EncryptedAttributes. Beyond this many the rest are reported, not decrypted, so a message of
/// thousands of encrypted elements cannot demand thousands of RSA private-key operations.
pub const MAX_ENCRYPTED_ELEMENTS: usize = 64;

/// Nesting rounds of [`decrypt_document`]: an encrypted assertion can hold encrypted
/// identifiers and attributes, which hold nothing encrypted; a few spare rounds cost nothing.
const MAX_ROUNDS: usize = 4;

/// Name of the element that wraps decrypted text while it is checked, so that prefixes
/// declared around the encrypted element resolve.
const CHECK_WRAPPER: &str = "samlkit-decrypted-content";

// ---------------------------------------------------------------------------------------------
// Keys

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
    private_key: PKey<Private>,
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
    fn new(
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

    fn matches(&self, certificate: &Certificate) -> bool {
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
    fn ordered_for<'k>(&'k self, recipient: Option<&Certificate>) -> Vec<&'k DecryptionKey> {
        let Some(cert) = recipient else {
            return self.keys.iter().collect();
        };
        let (mut matching, others): (Vec<_>, Vec<_>) =
            self.keys.iter().partition(|key| key.matches(cert));
        matching.extend(others);
        matching
    }
}

struct PemBlock {
    label: String,
    body: String,
    /// `Proc-Type: 4,ENCRYPTED`: an OpenSSL-style passphrase-protected PKCS#1 key.
    encrypted_header: bool,
}

/// The PEM blocks of `data`, in order. Unterminated blocks are skipped.
fn pem_blocks(data: &[u8]) -> Vec<PemBlock> {
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
fn decode_base64(text: &[u8]) -> Result<Vec<u8>, String> {
    samlkit_parse::decode::decode_base64_lenient(text).map_err(|err| err.to_string())
}

// ---------------------------------------------------------------------------------------------
// Results

/// Stable codes of what decryption reports beside the plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncryptionFindingCode {
    /// RSA PKCS#1 v1.5 key transport (`rsa-1_5`), open to Bleichenbacher-style attacks.
    WeakKeyTransport,
    /// Triple DES content encryption.
    WeakDataCipher,
    /// CBC content encryption: no integrity of its own.
    UnauthenticatedCipherMode,
    /// The EncryptedKey names a certificate whose public key is not the key that decrypted.
    RecipientCertificateMismatch,
    /// The plaintext began with an XML declaration, removed so it can sit inside a document.
    XmlDeclarationInContent,
}

impl EncryptionFindingCode {
    /// The kebab-case code as it appears in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            EncryptionFindingCode::WeakKeyTransport => "weak-key-transport",
            EncryptionFindingCode::WeakDataCipher => "weak-data-cipher",
            EncryptionFindingCode::UnauthenticatedCipherMode => "unauthenticated-cipher-mode",
            EncryptionFindingCode::RecipientCertificateMismatch => "recipient-certificate-mismatch",
            EncryptionFindingCode::XmlDeclarationInContent => "xml-declaration-in-content",
        }
    }
}

impl fmt::Display for EncryptionFindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something about a successful decryption the administrator should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EncryptionFinding {
    pub code: EncryptionFindingCode,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// A decrypted element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decrypted {
    /// The decrypted XML text, e.g. `<saml:Assertion …>…</saml:Assertion>`, without any XML
    /// declaration and surrounding whitespace.
    pub plaintext: String,
    /// What to put in place of the encrypted element (see [`splice`]): the plaintext, with the
    /// namespace declarations the encrypted element itself carried added to the decrypted
    /// root element where it does not declare those prefixes itself, since they go away with
    /// the encrypted element.
    pub replacement: String,
    /// Local name of the decrypted element: `Assertion`, `NameID`, `BaseID`, `Attribute` or
    /// `NewID`.
    pub element: String,
    /// `Algorithm` URI of the content encryption.
    pub data_algorithm: String,
    /// `Algorithm` URI of the key transport.
    pub key_transport: String,
    /// Both, in words, e.g. `AES-256-CBC, key transported with RSA-OAEP (SHA-1, MGF1 SHA-1)`.
    pub description: String,
    /// Label of the private key that decrypted (see [`DecryptionKey::label`]).
    pub key_label: String,
    /// The certificate the EncryptedKey names, when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<CertificateFacts>,
    pub findings: Vec<EncryptionFinding>,
}

/// Where decryption stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecryptionStage {
    /// The encrypted element's shape: no EncryptedData, no CipherValue, bad base64, a
    /// RetrievalMethod that leads nowhere, no EncryptedKey at all.
    Structure,
    /// An algorithm samlkit does not implement (its URI is in the message).
    UnsupportedAlgorithm,
    /// No private key was given.
    NoKey,
    /// The message is encrypted for a certificate none of the given keys belongs to.
    WrongKey,
    /// The EncryptedKey could not be decrypted with any key given.
    KeyTransport,
    /// The content did not decrypt: modified ciphertext, or the wrong key.
    DataDecryption,
    /// The content decrypted, but is not well-formed XML or not the element expected.
    Content,
}

impl DecryptionStage {
    /// The kebab-case name as it appears in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            DecryptionStage::Structure => "structure",
            DecryptionStage::UnsupportedAlgorithm => "unsupported-algorithm",
            DecryptionStage::NoKey => "no-key",
            DecryptionStage::WrongKey => "wrong-key",
            DecryptionStage::KeyTransport => "key-transport",
            DecryptionStage::DataDecryption => "data-decryption",
            DecryptionStage::Content => "content",
        }
    }
}

impl fmt::Display for DecryptionStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an encrypted element could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecryptionFailure {
    pub stage: DecryptionStage,
    /// What happened, in plain words.
    pub message: String,
    /// What the user can do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The encrypted element, or the part of it at fault.
    pub span: Span,
    /// Certificates the EncryptedKeys name (the SP certificates the IdP encrypted for).
    pub recipients: Vec<CertificateFacts>,
    /// Descriptions of the keys tried (see [`DecryptionKey::description`]).
    pub keys_tried: Vec<String>,
    /// The input whose absence (or wrongness) made decryption fail, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingInput>,
}

impl DecryptionFailure {
    fn new(stage: DecryptionStage, message: impl Into<String>, span: Range<usize>) -> Self {
        DecryptionFailure {
            stage,
            message: message.into(),
            fix: None,
            span: span.into(),
            recipients: Vec::new(),
            keys_tried: Vec::new(),
            missing: None,
        }
    }

    fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Marks the failure as caused by a missing or wrong SP decryption key.
    fn for_want_of_sp_key(mut self) -> Self {
        self.missing = Some(MissingInput::SpDecryptionKey);
        self
    }
}

impl fmt::Display for DecryptionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for DecryptionFailure {}

// ---------------------------------------------------------------------------------------------
// Algorithms

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataCipher {
    AesCbc { key_len: usize },
    AesGcm { key_len: usize },
    TripleDesCbc,
}

const GCM_IV_LEN: usize = 12;
const GCM_TAG_LEN: usize = 16;

impl DataCipher {
    fn from_uri(uri: &str) -> Option<DataCipher> {
        Some(match uri {
            uri::AES128_CBC => DataCipher::AesCbc { key_len: 16 },
            uri::AES192_CBC => DataCipher::AesCbc { key_len: 24 },
            uri::AES256_CBC => DataCipher::AesCbc { key_len: 32 },
            uri::AES128_GCM => DataCipher::AesGcm { key_len: 16 },
            uri::AES192_GCM => DataCipher::AesGcm { key_len: 24 },
            uri::AES256_GCM => DataCipher::AesGcm { key_len: 32 },
            uri::TRIPLEDES_CBC => DataCipher::TripleDesCbc,
            _ => return None,
        })
    }

    fn key_len(self) -> usize {
        match self {
            DataCipher::AesCbc { key_len } | DataCipher::AesGcm { key_len } => key_len,
            DataCipher::TripleDesCbc => 24,
        }
    }

    fn block_len(self) -> usize {
        match self {
            DataCipher::TripleDesCbc => 8,
            _ => 16,
        }
    }

    fn name(self) -> String {
        match self {
            DataCipher::AesCbc { key_len } => format!("AES-{}-CBC", key_len * 8),
            DataCipher::AesGcm { key_len } => format!("AES-{}-GCM", key_len * 8),
            DataCipher::TripleDesCbc => "Triple DES CBC".to_string(),
        }
    }

    fn openssl_cipher(self) -> Cipher {
        match self {
            DataCipher::AesCbc { key_len: 16 } => Cipher::aes_128_cbc(),
            DataCipher::AesCbc { key_len: 24 } => Cipher::aes_192_cbc(),
            DataCipher::AesCbc { .. } => Cipher::aes_256_cbc(),
            DataCipher::AesGcm { key_len: 16 } => Cipher::aes_128_gcm(),
            DataCipher::AesGcm { key_len: 24 } => Cipher::aes_192_gcm(),
            DataCipher::AesGcm { .. } => Cipher::aes_256_gcm(),
            DataCipher::TripleDesCbc => Cipher::des_ede3_cbc(),
        }
    }

    /// A ciphertext length the algorithm cannot have produced, whatever the key.
    fn length_problem(self, len: usize) -> Option<String> {
        match self {
            DataCipher::AesGcm { .. } if len < GCM_IV_LEN + GCM_TAG_LEN => Some(format!(
                "the CipherValue is {len} bytes, shorter than the {GCM_IV_LEN}-byte IV plus \
                 {GCM_TAG_LEN}-byte tag that {} needs",
                self.name()
            )),
            DataCipher::AesGcm { .. } => None,
            _ => {
                let block = self.block_len();
                (len < 2 * block || !len.is_multiple_of(block)).then(|| {
                    format!(
                        "the CipherValue is {len} bytes, not an IV plus whole {block}-byte \
                         blocks as {} produces",
                        self.name()
                    )
                })
            }
        }
    }

    /// Decrypts `data` (IV first). `None` when the padding or the tag is wrong, which means
    /// the ciphertext was modified or the key is not the one it was encrypted with.
    fn decrypt(self, key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
        if key.len() != self.key_len() || self.length_problem(data.len()).is_some() {
            return None;
        }
        let cipher = self.openssl_cipher();
        match self {
            DataCipher::AesGcm { .. } => {
                let (iv, rest) = data.split_at(GCM_IV_LEN);
                let (body, tag) = rest.split_at(rest.len() - GCM_TAG_LEN);
                openssl::symm::decrypt_aead(cipher, key, Some(iv), &[], body, tag).ok()
            }
            _ => {
                let block = self.block_len();
                let (iv, body) = data.split_at(block);
                let mut crypter = Crypter::new(cipher, Mode::Decrypt, key, Some(iv)).ok()?;
                // XML Encryption padding is not PKCS#7 (only the last byte is defined), so
                // OpenSSL's padding check would refuse valid messages.
                crypter.pad(false);
                let mut out = vec![0; body.len() + block];
                let mut written = crypter.update(body, &mut out).ok()?;
                written += crypter.finalize(&mut out[written..]).ok()?;
                out.truncate(written);
                let pad = usize::from(*out.last()?);
                if pad == 0 || pad > block || pad > out.len() {
                    return None;
                }
                out.truncate(out.len() - pad);
                Some(out)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyTransport {
    RsaPkcs1,
    RsaOaep {
        digest: HashFunction,
        mgf1: HashFunction,
        label: Vec<u8>,
    },
}

impl KeyTransport {
    fn name(&self) -> String {
        match self {
            KeyTransport::RsaPkcs1 => "RSA PKCS#1 v1.5 (rsa-1_5)".to_string(),
            KeyTransport::RsaOaep { digest, mgf1, .. } => {
                format!("RSA-OAEP ({}, MGF1 {})", digest.name(), mgf1.name())
            }
        }
    }

    /// Unwraps the symmetric key. `None` on any failure, whatever its cause: callers must not
    /// be able to tell a padding error from a wrong key.
    fn unwrap(&self, key: &PKey<Private>, wrapped: &[u8]) -> Option<Vec<u8>> {
        if wrapped.is_empty() || wrapped.len() > key.size() {
            return None;
        }
        let mut ctx = PkeyCtx::new(key).ok()?;
        ctx.decrypt_init().ok()?;
        match self {
            KeyTransport::RsaPkcs1 => ctx.set_rsa_padding(Padding::PKCS1).ok()?,
            KeyTransport::RsaOaep {
                digest,
                mgf1,
                label,
            } => {
                ctx.set_rsa_padding(Padding::PKCS1_OAEP).ok()?;
                ctx.set_rsa_oaep_md(md(*digest)).ok()?;
                ctx.set_rsa_mgf1_md(md(*mgf1)).ok()?;
                if !label.is_empty() {
                    ctx.set_rsa_oaep_label(label).ok()?;
                }
            }
        }
        let mut out = Vec::new();
        ctx.decrypt_to_vec(wrapped, &mut out).ok()?;
        Some(out)
    }
}

fn md(hash: HashFunction) -> &'static MdRef {
    match hash {
        HashFunction::Sha1 => Md::sha1(),
        HashFunction::Sha224 => Md::sha224(),
        HashFunction::Sha256 => Md::sha256(),
        HashFunction::Sha384 => Md::sha384(),
        HashFunction::Sha512 => Md::sha512(),
    }
}

fn mgf1_from_uri(uri: &str) -> Option<HashFunction> {
    Some(match uri {
        uri::MGF1_SHA1 => HashFunction::Sha1,
        uri::MGF1_SHA224 => HashFunction::Sha224,
        uri::MGF1_SHA256 => HashFunction::Sha256,
        uri::MGF1_SHA384 => HashFunction::Sha384,
        uri::MGF1_SHA512 => HashFunction::Sha512,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// The encrypted element

/// The SAML elements that wrap encrypted content, and what they must decrypt to.
struct WrapperKind {
    namespace: &'static str,
    name: &'static str,
    content_namespace: &'static str,
    content: &'static [&'static str],
    /// How the content is called in messages.
    noun: &'static str,
}

const WRAPPERS: &[WrapperKind] = &[
    WrapperKind {
        namespace: ns::SAML,
        name: "EncryptedAssertion",
        content_namespace: ns::SAML,
        content: &["Assertion"],
        noun: "assertion",
    },
    WrapperKind {
        namespace: ns::SAML,
        name: "EncryptedID",
        content_namespace: ns::SAML,
        content: &["NameID", "BaseID"],
        noun: "NameID",
    },
    WrapperKind {
        namespace: ns::SAML,
        name: "EncryptedAttribute",
        content_namespace: ns::SAML,
        content: &["Attribute"],
        noun: "attribute",
    },
    WrapperKind {
        namespace: ns::SAMLP,
        name: "NewEncryptedID",
        content_namespace: ns::SAMLP,
        content: &["NewID"],
        noun: "new NameID",
    },
];

fn wrapper_kind(node: Node<'_, '_>) -> Option<&'static WrapperKind> {
    WRAPPERS
        .iter()
        .find(|kind| xml::is_element(node, kind.namespace, kind.name))
}

/// The outermost encrypted SAML elements of a document, in document order (encrypted
/// elements inside them only become visible once they are decrypted).
pub fn encrypted_elements<'a, 'i>(doc: &'a Document<'i>) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|node| wrapper_kind(*node).is_some())
        .filter(|node| !node.ancestors().skip(1).any(|a| wrapper_kind(a).is_some()))
        .collect()
}

/// One EncryptedKey, read and checked before any key is tried.
struct KeyCandidate {
    algorithm: String,
    transport: KeyTransport,
    wrapped: Vec<u8>,
    recipient: Option<Certificate>,
}

/// Decrypts one encrypted SAML element (`EncryptedAssertion`, `EncryptedID`,
/// `EncryptedAttribute`, `NewEncryptedID`) with the given keys.
///
/// The element's byte range is `encrypted_wrapper.range()`; put [`Decrypted::replacement`]
/// there with [`splice`] to get a document in which the decrypted element can be read.
pub fn decrypt_element(
    encrypted_wrapper: Node<'_, '_>,
    keys: &DecryptionKeys,
) -> Result<Decrypted, DecryptionFailure> {
    let wrapper = encrypted_wrapper;
    let span = wrapper.range();
    let Some(kind) = wrapper_kind(wrapper) else {
        return Err(not_an_encrypted_element(wrapper));
    };

    let data = find_encrypted_data(wrapper, kind)?;
    let method = xml::child_named(data, ns::XENC, "EncryptionMethod");
    let Some(data_uri) = method.and_then(|m| xml::plain_attribute(m, "Algorithm")) else {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!(
                "the xenc:EncryptedData of this {} has no EncryptionMethod Algorithm, so the \
                 content cipher is unknown",
                kind.noun
            ),
            data.range(),
        ));
    };
    let data_uri = data_uri.value().to_string();
    let Some(cipher) = DataCipher::from_uri(&data_uri) else {
        return Err(unsupported_data_algorithm(
            &data_uri,
            method.map_or(data.range(), |m| m.range()),
        ));
    };
    let ciphertext = read_cipher_value(data, "xenc:EncryptedData")?;
    if let Some(problem) = cipher.length_problem(ciphertext.len()) {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!(
                "{problem}; the encrypted {} was truncated or altered",
                kind.noun
            ),
            data.range(),
        ));
    }

    let key_nodes = encrypted_key_nodes(wrapper, data)?;
    let mut candidates: Vec<KeyCandidate> = Vec::new();
    let mut first_problem: Option<DecryptionFailure> = None;
    for node in key_nodes.iter().take(MAX_ENCRYPTED_KEYS) {
        match read_encrypted_key(*node) {
            Ok(candidate) => candidates.push(candidate),
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    if candidates.is_empty() {
        return Err(first_problem.unwrap_or_else(|| no_encrypted_key(data, kind)));
    }
    let recipients: Vec<CertificateFacts> = candidates
        .iter()
        .filter_map(|c| c.recipient.as_ref().map(|cert| cert.facts().clone()))
        .collect();

    if keys.is_empty() {
        let mut failure = DecryptionFailure::new(
            DecryptionStage::NoKey,
            no_key_message(kind, &recipients),
            span,
        )
        .with_fix(
            "give the SP's private decryption key (PEM): the key of the encryption certificate \
             in the SP metadata",
        )
        .for_want_of_sp_key();
        failure.recipients = recipients;
        return Err(failure);
    }

    let mut outcome = Attempts::default();
    for candidate in &candidates {
        for key in keys.ordered_for(candidate.recipient.as_ref()) {
            let Some(session_key) = candidate
                .transport
                .unwrap(&key.private_key, &candidate.wrapped)
            else {
                continue;
            };
            if session_key.len() != cipher.key_len() {
                // Counts as a failed unwrap: a wrong key under rsa-1_5 can yield any length.
                continue;
            }
            outcome.unwrapped = true;
            let Some(bytes) = cipher.decrypt(&session_key, &ciphertext) else {
                continue;
            };
            match check_content(bytes, wrapper, kind) {
                Ok(content) => {
                    return Ok(decrypted(
                        content, kind, cipher, &data_uri, candidate, key, span,
                    ));
                }
                Err(ContentProblem::Garbage) => {}
                Err(ContentProblem::Invalid(message)) => {
                    outcome.content_problem.get_or_insert(message);
                }
            }
        }
    }
    Err(all_keys_failed(
        kind,
        span,
        keys,
        &candidates,
        recipients,
        outcome,
    ))
}

#[derive(Default)]
struct Attempts {
    /// Some key unwrapped a symmetric key of the right length.
    unwrapped: bool,
    /// The content decrypted but is not the XML expected (first such problem).
    content_problem: Option<String>,
}

fn not_an_encrypted_element(node: Node<'_, '_>) -> DecryptionFailure {
    let name = node.tag_name().name();
    let namespace = node.tag_name().namespace();
    let message =
        match WRAPPERS.iter().find(|kind| kind.name == name) {
            Some(kind) => format!(
            "<{name}> is in {}, not in {}; samlkit matches SAML elements by namespace, so this \
             is not an encrypted SAML element",
            namespace.map_or("no namespace".to_string(), |ns| format!("the namespace {ns}")),
            kind.namespace
        ),
            None => format!(
                "<{name}> is not an encrypted SAML element (EncryptedAssertion, EncryptedID, \
             EncryptedAttribute or NewEncryptedID)"
            ),
        };
    DecryptionFailure::new(DecryptionStage::Structure, message, node.range())
}

fn find_encrypted_data<'a, 'i>(
    wrapper: Node<'a, 'i>,
    kind: &WrapperKind,
) -> Result<Node<'a, 'i>, DecryptionFailure> {
    let mut data_nodes = xml::children_named(wrapper, ns::XENC, "EncryptedData");
    let Some(data) = data_nodes.next() else {
        let look_alike =
            xml::element_children(wrapper).find(|child| child.tag_name().name() == "EncryptedData");
        let message = match look_alike {
            Some(found) => format!(
                "the <{}> holds an <EncryptedData> in {}, not in XML Encryption's namespace {}",
                kind.name,
                found
                    .tag_name()
                    .namespace()
                    .map_or("no namespace".to_string(), |ns| format!(
                        "the namespace {ns}"
                    )),
                ns::XENC
            ),
            None => format!(
                "the <{}> holds no xenc:EncryptedData, so there is nothing to decrypt",
                kind.name
            ),
        };
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            message,
            wrapper.range(),
        ));
    };
    if data_nodes.next().is_some() {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!(
                "the <{}> holds more than one xenc:EncryptedData; SAML allows exactly one",
                kind.name
            ),
            wrapper.range(),
        ));
    }
    Ok(data)
}

fn unsupported_data_algorithm(uri: &str, span: Range<usize>) -> DecryptionFailure {
    DecryptionFailure::new(
        DecryptionStage::UnsupportedAlgorithm,
        format!(
            "the content is encrypted with {uri}, which samlkit does not support (supported: \
             AES-128/192/256 in CBC or GCM mode, Triple DES CBC)"
        ),
        span,
    )
    .with_fix("configure the IdP to encrypt with aes256-gcm or aes128-gcm (or aes256-cbc)")
}

/// Bytes of the `xenc:CipherData/xenc:CipherValue` child of `parent`.
fn read_cipher_value(parent: Node<'_, '_>, what: &str) -> Result<Vec<u8>, DecryptionFailure> {
    let cipher_data = xml::child_named(parent, ns::XENC, "CipherData");
    if let Some(reference) =
        cipher_data.and_then(|d| xml::child_named(d, ns::XENC, "CipherReference"))
    {
        return Err(DecryptionFailure::new(
            DecryptionStage::UnsupportedAlgorithm,
            format!(
                "the {what} refers to its ciphertext elsewhere (xenc:CipherReference); samlkit \
                 only reads ciphertext carried in the message"
            ),
            reference.range(),
        ));
    }
    let Some(value) = cipher_data.and_then(|d| xml::child_named(d, ns::XENC, "CipherValue")) else {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!("the {what} has no xenc:CipherData/xenc:CipherValue"),
            parent.range(),
        ));
    };
    if xml::element_children(value).next().is_some() {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!("the CipherValue of the {what} contains elements instead of base64 text"),
            value.range(),
        ));
    }
    let bytes = decode_base64(xml::text_content(value).as_bytes()).map_err(|err| {
        DecryptionFailure::new(
            DecryptionStage::Structure,
            format!("the CipherValue of the {what} is not valid base64 ({err})"),
            xml::text_span(value),
        )
    })?;
    if bytes.is_empty() {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!("the CipherValue of the {what} is empty"),
            value.range(),
        ));
    }
    Ok(bytes)
}

/// The EncryptedKeys that may hold the key of `data`, most specific first: inside its KeyInfo,
/// referenced by RetrievalMethod, named by KeyName (`CarriedKeyName`), then any other inside
/// the wrapper.
fn encrypted_key_nodes<'a, 'i>(
    wrapper: Node<'a, 'i>,
    data: Node<'a, 'i>,
) -> Result<Vec<Node<'a, 'i>>, DecryptionFailure> {
    let mut found: Vec<Node<'a, 'i>> = Vec::new();
    let mut retrieval_problem: Option<DecryptionFailure> = None;
    let mut key_names: Vec<String> = Vec::new();
    // Each source is bounded so that a hostile message cannot make this quadratic.
    if let Some(key_info) = xml::child_named(data, ns::DS, "KeyInfo") {
        found.extend(
            xml::children_named(key_info, ns::XENC, "EncryptedKey").take(MAX_ENCRYPTED_KEYS),
        );
        let methods = xml::children_named(key_info, ns::DS, "RetrievalMethod")
            .filter(|method| {
                xml::plain_attribute(*method, "Type")
                    .is_none_or(|ty| ty.value() == uri::ENCRYPTED_KEY_TYPE)
            })
            .take(MAX_ENCRYPTED_KEYS);
        for method in methods {
            match retrieve_encrypted_key(wrapper, method) {
                Ok(node) => found.push(node),
                Err(problem) => {
                    retrieval_problem.get_or_insert(problem);
                }
            }
        }
        key_names.extend(
            xml::children_named(key_info, ns::DS, "KeyName")
                .take(MAX_ENCRYPTED_KEYS)
                .map(|name| xml::text_content(name).trim().to_string()),
        );
    }
    let siblings: Vec<Node<'a, 'i>> = xml::children_named(wrapper, ns::XENC, "EncryptedKey")
        .take(MAX_ENCRYPTED_KEYS)
        .collect();
    let carries_named_key = |node: &Node<'_, '_>| {
        xml::child_named(*node, ns::XENC, "CarriedKeyName").is_some_and(|carried| {
            key_names
                .iter()
                .any(|n| *n == xml::text_content(carried).trim())
        })
    };
    found.extend(siblings.iter().filter(|node| carries_named_key(node)));
    found.extend(siblings.iter().filter(|node| !carries_named_key(node)));
    let mut unique: Vec<Node<'a, 'i>> = Vec::with_capacity(found.len());
    for node in found {
        if !unique.iter().any(|seen| seen.id() == node.id()) {
            unique.push(node);
        }
    }
    match (unique.is_empty(), retrieval_problem) {
        (true, Some(problem)) => Err(problem),
        _ => Ok(unique),
    }
}

fn retrieve_encrypted_key<'a, 'i>(
    wrapper: Node<'a, 'i>,
    method: Node<'a, 'i>,
) -> Result<Node<'a, 'i>, DecryptionFailure> {
    let target = xml::plain_attribute(method, "URI").map_or("", |attr| attr.value());
    let id = target
        .strip_prefix('#')
        .filter(|id| !id.is_empty() && !id.contains('(')); // no XPointer expressions
    let Some(id) = id else {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!(
                "ds:RetrievalMethod URI=\"{target}\" is not a same-document reference (#id); \
                 samlkit does not fetch keys from elsewhere"
            ),
            method.range(),
        ));
    };
    let mut matches = wrapper
        .document()
        .descendants()
        .filter(|node| xml::is_element(*node, ns::XENC, "EncryptedKey"))
        .filter(|node| xml::plain_attribute(*node, "Id").is_some_and(|attr| attr.value() == id));
    let Some(key) = matches.next() else {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!(
                "ds:RetrievalMethod points to #{id}, but no xenc:EncryptedKey in the message has \
                 Id=\"{id}\""
            ),
            method.range(),
        ));
    };
    if matches.next().is_some() {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            format!(
                "ds:RetrievalMethod points to #{id}, and several xenc:EncryptedKey elements have \
                 that Id"
            ),
            method.range(),
        ));
    }
    Ok(key)
}

fn no_encrypted_key(data: Node<'_, '_>, kind: &WrapperKind) -> DecryptionFailure {
    let key_name = xml::child_named(data, ns::DS, "KeyInfo")
        .and_then(|ki| xml::child_named(ki, ns::DS, "KeyName"))
        .map(|name| xml::text_content(name).trim().to_string());
    let message = match key_name {
        Some(name) => format!(
            "the encrypted {} carries no xenc:EncryptedKey; it names a key \"{name}\" the SP \
             would have to hold already (a shared key), which samlkit does not support",
            kind.noun
        ),
        None => format!(
            "the encrypted {} carries no xenc:EncryptedKey (neither in the EncryptedData's \
             KeyInfo nor beside it), so the key it was encrypted with cannot be recovered",
            kind.noun
        ),
    };
    DecryptionFailure::new(DecryptionStage::Structure, message, data.range())
}

fn read_encrypted_key(node: Node<'_, '_>) -> Result<KeyCandidate, DecryptionFailure> {
    let method = xml::child_named(node, ns::XENC, "EncryptionMethod");
    let (Some(method), Some(algorithm)) = (
        method,
        method.and_then(|m| xml::plain_attribute(m, "Algorithm")),
    ) else {
        return Err(DecryptionFailure::new(
            DecryptionStage::Structure,
            "the xenc:EncryptedKey has no EncryptionMethod Algorithm, so its key transport is \
             unknown",
            node.range(),
        ));
    };
    let algorithm = algorithm.value().to_string();
    let transport = match algorithm.as_str() {
        uri::RSA_1_5 => KeyTransport::RsaPkcs1,
        // The 1.0 identifier fixes the mask generation function to MGF1 with SHA-1.
        uri::RSA_OAEP_MGF1P => KeyTransport::RsaOaep {
            digest: oaep_digest(method)?,
            mgf1: HashFunction::Sha1,
            label: oaep_label(method)?,
        },
        uri::RSA_OAEP => KeyTransport::RsaOaep {
            digest: oaep_digest(method)?,
            mgf1: oaep_mgf1(method)?,
            label: oaep_label(method)?,
        },
        other => {
            return Err(DecryptionFailure::new(
                DecryptionStage::UnsupportedAlgorithm,
                format!(
                    "the symmetric key is transported with {other}, which samlkit does not \
                     support (supported: rsa-oaep-mgf1p, xmlenc11 rsa-oaep, rsa-1_5)"
                ),
                method.range(),
            )
            .with_fix(
                "configure the IdP to encrypt the key for the SP's RSA certificate with \
                 rsa-oaep-mgf1p or rsa-oaep",
            ))
        }
    };
    let wrapped = read_cipher_value(node, "xenc:EncryptedKey")?;
    let recipient = xml::child_named(node, ns::DS, "KeyInfo").and_then(recipient_certificate);
    Ok(KeyCandidate {
        algorithm,
        transport,
        wrapped,
        recipient,
    })
}

/// The OAEP digest of an EncryptionMethod: `ds:DigestMethod`, SHA-1 when absent.
fn oaep_digest(method: Node<'_, '_>) -> Result<HashFunction, DecryptionFailure> {
    let Some(digest_method) = xml::child_named(method, ns::DS, "DigestMethod") else {
        return Ok(HashFunction::Sha1);
    };
    let digest_uri = xml::plain_attribute(digest_method, "Algorithm").map_or("", |a| a.value());
    digest_from_uri(digest_uri)
        .map(|(hash, _)| hash)
        .ok_or_else(|| {
            DecryptionFailure::new(
                DecryptionStage::UnsupportedAlgorithm,
                format!(
                    "the EncryptedKey's OAEP digest \"{digest_uri}\" is not supported \
                     (supported: SHA-1, SHA-224, SHA-256, SHA-384, SHA-512)"
                ),
                digest_method.range(),
            )
        })
}

/// The MGF1 digest of an XML Encryption 1.1 `rsa-oaep` method: `xenc11:MGF`, SHA-1 when absent.
fn oaep_mgf1(method: Node<'_, '_>) -> Result<HashFunction, DecryptionFailure> {
    let Some(mgf) = xml::child_named(method, ns::XENC11, "MGF") else {
        return Ok(HashFunction::Sha1);
    };
    let mgf_uri = xml::plain_attribute(mgf, "Algorithm").map_or("", |a| a.value());
    mgf1_from_uri(mgf_uri).ok_or_else(|| {
        DecryptionFailure::new(
            DecryptionStage::UnsupportedAlgorithm,
            format!(
                "the EncryptedKey's mask generation function \"{mgf_uri}\" is not supported \
                 (supported: MGF1 with SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512)"
            ),
            mgf.range(),
        )
    })
}

/// The OAEP label (`xenc:OAEPparams`, base64), empty when absent.
fn oaep_label(method: Node<'_, '_>) -> Result<Vec<u8>, DecryptionFailure> {
    let Some(params) = xml::child_named(method, ns::XENC, "OAEPparams") else {
        return Ok(Vec::new());
    };
    decode_base64(xml::text_content(params).as_bytes()).map_err(|err| {
        DecryptionFailure::new(
            DecryptionStage::Structure,
            format!("the EncryptedKey's OAEPparams is not valid base64 ({err})"),
            params.range(),
        )
    })
}

/// The first readable certificate in an EncryptedKey's KeyInfo: base64 DER, or base64 of a
/// whole PEM file as some ADFS builds write it.
fn recipient_certificate(key_info: Node<'_, '_>) -> Option<Certificate> {
    key_info
        .descendants()
        .filter(|n| xml::is_element(*n, ns::DS, "X509Certificate"))
        .find_map(|cert| {
            let decoded = decode_base64(xml::text_content(cert).as_bytes()).ok()?;
            let der = match pem_blocks(&decoded)
                .into_iter()
                .find(|block| block.label == "CERTIFICATE")
            {
                Some(block) => decode_base64(block.body.as_bytes()).ok()?,
                None => decoded,
            };
            Certificate::from_der(&der).ok()
        })
}

fn recipients_phrase(recipients: &[CertificateFacts]) -> Option<String> {
    match recipients {
        [] => None,
        [one] => Some(format!("the certificate {}", one.short_description())),
        several => Some(format!(
            "the certificates {}",
            several
                .iter()
                .map(CertificateFacts::short_description)
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}

fn no_key_message(kind: &WrapperKind, recipients: &[CertificateFacts]) -> String {
    match recipients_phrase(recipients) {
        Some(phrase) => format!(
            "this {} is encrypted for {phrase}, and no SP decryption key was given",
            kind.noun
        ),
        None => format!(
            "this {} is encrypted and names no recipient certificate, and no SP decryption key \
             was given",
            kind.noun
        ),
    }
}

fn all_keys_failed(
    kind: &WrapperKind,
    span: Range<usize>,
    keys: &DecryptionKeys,
    candidates: &[KeyCandidate],
    recipients: Vec<CertificateFacts>,
    outcome: Attempts,
) -> DecryptionFailure {
    let tried: Vec<String> = keys.iter().map(DecryptionKey::description).collect();
    let tried_list = tried.join("; ");
    let named: Vec<&Certificate> = candidates
        .iter()
        .filter_map(|c| c.recipient.as_ref())
        .collect();
    let matching: Vec<&DecryptionKey> = keys
        .iter()
        .filter(|key| named.iter().any(|cert| key.matches(cert)))
        .collect();
    let noun = kind.noun;
    let mut failure = if let Some(problem) = outcome.content_problem {
        DecryptionFailure::new(DecryptionStage::Content, problem, span).with_fix(
            "the IdP produced content that is not the SAML element expected; report it to the \
             IdP's administrator",
        )
    } else if !named.is_empty() && matching.is_empty() {
        let phrase = recipients_phrase(&recipients).unwrap_or_default();
        let public_keys = named
            .iter()
            .map(|cert| {
                cert.public_key()
                    .public_key_to_der()
                    .map(|der| colon_hex(&openssl::sha::sha256(&der)))
                    .unwrap_or_else(|_| "unreadable".to_string())
            })
            .collect::<Vec<_>>()
            .join(", ");
        DecryptionFailure::new(
            DecryptionStage::WrongKey,
            format!(
                "this {noun} is encrypted for {phrase} (public key SHA-256 {public_keys}), and \
                 none of the keys given belongs to it: decryption failed with every key given \
                 (tried: {tried_list})"
            ),
            span,
        )
        .with_fix(
            "if it is an old SP certificate, give the IdP the SP's current encryption certificate \
             (or SP metadata); if not, give the private key of that certificate",
        )
        .for_want_of_sp_key()
    } else if outcome.unwrapped {
        DecryptionFailure::new(
            DecryptionStage::DataDecryption,
            format!(
                "the encrypted {noun} could not be decrypted: the ciphertext was modified or the \
                 wrong key was used (tried: {tried_list})"
            ),
            span,
        )
        .with_fix(
            "make sure the message was captured whole and unchanged, and that the SP decryption \
             key given is the key of the certificate the IdP encrypts for",
        )
        .for_want_of_sp_key()
    } else {
        let belongs = if matching.is_empty() {
            "the EncryptedKey names no certificate, so the intended key is unknown".to_string()
        } else {
            format!(
                "{} belongs to the certificate it names, so the EncryptedKey was altered or made \
                 with other parameters than it declares",
                matching
                    .iter()
                    .map(|key| key.label().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        DecryptionFailure::new(
            DecryptionStage::KeyTransport,
            format!(
                "the key of the encrypted {noun} could not be recovered with {}: decryption \
                 failed with every key given (tried: {tried_list}); {belongs}",
                candidates[0].transport.name()
            ),
            span,
        )
        .with_fix("give the SP's private decryption key")
        .for_want_of_sp_key()
    };
    failure.recipients = recipients;
    failure.keys_tried = tried;
    failure
}

// ---------------------------------------------------------------------------------------------
// Content

struct Content {
    plaintext: String,
    replacement: String,
    element: String,
    had_declaration: bool,
}

enum ContentProblem {
    /// Not text that could be XML: the key or the ciphertext is wrong.
    Garbage,
    /// XML-looking text that is not well-formed or not the expected element.
    Invalid(String),
}

fn check_content(
    bytes: Vec<u8>,
    wrapper: Node<'_, '_>,
    kind: &WrapperKind,
) -> Result<Content, ContentProblem> {
    let text = String::from_utf8(bytes).map_err(|_| ContentProblem::Garbage)?;
    let mut body = text.trim_start_matches('\u{feff}').trim();
    let mut had_declaration = false;
    if body.starts_with("<?xml") && body[5..].starts_with(|c: char| c.is_ascii_whitespace()) {
        let end = body.find("?>").ok_or(ContentProblem::Garbage)?;
        body = body[end + 2..].trim_start();
        had_declaration = true;
    }
    if !body.starts_with('<') {
        return Err(ContentProblem::Garbage);
    }

    // Checked inside an element that declares what is in scope where the encrypted element
    // stands, which is where the plaintext will be read.
    let in_scope = namespaces_in_scope(wrapper);
    let mut open = format!("<{CHECK_WRAPPER}");
    for (prefix, uri) in &in_scope {
        push_declaration(&mut open, prefix.as_deref(), uri);
    }
    open.push('>');
    let wrapped = format!("{open}{body}</{CHECK_WRAPPER}>");
    let doc = parse_xml(&wrapped, &Limits::default())
        .map_err(|err| ContentProblem::Invalid(plaintext_error(err, open.chars().count())))?;

    let holder = doc.root_element();
    let elements: Vec<Node<'_, '_>> = xml::element_children(holder).collect();
    let stray_text = holder
        .children()
        .any(|n| n.is_text() && !n.text().unwrap_or("").trim().is_empty());
    let expected = format!(
        "<{}> in {}",
        kind.content.join("> or <"),
        kind.content_namespace
    );
    let root = match elements.as_slice() {
        [one] if !stray_text => *one,
        _ => {
            return Err(ContentProblem::Invalid(format!(
                "the decrypted content is {} element(s){}, not one {expected}",
                elements.len(),
                if stray_text { " and text" } else { "" }
            )))
        }
    };
    let local = root.tag_name().name();
    if root.tag_name().namespace() != Some(kind.content_namespace) || !kind.content.contains(&local)
    {
        return Err(ContentProblem::Invalid(format!(
            "the decrypted content is <{}> in {}, but <{}> must hold {expected}",
            xml::element_qname(root, &wrapped),
            root.tag_name()
                .namespace()
                .map_or("no namespace".to_string(), |ns| format!(
                    "the namespace {ns}"
                )),
            kind.name
        )));
    }

    // Offsets in `body` of the decrypted root's start tag.
    let root_start = root.range().start - open.len();
    let qname_end = root_start + 1 + xml::element_qname(root, &wrapped).len();
    let tag_end = xml::start_tag_end(body, root_start)
        .unwrap_or(body.len())
        .max(qname_end);
    let declared = declared_prefixes(&body[qname_end..tag_end]);
    let mut injected = String::new();
    for (prefix, uri) in own_declarations(wrapper) {
        if !declared.contains(&prefix) {
            push_declaration(&mut injected, prefix.as_deref(), &uri);
        }
    }
    let replacement = format!("{}{injected}{}", &body[..qname_end], &body[qname_end..]);
    Ok(Content {
        plaintext: body.to_string(),
        replacement,
        element: local.to_string(),
        had_declaration,
    })
}

/// Namespace declarations in scope at `node`, without the implicit `xml` prefix.
fn namespaces_in_scope(node: Node<'_, '_>) -> Vec<(Option<String>, String)> {
    node.namespaces()
        .filter(|n| n.name() != Some("xml"))
        .map(|n| (n.name().map(str::to_string), n.uri().to_string()))
        .collect()
}

/// Declarations made by `node`'s own start tag (those not inherited unchanged).
fn own_declarations(node: Node<'_, '_>) -> Vec<(Option<String>, String)> {
    let inherited = node
        .parent_element()
        .map(namespaces_in_scope)
        .unwrap_or_default();
    namespaces_in_scope(node)
        .into_iter()
        .filter(|declaration| !inherited.contains(declaration))
        .collect()
}

fn push_declaration(out: &mut String, prefix: Option<&str>, uri: &str) {
    let escaped = uri
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    match prefix {
        Some(prefix) => out.push_str(&format!(" xmlns:{prefix}=\"{escaped}\"")),
        None => out.push_str(&format!(" xmlns=\"{escaped}\"")),
    }
}

/// Prefixes declared in the attribute part of a well-formed start tag (`None` for `xmlns=`).
fn declared_prefixes(attributes: &str) -> Vec<Option<String>> {
    let mut declared = Vec::new();
    let mut rest = attributes;
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else {
            break;
        };
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(value_len) = after[1..].find(quote) else {
            break;
        };
        if name == "xmlns" {
            declared.push(None);
        } else if let Some(prefix) = name.strip_prefix("xmlns:") {
            declared.push(Some(prefix.to_string()));
        }
        rest = &after[1 + value_len + 1..];
    }
    declared
}

/// A parse error of the checked plaintext, with line 1 columns counted from the plaintext's
/// own start rather than from the wrapper element added around it.
fn plaintext_error(err: InputError, wrapper_chars: usize) -> String {
    let shift = |line: u32, column: u32| {
        let column = if line == 1 {
            column.saturating_sub(wrapper_chars as u32).max(1)
        } else {
            column
        };
        format!("line {line}, column {column} of the decrypted text")
    };
    match err {
        InputError::Malformed {
            message,
            line,
            column,
        } => format!(
            "the decrypted content is not well-formed XML ({message} at {})",
            shift(line, column)
        ),
        InputError::Truncated {
            element,
            line,
            column,
        } if element != CHECK_WRAPPER => format!(
            "the decrypted content is not well-formed XML: <{element}>, opened at {}, is never \
             closed",
            shift(line, column)
        ),
        other => format!("the decrypted content cannot be read as XML: {other}"),
    }
}

fn decrypted(
    content: Content,
    kind: &WrapperKind,
    cipher: DataCipher,
    data_uri: &str,
    candidate: &KeyCandidate,
    key: &DecryptionKey,
    span: Range<usize>,
) -> Decrypted {
    let mut findings = Vec::new();
    let finding = |code, severity, message: String, fix: &str| EncryptionFinding {
        code,
        severity,
        message,
        fix: Some(fix.to_string()),
        span: Some(span.clone().into()),
    };
    if candidate.transport == KeyTransport::RsaPkcs1 {
        findings.push(finding(
            EncryptionFindingCode::WeakKeyTransport,
            Severity::Warning,
            format!(
                "the key of this {} is transported with RSA PKCS#1 v1.5 (rsa-1_5), which is \
                 open to padding-oracle (Bleichenbacher) attacks and disallowed by XML \
                 Encryption 1.1",
                kind.noun
            ),
            "configure the IdP to use rsa-oaep-mgf1p or rsa-oaep for key transport",
        ));
    }
    if cipher == DataCipher::TripleDesCbc {
        findings.push(finding(
            EncryptionFindingCode::WeakDataCipher,
            Severity::Warning,
            format!(
                "this {} is encrypted with Triple DES, a deprecated 64-bit-block cipher",
                kind.noun
            ),
            "configure the IdP to encrypt with aes256-gcm or aes128-gcm",
        ));
    }
    if !matches!(cipher, DataCipher::AesGcm { .. }) {
        findings.push(finding(
            EncryptionFindingCode::UnauthenticatedCipherMode,
            Severity::Info,
            format!(
                "{} has no integrity protection of its own: only a valid signature over the \
                 decrypted {} or the message around it shows it was not altered",
                cipher.name(),
                kind.noun
            ),
            "prefer aes256-gcm or aes128-gcm, and have the IdP sign the assertion",
        ));
    }
    if let Some(cert) = &candidate.recipient {
        if !key.matches(cert) {
            findings.push(finding(
                EncryptionFindingCode::RecipientCertificateMismatch,
                Severity::Warning,
                format!(
                    "the EncryptedKey names the certificate {}, but it was decrypted with {}, \
                     whose public key is different",
                    cert.facts().short_description(),
                    key.description()
                ),
                "give the IdP the SP's current encryption certificate so the message names \
                 the right one",
            ));
        }
    }
    if content.had_declaration {
        findings.push(finding(
            EncryptionFindingCode::XmlDeclarationInContent,
            Severity::Info,
            format!(
                "the decrypted {} began with an XML declaration, which was removed so it can \
                 stand inside the message",
                kind.noun
            ),
            "nothing to do; the IdP serialized the element as a document",
        ));
    }
    Decrypted {
        plaintext: content.plaintext,
        replacement: content.replacement,
        element: content.element,
        data_algorithm: data_uri.to_string(),
        key_transport: candidate.algorithm.clone(),
        description: format!(
            "{}, key transported with {}",
            cipher.name(),
            candidate.transport.name()
        ),
        key_label: key.label().to_string(),
        recipient: candidate.recipient.as_ref().map(|c| c.facts().clone()),
        findings,
    }
}

// ---------------------------------------------------------------------------------------------
// Putting plaintext back

/// Replaces each encrypted wrapper element's byte range in `source` with its plaintext, so the
/// result can be parsed as one document in which prefixes declared on ancestors still resolve.
///
/// Ranges are applied in order of their start; a range that overlaps an earlier one, lies
/// outside `source` or splits a character is skipped.
pub fn splice(source: &str, replacements: &[(Range<usize>, String)]) -> String {
    splice_tracked(source, replacements).0
}

/// [`splice`], also returning where each inserted text ended up in the result.
fn splice_tracked(
    source: &str,
    replacements: &[(Range<usize>, String)],
) -> (String, Vec<Range<usize>>) {
    let mut ordered: Vec<&(Range<usize>, String)> = replacements.iter().collect();
    ordered.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(source.len());
    let mut inserted = Vec::new();
    let mut cursor = 0;
    for (range, text) in ordered {
        let usable = range.start >= cursor
            && range.start <= range.end
            && range.end <= source.len()
            && source.is_char_boundary(range.start)
            && source.is_char_boundary(range.end);
        if !usable {
            continue;
        }
        out.push_str(&source[cursor..range.start]);
        let start = out.len();
        out.push_str(text);
        inserted.push(start..out.len());
        cursor = range.end;
    }
    out.push_str(&source[cursor..]);
    (out, inserted)
}

/// What happened to one encrypted element in [`decrypt_document`].
#[derive(Debug, Clone, Serialize)]
pub struct ElementDecryption {
    /// Local name of the encrypted element, e.g. `EncryptedAssertion`.
    pub wrapper: String,
    /// 0 for elements of the given text, 1 for those found inside content decrypted in round
    /// 0, and so on.
    pub round: usize,
    /// Where the element is in the given text (round 0 only; later rounds work on text that
    /// was produced by decryption).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    pub result: Result<Decrypted, DecryptionFailure>,
}

/// A document with everything that could be decrypted put in place.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentDecryption {
    /// The document text with each decrypted element in place of its encrypted wrapper.
    pub text: String,
    pub elements: Vec<ElementDecryption>,
}

impl DocumentDecryption {
    /// True when the document held nothing encrypted.
    pub fn nothing_encrypted(&self) -> bool {
        self.elements.is_empty()
    }
}

/// Decrypts every encrypted SAML element of `source`, then those that appear inside the
/// decrypted content, and returns the document with the plaintext spliced in.
///
/// Errors only when `source` itself cannot be parsed. If a spliced document cannot be parsed
/// (which checks on each plaintext make unlikely), it is returned as is and the caller's parse
/// reports why.
pub fn decrypt_document(
    source: &str,
    keys: &DecryptionKeys,
    limits: &Limits,
) -> Result<DocumentDecryption, InputError> {
    let mut text = source.to_string();
    let mut elements = Vec::new();
    // Where the previous round inserted plaintext; `None` means the whole text.
    let mut scope: Option<Vec<Range<usize>>> = None;
    for round in 0..MAX_ROUNDS {
        let replacements = {
            let doc = match parse_xml(&text, limits) {
                Ok(doc) => doc,
                Err(err) if round == 0 => return Err(err),
                Err(_) => break,
            };
            let in_scope = |node: &Node<'_, '_>| {
                let range = node.range();
                scope.as_ref().is_none_or(|inserted| {
                    inserted
                        .iter()
                        .any(|r| r.start <= range.start && range.end <= r.end)
                })
            };
            let mut replacements = Vec::new();
            for wrapper in encrypted_elements(&doc).into_iter().filter(in_scope) {
                let result = if elements.len() < MAX_ENCRYPTED_ELEMENTS {
                    decrypt_element(wrapper, keys)
                } else {
                    Err(too_many_encrypted_elements(wrapper))
                };
                if let Ok(done) = &result {
                    replacements.push((wrapper.range(), done.replacement.clone()));
                }
                elements.push(ElementDecryption {
                    wrapper: wrapper.tag_name().name().to_string(),
                    round,
                    span: (round == 0).then(|| wrapper.range().into()),
                    result,
                });
            }
            replacements
        };
        if replacements.is_empty() {
            break;
        }
        let (next, inserted) = splice_tracked(&text, &replacements);
        text = next;
        scope = Some(inserted);
    }
    Ok(DocumentDecryption { text, elements })
}

/// The failure reported for the encrypted elements past [`MAX_ENCRYPTED_ELEMENTS`].
fn too_many_encrypted_elements(wrapper: Node<'_, '_>) -> DecryptionFailure {
    DecryptionFailure {
        stage: DecryptionStage::Structure,
        message: format!(
            "not decrypted: the message holds more than {MAX_ENCRYPTED_ELEMENTS} encrypted \
             elements, far more than any sign-in needs"
        ),
        fix: Some(
            "encrypt the assertion once (EncryptedAssertion) instead of each part of it".into(),
        ),
        span: wrapper.range().into(),
        recipients: Vec::new(),
        keys_tried: Vec::new(),
        missing: None,
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_in_order_and_skips_overlaps() {
        let source = "<a><b/><c/><d/></a>";
        let out = splice(
            source,
            &[
                (11..15, "<D/>".to_string()),
                (3..7, "<B>x</B>".to_string()),
                (4..9, "overlap".to_string()),
                (18..40, "outside".to_string()),
            ],
        );
        assert_eq!(out, "<a><B>x</B><c/><D/></a>");
    }

    #[test]
    fn declared_prefixes_reads_start_tag_attributes() {
        let found = declared_prefixes(r#" ID="x" xmlns:saml='urn:a' xmlns="urn:b" a:b="xmlns:c=""#);
        assert_eq!(found, vec![Some("saml".to_string()), None]);
    }

    #[test]
    fn xml_encryption_padding_accepts_arbitrary_pad_bytes_and_rejects_bad_lengths() {
        let key = [7u8; 16];
        let iv = [9u8; 16];
        let encrypt = |plain: &[u8]| {
            let mut crypter =
                Crypter::new(Cipher::aes_128_cbc(), Mode::Encrypt, &key, Some(&iv)).unwrap();
            crypter.pad(false);
            let mut out = vec![0; plain.len() + 16];
            let n = crypter.update(plain, &mut out).unwrap();
            let m = crypter.finalize(&mut out[n..]).unwrap();
            out.truncate(n + m);
            [iv.to_vec(), out].concat()
        };
        let cipher = DataCipher::AesCbc { key_len: 16 };
        // "<a/>" then 11 arbitrary bytes and the pad length 12: not PKCS#7.
        let mut plain = b"<a/>".to_vec();
        plain.extend_from_slice(&[0xAA, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
        assert_eq!(cipher.decrypt(&key, &encrypt(&plain)).unwrap(), b"<a/>");
        let mut zero_pad = b"<a/>".to_vec();
        zero_pad.extend_from_slice(&[0; 12]);
        assert_eq!(cipher.decrypt(&key, &encrypt(&zero_pad)), None);
        let mut too_long = b"<a/>".to_vec();
        too_long.extend_from_slice(&[17; 12]);
        assert_eq!(cipher.decrypt(&key, &encrypt(&too_long)), None);
    }

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
