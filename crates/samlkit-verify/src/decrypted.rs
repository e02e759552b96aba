//! Verifying a message whose encrypted parts were decrypted and put in place.
//!
//! A signature on the Response covers the *ciphertext* of an EncryptedAssertion, so it can
//! only be checked on the document as it arrived; a signature inside the assertion can only be
//! checked after decryption. [`verify_decrypted`] checks the arrived document, then the
//! decrypted one, and carries each outer signature's outcome over to the decrypted document,
//! where coverage is worked out: a verified Response signature covers the assertion that was
//! decrypted from the ciphertext it signed.
//!
//! A signature counts as "the same" in both documents only when its SignatureValue and
//! Reference URI occur exactly once in each; a copy planted inside encrypted content (anyone
//! can encrypt for the SP) makes the match ambiguous, and then every signature is checked
//! afresh on the decrypted document, which fails closed.

use std::collections::HashMap;

use roxmltree::{Document, Node};
use samlkit_parse::xml::{self, ns};

use crate::dsig::{verify_document, verify_document_with, VerifyOptions};
use crate::report::{SignatureReport, VerificationReport};
use crate::trust::TrustStore;

/// What identifies a signature across the arrived and the decrypted document.
fn signature_key(signature: Node<'_, '_>) -> Option<String> {
    let value = signature
        .descendants()
        .find(|n| xml::is_element(*n, ns::DS, "SignatureValue"))?;
    let reference = signature
        .descendants()
        .find(|n| xml::is_element(*n, ns::DS, "Reference"))
        .and_then(|r| xml::plain_attribute(r, "URI"))
        .map_or("", |a| a.value());
    let compact: String = xml::text_content(value)
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    Some(format!("{reference} {compact}"))
}

/// Signature keys that occur exactly once in `document`, with their signature nodes.
fn unique_signatures<'a, 'i>(document: &'a Document<'i>) -> HashMap<String, Node<'a, 'i>> {
    let mut seen: HashMap<String, Option<Node<'a, 'i>>> = HashMap::new();
    for node in document
        .descendants()
        .filter(|n| xml::is_element(*n, ns::DS, "Signature"))
    {
        if let Some(key) = signature_key(node) {
            seen.entry(key)
                .and_modify(|slot| *slot = None)
                .or_insert(Some(node));
        }
    }
    seen.into_iter()
        .filter_map(|(key, node)| node.map(|n| (key, n)))
        .collect()
}

/// Verifies `decrypted` (the arrived document `original` with its encrypted parts decrypted in
/// place), taking the outcome of every signature the two share from `original`.
pub fn verify_decrypted<'a, 'i>(
    original: &Document<'_>,
    decrypted: &'a Document<'i>,
    trust: &TrustStore,
    options: &VerifyOptions,
) -> VerificationReport<'a, 'i> {
    let before = verify_document(original, trust, options);
    let original_unique = unique_signatures(original);
    let decrypted_unique = unique_signatures(decrypted);
    // Outcomes of the arrived document's signatures, by key, for keys unique there; one is
    // used only where its key is unique in the decrypted document too.
    let mut carried: HashMap<String, SignatureReport> = HashMap::new();
    for (key, node) in &original_unique {
        if let Some(report) = before
            .signatures
            .iter()
            .find(|s| s.signature_node == node.id())
        {
            carried.insert(key.clone(), report.clone());
        }
    }
    verify_document_with(decrypted, trust, options, &|index, node| {
        let key = signature_key(node)?;
        if decrypted_unique.get(&key).map(|n| n.id()) != Some(node.id()) {
            return None;
        }
        let mut report = carried.get(&key)?.clone();
        let parent = node.parent_element();
        report.index = index;
        report.location = node.range().into();
        report.signature_node = node.id();
        report.signed_node = report.signed_node.and(parent.map(|p| p.id()));
        if let (Some(element), Some(parent)) = (report.parent.as_mut(), parent) {
            element.span = parent.range().into();
        }
        // Spans pointed into the arrived text; point them at the signature here.
        for finding in &mut report.findings {
            if finding.span.is_some() {
                finding.span = Some(node.range().into());
            }
        }
        Some(report)
    })
}
