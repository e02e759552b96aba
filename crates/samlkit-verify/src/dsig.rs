//! XML-DSig core validation over the parsed tree, held to the narrow profile SAML needs.
//!
//! A signature counts only when it has exactly one `SignedInfo`, one `Reference` and one
//! `DigestValue`; the reference is `#` + the ID of the signature's own parent; that ID occurs
//! once in the whole document; the parent is an element SAML signs, sitting where SAML puts
//! it; and the transforms are enveloped-signature plus one canonicalization. Anything else is
//! refused with a finding that names the shape, before any cryptography runs.
//!
//! For a signature that passes the profile, the referenced element and `SignedInfo` are
//! canonicalized from the same tree ([`crate::c14n`]), the digest is compared, and the
//! signature value is checked with each trusted key in turn. The failing stage is reported in
//! the order an administrator can act on it: the message was changed after signing, the key is
//! not the trusted one, the signature does not match any trusted key.

use std::collections::{HashMap, HashSet};

use openssl::bn::BigNum;
use openssl::dsa::DsaSig;
use openssl::ecdsa::EcdsaSig;
use openssl::hash::Hasher;
use openssl::pkey::{Id, PKeyRef, Public};
use openssl::rsa::Padding;
use openssl::sign::{RsaPssSaltlen, Verifier};
use roxmltree::{Document, Node, NodeId};
use samlkit_parse::xml::{self, ns};

use crate::algorithms::{
    self, HashFunction, SignatureAlgorithm, SignatureFamily, UriStatus, ENVELOPED_SIGNATURE,
};
use crate::c14n::{canonicalize_subtree, canonicalize_subtree_in_pieces, C14nMethod, C14nOptions};
use crate::certs::{self, Certificate, KeyMaterial};
use crate::report::{
    ElementCoverage, ElementRef, Finding, FindingCode, KeyInfoCertificate, KeyUsed, MissingInput,
    Severity, SignatureAlgorithms, SignatureOutcome, SignatureReport, Span, Stage, Verdict,
    VerificationReport,
};
use crate::trust::TrustStore;

/// Namespace of exclusive canonicalization's `InclusiveNamespaces`.
const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Namespace of RFC 6931's `RSAPSSParams`.
const PSS_PARAMS_NS: &str = "http://www.w3.org/2007/05/xmldsig-more#";
/// OpenSSL's RSA_PSS_SALTLEN_AUTO: on verification, accept whatever salt length the signer
/// chose. RFC 6931 defaults to the hash length, but widely used signers (Node's crypto) use the
/// maximum; the salt length does not weaken verification.
const PSS_SALT_LENGTH_AUTO: i32 = -2;
/// Attributes that identify elements: SAML 2.0's `ID`, plus `Id` (XML-DSig, WS-*) and SAML
/// 1.1's `AssertionID`, so that a duplicate in any of them makes a reference ambiguous.
const ID_ATTRIBUTES: [&str; 3] = ["ID", "Id", "AssertionID"];

/// Inputs to verification besides the document and the trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The time certificates are judged at, in unix seconds. Never read from the clock here.
    pub now: i64,
}

/// The kinds of element a SAML signature may sit in, and where each may occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SamlElement {
    Response,
    Assertion,
    EntityDescriptor,
    EntitiesDescriptor,
    /// LogoutRequest, LogoutResponse, AuthnRequest, ArtifactResolve, ArtifactResponse:
    /// top-level protocol messages.
    Request,
}

fn saml_element(node: Node<'_, '_>) -> Option<SamlElement> {
    if !node.is_element() {
        return None;
    }
    let name = node.tag_name();
    match (name.namespace()?, name.name()) {
        (ns::SAMLP, "Response") => Some(SamlElement::Response),
        (ns::SAML, "Assertion") => Some(SamlElement::Assertion),
        (ns::MD, "EntityDescriptor") => Some(SamlElement::EntityDescriptor),
        (ns::MD, "EntitiesDescriptor") => Some(SamlElement::EntitiesDescriptor),
        (
            ns::SAMLP,
            "LogoutRequest" | "LogoutResponse" | "AuthnRequest" | "ArtifactResolve"
            | "ArtifactResponse",
        ) => Some(SamlElement::Request),
        _ => None,
    }
}

/// True when `node` sits where SAML puts an element of its kind, all the way up to the
/// document element (SOAP Body and ArtifactResponse wrappers allowed).
fn well_placed(node: Node<'_, '_>) -> bool {
    let mut current = node;
    loop {
        let Some(kind) = saml_element(current) else {
            return false;
        };
        let Some(parent) = current.parent_element() else {
            return true;
        };
        let is_soap_body = xml::is_element(parent, ns::SOAP11, "Body")
            && parent.parent_element().is_some_and(|envelope| {
                xml::is_element(envelope, ns::SOAP11, "Envelope")
                    && envelope.parent_element().is_none()
            });
        let next = match kind {
            SamlElement::Response | SamlElement::Request => {
                if is_soap_body {
                    return true;
                }
                // A Response may travel inside an ArtifactResponse, itself a top-level message.
                if kind == SamlElement::Response
                    && xml::is_element(parent, ns::SAMLP, "ArtifactResponse")
                {
                    parent
                } else {
                    return false;
                }
            }
            SamlElement::Assertion => {
                if xml::is_element(parent, ns::SAMLP, "Response") {
                    parent
                } else if xml::is_element(parent, ns::SAML, "Advice") {
                    // Advice may carry assertions; it must itself be a child of an assertion.
                    match parent.parent_element() {
                        Some(owner) if xml::is_element(owner, ns::SAML, "Assertion") => owner,
                        _ => return false,
                    }
                } else {
                    return is_soap_body;
                }
            }
            SamlElement::EntityDescriptor | SamlElement::EntitiesDescriptor => {
                if xml::is_element(parent, ns::MD, "EntitiesDescriptor") {
                    parent
                } else {
                    return false;
                }
            }
        };
        current = next;
    }
}

/// Namespaces an attacker may imitate, and the normalisation used to spot an imitation.
const GUARDED_NAMESPACES: [&str; 4] = [ns::SAML, ns::SAMLP, ns::MD, ns::DS];
/// Real namespaces that happen to be close to a guarded one (SAML 1.x).
const NEIGHBOUR_NAMESPACES: [&str; 2] = [
    "urn:oasis:names:tc:SAML:1.0:assertion",
    "urn:oasis:names:tc:SAML:1.0:protocol",
];

/// The guarded namespace `uri` imitates, if it is not that namespace but close to it: same
/// text up to case, scheme, surrounding spaces or a trailing `/` or `#`; a suffix appended; or
/// one or two characters changed.
fn imitated_namespace(uri: &str) -> Option<&'static str> {
    if GUARDED_NAMESPACES.contains(&uri) || NEIGHBOUR_NAMESPACES.contains(&uri) {
        return None;
    }
    let normalise = |text: &str| {
        text.trim()
            .to_ascii_lowercase()
            .replace("https://", "http://")
            .trim_end_matches(['/', '#'])
            .to_string()
    };
    let normalised = normalise(uri);
    GUARDED_NAMESPACES.into_iter().find(|guarded| {
        let target = normalise(guarded);
        normalised == target
            || (normalised.starts_with(&target) && normalised.len() > target.len())
            || edit_distance_at_most(&normalised, &target, 2)
    })
}

/// True when the Levenshtein distance between `a` and `b` is at most `limit`.
fn edit_distance_at_most(a: &str, b: &str, limit: usize) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &byte_a) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &byte_b) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(byte_a != byte_b);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|&min| min > limit) {
            return false;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] <= limit
}

fn element_ref(node: Node<'_, '_>) -> ElementRef {
    ElementRef {
        name: node.tag_name().name().to_string(),
        namespace: node.tag_name().namespace().map(str::to_string),
        id: xml::plain_attribute(node, "ID").map(|attr| attr.value().to_string()),
        span: node.range().into(),
    }
}

fn describe(node: Node<'_, '_>) -> String {
    format!(
        "<{}>",
        xml::element_qname(node, node.document().input_text())
    )
}

/// Names of the first few elements, e.g. "<saml:Assertion>, <saml:Assertion> and 3 more".
fn describe_some(nodes: &[Node<'_, '_>]) -> String {
    const SHOWN: usize = 4;
    let mut text: Vec<String> = nodes
        .iter()
        .take(SHOWN)
        .map(|node| describe(*node))
        .collect();
    if nodes.len() > SHOWN {
        text.push(format!("and {} more", nodes.len() - SHOWN));
    }
    text.join(", ")
}

/// Every value of an ID-like attribute, with the elements that carry it.
fn index_ids<'a, 'i>(document: &'a Document<'i>) -> HashMap<&'a str, Vec<Node<'a, 'i>>> {
    let mut index: HashMap<&'a str, Vec<Node<'a, 'i>>> = HashMap::new();
    for node in document.descendants().filter(|node| node.is_element()) {
        for attr in node.attributes() {
            if attr.namespace().is_none() && ID_ATTRIBUTES.contains(&attr.name()) {
                let nodes = index.entry(attr.value()).or_default();
                // One element with both `ID` and `Id` of the same value is still one element
                // (attributes of one element are visited together, so it can only be the last).
                if nodes.last() != Some(&node) {
                    nodes.push(node);
                }
            }
        }
    }
    index
}

