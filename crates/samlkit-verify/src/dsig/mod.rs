//! XML-DSig core validation over the parsed tree, held to the narrow profile SAML needs.
//!
//! A signature counts only when it has exactly one `SignedInfo`, one `Reference` and one
//! `DigestValue`; the reference is `#` + the ID of the signature's own parent (or the whole
//! document, when that parent is the document element and SAML signs it); that ID occurs
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

use roxmltree::{Document, Node, NodeId};
use samlkit_parse::xml::{self, ns};

use crate::report::{
    ElementCoverage, Finding, FindingCode, MissingInput, Severity, SignatureAlgorithms,
    SignatureOutcome, SignatureReport, Verdict, VerificationReport,
};
use crate::trust::TrustStore;

use placement::{
    advice_owner, describe, describe_some, element_ref, imitated_namespace, is_assertion,
    is_response, is_saml_namespace, misplaced_link, saml_element,
};

mod algorithm_checks;
mod alteration;
mod crypto;
mod placement;
mod profile;

pub(crate) use crypto::{verify_signature_value, KeyCheck};

/// Namespace of exclusive canonicalization's `InclusiveNamespaces`.
const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

/// Namespace of RFC 6931's `RSAPSSParams`.
const PSS_PARAMS_NS: &str = "http://www.w3.org/2007/05/xmldsig-more#";

/// OpenSSL's RSA_PSS_SALTLEN_AUTO: on verification, accept whatever salt length the signer
/// chose. RFC 6931 defaults to the hash length, but widely used signers (Node's crypto) use the
/// maximum; the salt length does not weaken verification.
const PSS_SALT_LENGTH_AUTO: i32 = -2;

/// Attributes that identify elements: SAML 2.0's `ID`, plus `Id` (XML-DSig, WS-*) and SAML
/// 1.x's `AssertionID`, `ResponseID` and `RequestID`, so that a duplicate in any of them makes
/// a reference ambiguous.
const ID_ATTRIBUTES: [&str; 5] = ["ID", "Id", "AssertionID", "ResponseID", "RequestID"];

/// Why a `ds:Signature` is out of the place SAML's profile gives signatures, or `None` when it
/// sits directly in an element SAML signs and that element is where SAML puts it. For display
/// (`inspect`), without any cryptography; verification reports the same shapes as findings.
pub fn signature_misplacement(signature: Node<'_, '_>) -> Option<String> {
    let Some(parent) = signature.parent_element() else {
        return Some("it is the document element; SAML signs a message or metadata".into());
    };
    if saml_element(parent).is_none() {
        return Some(format!(
            "it sits in {}, which SAML does not sign: nothing an SP reads is covered",
            describe(parent)
        ));
    }
    let link = misplaced_link(parent)?;
    let place = |element: Node<'_, '_>| {
        element
            .parent_element()
            .map_or_else(|| "the document".to_string(), describe)
    };
    Some(if link == parent {
        format!(
            "the signed {} sits inside {}, where SAML never puts one (signature wrapping)",
            describe(parent),
            place(parent)
        )
    } else {
        format!(
            "the signed {} is inside {}, which sits inside {}, where SAML never puts one \
             (signature wrapping)",
            describe(parent),
            describe(link),
            place(link)
        )
    })
}

/// Inputs to verification besides the document and the trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The time certificates are judged at, in unix seconds. Never read from the clock here.
    pub now: i64,
}

