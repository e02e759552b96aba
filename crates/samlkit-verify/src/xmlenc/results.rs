//! What decryption reports: the decrypted element with its algorithms and notes, or the
//! stage that failed with what the user can do about it.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::certs::CertificateFacts;
use crate::report::{MissingInput, Severity, Span};

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
    /// What to put in place of the encrypted element (see [`splice`](super::splice)): the plaintext, with the
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
    /// Label of the private key that decrypted (see [`DecryptionKey::label`](super::DecryptionKey::label)).
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
    /// Descriptions of the keys tried (see [`DecryptionKey::description`](super::DecryptionKey::description)).
    pub keys_tried: Vec<String>,
    /// The input whose absence (or wrongness) made decryption fail, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingInput>,
}

impl DecryptionFailure {
    pub(super) fn new(
        stage: DecryptionStage,
        message: impl Into<String>,
        span: Range<usize>,
    ) -> Self {
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

    pub(super) fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Marks the failure as caused by a missing or wrong SP decryption key.
    pub(super) fn for_want_of_sp_key(mut self) -> Self {
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