/// Verifies every signature in `document` against `trust` and reports, per signature and per
/// SAML element, what is covered by a trusted signature.
pub fn verify_document<'a, 'i>(
    document: &'a Document<'i>,
    trust: &TrustStore,
    options: &VerifyOptions,
) -> VerificationReport<'a, 'i> {
    verify_document_with(document, trust, options, &|_, _| None)
}

/// [`verify_document`], except that `known` may supply the report of a signature whose
/// outcome was established on another document (see `decrypted`): such a signature is not
/// checked again, and coverage and verdict are worked out from the supplied outcome.
pub(crate) fn verify_document_with<'a, 'i>(
    document: &'a Document<'i>,
    trust: &TrustStore,
    options: &VerifyOptions,
    known: &dyn Fn(usize, Node<'a, 'i>) -> Option<SignatureReport>,
) -> VerificationReport<'a, 'i> {
    let ids = index_ids(document);
    let mut findings = Vec::new();
    if trust.is_empty() {
        findings.push(
            Finding::error(
                FindingCode::NoTrustConfigured,
                "no trusted key is configured, so no signature can be verified and nothing in \
                 this message is treated as authentic",
            )
            .with_fix(
                "give the IdP's signing keys: its metadata XML, its signing certificate (PEM or \
                 DER), or the SHA-256 fingerprint of that certificate",
            )
            .missing(MissingInput::IdpTrust),
        );
    }

    duplicate_id_findings(&ids, &mut findings);
    let mut elements = scan_elements(document, &mut findings);
    let signatures = check_signatures(document, trust, &ids, options, known);
    mark_coverage(document, &mut elements, &signatures);
    let covered: HashSet<NodeId> = elements
        .iter()
        .filter(|entry| entry.is_covered())
        .map(|entry| entry.node)
        .collect();
    unsigned_assertion_findings(document, &covered, &mut findings);
    if !trust.is_empty() && signatures.is_empty() {
        findings.push(
            Finding::error(
                FindingCode::NotSigned,
                format!(
                    "{} carries no signature at all, so nothing in it can be trusted",
                    describe(document.root_element())
                ),
            )
            .with_fix(
                "make the IdP sign the response or the assertion (Entra ID: Enterprise \
                 applications > your app > Single sign-on > SAML Certificates > Signing Option)",
            ),
        );
    }

    cap_repeated_findings(&mut findings);
    let verdict = decide_verdict(
        &findings,
        &signatures,
        trust,
        message_verified(document, &covered),
    );
    VerificationReport {
        document,
        verdict,
        signatures,
        elements,
        findings,
        trusted_keys: trust.summaries(),
    }
}

/// One finding per ID carried by several elements, in document order.
fn duplicate_id_findings<'a, 'i>(
    ids: &HashMap<&'a str, Vec<Node<'a, 'i>>>,
    findings: &mut Vec<Finding>,
) {
    let mut duplicates: Vec<(&str, &Vec<Node<'a, 'i>>)> = ids
        .iter()
        .filter(|(_, nodes)| nodes.len() > 1)
        .map(|(id, nodes)| (*id, nodes))
        .collect();
    duplicates.sort_by_key(|(_, nodes)| nodes[0].range().start);
    for (id, nodes) in duplicates {
        let names = describe_some(nodes);
        findings.push(
            Finding::error(
                FindingCode::DuplicateId,
                format!(
                    "ID \"{id}\" is carried by {} elements ({}); a reference to it is \
                     ambiguous, the shape of signature-wrapping attacks (CVE-2024-45409)",
                    nodes.len(),
                    names
                ),
            )
            .at(nodes[1].range()),
        );
    }
}

/// One pass over every element: look-alike namespaces, SAML elements out of place, text split
/// by comments. Returns the SAML elements whose coverage the report lists.
fn scan_elements(document: &Document<'_>, findings: &mut Vec<Finding>) -> Vec<ElementCoverage> {
    let mut namespaces_checked: HashSet<&str> = HashSet::new();
    let mut elements = Vec::new();
    for node in document.descendants().filter(|node| node.is_element()) {
        // Most elements share their parent's namespace; look only where it changes.
        let namespace = node.tag_name().namespace();
        let same_as_parent = node
            .parent_element()
            .is_some_and(|parent| parent.tag_name().namespace() == namespace);
        if let (Some(uri), false) = (namespace, same_as_parent) {
            if namespaces_checked.insert(uri) {
                if let Some(guarded) = imitated_namespace(uri) {
                    findings.push(
                        Finding::error(
                            FindingCode::LookalikeNamespace,
                            format!(
                                "{} is in namespace \"{uri}\", which imitates \"{guarded}\"; \
                                 samlkit matches namespaces exactly, so it is not a SAML or \
                                 XML-DSig element",
                                describe(node)
                            ),
                        )
                        .at(node.range()),
                    );
                }
            }
        }
        if saml_element(node).is_some() {
            if !well_placed(node) {
                let parent = node
                    .parent_element()
                    .map_or_else(|| "the document".to_string(), describe);
                findings.push(
                    Finding::error(
                        FindingCode::ElementMisplaced,
                        format!(
                            "{} sits inside {parent}, where SAML never puts one; moving signed \
                             elements into such places is how signature-wrapping attacks hide \
                             them",
                            describe(node)
                        ),
                    )
                    .at(node.range()),
                );
            }
            elements.push(ElementCoverage {
                element: element_ref(node),
                covered_by: Vec::new(),
                node: node.id(),
            });
        }
        if has_text_split_by_markup(node) {
            findings.push(
                Finding::warning(
                    FindingCode::CommentInSignedText,
                    format!(
                        "the text of {} is split by a comment or processing instruction; \
                         samlkit reads the whole text \"{}\" (comment injection, \
                         CVE-2017-11427)",
                        describe(node),
                        xml::text_content(node)
                    ),
                )
                .at(node.range()),
            );
        }
    }
    elements
}

/// Checks every `ds:Signature` of the document (or takes its outcome from `known`).
fn check_signatures<'a, 'i>(
    document: &'a Document<'i>,
    trust: &TrustStore,
    ids: &HashMap<&'a str, Vec<Node<'a, 'i>>>,
    options: &VerifyOptions,
    known: &dyn Fn(usize, Node<'a, 'i>) -> Option<SignatureReport>,
) -> Vec<SignatureReport> {
    let signature_nodes: Vec<Node<'a, 'i>> = document
        .descendants()
        .filter(|node| xml::is_element(*node, ns::DS, "Signature"))
        .collect();
    let mut signatures_per_parent: HashMap<NodeId, usize> = HashMap::new();
    for node in &signature_nodes {
        if let Some(parent) = node.parent_element() {
            *signatures_per_parent.entry(parent.id()).or_default() += 1;
        }
    }
    let context = Context {
        trust,
        ids,
        options,
        signatures_per_parent: &signatures_per_parent,
    };
    signature_nodes
        .iter()
        .enumerate()
        .map(|(index, node)| {
            known(index, *node).unwrap_or_else(|| context.check_signature(index, *node))
        })
        .collect()
}

/// Which verified signatures cover each SAML element: its own, or an ancestor's, and the
/// element not inside that signature.
fn mark_coverage(
    document: &Document<'_>,
    elements: &mut [ElementCoverage],
    signatures: &[SignatureReport],
) {
    for entry in elements {
        let Some(node) = document.get_node(entry.node) else {
            continue;
        };
        entry.covered_by = signatures
            .iter()
            .filter(|sig| {
                sig.outcome == SignatureOutcome::Verified
                    && sig.signed_node.is_some_and(|signed| {
                        node.ancestors().any(|ancestor| ancestor.id() == signed)
                            && node
                                .ancestors()
                                .all(|ancestor| ancestor.id() != sig.signature_node)
                    })
            })
            .map(|sig| sig.index)
            .collect();
    }
}

/// A Response with several assertions, not all of them covered: the shape of CVE-2022-41912.
fn unsigned_assertion_findings(
    document: &Document<'_>,
    covered: &HashSet<NodeId>,
    findings: &mut Vec<Finding>,
) {
    let covered = |node: Node<'_, '_>| covered.contains(&node.id());
    for response in document
        .descendants()
        .filter(|node| xml::is_element(*node, ns::SAMLP, "Response"))
    {
        let assertions: Vec<Node<'_, '_>> =
            xml::children_named(response, ns::SAML, "Assertion").collect();
        let uncovered = assertions.iter().filter(|node| !covered(**node)).count();
        if assertions.len() > 1 && uncovered > 0 {
            findings.push(
                Finding::error(
                    FindingCode::MultipleAssertions,
                    format!(
                        "{} carries {} assertions and {uncovered} of them {} not covered by a \
                         verified signature; an unsigned assertion beside a signed one is how \
                         CVE-2022-41912 smuggles claims in",
                        describe(response),
                        assertions.len(),
                        if uncovered == 1 { "is" } else { "are" }
                    ),
                )
                .at(response.range()),
            );
        }
    }
}

