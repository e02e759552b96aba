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

use std::ops::Range;

use roxmltree::Node;
use samlkit_parse::{parse_xml, InputError, Limits};
use serde::Serialize;

use crate::report::Span;

mod ciphers;
mod content;
mod element;
mod encrypted_key;
mod keys;
mod results;

pub use element::decrypt_element;
pub use element::{encrypted_elements, has_encrypted_elements};
pub use keys::DecryptionKey;
pub use keys::DecryptionKeys;
pub use keys::XmlEncError;
pub use results::Decrypted;
pub use results::DecryptionFailure;
pub use results::DecryptionStage;
pub use results::EncryptionFinding;
pub use results::EncryptionFindingCode;

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
}
