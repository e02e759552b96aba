//! One encrypted element (`EncryptedAssertion`, `EncryptedID`, `EncryptedAttribute`): its
//! `EncryptedData`, cipher value and algorithm, decrypted with each candidate key in turn.

use std::ops::Range;

use roxmltree::{Document, Node};
use samlkit_parse::xml::{self, ns};

use crate::certs::{Certificate, CertificateFacts};

use super::ciphers::{DataCipher, KeyTransport};
use super::content::{check_content, decrypted, ContentProblem};
use super::encrypted_key::{
    all_keys_failed, encrypted_key_nodes, no_encrypted_key, no_key_message, read_encrypted_key,
};
use super::keys::{decode_base64, DecryptionKeys};
use super::results::{Decrypted, DecryptionFailure, DecryptionStage};
use super::MAX_ENCRYPTED_KEYS;

/// The SAML elements that wrap encrypted content, and what they must decrypt to.
pub(super) struct WrapperKind {
    namespace: &'static str,
    pub(super) name: &'static str,
    pub(super) content_namespace: &'static str,
    pub(super) content: &'static [&'static str],
    /// How the content is called in messages.
    pub(super) noun: &'static str,
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

pub(super) fn wrapper_kind(node: Node<'_, '_>) -> Option<&'static WrapperKind> {
    WRAPPERS
        .iter()
        .find(|kind| xml::is_element(node, kind.namespace, kind.name))
}

/// Whether the document holds any encrypted SAML element (then it holds an outermost one).
pub fn has_encrypted_elements(doc: &Document<'_>) -> bool {
    doc.descendants().any(|node| wrapper_kind(node).is_some())
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
pub(super) struct KeyCandidate {
    pub(super) algorithm: String,
    pub(super) transport: KeyTransport,
    pub(super) wrapped: Vec<u8>,
    pub(super) recipient: Option<Certificate>,
}

/// Decrypts one encrypted SAML element (`EncryptedAssertion`, `EncryptedID`,
/// `EncryptedAttribute`, `NewEncryptedID`) with the given keys.
///
/// The element's byte range is `encrypted_wrapper.range()`; put [`Decrypted::replacement`]
/// there with [`splice`](super::splice) to get a document in which the decrypted element can be read.
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
pub(super) struct Attempts {
    /// Some key unwrapped a symmetric key of the right length.
    pub(super) unwrapped: bool,
    /// The content decrypted but is not the XML expected (first such problem).
    pub(super) content_problem: Option<String>,
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
pub(super) fn read_cipher_value(
    parent: Node<'_, '_>,
    what: &str,
) -> Result<Vec<u8>, DecryptionFailure> {
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