/// Whether the message is covered, or (a Response wrapped in an ArtifactResponse, or a
/// Response whose own signature is absent) every assertion it carries is.
fn message_verified(document: &Document<'_>, covered: &HashSet<NodeId>) -> bool {
    let covered = |node: Node<'_, '_>| covered.contains(&node.id());
    message_element(document).is_some_and(|message| {
        let mut current = message;
        loop {
            if covered(current) {
                return true;
            }
            if xml::is_element(current, ns::SAMLP, "ArtifactResponse") {
                match xml::child_named(current, ns::SAMLP, "Response") {
                    Some(response) => current = response,
                    None => return false,
                }
                continue;
            }
            if xml::is_element(current, ns::SAMLP, "Response") {
                let assertions: Vec<Node<'_, '_>> =
                    xml::children_named(current, ns::SAML, "Assertion").collect();
                return !assertions.is_empty() && assertions.iter().all(|node| covered(*node));
            }
            return false;
        }
    })
}

/// The verdict on the document, from its findings, its signatures and its coverage.
fn decide_verdict(
    findings: &[Finding],
    signatures: &[SignatureReport],
    trust: &TrustStore,
    message_verified: bool,
) -> Verdict {
    let rejected = findings
        .iter()
        .chain(signatures.iter().flat_map(|sig| sig.findings.iter()))
        .any(|finding| finding.code.rejects_document() && finding.severity == Severity::Error);
    if rejected {
        Verdict::Rejected
    } else if trust.is_empty() {
        Verdict::NoTrustConfigured
    } else if signatures.is_empty() {
        Verdict::NotSigned
    } else if signatures
        .iter()
        .any(|sig| sig.outcome == SignatureOutcome::Failed)
    {
        Verdict::NotVerified
    } else if message_verified {
        Verdict::Verified
    } else {
        Verdict::NotVerified
    }
}

/// Most findings of one code a report lists about the document; a hostile document could
/// otherwise produce one per element.
const MAX_FINDINGS_PER_CODE: usize = 20;

/// Keeps the first [`MAX_FINDINGS_PER_CODE`] findings of each code and says how many more
/// there were.
fn cap_repeated_findings(findings: &mut Vec<Finding>) {
    let mut counts: HashMap<FindingCode, usize> = HashMap::new();
    let mut dropped: Vec<(FindingCode, Severity, usize)> = Vec::new();
    findings.retain(|finding| {
        let count = counts.entry(finding.code).or_default();
        *count += 1;
        if *count <= MAX_FINDINGS_PER_CODE {
            return true;
        }
        match dropped
            .iter_mut()
            .find(|(code, _, _)| *code == finding.code)
        {
            Some((_, _, more)) => *more += 1,
            None => dropped.push((finding.code, finding.severity, 1)),
        }
        false
    });
    for (code, severity, more) in dropped {
        findings.push(Finding::new(
            code,
            severity,
            format!("… and {more} more findings like the ones above"),
        ));
    }
}

/// The SAML message of a document: its root, or the element in the Body of a SOAP envelope.
fn message_element<'a, 'i>(document: &'a Document<'i>) -> Option<Node<'a, 'i>> {
    let root = document.root_element();
    if !xml::is_element(root, ns::SOAP11, "Envelope") {
        return Some(root);
    }
    let body = xml::child_named(root, ns::SOAP11, "Body")?;
    xml::element_children(body).next()
}

/// True for an element outside XML-DSig whose text is interrupted by a comment or processing
/// instruction.
fn has_text_split_by_markup(node: Node<'_, '_>) -> bool {
    if node.tag_name().namespace() == Some(ns::DS) {
        return false;
    }
    let mut has_text = false;
    let mut has_markup = false;
    for child in node.children() {
        if child.is_text() && child.text().is_some_and(|text| !text.trim().is_empty()) {
            has_text = true;
        } else if child.is_comment() || child.is_pi() {
            has_markup = true;
        }
    }
    has_text && has_markup
}

struct Context<'c, 'a, 'i> {
    trust: &'c TrustStore,
    ids: &'c HashMap<&'a str, Vec<Node<'a, 'i>>>,
    options: &'c VerifyOptions,
    /// How many ds:Signature children each element has, counted once for the document so
    /// that many signatures under one parent do not cost quadratic time.
    signatures_per_parent: &'c HashMap<NodeId, usize>,
}

/// The parts of a signature that passed the structural profile.
struct Profiled<'a, 'i> {
    signed_info: Node<'a, 'i>,
    canonicalization: C14nMethod,
    signed_info_prefixes: Vec<&'a str>,
    signature_algorithm: SignatureAlgorithm,
    digest: HashFunction,
    reference_c14n: C14nMethod,
    reference_prefixes: Vec<&'a str>,
    enveloped: bool,
    digest_value: Node<'a, 'i>,
    signature_value: Node<'a, 'i>,
    key_info: Option<Node<'a, 'i>>,
    target: Node<'a, 'i>,
}

/// The elements a `Signature` is made of, once their count is right.
struct SignatureParts<'a, 'i> {
    signed_info: Node<'a, 'i>,
    signature_value: Node<'a, 'i>,
    key_info: Option<Node<'a, 'i>>,
}

/// The children of `SignedInfo` and of its `Reference`, as found: each may be missing or
/// repeated, which the profile reports.
struct SignedInfoParts<'a, 'i> {
    canonicalization_methods: Vec<Node<'a, 'i>>,
    signature_methods: Vec<Node<'a, 'i>>,
    reference: Option<Node<'a, 'i>>,
    transforms_elements: Vec<Node<'a, 'i>>,
    digest_methods: Vec<Node<'a, 'i>>,
    digest_values: Vec<Node<'a, 'i>>,
}

/// The elements that name a signature's algorithms.
struct AlgorithmElements<'a, 'i, 't> {
    canonicalization_method: Node<'a, 'i>,
    signature_method: Node<'a, 'i>,
    digest_method: Node<'a, 'i>,
    transforms: &'t [Node<'a, 'i>],
}

/// The algorithms of a signature that passed the profile.
struct ProfiledAlgorithms<'a> {
    canonicalization: C14nMethod,
    signed_info_prefixes: Vec<&'a str>,
    signature_algorithm: SignatureAlgorithm,
    digest: HashFunction,
    reference_c14n: C14nMethod,
    reference_prefixes: Vec<&'a str>,
    enveloped: bool,
}

/// A key that may verify the signature, and what to call it.
struct Candidate<'k> {
    key: &'k PKeyRef<Public>,
    anchor: Option<usize>,
    /// E.g. "metadata signing key 2 of 2".
    label: String,
    /// The label plus the certificate's subject and fingerprint.
    description: String,
}

