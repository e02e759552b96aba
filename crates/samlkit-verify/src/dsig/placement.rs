//! Where SAML puts its elements, and how to name them in findings: which elements SAML
//! signs, whether one sits where SAML puts it, and namespaces that imitate SAML's or
//! XML-DSig's.

use roxmltree::Node;
use samlkit_parse::xml::{self, ns};

use crate::report::ElementRef;

/// The kinds of element a SAML signature may sit in, and where each may occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SamlElement {
    /// SAML 2.0 `samlp:Response` or SAML 1.x `samlp:Response`.
    Response,
    /// SAML 2.0 `saml:Assertion` or SAML 1.x `saml:Assertion`.
    Assertion,
    EntityDescriptor,
    EntitiesDescriptor,
    /// LogoutRequest, LogoutResponse, AuthnRequest, ArtifactResolve, ArtifactResponse, and
    /// SAML 1.x's Request: top-level protocol messages.
    Request,
}

pub(super) fn saml_element(node: Node<'_, '_>) -> Option<SamlElement> {
    if !node.is_element() {
        return None;
    }
    let name = node.tag_name();
    match (name.namespace()?, name.name()) {
        (ns::SAMLP | ns::SAML1P, "Response") => Some(SamlElement::Response),
        (ns::SAML | ns::SAML1, "Assertion") => Some(SamlElement::Assertion),
        (ns::MD, "EntityDescriptor") => Some(SamlElement::EntityDescriptor),
        (ns::MD, "EntitiesDescriptor") => Some(SamlElement::EntitiesDescriptor),
        (
            ns::SAMLP,
            "LogoutRequest" | "LogoutResponse" | "AuthnRequest" | "ArtifactResolve"
            | "ArtifactResponse",
        )
        | (ns::SAML1P, "Request") => Some(SamlElement::Request),
        _ => None,
    }
}

/// The attribute that carries an element's ID: SAML 1.x names it after the element
/// (`AssertionID`, `ResponseID`, `RequestID`), SAML 2.0 and metadata use `ID`.
pub(super) fn id_attribute_name(node: Node<'_, '_>) -> &'static str {
    let name = node.tag_name();
    match (name.namespace(), name.name()) {
        (Some(ns::SAML1), "Assertion") => "AssertionID",
        (Some(ns::SAML1P), "Response") => "ResponseID",
        (Some(ns::SAML1P), "Request") => "RequestID",
        _ => "ID",
    }
}

/// The ID of a SAML element, read from the attribute its version uses.
pub(super) fn element_id<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    xml::plain_attribute(node, id_attribute_name(node)).map(|attr| attr.value())
}

/// True for a SAML 2.0 or 1.x Response.
pub(super) fn is_response(node: Node<'_, '_>) -> bool {
    xml::is_element(node, ns::SAMLP, "Response") || xml::is_element(node, ns::SAML1P, "Response")
}

/// True for a SAML 2.0 or 1.x Assertion.
pub(super) fn is_assertion(node: Node<'_, '_>) -> bool {
    xml::is_element(node, ns::SAML, "Assertion") || xml::is_element(node, ns::SAML1, "Assertion")
}

/// True for WS-Trust's `RequestedSecurityToken`, where a WS-Federation sign-in response
/// carries its assertion.
fn is_requested_security_token(node: Node<'_, '_>) -> bool {
    xml::is_element(node, ns::WST, "RequestedSecurityToken")
        || xml::is_element(node, ns::WST13, "RequestedSecurityToken")
}

/// True when `node` is a `RequestedSecurityToken` placed as WS-Federation puts it: in a
/// `RequestSecurityTokenResponse` that is the document element or sits in a
/// `RequestSecurityTokenResponseCollection` that is.
fn is_wsfed_token_slot(node: Node<'_, '_>) -> bool {
    let is_named = |node: Node<'_, '_>, local: &str| {
        xml::is_element(node, ns::WST, local) || xml::is_element(node, ns::WST13, local)
    };
    if !is_requested_security_token(node) {
        return false;
    }
    let Some(rstr) = node.parent_element() else {
        return false;
    };
    if !is_named(rstr, "RequestSecurityTokenResponse") {
        return false;
    }
    match rstr.parent_element() {
        None => true,
        Some(collection) => {
            is_named(collection, "RequestSecurityTokenResponseCollection")
                && collection.parent_element().is_none()
        }
    }
}

/// True when `node` sits where SAML puts an element of its kind, all the way up to the
/// document element (SOAP Body and ArtifactResponse wrappers allowed).
pub(super) fn well_placed(node: Node<'_, '_>) -> bool {
    misplaced_link(node).is_none()
}

