//! Where signatures and encrypted parts sit, and what they declare — read without any crypto,
//! for display. Whether a signature holds is decided by `samlkit-verify`.

use std::borrow::Cow;

use roxmltree::Node;

use super::{attr, AttrValue, CollectExact, Spanned, TextValue};
use crate::xml::{self, ns};

/// A `ds:Signature` element as declared.
#[derive(Debug, Clone)]
pub struct SignatureInfo<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub canonicalization: Option<AttrValue<'a>>,
    pub signature_method: Option<AttrValue<'a>>,
    pub references: Vec<ReferenceInfo<'a>>,
    pub key_info: KeyInfo<'a>,
}

#[derive(Debug, Clone)]
pub struct ReferenceInfo<'a> {
    pub uri: Option<AttrValue<'a>>,
    pub transforms: Vec<AttrValue<'a>>,
    pub digest_method: Option<AttrValue<'a>>,
}

/// What a KeyInfo offers: certificates (base64, whitespace removed), key names, raw key values.
#[derive(Debug, Clone, Default)]
pub struct KeyInfo<'a> {
    /// Each `X509Certificate`'s base64 text as written, line breaks and all: borrowed from the
    /// document (an aggregate holds thousands), for readers that skip whitespace as they
    /// decode.
    pub certificates: Vec<Spanned<Cow<'a, str>>>,
    pub key_names: Vec<TextValue<'a>>,
    pub has_key_value: bool,
    pub has_encrypted_key: bool,
}

impl<'a, 'i> SignatureInfo<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        let signed_info = xml::child_named(node, ns::DS, "SignedInfo");
        let method = |local: &'static str| {
            signed_info
                .and_then(|si| xml::child_named(si, ns::DS, local))
                .and_then(|m| attr(m, "Algorithm"))
        };
        let references = signed_info
            .into_iter()
            .flat_map(|si| xml::children_named(si, ns::DS, "Reference"))
            .map(|reference| ReferenceInfo {
                uri: attr(reference, "URI"),
                transforms: xml::child_named(reference, ns::DS, "Transforms")
                    .into_iter()
                    .flat_map(|t| xml::children_named(t, ns::DS, "Transform"))
                    .filter_map(|t| attr(t, "Algorithm"))
                    .collect(),
                digest_method: xml::child_named(reference, ns::DS, "DigestMethod")
                    .and_then(|m| attr(m, "Algorithm")),
            })
            .collect();
        SignatureInfo {
            node,
            canonicalization: method("CanonicalizationMethod"),
            signature_method: method("SignatureMethod"),
            references,
            key_info: xml::child_named(node, ns::DS, "KeyInfo")
                .map(KeyInfo::read)
                .unwrap_or_default(),
        }
    }

    /// Signatures that are direct children of `parent` (where SAML places them).
    pub fn children_of(parent: Node<'a, 'i>) -> Vec<SignatureInfo<'a, 'i>> {
        xml::children_named(parent, ns::DS, "Signature")
            .map(SignatureInfo::read)
            .collect()
    }
}

impl<'a> KeyInfo<'a> {
    pub fn read(key_info: Node<'a, '_>) -> Self {
        let certificates = key_info
            .descendants()
            .filter(|n| xml::is_element(*n, ns::DS, "X509Certificate"))
            .map(|cert| Spanned::new(xml::text_content(cert), xml::text_span(cert)))
            .collect_exact();
        KeyInfo {
            certificates,
            key_names: xml::children_named(key_info, ns::DS, "KeyName")
                .map(super::text)
                .collect(),
            has_key_value: xml::child_named(key_info, ns::DS, "KeyValue").is_some(),
            has_encrypted_key: xml::child_named(key_info, ns::XENC, "EncryptedKey").is_some(),
        }
    }
}

/// An `xenc:EncryptedData` (inside EncryptedAssertion, EncryptedID, EncryptedAttribute).
#[derive(Debug, Clone)]
pub struct EncryptedInfo<'a, 'i> {
    /// The wrapper element (e.g. `saml:EncryptedAssertion`).
    pub node: Node<'a, 'i>,
    pub data_algorithm: Option<AttrValue<'a>>,
    /// Key-transport algorithms of the EncryptedKeys found inside or beside the data.
    pub key_algorithms: Vec<AttrValue<'a>>,
    /// Certificates named by the EncryptedKeys' KeyInfo (the SP certificate it was encrypted for).
    pub recipient_certificates: Vec<Spanned<Cow<'a, str>>>,
}

impl<'a, 'i> EncryptedInfo<'a, 'i> {
    pub fn read(wrapper: Node<'a, 'i>) -> Self {
        let data = xml::child_named(wrapper, ns::XENC, "EncryptedData");
        let data_algorithm = data
            .and_then(|d| xml::child_named(d, ns::XENC, "EncryptionMethod"))
            .and_then(|m| attr(m, "Algorithm"));
        let encrypted_keys: Vec<Node<'a, 'i>> = wrapper
            .descendants()
            .filter(|n| xml::is_element(*n, ns::XENC, "EncryptedKey"))
            .collect();
        let key_algorithms = encrypted_keys
            .iter()
            .filter_map(|k| xml::child_named(*k, ns::XENC, "EncryptionMethod"))
            .filter_map(|m| attr(m, "Algorithm"))
            .collect();
        let recipient_certificates = encrypted_keys
            .iter()
            .filter_map(|k| xml::child_named(*k, ns::DS, "KeyInfo"))
            .flat_map(|ki| KeyInfo::read(ki).certificates)
            .collect();
        EncryptedInfo {
            node: wrapper,
            data_algorithm,
            key_algorithms,
            recipient_certificates,
        }
    }
}

/// The `saml:Issuer` of a message or assertion.
#[derive(Debug, Clone)]
pub struct Issuer<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub value: TextValue<'a>,
    pub format: Option<AttrValue<'a>>,
}

impl<'a, 'i> Issuer<'a, 'i> {
    pub fn of(parent: Node<'a, 'i>) -> Option<Self> {
        xml::child_named(parent, ns::SAML, "Issuer").map(|node| Issuer {
            node,
            value: super::text(node),
            format: attr(node, "Format"),
        })
    }
}