impl<'a, 'i> Context<'_, 'a, 'i> {
    fn check_signature(&self, index: usize, signature: Node<'a, 'i>) -> SignatureReport {
        let mut report = SignatureReport {
            index,
            location: signature.range().into(),
            parent: signature.parent_element().map(element_ref),
            reference_uri: None,
            algorithms: SignatureAlgorithms::default(),
            outcome: SignatureOutcome::Failed,
            stage: None,
            verified_by: None,
            keys_tried: Vec::new(),
            keyinfo_certificates: Vec::new(),
            findings: Vec::new(),
            signed_node: None,
            signature_node: signature.id(),
        };
        let profiled = match self.profile(signature, &mut report) {
            Ok(profiled) => profiled,
            Err(stage) => {
                report.stage = Some(stage);
                // The message's certificates are still worth showing next to the trusted ones.
                if let Some(key_info) = xml::child_named(signature, ns::DS, "KeyInfo") {
                    self.read_key_info(key_info, &mut report);
                }
                return report;
            }
        };
        let outcome = self.check_cryptography(signature, &profiled, &mut report);
        match outcome {
            Ok(()) => {
                report.outcome = SignatureOutcome::Verified;
                report.signed_node = Some(profiled.target.id());
            }
            Err(stage) => report.stage = Some(stage),
        }
        report
    }

    /// Holds the signature to SAML's profile. Every violation becomes a finding; the first
    /// failing stage is returned.
    fn profile(
        &self,
        signature: Node<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Result<Profiled<'a, 'i>, Stage> {
        let structure = Stage::MalformedStructure;
        let (parent, parent_name) = self.check_placement(signature, report)?;
        let parts = signature_parts(signature, report).ok_or(structure)?;
        let found = signed_info_parts(parts.signed_info, report);
        check_value_markup(&found.digest_values, parts.signature_value, report);
        let transform_nodes = record_algorithms(&found, report);
        if report
            .findings
            .iter()
            .any(|finding| finding.severity == Severity::Error)
        {
            return Err(structure);
        }
        let (Some(reference), Some(&canonicalization_method), Some(&signature_method)) = (
            found.reference,
            found.canonicalization_methods.first(),
            found.signature_methods.first(),
        ) else {
            return Err(structure);
        };
        let (Some(&digest_method), Some(&digest_value)) =
            (found.digest_methods.first(), found.digest_values.first())
        else {
            return Err(structure);
        };

        let target = self.resolve_reference(reference, parent, &parent_name, report)?;
        let algorithms = self.profile_algorithms(
            AlgorithmElements {
                canonicalization_method,
                signature_method,
                digest_method,
                transforms: &transform_nodes,
            },
            report,
        )?;

        Ok(Profiled {
            signed_info: parts.signed_info,
            canonicalization: algorithms.canonicalization,
            signed_info_prefixes: algorithms.signed_info_prefixes,
            signature_algorithm: algorithms.signature_algorithm,
            digest: algorithms.digest,
            reference_c14n: algorithms.reference_c14n,
            reference_prefixes: algorithms.reference_prefixes,
            enveloped: algorithms.enveloped,
            digest_value,
            signature_value: parts.signature_value,
            key_info: parts.key_info,
            target,
        })
    }

    /// The signature's place: inside an element SAML signs, that element where SAML puts it,
    /// and alone there. Returns the parent and how to name it.
    fn check_placement(
        &self,
        signature: Node<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Result<(Node<'a, 'i>, String), Stage> {
        let structure = Stage::MalformedStructure;
        let span = Span::from(signature.range());
        let parent = match signature.parent_element() {
            Some(parent) => parent,
            None => {
                report.findings.push(
                    Finding::error(
                        FindingCode::SignatureMisplaced,
                        "the document element is a bare <Signature>; SAML signs a Response, \
                         Assertion or metadata element",
                    )
                    .at(span),
                );
                return Err(structure);
            }
        };
        let parent_name = describe(parent);
        if saml_element(parent).is_none() {
            report.findings.push(
                Finding::error(
                    FindingCode::SignatureMisplaced,
                    format!(
                        "a signature sits in {parent_name}; SAML signatures belong directly in a \
                         Response, Assertion, EntityDescriptor, EntitiesDescriptor, \
                         LogoutRequest, LogoutResponse or AuthnRequest"
                    ),
                )
                .at(span),
            );
            return Err(structure);
        }
        if !well_placed(parent) {
            report.findings.push(
                Finding::error(
                    FindingCode::ElementMisplaced,
                    format!(
                        "the signed {parent_name} is not where SAML puts it (it sits inside {}); \
                         a signature on a moved element proves nothing about the message",
                        parent
                            .parent_element()
                            .map_or_else(|| "the document".to_string(), describe)
                    ),
                )
                .at(parent.range()),
            );
            return Err(structure);
        }
        let sibling_signatures = self
            .signatures_per_parent
            .get(&parent.id())
            .copied()
            .unwrap_or(1);
        if sibling_signatures > 1 {
            report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    format!(
                        "{parent_name} carries {sibling_signatures} signatures; SAML allows one"
                    ),
                )
                .at(span),
            );
        }
        Ok((parent, parent_name))
    }

    /// The algorithms a signature names, each one implemented and allowed: canonicalization
    /// (with its prefix list), signature, digest and transforms.
    fn profile_algorithms(
        &self,
        methods: AlgorithmElements<'a, 'i, '_>,
        report: &mut SignatureReport,
    ) -> Result<ProfiledAlgorithms<'a>, Stage> {
        let structure = Stage::MalformedStructure;
        let AlgorithmElements {
            canonicalization_method,
            signature_method,
            digest_method,
            transforms: transform_nodes,
        } = methods;
        let mut algorithm_failed = false;
        let canonicalization = report
            .algorithms
            .canonicalization
            .as_deref()
            .and_then(C14nMethod::from_uri);
        let signed_info_prefixes = match canonicalization {
            Some(method) => self.inclusive_prefixes(canonicalization_method, method, report),
            None => {
                report.findings.push(
                    Finding::error(
                        FindingCode::UnsupportedAlgorithm,
                        format!(
                            "unsupported canonicalization method \"{}\"",
                            report.algorithms.canonicalization.as_deref().unwrap_or("")
                        ),
                    )
                    .at(canonicalization_method.range()),
                );
                algorithm_failed = true;
                None
            }
        };
        let signature_algorithm = self.signature_algorithm(signature_method, report);
        let digest = self.digest_algorithm(digest_method, report);

        let (reference_c14n, reference_prefixes, enveloped) =
            match self.transforms(transform_nodes, report) {
                Some(parsed) => parsed,
                None => {
                    algorithm_failed = true;
                    (C14nMethod::Inclusive10, Some(Vec::new()), false)
                }
            };

        let (
            Some(canonicalization),
            Some(signed_info_prefixes),
            Some(signature_algorithm),
            Some(digest),
            Some(reference_prefixes),
        ) = (
            canonicalization,
            signed_info_prefixes,
            signature_algorithm,
            digest,
            reference_prefixes,
        )
        else {
            return Err(
                if algorithm_failed
                    || report.findings.iter().any(|finding| {
                        finding.severity == Severity::Error
                            && matches!(
                                finding.code,
                                FindingCode::UnsupportedAlgorithm
                                    | FindingCode::HmacRefused
                                    | FindingCode::TransformNotAllowed
                                    | FindingCode::TooManyTransforms
                            )
                    })
                {
                    Stage::UnsupportedAlgorithm
                } else {
                    structure
                },
            );
        };
        if algorithm_failed {
            return Err(Stage::UnsupportedAlgorithm);
        }
        Ok(ProfiledAlgorithms {
            canonicalization,
            signed_info_prefixes,
            signature_algorithm,
            digest,
            reference_c14n,
            reference_prefixes,
            enveloped,
        })
    }

    /// The reference must be `#` + the parent's ID, and that ID must occur exactly once.
    fn resolve_reference(
        &self,
        reference: Node<'a, 'i>,
        parent: Node<'a, 'i>,
        parent_name: &str,
        report: &mut SignatureReport,
    ) -> Result<Node<'a, 'i>, Stage> {
        let span = Span::from(reference.range());
        let uri = xml::plain_attribute(reference, "URI").map(|attr| attr.value());
        let parent_id = xml::plain_attribute(parent, "ID").map(|attr| attr.value());
        let Some(fragment) = uri.and_then(|uri| uri.strip_prefix('#')) else {
            let (code, message) = match uri {
                None | Some("") => (
                    FindingCode::ReferenceWholeDocument,
                    format!(
                        "the reference has URI=\"{}\", which signs the whole document rather than \
                         {parent_name}; samlkit requires URI=\"#{}\"",
                        uri.unwrap_or(""),
                        parent_id.unwrap_or("<ID of the signed element>")
                    ),
                ),
                Some(other) => (
                    FindingCode::ReferenceNotSameDocument,
                    format!(
                        "the reference URI \"{other}\" points outside the document; samlkit \
                         requires \"#\" + the ID of {parent_name}"
                    ),
                ),
            };
            report.findings.push(Finding::error(code, message).at(span));
            return Err(Stage::ReferenceNotParent);
        };
        if fragment.is_empty() || fragment.contains(['(', ')', '/', '\'', '"', ' ']) {
            report.findings.push(
                Finding::error(
                    FindingCode::ReferenceNotSameDocument,
                    format!(
                        "the reference URI \"#{fragment}\" is an XPointer expression, not a bare \
                         ID; samlkit requires \"#\" + the ID of {parent_name}"
                    ),
                )
                .at(span),
            );
            return Err(Stage::ReferenceNotParent);
        }
        let targets = self.ids.get(fragment).map(Vec::as_slice).unwrap_or(&[]);
        match targets {
            [] => {
                report.findings.push(
                    Finding::error(
                        FindingCode::ReferenceNotFound,
                        format!("no element has the referenced ID \"{fragment}\""),
                    )
                    .at(span),
                );
                Err(Stage::ReferenceNotFound)
            }
            [target] if *target == parent && parent_id == Some(fragment) => Ok(parent),
            [target] => {
                let (code, message) = if parent_id.is_none() {
                    (
                        FindingCode::SignedElementWithoutId,
                        format!(
                            "the signature's parent {parent_name} has no ID; the reference \
                             \"#{fragment}\" points at {} instead",
                            describe(*target)
                        ),
                    )
                } else {
                    (
                        FindingCode::ReferenceNotParent,
                        format!(
                            "the reference \"#{fragment}\" points at {} instead of the \
                             signature's own parent {parent_name} (ID \"{}\"); a signature counts \
                             only for the element it sits in",
                            describe(*target),
                            parent_id.unwrap_or("")
                        ),
                    )
                };
                report.findings.push(Finding::error(code, message).at(span));
                Err(Stage::ReferenceNotParent)
            }
            several => {
                let names = describe_some(several);
                report.findings.push(
                    Finding::error(
                        FindingCode::ReferenceAmbiguous,
                        format!(
                            "the referenced ID \"{fragment}\" is carried by {} elements ({}); \
                             which one was signed cannot be told",
                            several.len(),
                            names
                        ),
                    )
                    .at(span),
                );
                Err(Stage::ReferenceAmbiguous)
            }
        }
    }

    /// The PrefixList of an `InclusiveNamespaces` child, for exclusive canonicalization.
    /// `None` (with a finding) when the element is misplaced or malformed.
    fn inclusive_prefixes(
        &self,
        method_node: Node<'a, 'i>,
        method: C14nMethod,
        report: &mut SignatureReport,
    ) -> Option<Vec<&'a str>> {
        let mut prefixes = Vec::new();
        for (seen, child) in xml::element_children(method_node).enumerate() {
            let is_inclusive_namespaces =
                xml::is_element(child, EXC_C14N_NS, "InclusiveNamespaces");
            if !is_inclusive_namespaces || !method.is_exclusive() || seen > 0 {
                report.findings.push(
                    Finding::error(
                        FindingCode::InclusiveNamespacesInvalid,
                        format!(
                            "unexpected {} in {}; only one ec:InclusiveNamespaces, and only \
                             under exclusive canonicalization, is allowed",
                            describe(child),
                            describe(method_node)
                        ),
                    )
                    .at(child.range()),
                );
                return None;
            }
            let list = xml::plain_attribute(child, "PrefixList").map_or("", |attr| attr.value());
            for token in list.split_ascii_whitespace() {
                if token != "#default" && !is_ncname(token) {
                    report.findings.push(
                        Finding::error(
                            FindingCode::InclusiveNamespacesInvalid,
                            format!("\"{token}\" in PrefixList is not a namespace prefix"),
                        )
                        .at(child.range()),
                    );
                    return None;
                }
                prefixes.push(token);
            }
        }
        Some(prefixes)
    }

    fn signature_algorithm(
        &self,
        method: Node<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Option<SignatureAlgorithm> {
        let uri = report.algorithms.signature.clone().unwrap_or_default();
        let span = Span::from(method.range());
        let Some((algorithm, status)) = algorithms::signature_from_uri(&uri) else {
            report.findings.push(
                Finding::error(
                    FindingCode::UnsupportedAlgorithm,
                    format!("unsupported signature algorithm \"{uri}\""),
                )
                .at(span),
            );
            return None;
        };
        report.algorithms.signature_name = Some(algorithm.name());
        report.algorithms.parsed_signature = Some(algorithm);
        if status == UriStatus::NonStandard {
            report.findings.push(
                Finding::info(
                    FindingCode::NonStandardAlgorithmUri,
                    format!(
                        "the signature algorithm URI \"{uri}\" is not defined by any \
                         specification; samlkit reads it as {}",
                        algorithm.name()
                    ),
                )
                .at(span),
            );
        }
        for child in xml::element_children(method) {
            let pss_params = algorithm.family == SignatureFamily::RsaPss
                && xml::is_element(child, PSS_PARAMS_NS, "RSAPSSParams");
            if !pss_params {
                report.findings.push(
                    Finding::error(
                        FindingCode::MalformedSignature,
                        format!("unexpected {} inside <SignatureMethod>", describe(child)),
                    )
                    .at(child.range()),
                );
                return None;
            }
            // The PSS digest, when given, must be the one the URI names.
            let named_digest = xml::child_named(child, ns::DS, "DigestMethod")
                .and_then(algorithm_attribute)
                .map(|uri| algorithms::digest_from_uri(&uri).map(|(hash, _)| hash));
            if let Some(named) = named_digest {
                if named != Some(algorithm.hash) {
                    report.findings.push(
                        Finding::error(
                            FindingCode::UnsupportedAlgorithm,
                            "RSAPSSParams names a digest other than the signature algorithm's",
                        )
                        .at(child.range()),
                    );
                    return None;
                }
            }
        }
        match algorithm.family {
            SignatureFamily::Hmac => {
                report.findings.push(
                    Finding::error(
                        FindingCode::HmacRefused,
                        format!(
                            "the message is \"signed\" with {}, a shared-secret MAC; with a \
                             certificate as trust anchor that would let anyone who has the public \
                             certificate forge it, so it is refused",
                            algorithm.name()
                        ),
                    )
                    .at(span),
                );
                return None;
            }
            SignatureFamily::Dsa => report.findings.push(
                Finding::warning(
                    FindingCode::DsaDeprecated,
                    format!(
                        "{} is deprecated; ask the IdP for RSA or ECDSA",
                        algorithm.name()
                    ),
                )
                .at(span),
            ),
            _ => {}
        }
        if algorithm.hash.is_deprecated() {
            report.findings.push(
                Finding::warning(
                    FindingCode::Sha1Deprecated,
                    format!(
                        "the signature uses {} (SHA-1 is deprecated)",
                        algorithm.name()
                    ),
                )
                .at(span)
                .with_fix(
                    "switch the IdP to SHA-256 (Entra ID: Enterprise applications > your app > \
                     Single sign-on > SAML Certificates > Signing Algorithm: SHA-256)",
                ),
            );
        }
        Some(algorithm)
    }

    fn digest_algorithm(
        &self,
        method: Node<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Option<HashFunction> {
        let uri = report.algorithms.digest.clone().unwrap_or_default();
        let span = Span::from(method.range());
        let Some((hash, status)) = algorithms::digest_from_uri(&uri) else {
            report.findings.push(
                Finding::error(
                    FindingCode::UnsupportedAlgorithm,
                    format!("unsupported digest algorithm \"{uri}\""),
                )
                .at(span),
            );
            return None;
        };
        report.algorithms.digest_name = Some(hash.name().to_string());
        report.algorithms.parsed_digest = Some(hash);
        if status == UriStatus::NonStandard {
            report.findings.push(
                Finding::info(
                    FindingCode::NonStandardAlgorithmUri,
                    format!(
                        "the digest algorithm URI \"{uri}\" is not defined by any specification; \
                         samlkit reads it as {}",
                        hash.name()
                    ),
                )
                .at(span),
            );
        }
        if hash.is_deprecated() {
            report.findings.push(
                Finding::warning(
                    FindingCode::Sha1Deprecated,
                    "the reference digest is SHA-1 (deprecated)",
                )
                .at(span),
            );
        }
        if xml::element_children(method).next().is_some() {
            report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    "<DigestMethod> has unexpected child elements",
                )
                .at(span),
            );
            return None;
        }
        Some(hash)
    }

    /// Allowed: enveloped-signature, then at most one canonicalization. Returns the
    /// canonicalization for the reference (inclusive C14N 1.0 when none is named, as XML-DSig
    /// prescribes), its prefix list, and whether the enveloped transform is present.
    fn transforms(
        &self,
        transforms: &[Node<'a, 'i>],
        report: &mut SignatureReport,
    ) -> Option<(C14nMethod, Option<Vec<&'a str>>, bool)> {
        let mut enveloped = false;
        let mut canonicalization: Option<(C14nMethod, Option<Vec<&'a str>>)> = None;
        if transforms.len() > 2 {
            report.findings.push(
                Finding::error(
                    FindingCode::TooManyTransforms,
                    format!(
                        "the reference has {} transforms; SAML uses enveloped-signature and one \
                         canonicalization",
                        transforms.len()
                    ),
                )
                .at(transforms[0].range()),
            );
            return None;
        }
        for transform in transforms {
            if !xml::is_element(*transform, ns::DS, "Transform") {
                report.findings.push(
                    Finding::error(
                        FindingCode::MalformedSignature,
                        format!("unexpected {} inside <Transforms>", describe(*transform)),
                    )
                    .at(transform.range()),
                );
                return None;
            }
            let uri = algorithm_attribute(*transform).unwrap_or_default();
            if uri == ENVELOPED_SIGNATURE && !enveloped && canonicalization.is_none() {
                enveloped = true;
                if xml::element_children(*transform).next().is_some() {
                    report.findings.push(
                        Finding::error(
                            FindingCode::MalformedSignature,
                            "the enveloped-signature transform has unexpected content",
                        )
                        .at(transform.range()),
                    );
                    return None;
                }
                continue;
            }
            if let Some(method) = C14nMethod::from_uri(&uri) {
                if canonicalization.is_none() {
                    let prefixes = self.inclusive_prefixes(*transform, method, report);
                    // A same-document reference selects the node-set without comments even
                    // under a WithComments method (XML-DSig 4.3.3.3).
                    canonicalization = Some((method.without_comments(), prefixes));
                    continue;
                }
            }
            let message = if uri == ENVELOPED_SIGNATURE || C14nMethod::from_uri(&uri).is_some() {
                format!("the transform \"{uri}\" is repeated or out of order")
            } else {
                format!(
                    "the transform \"{uri}\" ({}) is not allowed; SAML signatures use only \
                     enveloped-signature and canonicalization (XPath/XSLT transforms can select \
                     or rewrite what is signed)",
                    transform_name(&uri)
                )
            };
            report.findings.push(
                Finding::error(FindingCode::TransformNotAllowed, message).at(transform.range()),
            );
            return None;
        }
        let (method, prefixes) =
            canonicalization.unwrap_or((C14nMethod::Inclusive10, Some(Vec::new())));
        Some((method, prefixes, enveloped))
    }

    /// Reads the certificates in `KeyInfo` into the report, marking the trusted ones.
    fn read_key_info(
        &self,
        key_info: Node<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Vec<Certificate> {
        let mut certificates = Vec::new();
        let cert_nodes = xml::children_named(key_info, ns::DS, "X509Data")
            .flat_map(|data| xml::children_named(data, ns::DS, "X509Certificate"));
        for cert_node in cert_nodes {
            let text = xml::text_content(cert_node);
            // Fast path: the certificate is byte-for-byte a trusted one.
            if let Ok(der) = certs::decode_base64_lenient(text.as_bytes()) {
                if let Some(anchor) = self.trust.anchor_with_certificate(&der) {
                    if let Some(cert) = self.trust.anchors()[anchor].certificate() {
                        report.keyinfo_certificates.push(KeyInfoCertificate {
                            facts: cert.facts().clone(),
                            trusted: true,
                            pem_wrapped: false,
                        });
                        certificates.push(cert.clone());
                        continue;
                    }
                }
            }
            match certs::read_key_material(text.as_bytes()) {
                Ok((materials, decoded)) => {
                    if decoded.pem_wrapped {
                        report.findings.push(
                            Finding::info(
                                FindingCode::KeyInfoPemWrapped,
                                "the <X509Certificate> in KeyInfo holds base64 of a whole PEM \
                                 file instead of the certificate's DER; samlkit unwrapped it",
                            )
                            .at(cert_node.range()),
                        );
                    }
                    for material in materials {
                        if let KeyMaterial::Certificate(cert) = material {
                            let trusted = self.trust.anchor_with_certificate(cert.der()).is_some()
                                || self.trust.fingerprint_matches(&cert.sha256());
                            report.keyinfo_certificates.push(KeyInfoCertificate {
                                facts: cert.facts().clone(),
                                trusted,
                                pem_wrapped: decoded.pem_wrapped,
                            });
                            certificates.push(cert);
                        }
                    }
                }
                Err(err) => report.findings.push(
                    Finding::warning(
                        FindingCode::KeyInfoCertificateUnreadable,
                        format!("the <X509Certificate> in KeyInfo cannot be read: {err}"),
                    )
                    .at(cert_node.range()),
                ),
            }
        }
        certificates
    }

    fn check_cryptography(
        &self,
        signature: Node<'a, 'i>,
        profiled: &Profiled<'a, 'i>,
        report: &mut SignatureReport,
    ) -> Result<(), Stage> {
        let message_certificates = match profiled.key_info {
            Some(key_info) => self.read_key_info(key_info, report),
            None => Vec::new(),
        };
        if self.trust.is_empty() {
            return Err(Stage::NoTrustConfigured);
        }

        let decode = |node: Node<'a, 'i>, what: &str, report: &mut SignatureReport| {
            let text = xml::text_content(node);
            certs::decode_base64_lenient(text.as_bytes()).map_err(|err| {
                report.findings.push(
                    Finding::error(
                        FindingCode::InvalidBase64,
                        format!("<{what}> is not valid base64: {err}"),
                    )
                    .at(node.range()),
                );
                Stage::MalformedStructure
            })
        };
        let expected_digest = decode(profiled.digest_value, "DigestValue", report)?;
        let signature_value = decode(profiled.signature_value, "SignatureValue", report)?;

        let digest_matches =
            self.reference_digest_matches(signature, profiled, &expected_digest, report)?;
        // Signature validation over the canonical SignedInfo.
        let canonical = canonical_signed_info(profiled, report)?;
        let candidates = self.candidates(&message_certificates);
        let algorithm = profiled.signature_algorithm;
        let mut verified_with = None;
        for candidate in &candidates {
            match verify_signature_value(algorithm, candidate.key, &canonical, &signature_value) {
                KeyCheck::Verified => {
                    verified_with = Some(candidate);
                    break;
                }
                KeyCheck::Mismatch => report.keys_tried.push(candidate.description.clone()),
                KeyCheck::WrongKeyType(kind) => report.keys_tried.push(format!(
                    "{} (a {kind} key cannot check an {} signature)",
                    candidate.description,
                    algorithm.name()
                )),
            }
        }

        let element = describe(profiled.target);
        let Some(candidate) = verified_with else {
            return Err(self.explain_failure(
                algorithm,
                &canonical,
                &signature_value,
                &message_certificates,
                digest_matches,
                &element,
                report,
                signature,
            ));
        };

        if !digest_matches {
            report.findings.push(
                Finding::error(
                    FindingCode::DigestMismatch,
                    format!(
                        "the {element} was modified after it was signed: its digest does not \
                         match the signed DigestValue (the signature itself is valid, made by {})",
                        candidate.description
                    ),
                )
                .at(profiled.target.range())
                .with_fix(
                    "use the message exactly as the IdP sent it (no re-indenting, no editing); \
                     if it was not edited, something between the IdP and here changed it",
                ),
            );
            return Err(Stage::DigestMismatch);
        }

        self.report_verified_key(signature, candidate, &message_certificates, report);
        Ok(())
    }

    /// Reference validation: whether the digest of the signed element, canonicalized from this
    /// tree straight into the digest (a signed aggregate of many megabytes is never copied
    /// whole), equals `DigestValue`.
    fn reference_digest_matches(
        &self,
        signature: Node<'a, 'i>,
        profiled: &Profiled<'a, 'i>,
        expected_digest: &[u8],
        report: &mut SignatureReport,
    ) -> Result<bool, Stage> {
        let reference_options = C14nOptions {
            method: profiled.reference_c14n,
            inclusive_prefixes: &profiled.reference_prefixes,
            exclude: profiled.enveloped.then(|| signature.id()),
        };
        let mut digester = Hasher::new(profiled.digest.message_digest()).ok();
        let canonicalized = canonicalize_subtree_in_pieces(
            profiled.target,
            &reference_options,
            DIGEST_CHUNK,
            &mut |piece| {
                if digester.as_mut().is_some_and(|d| d.update(piece).is_err()) {
                    digester = None;
                }
            },
        );
        if let Err(err) = canonicalized {
            report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    format!("the signed element cannot be canonicalized: {err}"),
                )
                .at(profiled.target.range()),
            );
            return Err(Stage::MalformedStructure);
        }
        Ok(digester
            .and_then(|mut d| d.finish().ok())
            .is_some_and(|actual| *actual == *expected_digest))
    }

    /// Records the key that verified the signature and what is worth saying about it: its
    /// certificate's facts (expiry, key size) and any untrusted certificate the message carries.
    fn report_verified_key(
        &self,
        signature: Node<'a, 'i>,
        candidate: &Candidate<'_>,
        message_certificates: &[Certificate],
        report: &mut SignatureReport,
    ) {
        report.verified_by = Some(KeyUsed {
            anchor: candidate.anchor,
            description: candidate.description.clone(),
        });
        // Facts about the key that verified: an expired certificate is a warning with its date.
        let certificate = match candidate.anchor {
            Some(anchor) => self.trust.anchors()[anchor].certificate(),
            None => message_certificates
                .iter()
                .find(|cert| cert.public_key().public_eq(candidate.key)),
        };
        if let Some(certificate) = certificate {
            let role = format!("signing certificate ({})", candidate.label);
            let findings = certificate
                .facts()
                .findings(self.options.now, &role)
                .into_iter()
                .map(|finding| finding.at(signature.range()));
            report.findings.extend(findings);
        } else if candidate.key.id() == Id::RSA && candidate.key.bits() < certs::MIN_RSA_BITS {
            report.findings.push(
                Finding::warning(
                    FindingCode::WeakRsaKey,
                    format!(
                        "the signing key ({}) is a {}-bit RSA key (under {} bits)",
                        candidate.description,
                        candidate.key.bits(),
                        certs::MIN_RSA_BITS
                    ),
                )
                .at(signature.range()),
            );
        }
        // A certificate in the message that is not the trusted one is worth a word.
        for carried in report
            .keyinfo_certificates
            .iter()
            .filter(|cert| !cert.trusted)
            .map(|cert| cert.facts.clone())
            .collect::<Vec<_>>()
        {
            report.findings.push(
                Finding::info(
                    FindingCode::KeyInfoCertificateNotTrusted,
                    format!(
                        "the message's KeyInfo carries {}, valid {} to {}, which is not a trusted \
                         certificate; it was ignored (the signature verified with {})",
                        carried.short_description(),
                        carried.not_before_utc,
                        carried.not_after_utc,
                        candidate.description
                    ),
                )
                .at(signature.range()),
            );
        }
    }

    /// Trusted keys to try, most likely first: the anchor whose certificate the message names,
    /// then every other anchor, then `KeyInfo` certificates that match a trusted fingerprint.
    fn candidates<'k>(&'k self, message_certificates: &'k [Certificate]) -> Vec<Candidate<'k>> {
        let anchors = self.trust.anchors();
        let mut order: Vec<usize> = message_certificates
            .iter()
            .filter_map(|cert| self.trust.anchor_with_certificate(cert.der()))
            .collect();
        order.dedup();
        let rest: Vec<usize> = (0..anchors.len())
            .filter(|index| !order.contains(index))
            .collect();
        order.extend(rest);
        let mut candidates: Vec<Candidate<'k>> = order
            .into_iter()
            .map(|index| Candidate {
                key: anchors[index].public_key(),
                anchor: Some(index),
                label: anchors[index].label().to_string(),
                description: anchors[index].description(),
            })
            .collect();
        for cert in message_certificates {
            if self.trust.anchor_with_certificate(cert.der()).is_none()
                && self.trust.fingerprint_matches(&cert.sha256())
            {
                candidates.push(Candidate {
                    key: cert.public_key(),
                    anchor: None,
                    label: "KeyInfo certificate matching a trusted fingerprint".to_string(),
                    description: format!(
                        "KeyInfo certificate matching a trusted fingerprint, {}",
                        cert.facts().short_description()
                    ),
                });
            }
        }
        candidates
    }

    /// No trusted key verified the signature value: find out whether an untrusted key did.
    #[allow(clippy::too_many_arguments)]
    fn explain_failure(
        &self,
        algorithm: SignatureAlgorithm,
        canonical_signed_info: &[u8],
        signature_value: &[u8],
        message_certificates: &[Certificate],
        digest_matches: bool,
        element: &str,
        report: &mut SignatureReport,
        signature: Node<'a, 'i>,
    ) -> Stage {
        let span = Span::from(signature.range());
        let trusted: Vec<String> = self
            .trust
            .summaries()
            .into_iter()
            .map(|summary| match summary.certificate {
                Some(facts) => format!(
                    "{} ({}, valid {} to {})",
                    summary.label,
                    facts.short_description(),
                    facts.not_before_utc,
                    facts.not_after_utc
                ),
                None => summary.label,
            })
            .collect();
        let untrusted_signer = message_certificates.iter().find(|cert| {
            self.trust.anchor_with_certificate(cert.der()).is_none()
                && !self.trust.fingerprint_matches(&cert.sha256())
                && verify_signature_value(
                    algorithm,
                    cert.public_key(),
                    canonical_signed_info,
                    signature_value,
                ) == KeyCheck::Verified
        });
        if let Some(signer) = untrusted_signer {
            let facts = signer.facts();
            report.findings.push(
                Finding::error(
                    FindingCode::UntrustedKey,
                    format!(
                        "the signature was made with the key of the certificate in the message's \
                         KeyInfo — {}, valid {} to {} — which is not trusted. Trusted: {}",
                        facts.short_description(),
                        facts.not_before_utc,
                        facts.not_after_utc,
                        trusted.join("; ")
                    ),
                )
                .at(span)
                .with_fix(
                    "if the IdP did not rotate its signing certificate, this message was signed \
                     by someone else and must be refused; if it did, give its current metadata \
                     or certificate",
                )
                .missing(MissingInput::IdpTrust),
            );
            if !digest_matches {
                report.findings.push(
                    Finding::error(
                        FindingCode::DigestMismatch,
                        format!("also, the {element} does not match its DigestValue"),
                    )
                    .at(span),
                );
            }
            return Stage::UntrustedKey;
        }
        let mut message = format!(
            "the signature value does not verify with any trusted key (tried: {})",
            report.keys_tried.join("; ")
        );
        let untrusted: Vec<String> = report
            .keyinfo_certificates
            .iter()
            .filter(|cert| !cert.trusted)
            .map(|cert| {
                format!(
                    "{}, valid {} to {}",
                    cert.facts.short_description(),
                    cert.facts.not_before_utc,
                    cert.facts.not_after_utc
                )
            })
            .collect();
        if !untrusted.is_empty() {
            message.push_str(&format!(
                "; the message's KeyInfo carries an untrusted certificate: {}",
                untrusted.join("; ")
            ));
        }
        if !digest_matches {
            message.push_str(&format!(
                "; the {element} does not match its DigestValue either"
            ));
        }
        report.findings.push(
            Finding::error(FindingCode::SignatureMismatch, message)
                .at(span)
                .with_fix(
                    "check that the configured IdP certificate is the one the IdP signs with now \
                     (Entra ID: Enterprise applications > your app > Single sign-on > SAML \
                     Certificates); a message edited after signing fails this way too",
                ),
        );
        if report.keyinfo_certificates.iter().any(|cert| !cert.trusted) {
            report.findings.push(
                Finding::warning(
                    FindingCode::KeyInfoCertificateNotTrusted,
                    format!(
                        "the message's KeyInfo names a certificate that is not trusted: {}. \
                         Trusted: {}",
                        untrusted.join("; "),
                        trusted.join("; ")
                    ),
                )
                .at(span),
            );
        }
        Stage::SignatureMismatch
    }
}

