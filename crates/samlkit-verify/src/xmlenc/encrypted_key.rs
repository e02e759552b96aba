//! The `EncryptedKey`s of an element: found inline or by `RetrievalMethod`, their transport
//! parameters (OAEP digest, MGF, label) and recipient certificates, and the explanation when
//! no key given can open them.

use std::ops::Range;

use roxmltree::Node;
use samlkit_parse::xml::{self, ns};

use crate::algorithms::{digest_from_uri, HashFunction};
use crate::certs::{colon_hex, Certificate, CertificateFacts};

use super::ciphers::{mgf1_from_uri, KeyTransport};
use super::element::{read_cipher_value, Attempts, KeyCandidate, WrapperKind};
use super::keys::{decode_base64, pem_blocks, DecryptionKey, DecryptionKeys};
use super::results::{DecryptionFailure, DecryptionStage};
use super::uri;
use super::MAX_ENCRYPTED_KEYS;

/// The EncryptedKeys that may hold the key of `data`, most specific first: inside its KeyInfo,
/// referenced by RetrievalMethod, named by KeyName (`CarriedKeyName`), then any other inside
/// the wrapper.
pub(super) fn encrypted_key_nodes<'a, 'i>(
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

pub(super) fn no_encrypted_key(data: Node<'_, '_>, kind: &WrapperKind) -> DecryptionFailure {
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

pub(super) fn read_encrypted_key(node: Node<'_, '_>) -> Result<KeyCandidate, DecryptionFailure> {
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

pub(super) fn no_key_message(kind: &WrapperKind, recipients: &[CertificateFacts]) -> String {
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

pub(super) fn all_keys_failed(
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
