//! Opening one message: parse it, refuse an unexpected kind, decrypt what the keys can and
//! parse the decrypted document — the one place samlkit does "decrypt, re-parse, verify".

use roxmltree::Document;
use samlkit_parse::model::{ExpectedKind, SamlMessage};
use samlkit_parse::{parse_xml, read_message, Limits};
use samlkit_verify::decrypted::verify_decrypted;
use samlkit_verify::dsig::{verify_document, VerifyOptions};
use samlkit_verify::report::VerificationReport;
use samlkit_verify::trust::TrustStore;
use samlkit_verify::xmlenc::{
    decrypt_document, has_encrypted_elements, DecryptionKeys, DocumentDecryption,
};

use super::ExplainError;

/// One message, parsed and, where asked for, decrypted. Everything borrows the parsed trees,
/// which live only for the call of [`open_message`]'s closure.
pub struct Opened<'a, 'i> {
    /// The document as it arrived.
    pub arrived: &'a Document<'i>,
    /// The document the claims are read from: the arrived one with every part the keys could
    /// decrypt put in place, or the arrived one itself.
    pub document: &'a Document<'i>,
    /// The typed view of [`Opened::document`].
    pub message: SamlMessage<'a, 'i>,
    /// What decryption did, when decryption was asked for and the message held anything
    /// encrypted.
    pub decryption: Option<&'a DocumentDecryption>,
}

impl<'a, 'i> Opened<'a, 'i> {
    /// True when anything was decrypted, so [`Opened::document`] is not the arrived document.
    pub fn is_decrypted(&self) -> bool {
        !std::ptr::eq(self.arrived, self.document)
    }

    /// The text [`Opened::document`] was parsed from: spans of findings point into it.
    pub fn text(&self) -> &'i str {
        self.document.input_text()
    }

    /// Verifies every signature. After decryption, signatures the arrived document and the
    /// decrypted one share keep the outcome they had on the arrived bytes, and those that were
    /// inside encrypted parts are checked on the decrypted content.
    pub fn verify(
        &self,
        trust: &TrustStore,
        options: &VerifyOptions,
    ) -> VerificationReport<'a, 'i> {
        if self.is_decrypted() {
            verify_decrypted(self.arrived, self.document, trust, options)
        } else {
            verify_document(self.document, trust, options)
        }
    }
}

/// Parses `xml`, checks its kind against `expect`, decrypts its encrypted parts with `keys`
/// (when given and anything is encrypted), parses the decrypted document and hands the result
/// to `then`.
pub fn open_message<R>(
    xml: &str,
    limits: &Limits,
    keys: Option<&DecryptionKeys>,
    expect: Option<ExpectedKind>,
    then: impl FnOnce(Opened<'_, '_>) -> R,
) -> Result<R, ExplainError> {
    let arrived = parse_xml(xml, limits).map_err(ExplainError::Unreadable)?;
    let message = read_message(&arrived).map_err(ExplainError::Unreadable)?;
    if let Some(expected) = expect {
        expected.check(&message).map_err(ExplainError::Unreadable)?;
    }
    let decryption = match keys {
        Some(keys) if has_encrypted_elements(&arrived) => {
            Some(decrypt_document(xml, keys, limits).map_err(ExplainError::Unreadable)?)
        }
        _ => None,
    };
    match decryption.as_ref().filter(|done| done.text != xml) {
        Some(done) => {
            let decrypted =
                parse_xml(&done.text, limits).map_err(ExplainError::DecryptedUnreadable)?;
            let message = read_message(&decrypted).map_err(ExplainError::Unreadable)?;
            Ok(then(Opened {
                arrived: &arrived,
                document: &decrypted,
                message,
                decryption: Some(done),
            }))
        }
        None => Ok(then(Opened {
            arrived: &arrived,
            document: &arrived,
            message,
            decryption: decryption.as_ref(),
        })),
    }
}