/// `SignedInfo` in canonical form, the bytes the signature value covers.
fn canonical_signed_info(
    profiled: &Profiled<'_, '_>,
    report: &mut SignatureReport,
) -> Result<Vec<u8>, Stage> {
    let mut canonical = Vec::with_capacity(profiled.signed_info.range().len());
    let signed_info_options = C14nOptions {
        method: profiled.canonicalization,
        inclusive_prefixes: &profiled.signed_info_prefixes,
        exclude: None,
    };
    if let Err(err) =
        canonicalize_subtree(profiled.signed_info, &signed_info_options, &mut canonical)
    {
        report.findings.push(
            Finding::error(
                FindingCode::MalformedSignature,
                format!("<SignedInfo> cannot be canonicalized: {err}"),
            )
            .at(profiled.signed_info.range()),
        );
        return Err(Stage::MalformedStructure);
    }
    Ok(canonical)
}

/// The children of `Signature`: one `SignedInfo`, one `SignatureValue`, at most one `KeyInfo`,
/// and nothing else (no `Object`, no `Manifest`). `None` when a required part is missing.
fn signature_parts<'a, 'i>(
    signature: Node<'a, 'i>,
    report: &mut SignatureReport,
) -> Option<SignatureParts<'a, 'i>> {
    let span = Span::from(signature.range());
    // Children of Signature: SignedInfo, SignatureValue, optional KeyInfo, nothing else.
    let mut signed_infos = Vec::new();
    let mut signature_values = Vec::new();
    let mut key_infos = Vec::new();
    for child in xml::element_children(signature) {
        let name = child.tag_name();
        match (name.namespace(), name.name()) {
            (Some(ns::DS), "SignedInfo") => signed_infos.push(child),
            (Some(ns::DS), "SignatureValue") => signature_values.push(child),
            (Some(ns::DS), "KeyInfo") => key_infos.push(child),
            (Some(ns::DS), "Object") => report.findings.push(
                Finding::error(
                    FindingCode::ObjectOrManifest,
                    "the signature carries a <ds:Object>; SAML signatures have none, and \
                     content hidden there is a known wrapping trick",
                )
                .at(child.range()),
            ),
            _ => report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    format!("unexpected {} inside <Signature>", describe(child)),
                )
                .at(child.range()),
            ),
        }
    }
    if signature
        .descendants()
        .any(|node| xml::is_element(node, ns::DS, "Manifest"))
    {
        report.findings.push(
            Finding::error(
                FindingCode::ObjectOrManifest,
                "the signature contains a <ds:Manifest>, whose references core validation \
                 does not check",
            )
            .at(span),
        );
    }
    let nested_signed_infos = signature
        .descendants()
        .filter(|node| xml::is_element(*node, ns::DS, "SignedInfo"))
        .count();
    match signed_infos.len() {
        0 => report.findings.push(
            Finding::error(
                FindingCode::MalformedSignature,
                "the signature has no <SignedInfo>",
            )
            .at(span),
        ),
        1 if nested_signed_infos == 1 => {}
        _ => report.findings.push(
            Finding::error(
                FindingCode::MultipleSignedInfo,
                format!(
                    "the signature contains {nested_signed_infos} <SignedInfo> elements; \
                     exactly one is allowed"
                ),
            )
            .at(span),
        ),
    }
    if signature_values.len() != 1 {
        report.findings.push(
            Finding::error(
                FindingCode::MalformedSignature,
                format!(
                    "the signature has {} <SignatureValue> elements; exactly one is required",
                    signature_values.len()
                ),
            )
            .at(span),
        );
    }
    if key_infos.len() > 1 {
        report.findings.push(
            Finding::error(
                FindingCode::MalformedSignature,
                "the signature has several <KeyInfo>",
            )
            .at(span),
        );
    }
    let (Some(&signed_info), Some(&signature_value)) =
        (signed_infos.first(), signature_values.first())
    else {
        return None;
    };
    Some(SignatureParts {
        signed_info,
        signature_value,
        key_info: key_infos.first().copied(),
    })
}