/// Where the chain from `node` up to the document element breaks: the element that is not
/// where SAML puts one of its kind (`node` itself or a SAML ancestor it depends on). `None`
/// when every link is in place.
pub(super) fn misplaced_link<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let mut current = node;
    loop {
        let Some(kind) = saml_element(current) else {
            return Some(current);
        };
        // Reaching the document element with every link in place: nothing is misplaced.
        let parent = current.parent_element()?;
        let is_soap_body = xml::is_element(parent, ns::SOAP11, "Body")
            && parent.parent_element().is_some_and(|envelope| {
                xml::is_element(envelope, ns::SOAP11, "Envelope")
                    && envelope.parent_element().is_none()
            });
        let next = match kind {
            SamlElement::Response | SamlElement::Request => {
                if is_soap_body {
                    return None;
                }
                // A Response may travel inside an ArtifactResponse, itself a top-level message.
                if kind == SamlElement::Response
                    && xml::is_element(current, ns::SAMLP, "Response")
                    && xml::is_element(parent, ns::SAMLP, "ArtifactResponse")
                {
                    parent
                } else {
                    return Some(current);
                }
            }
            SamlElement::Assertion => {
                let saml1 = xml::is_element(current, ns::SAML1, "Assertion");
                let (response_ns, advice_ns) = if saml1 {
                    (ns::SAML1P, ns::SAML1)
                } else {
                    (ns::SAMLP, ns::SAML)
                };
                if xml::is_element(parent, response_ns, "Response") {
                    parent
                } else if xml::is_element(parent, advice_ns, "Advice") {
                    // Advice may carry assertions; it must itself be a child of an assertion.
                    match parent.parent_element() {
                        Some(owner) if xml::is_element(owner, advice_ns, "Assertion") => owner,
                        _ => return Some(current),
                    }
                } else if is_soap_body || is_wsfed_token_slot(parent) {
                    return None;
                } else {
                    return Some(current);
                }
            }
            SamlElement::EntityDescriptor | SamlElement::EntitiesDescriptor => {
                if xml::is_element(parent, ns::MD, "EntitiesDescriptor") {
                    parent
                } else {
                    return Some(current);
                }
            }
        };
        current = next;
    }
}

/// The advice-carrying assertion `node` is nested in, if it sits in some assertion's Advice:
/// an assertion signed by the IdP can be copied into an attacker's Advice to lend it weight.
pub(super) fn advice_owner<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let parent = node.parent_element()?;
    if parent.tag_name().name() != "Advice" || !is_assertion(node) {
        return None;
    }
    parent.parent_element().filter(|owner| is_assertion(*owner))
}

/// Namespaces an attacker may imitate, and the normalisation used to spot an imitation.
const GUARDED_NAMESPACES: [&str; 4] = [ns::SAML, ns::SAMLP, ns::MD, ns::DS];

/// Real namespaces that happen to be close to a guarded one (SAML 1.x).
const NEIGHBOUR_NAMESPACES: [&str; 2] = [ns::SAML1, ns::SAML1P];

/// True for the namespaces of SAML 2.0 and 1.x, metadata and XML-DSig themselves.
pub(super) fn is_saml_namespace(uri: &str) -> bool {
    GUARDED_NAMESPACES.contains(&uri) || NEIGHBOUR_NAMESPACES.contains(&uri)
}

/// The guarded namespace `uri` imitates, if it is not that namespace but close to it: same
/// text up to case, scheme, surrounding spaces or a trailing `/` or `#`; a suffix appended; or
/// one or two characters changed.
pub(super) fn imitated_namespace(uri: &str) -> Option<&'static str> {
    if is_saml_namespace(uri) {
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
        // The same text once normalised (an exact match was ruled out above), or with a
        // suffix appended.
        normalised.starts_with(&target) || edit_distance_at_most(&normalised, &target, 2)
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

pub(super) fn element_ref(node: Node<'_, '_>) -> ElementRef {
    ElementRef {
        name: node.tag_name().name().to_string(),
        namespace: node.tag_name().namespace().map(str::to_string),
        id: element_id(node).map(str::to_string),
        span: node.range().into(),
    }
}

pub(super) fn describe(node: Node<'_, '_>) -> String {
    format!(
        "<{}>",
        xml::element_qname(node, node.document().input_text())
    )
}

/// Names of the first few elements, e.g. "<saml:Assertion>, <saml:Assertion> and 3 more".
pub(super) fn describe_some(nodes: &[Node<'_, '_>]) -> String {
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
}