/// Every value of an ID-like attribute with the element carrying it, sorted by value (the
/// elements of one value in document order): a reference is resolved by binary search, and
/// the elements sharing a value sit side by side.
#[derive(Default)]
struct IdIndex<'a, 'i> {
    values: Vec<&'a str>,
    nodes: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> IdIndex<'a, 'i> {
    /// From the (value, element) pairs in document order.
    fn new(mut entries: Vec<(&'a str, Node<'a, 'i>)>) -> Self {
        // Stable: the elements of one value stay in document order.
        entries.sort_by(|a, b| a.0.cmp(b.0));
        // One element with both `ID` and `Id` of the same value is still one element.
        entries.dedup_by(|later, earlier| later.0 == earlier.0 && later.1 == earlier.1);
        let (values, nodes) = entries.into_iter().unzip();
        IdIndex { values, nodes }
    }

    /// The elements carrying `value`, in document order.
    fn get(&self, value: &str) -> &[Node<'a, 'i>] {
        let start = self.values.partition_point(|known| *known < value);
        let len = self.values[start..].partition_point(|known| *known == value);
        &self.nodes[start..start + len]
    }

    /// Each value carried by several elements, with those elements.
    fn shared(&self) -> impl Iterator<Item = (&'a str, &[Node<'a, 'i>])> + '_ {
        let mut start = 0;
        std::iter::from_fn(move || {
            while start < self.values.len() {
                let value = self.values[start];
                let len = self.values[start..].partition_point(|known| *known == value);
                let group = &self.nodes[start..start + len];
                start += len;
                if len > 1 {
                    return Some((value, group));
                }
            }
            None
        })
    }
}

/// What verification needs to know of the whole document, found in one walk over it.
#[derive(Default)]
struct DocumentScan<'a, 'i> {
    ids: IdIndex<'a, 'i>,
    /// Every `ds:Signature`, in document order.
    signatures: Vec<Node<'a, 'i>>,
    /// Every SAML Response (2.0 or 1.x), in document order.
    responses: Vec<Node<'a, 'i>>,
    /// The SAML elements whose coverage the report lists, in document order.
    elements: Vec<ElementCoverage>,
    /// Look-alike namespaces, SAML elements out of place, text split by comments.
    findings: Vec<Finding>,
}

impl<'a, 'i> DocumentScan<'a, 'i> {
    fn of(document: &'a Document<'i>) -> Self {
        // The (value, element) pairs in document order; indexed once the walk is done.
        let mut ids = Vec::new();
        let mut scan = DocumentScan::default();
        let mut namespaces_checked: HashSet<&str> = HashSet::new();
        for node in document.descendants().filter(|node| node.is_element()) {
            for attr in node.attributes() {
                if attr.namespace().is_none() && ID_ATTRIBUTES.contains(&attr.name()) {
                    ids.push((attr.value(), node));
                }
            }
            if xml::is_element(node, ns::DS, "Signature") {
                scan.signatures.push(node);
            } else if is_response(node) {
                scan.responses.push(node);
            }
            scan.element(node, &mut namespaces_checked);
        }
        scan.ids = IdIndex::new(ids);
        scan
    }

    /// One element's look-alike namespace, misplacement and split text; records it when it is
    /// a SAML element.
    fn element(&mut self, node: Node<'a, 'i>, namespaces_checked: &mut HashSet<&'a str>) {
        // Most elements share their parent's namespace; look only where it changes, and only
        // once per namespace that is not one of SAML's own.
        let namespace = node.tag_name().namespace();
        let same_as_parent = node
            .parent_element()
            .is_some_and(|parent| parent.tag_name().namespace() == namespace);
        if let (Some(uri), false) = (namespace, same_as_parent) {
            if !is_saml_namespace(uri) && namespaces_checked.insert(uri) {
                if let Some(guarded) = imitated_namespace(uri) {
                    self.findings.push(
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
            if let Some(finding) = misplacement_finding(node) {
                self.findings.push(finding);
            }
            self.elements.push(ElementCoverage {
                element: element_ref(node),
                covered_by: Vec::new(),
                node: node.id(),
            });
        }
        if has_text_split_by_markup(node) {
            self.findings.push(
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
}

/// The SAML elements verified signatures cover: their node IDs in document order (nodes are
/// numbered in document order), searched by halves.
struct Covered(Vec<NodeId>);

impl Covered {
    fn contains(&self, node: Node<'_, '_>) -> bool {
        let position = node.id().get_usize();
        self.0
            .binary_search_by_key(&position, |id| id.get_usize())
            .is_ok()
    }
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
    let scan = DocumentScan::of(document);
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

    duplicate_id_findings(&scan.ids, &mut findings);
    let DocumentScan {
        ids,
        signatures: signature_nodes,
        responses,
        mut elements,
        findings: scan_findings,
    } = scan;
    findings.extend(scan_findings);
    let signatures = check_signatures(&signature_nodes, trust, &ids, options, known);
    mark_coverage(document, &mut elements, &signatures);
    let covered = Covered(
        elements
            .iter()
            .filter(|entry| entry.is_covered())
            .map(|entry| entry.node)
            .collect(),
    );
    unsigned_assertion_findings(&responses, &covered, &mut findings);
    advice_findings(document, &covered, &mut findings);
    if !trust.is_empty() && signatures.is_empty() {
        findings.push(
            Finding::error(
                FindingCode::NotSigned,
                format!(
                    "{} carries no signature at all, so nothing in it can be trusted",
                    describe(document.root_element())
                ),
            )
            .with_fix("make the IdP sign the response or the assertion"),
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
fn duplicate_id_findings(ids: &IdIndex<'_, '_>, findings: &mut Vec<Finding>) {
    let mut duplicates: Vec<(&str, &[Node<'_, '_>])> = ids.shared().collect();
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

/// The finding for a SAML element that is not where SAML puts it, naming the link that breaks:
/// the element itself, or the ancestor it was moved along with (XSW1 hides a whole Response in
/// another's signature, so the assertion's own parent is a proper Response).
fn misplacement_finding(node: Node<'_, '_>) -> Option<Finding> {
    let link = misplaced_link(node)?;
    let place = |element: Node<'_, '_>| {
        element
            .parent_element()
            .map_or_else(|| "the document".to_string(), describe)
    };
    let message = if link == node {
        format!(
            "{} sits inside {}, where SAML never puts one; moving signed elements into such \
             places is how signature-wrapping attacks hide them",
            describe(node),
            place(node)
        )
    } else {
        format!(
            "{} sits inside {}, which itself sits inside {}, where SAML never puts one; moving \
             signed elements into such places is how signature-wrapping attacks hide them",
            describe(node),
            place(node),
            place(link)
        )
    };
    Some(Finding::error(FindingCode::ElementMisplaced, message).at(node.range()))
}

/// Checks every `ds:Signature` of the document (or takes its outcome from `known`).
fn check_signatures<'a, 'i>(
    signature_nodes: &[Node<'a, 'i>],
    trust: &TrustStore,
    ids: &IdIndex<'a, 'i>,
    options: &VerifyOptions,
    known: &dyn Fn(usize, Node<'a, 'i>) -> Option<SignatureReport>,
) -> Vec<SignatureReport> {
    let mut signature_parents: Vec<usize> = signature_nodes
        .iter()
        .filter_map(|node| node.parent_element())
        .map(|parent| parent.id().get_usize())
        .collect();
    signature_parents.sort_unstable();
    let context = Context {
        trust,
        ids,
        options,
        signature_parents: &signature_parents,
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
    responses: &[Node<'_, '_>],
    covered: &Covered,
    findings: &mut Vec<Finding>,
) {
    for &response in responses {
        let assertions: Vec<Node<'_, '_>> = xml::element_children(response)
            .filter(|node| is_assertion(*node))
            .collect();
        let uncovered = assertions
            .iter()
            .filter(|node| !covered.contains(**node))
            .count();
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

/// A verified assertion nested in the Advice of an assertion no signature covers: the signed
/// one lends its weight to claims the IdP never signed.
fn advice_findings(document: &Document<'_>, covered: &Covered, findings: &mut Vec<Finding>) {
    // The few covered elements, in document order.
    for node in covered.0.iter().filter_map(|id| document.get_node(*id)) {
        let Some(owner) = advice_owner(node) else {
            continue;
        };
        if covered.contains(owner) {
            continue;
        }
        findings.push(
            Finding::error(
                FindingCode::SignedAssertionInUnsignedAdvice,
                format!(
                    "the signed {} sits in the <Advice> of {}, which no verified signature \
                     covers; the claims an SP reads are the outer assertion's, and the IdP \
                     never signed them",
                    describe(node),
                    describe(owner)
                ),
            )
            .at(owner.range()),
        );
    }
}

/// Whether the message is covered, or (a Response wrapped in an ArtifactResponse, or a
/// Response whose own signature is absent) every assertion it carries is.
fn message_verified(document: &Document<'_>, covered: &Covered) -> bool {
    let covered = |node: Node<'_, '_>| covered.contains(node);
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
            if is_response(current) {
                let assertions: Vec<Node<'_, '_>> = xml::element_children(current)
                    .filter(|node| is_assertion(*node))
                    .collect();
                return !assertions.is_empty() && assertions.iter().all(|node| covered(*node));
            }
            if let Some(token) = wsfed_token(current) {
                return covered(token);
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

/// The assertion a WS-Federation sign-in response carries: `RequestSecurityTokenResponse`
/// (alone or first in a collection) > `RequestedSecurityToken` > one Assertion.
fn wsfed_token<'a, 'i>(message: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let namespace = message.tag_name().namespace()?;
    let trust_ns = [ns::WST, ns::WST13]
        .into_iter()
        .find(|known| *known == namespace)?;
    let rstr = match message.tag_name().name() {
        "RequestSecurityTokenResponse" => message,
        "RequestSecurityTokenResponseCollection" => {
            let mut responses =
                xml::children_named(message, trust_ns, "RequestSecurityTokenResponse");
            let first = responses.next()?;
            if responses.next().is_some() {
                return None;
            }
            first
        }
        _ => return None,
    };
    let slot = xml::child_named(rstr, trust_ns, "RequestedSecurityToken")?;
    let mut tokens = xml::element_children(slot);
    let token = tokens.next().filter(|node| is_assertion(*node))?;
    tokens.next().is_none().then_some(token)
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
    ids: &'c IdIndex<'a, 'i>,
    options: &'c VerifyOptions,
    /// The parent of every ds:Signature, sorted, listed once per signature: counted by
    /// binary search, so many signatures under one parent do not cost quadratic time.
    signature_parents: &'c [usize],
}

impl Context<'_, '_, '_> {
    /// How many ds:Signature children `parent` has.
    fn signatures_under(&self, parent: Node<'_, '_>) -> usize {
        let id = parent.id().get_usize();
        let start = self.signature_parents.partition_point(|known| *known < id);
        self.signature_parents[start..].partition_point(|known| *known == id)
    }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_index_finds_every_carrier_in_document_order_and_each_element_once() {
        let text = r#"<r ID="b"><a ID="a" Id="a"/><c Id="b"/><d AssertionID="c"/><e ResponseID="b"/><f x:ID="z" xmlns:x="urn:x"/></r>"#;
        let document = roxmltree::Document::parse(text).unwrap();
        let scan = DocumentScan::of(&document);
        let names = |nodes: &[Node<'_, '_>]| -> Vec<String> {
            nodes
                .iter()
                .map(|node| node.tag_name().name().to_string())
                .collect()
        };
        assert_eq!(names(scan.ids.get("a")), ["a"]);
        assert_eq!(names(scan.ids.get("b")), ["r", "c", "e"]);
        assert_eq!(names(scan.ids.get("c")), ["d"]);
        assert!(scan.ids.get("z").is_empty(), "a namespaced ID is not an ID");
        assert!(scan.ids.get("").is_empty());
        assert!(scan.ids.get("bb").is_empty());
        let shared: Vec<(&str, Vec<String>)> = scan
            .ids
            .shared()
            .map(|(value, nodes)| (value, names(nodes)))
            .collect();
        assert_eq!(
            shared,
            [("b", vec!["r".to_string(), "c".into(), "e".into()])]
        );
    }
}