/// The children of `SignedInfo` (one `CanonicalizationMethod`, one `SignatureMethod`, exactly
/// one `Reference`) and of its `Reference`, each as found, missing or repeated.
fn signed_info_parts<'a, 'i>(
    signed_info: Node<'a, 'i>,
    report: &mut SignatureReport,
) -> SignedInfoParts<'a, 'i> {
    // SignedInfo: CanonicalizationMethod, SignatureMethod, exactly one Reference.
    let mut canonicalization_methods = Vec::new();
    let mut signature_methods = Vec::new();
    let mut references = Vec::new();
    for child in xml::element_children(signed_info) {
        let name = child.tag_name();
        match (name.namespace(), name.name()) {
            (Some(ns::DS), "CanonicalizationMethod") => canonicalization_methods.push(child),
            (Some(ns::DS), "SignatureMethod") => signature_methods.push(child),
            (Some(ns::DS), "Reference") => references.push(child),
            _ => report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    format!("unexpected {} inside <SignedInfo>", describe(child)),
                )
                .at(child.range()),
            ),
        }
    }
    for (found, what) in [
        (&canonicalization_methods, "<CanonicalizationMethod>"),
        (&signature_methods, "<SignatureMethod>"),
    ] {
        if found.len() != 1 {
            report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    format!(
                        "<SignedInfo> has {} {what} elements; exactly one is required",
                        found.len()
                    ),
                )
                .at(signed_info.range()),
            );
        }
    }
    match references.len() {
        1 => {}
        0 => report.findings.push(
            Finding::error(
                FindingCode::MalformedSignature,
                "<SignedInfo> has no <Reference>",
            )
            .at(signed_info.range()),
        ),
        count => report.findings.push(
            Finding::error(
                FindingCode::MultipleReferences,
                format!(
                    "<SignedInfo> has {count} references; a SAML signature has exactly one, \
                     to its own parent"
                ),
            )
            .at(signed_info.range()),
        ),
    }
    let reference = references.first().copied();
    let (transforms_elements, digest_methods, digest_values) = match reference {
        Some(reference) => reference_parts(reference, report),
        None => Default::default(),
    };
    SignedInfoParts {
        canonicalization_methods,
        signature_methods,
        reference,
        transforms_elements,
        digest_methods,
        digest_values,
    }
}

