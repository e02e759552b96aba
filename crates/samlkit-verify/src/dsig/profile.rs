//! SAML's narrow profile of XML-DSig, checked before any cryptography: the signature's place,
//! its parts (one `SignedInfo`, one `Reference`, one `DigestValue`), the reference to its own
//! parent, and the algorithms and transforms it names.

use roxmltree::Node;
use samlkit_parse::xml::{self, ns};

use crate::algorithms::{HashFunction, SignatureAlgorithm};
use crate::c14n::C14nMethod;
use crate::report::{Finding, FindingCode, Severity, SignatureReport, Span, Stage};

use super::algorithm_checks::AlgorithmElements;
use super::placement::{
    describe, describe_some, element_id, id_attribute_name, saml_element, well_placed, SamlElement,
};
use super::Context;

/// The parts of a signature that passed the structural profile.
pub(super) struct Profiled<'a, 'i> {
    pub(super) signed_info: Node<'a, 'i>,
    pub(super) canonicalization: C14nMethod,
    pub(super) signed_info_prefixes: Vec<&'a str>,
    pub(super) signature_algorithm: SignatureAlgorithm,
    pub(super) digest: HashFunction,
    pub(super) reference_c14n: C14nMethod,
    pub(super) reference_prefixes: Vec<&'a str>,
    pub(super) enveloped: bool,
    pub(super) digest_value: Node<'a, 'i>,
    pub(super) signature_value: Node<'a, 'i>,
    pub(super) key_info: Option<Node<'a, 'i>>,
    pub(super) target: Node<'a, 'i>,
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

impl<'a, 'i> Context<'_, 'a, 'i> {
    /// Holds the signature to SAML's profile. Every violation becomes a finding; the first
    /// failing stage is returned.
    pub(super) fn profile(
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
        let sibling_signatures = self.signatures_under(parent);
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
        let parent_id = element_id(parent);
        let Some(fragment) = uri.and_then(|uri| uri.strip_prefix('#')) else {
            let (code, message) = match uri {
                None | Some("") => {
                    return whole_document_reference(
                        uri.is_none(),
                        parent,
                        parent_name,
                        span,
                        report,
                    );
                }
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
        let targets = self.ids.get(fragment);
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
}

/// A reference to the whole document (`URI=""` or no URI). It selects the document element, so
/// it signs exactly the signature's parent when that parent is the document element and an
/// element SAML signs as a whole message: then it is accepted with a note. Anywhere else it
/// covers more than the element the signature sits in, and is refused.
fn whole_document_reference<'a, 'i>(
    uri_absent: bool,
    parent: Node<'a, 'i>,
    parent_name: &str,
    span: Span,
    report: &mut SignatureReport,
) -> Result<Node<'a, 'i>, Stage> {
    let written = if uri_absent {
        "has no URI attribute".to_string()
    } else {
        "has URI=\"\"".to_string()
    };
    let id_name = id_attribute_name(parent);
    let wanted = match element_id(parent) {
        Some(id) => format!("URI=\"#{id}\""),
        None => format!("an {id_name} attribute on {parent_name} and URI=\"#\" + that {id_name}"),
    };
    let is_root = parent.parent_element().is_none();
    let signs_whole_message = matches!(
        saml_element(parent),
        Some(
            SamlElement::EntitiesDescriptor
                | SamlElement::EntityDescriptor
                | SamlElement::Response
                | SamlElement::Assertion
        )
    ) || xml::is_element(parent, ns::SAML1P, "Request");
    if is_root && signs_whole_message {
        report.findings.push(
            Finding::info(
                FindingCode::ReferenceWholeDocument,
                format!(
                    "the reference {written}, which signs the whole document; the document is \
                     {parent_name}, the element the signature sits in, so it is accepted. SAML \
                     asks for {wanted}"
                ),
            )
            .at(span),
        );
        return Ok(parent);
    }
    let why = if is_root {
        format!("{parent_name} is not an element SAML signs as a whole message")
    } else {
        format!(
            "the signature sits in {parent_name}, not in the document element, so the reference \
             covers more than the element it belongs to"
        )
    };
    report.findings.push(
        Finding::error(
            FindingCode::ReferenceWholeDocument,
            format!(
                "the reference {written}, which signs the whole document, and {why}; samlkit \
                 requires {wanted}"
            ),
        )
        .at(span),
    );
    Err(Stage::ReferenceNotParent)
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
    check_schema_order(
        signature,
        &["SignedInfo", "SignatureValue", "KeyInfo", "Object"],
        report,
    );
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
    // Count only this signature's own SignedInfo elements: a nested signature (of an assertion
    // smuggled into KeyInfo or Object) has its own, reported on its own.
    let nested_signed_infos = signature
        .descendants()
        .filter(|node| {
            xml::is_element(*node, ns::DS, "SignedInfo")
                && node
                    .ancestors()
                    .skip(1)
                    .find(|ancestor| xml::is_element(*ancestor, ns::DS, "Signature"))
                    == Some(signature)
        })
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

/// Reports children of `parent` that come before one they must follow: XML-DSig's schema fixes
/// the order (`SignedInfo`, `SignatureValue`, `KeyInfo`, `Object`; `CanonicalizationMethod`,
/// `SignatureMethod`, `Reference`), schema-validating verifiers such as xmlsec1 refuse any
/// other, and a signature that one verifier accepts and another refuses is a gap to probe.
/// `order` lists the local names in the ds namespace; other children are reported elsewhere.
fn check_schema_order(parent: Node<'_, '_>, order: &[&str], report: &mut SignatureReport) {
    let mut latest: Option<(usize, &str)> = None;
    for child in xml::element_children(parent) {
        let name = child.tag_name();
        if name.namespace() != Some(ns::DS) {
            continue;
        }
        let Some(rank) = order.iter().position(|local| *local == name.name()) else {
            continue;
        };
        match latest {
            Some((latest_rank, latest_name)) if rank < latest_rank => {
                report.findings.push(
                    Finding::error(
                        FindingCode::MalformedSignature,
                        format!(
                            "<{}> comes after <{latest_name}> inside <{}>; XML-DSig requires \
                             the order {}",
                            name.name(),
                            parent.tag_name().name(),
                            order
                                .iter()
                                .map(|local| format!("<{local}>"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .at(child.range()),
                );
                return;
            }
            _ => latest = Some((rank, name.name())),
        }
    }
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
    check_schema_order(
        signed_info,
        &["CanonicalizationMethod", "SignatureMethod", "Reference"],
        report,
    );
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

pub(super) fn algorithm_attribute(node: Node<'_, '_>) -> Option<String> {
    xml::plain_attribute(node, "Algorithm").map(|attr| attr.value().to_string())
}