/// The children of a `Reference`: optional `Transforms`, one `DigestMethod`, one
/// `DigestValue`. Returns the transforms elements, digest methods and digest values found.
fn reference_parts<'a, 'i>(
    reference: Node<'a, 'i>,
    report: &mut SignatureReport,
) -> (Vec<Node<'a, 'i>>, Vec<Node<'a, 'i>>, Vec<Node<'a, 'i>>) {
    let mut transforms_elements = Vec::new();
    let mut digest_methods = Vec::new();
    let mut digest_values = Vec::new();
    for child in xml::element_children(reference) {
        let name = child.tag_name();
        match (name.namespace(), name.name()) {
            (Some(ns::DS), "Transforms") => transforms_elements.push(child),
            (Some(ns::DS), "DigestMethod") => digest_methods.push(child),
            (Some(ns::DS), "DigestValue") => digest_values.push(child),
            _ => report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    format!("unexpected {} inside <Reference>", describe(child)),
                )
                .at(child.range()),
            ),
        }
    }
    for (found, what) in [
        (&digest_methods, "<DigestMethod>"),
        (&digest_values, "<DigestValue>"),
    ] {
        if found.len() != 1 {
            report.findings.push(
                Finding::error(
                    FindingCode::MalformedSignature,
                    format!(
                        "<Reference> has {} {what} elements; exactly one is required",
                        found.len()
                    ),
                )
                .at(reference.range()),
            );
        }
    }
    if transforms_elements.len() > 1 {
        report.findings.push(
            Finding::error(
                FindingCode::MalformedSignature,
                "<Reference> has several <Transforms>",
            )
            .at(reference.range()),
        );
    }
    (transforms_elements, digest_methods, digest_values)
}

/// `DigestValue` and `SignatureValue` must be plain text: markup inside lets some libraries
/// read another value than the one checked (CVE-2025-29775).
fn check_value_markup(
    digest_values: &[Node<'_, '_>],
    signature_value: Node<'_, '_>,
    report: &mut SignatureReport,
) {
    for (node, what) in digest_values
        .iter()
        .map(|node| (*node, "DigestValue"))
        .chain(std::iter::once((signature_value, "SignatureValue")))
    {
        if node.children().any(|child| !child.is_text()) {
            report.findings.push(
                Finding::error(
                    FindingCode::MarkupInSignatureData,
                    format!(
                        "<{what}> contains a comment, processing instruction or element; \
                         its value must be plain base64 (CVE-2025-29775)"
                    ),
                )
                .at(node.range()),
            );
        }
    }
}

/// Records the algorithms and reference URI a signature names, even when its structure
/// already failed. Returns the transform elements, in order.
fn record_algorithms<'a, 'i>(
    found: &SignedInfoParts<'a, 'i>,
    report: &mut SignatureReport,
) -> Vec<Node<'a, 'i>> {
    // Record what the signature names, even when the structure already failed.
    report.algorithms.canonicalization = found
        .canonicalization_methods
        .first()
        .and_then(|node| algorithm_attribute(*node));
    report.algorithms.signature = found
        .signature_methods
        .first()
        .and_then(|node| algorithm_attribute(*node));
    report.algorithms.digest = found
        .digest_methods
        .first()
        .and_then(|node| algorithm_attribute(*node));
    let transform_nodes: Vec<Node<'a, 'i>> = found
        .transforms_elements
        .first()
        .map(|transforms| xml::element_children(*transforms).collect())
        .unwrap_or_default();
    report.algorithms.transforms = transform_nodes
        .iter()
        .map(|node| algorithm_attribute(*node).unwrap_or_default())
        .collect();
    report.reference_uri = found
        .reference
        .and_then(|node| xml::plain_attribute(node, "URI"))
        .map(|attr| attr.value().to_string());
    transform_nodes
}

fn algorithm_attribute(node: Node<'_, '_>) -> Option<String> {
    xml::plain_attribute(node, "Algorithm").map(|attr| attr.value().to_string())
}

fn transform_name(uri: &str) -> &'static str {
    match uri {
        "http://www.w3.org/TR/1999/REC-xpath-19991116" => "XPath",
        "http://www.w3.org/2002/06/xmldsig-filter2" => "XPath Filter 2.0",
        "http://www.w3.org/TR/1999/REC-xslt-19991116" => "XSLT",
        "http://www.w3.org/2000/09/xmldsig#base64" => "base64 decoding",
        _ => "unknown transform",
    }
}

/// An XML Name without a colon (a namespace prefix).
fn is_ncname(token: &str) -> bool {
    let mut chars = token.chars();
    chars
        .next()
        .is_some_and(|first| first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'))
}

/// How much canonical text is gathered before it is handed to the digest.
const DIGEST_CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyCheck {
    Verified,
    Mismatch,
    /// The key's type cannot check this algorithm (named for the message).
    WrongKeyType(&'static str),
}

fn key_kind(key: &PKeyRef<Public>) -> &'static str {
    match key.id() {
        Id::RSA => "RSA",
        Id::EC => "EC",
        Id::DSA => "DSA",
        _ => "non-RSA/EC/DSA",
    }
}

/// Checks an XML-DSig signature value over `data`. ECDSA and DSA values are the raw `r‖s`
/// pair XML-DSig prescribes and are converted to DER for OpenSSL.
pub(crate) fn verify_signature_value(
    algorithm: SignatureAlgorithm,
    key: &PKeyRef<Public>,
    data: &[u8],
    signature: &[u8],
) -> KeyCheck {
    let expected_key = match algorithm.family {
        SignatureFamily::RsaPkcs1 | SignatureFamily::RsaPss => Id::RSA,
        SignatureFamily::Ecdsa => Id::EC,
        SignatureFamily::Dsa => Id::DSA,
        SignatureFamily::Hmac => return KeyCheck::WrongKeyType(key_kind(key)),
    };
    if key.id() != expected_key {
        return KeyCheck::WrongKeyType(key_kind(key));
    }
    let der;
    let signature = match algorithm.family {
        SignatureFamily::Ecdsa | SignatureFamily::Dsa => {
            match raw_pair_to_der(algorithm.family, signature) {
                Some(encoded) => {
                    der = encoded;
                    der.as_slice()
                }
                None => return KeyCheck::Mismatch,
            }
        }
        _ => signature,
    };
    let check = || -> Result<bool, openssl::error::ErrorStack> {
        let mut verifier = Verifier::new(algorithm.hash.message_digest(), key)?;
        if algorithm.family == SignatureFamily::RsaPss {
            verifier.set_rsa_padding(Padding::PKCS1_PSS)?;
            verifier.set_rsa_mgf1_md(algorithm.hash.message_digest())?;
            verifier.set_rsa_pss_saltlen(RsaPssSaltlen::custom(PSS_SALT_LENGTH_AUTO))?;
        }
        verifier.update(data)?;
        verifier.verify(signature)
    };
    match check() {
        Ok(true) => KeyCheck::Verified,
        _ => KeyCheck::Mismatch,
    }
}

/// Converts XML-DSig's fixed-width `r‖s` into the DER `SEQUENCE { r, s }` OpenSSL verifies.
fn raw_pair_to_der(family: SignatureFamily, raw: &[u8]) -> Option<Vec<u8>> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) {
        return None;
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let r = BigNum::from_slice(r).ok()?;
    let s = BigNum::from_slice(s).ok()?;
    match family {
        SignatureFamily::Ecdsa => EcdsaSig::from_private_components(r, s).ok()?.to_der().ok(),
        SignatureFamily::Dsa => DsaSig::from_private_components(r, s).ok()?.to_der().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookalike_namespaces_are_spotted() {
        assert_eq!(imitated_namespace(ns::SAML), None);
        assert_eq!(
            imitated_namespace("urn:oasis:names:tc:SAML:2.0:assertion "),
            Some(ns::SAML)
        );
        assert_eq!(
            imitated_namespace("urn:oasis:names:tc:SAML:2.0:assertiom"),
            Some(ns::SAML)
        );
        assert_eq!(
            imitated_namespace("https://www.w3.org/2000/09/xmldsig#"),
            Some(ns::DS)
        );
        assert_eq!(
            imitated_namespace("urn:oasis:names:tc:SAML:2.0:assertion:evil"),
            Some(ns::SAML)
        );
        assert_eq!(
            imitated_namespace("http://www.w3.org/2001/10/xml-exc-c14n#"),
            None
        );
        assert_eq!(
            imitated_namespace("urn:oasis:names:tc:SAML:1.0:assertion"),
            None
        );
        assert_eq!(
            imitated_namespace("http://www.w3.org/2001/04/xmlenc#"),
            None
        );
    }

    #[test]
    fn ncnames() {
        assert!(is_ncname("ds"));
        assert!(is_ncname("_x-1.y"));
        assert!(!is_ncname("a:b"));
        assert!(!is_ncname("1a"));
    }
}
