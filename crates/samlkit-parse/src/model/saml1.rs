//! SAML 1.0 / 1.1 (namespaces `urn:oasis:names:tc:SAML:1.0:assertion` and `…:protocol`), as
//! WS-Federation (AD FS, Entra ID's WS-Fed endpoint, SharePoint) and older Shibboleth still send
//! it, read into the same views as SAML 2.0 so that inspect and explain show one shape.
//!
//! The mapping: `AssertionID` / `ResponseID` are the IDs; the assertion's `Issuer` attribute
//! is its issuer; `MajorVersion`.`MinorVersion` is the version; the `Subject` of the first
//! statement that has one is the subject, its `NameIdentifier` the NameID and its
//! `ConfirmationMethod` the confirmation method; `AudienceRestrictionCondition` holds the
//! audiences; `AuthenticationStatement` is the authentication statement; attributes are named
//! by `AttributeName` (with `AttributeNamespace` as their name format).

use std::borrow::Cow;

use roxmltree::Node;

use super::{
    attr, text, time_attr, Assertion, Attribute, AttributeValue, AuthnStatement, Conditions,
    Issuer, MessageHeader, NameId, Response, SignatureInfo, Spanned, Status, Subject,
    SubjectConfirmation,
};
use crate::xml::{self, ns};

/// SAML 1.x's top-level status code for success (a QName in the protocol namespace).
const SUCCESS_LOCAL: &str = "Success";

/// Statements of a SAML 1.x assertion that carry a Subject.
const SUBJECT_STATEMENTS: [&str; 4] = [
    "AuthenticationStatement",
    "AttributeStatement",
    "AuthorizationDecisionStatement",
    "SubjectStatement",
];

/// True for an element in a SAML 1.x namespace.
pub fn is_saml1(node: Node<'_, '_>) -> bool {
    matches!(node.tag_name().namespace(), Some(ns::SAML1 | ns::SAML1P))
}

/// True for the document element of a WS-Federation sign-in response: WS-Trust's
/// `RequestSecurityTokenResponse` or its collection.
pub fn is_wsfed_response(node: Node<'_, '_>) -> bool {
    matches!(node.tag_name().namespace(), Some(ns::WST | ns::WST13))
        && matches!(
            node.tag_name().name(),
            "RequestSecurityTokenResponse" | "RequestSecurityTokenResponseCollection"
        )
}

impl<'a, 'i> Response<'a, 'i> {
    /// A WS-Federation sign-in response seen as a Response: the envelope is the
    /// RequestSecurityTokenResponse `node` (no ID, issuer, status or signature of its own),
    /// its one assertion the token.
    pub fn wsfed(node: Node<'a, 'i>, assertion: Assertion<'a, 'i>) -> Self {
        Response {
            node,
            header: MessageHeader {
                id: None,
                version: None,
                issue_instant: None,
                destination: None,
                consent: None,
                issuer: None,
                signatures: Vec::new(),
            },
            in_response_to: None,
            status: None,
            assertions: vec![assertion],
            encrypted_assertions: Vec::new(),
            misplaced_assertions: Vec::new(),
        }
    }
}

/// `MajorVersion`.`MinorVersion`, as written (the span is the major version's).
fn version<'a>(node: Node<'a, '_>) -> Option<Spanned<&'a str>> {
    let major = attr(node, "MajorVersion")?;
    let version = match xml::plain_attribute(node, "MinorVersion").map(|m| m.value()) {
        Some("0") if major.value == "1" => "1.0",
        Some("1") if major.value == "1" => "1.1",
        _ => major.value,
    };
    Some(Spanned::new(version, major.span))
}

pub(super) fn read_assertion<'a, 'i>(node: Node<'a, 'i>) -> Assertion<'a, 'i> {
    let statements: Vec<Node<'a, 'i>> =
        xml::children_named(node, ns::SAML1, "AttributeStatement").collect();
    let subject = xml::element_children(node)
        .filter(|child| {
            child.tag_name().namespace() == Some(ns::SAML1)
                && SUBJECT_STATEMENTS.contains(&child.tag_name().name())
        })
        .find_map(|statement| xml::child_named(statement, ns::SAML1, "Subject"))
        .map(read_subject);
    Assertion {
        node,
        id: attr(node, "AssertionID"),
        version: version(node),
        issue_instant: time_attr(node, "IssueInstant"),
        issuer: xml::plain_attribute(node, "Issuer").map(|issuer| Issuer {
            node,
            value: super::TextValue {
                value: Cow::Borrowed(issuer.value()),
                span: issuer.range_value(),
                mixed_content: false,
            },
            format: None,
        }),
        signatures: SignatureInfo::children_of(node),
        subject,
        conditions: xml::child_named(node, ns::SAML1, "Conditions").map(read_conditions),
        authn_statements: xml::children_named(node, ns::SAML1, "AuthenticationStatement")
            .map(|statement| AuthnStatement {
                node: statement,
                authn_instant: time_attr(statement, "AuthenticationInstant"),
                session_index: None,
                session_not_on_or_after: None,
                class_ref: None,
                authenticating_authorities: Vec::new(),
            })
            .collect(),
        attributes: statements
            .iter()
            .flat_map(|s| xml::children_named(*s, ns::SAML1, "Attribute"))
            .map(read_attribute)
            .collect(),
        encrypted_attributes: Vec::new(),
        attribute_statement_count: statements.len(),
        has_advice: xml::child_named(node, ns::SAML1, "Advice").is_some(),
    }
}

fn read_subject<'a, 'i>(node: Node<'a, 'i>) -> Subject<'a, 'i> {
    Subject {
        node,
        name_id: xml::child_named(node, ns::SAML1, "NameIdentifier").map(|name| NameId {
            node: name,
            value: text(name),
            format: attr(name, "Format"),
            name_qualifier: attr(name, "NameQualifier"),
            sp_name_qualifier: None,
            sp_provided_id: None,
        }),
        encrypted_id: None,
        confirmations: xml::children_named(node, ns::SAML1, "SubjectConfirmation")
            .flat_map(|confirmation| {
                xml::children_named(confirmation, ns::SAML1, "ConfirmationMethod").map(
                    move |method| SubjectConfirmation {
                        node: confirmation,
                        // The method URI is the element's text (an attribute in SAML 2.0).
                        method: Some(Spanned::new(
                            method.text().unwrap_or_default(),
                            xml::text_span(method),
                        )),
                        data: None,
                    },
                )
            })
            .collect(),
    }
}

fn read_conditions<'a, 'i>(node: Node<'a, 'i>) -> Conditions<'a, 'i> {
    Conditions {
        node,
        not_before: time_attr(node, "NotBefore"),
        not_on_or_after: time_attr(node, "NotOnOrAfter"),
        audience_restrictions: xml::children_named(node, ns::SAML1, "AudienceRestrictionCondition")
            .map(|r| {
                xml::children_named(r, ns::SAML1, "Audience")
                    .map(text)
                    .collect()
            })
            .collect(),
        one_time_use: false,
        proxy_restriction: None,
    }
}

fn read_attribute<'a, 'i>(node: Node<'a, 'i>) -> Attribute<'a, 'i> {
    Attribute {
        node,
        name: attr(node, "AttributeName"),
        name_format: attr(node, "AttributeNamespace"),
        friendly_name: None,
        values: xml::children_named(node, ns::SAML1, "AttributeValue")
            .map(|value| AttributeValue {
                node: value,
                text: text(value),
                xsi_type: xml::namespaced_attribute(value, ns::XSI, "type")
                    .map(|a| Spanned::new(a.value(), a.range_value())),
                nil: xml::namespaced_attribute(value, ns::XSI, "nil")
                    .is_some_and(|a| matches!(a.value().trim(), "true" | "1")),
                has_child_elements: xml::element_children(value).next().is_some(),
            })
            .collect(),
    }
}

pub(super) fn read_response<'a, 'i>(node: Node<'a, 'i>) -> Response<'a, 'i> {
    let assertions: Vec<Assertion<'a, 'i>> = xml::children_named(node, ns::SAML1, "Assertion")
        .map(read_assertion)
        .collect();
    let misplaced_assertions = node
        .descendants()
        .filter(|n| {
            xml::is_element(*n, ns::SAML1, "Assertion")
                && n.parent() != Some(node)
                && !n
                    .parent()
                    .is_some_and(|p| xml::is_element(p, ns::SAML1, "Advice"))
        })
        .collect();
    Response {
        node,
        header: MessageHeader {
            id: attr(node, "ResponseID"),
            version: version(node),
            issue_instant: time_attr(node, "IssueInstant"),
            destination: attr(node, "Recipient"),
            consent: None,
            issuer: None,
            signatures: SignatureInfo::children_of(node),
        },
        in_response_to: attr(node, "InResponseTo"),
        status: xml::child_named(node, ns::SAML1P, "Status").map(read_status),
        assertions,
        encrypted_assertions: Vec::new(),
        misplaced_assertions,
    }
}

/// SAML 1.x status codes are QNames (`samlp:Success`); the code is given as the SAML 2.0 URI of
/// the same meaning when it is Success, so that the rules read one vocabulary.
fn read_status<'a, 'i>(node: Node<'a, 'i>) -> Status<'a, 'i> {
    let mut status = Status::read_in(node, ns::SAML1P);
    if let Some(code) = status.code.as_mut() {
        let local = code.value.rsplit(':').next().unwrap_or(code.value);
        let prefix_namespace = code
            .value
            .split_once(':')
            .and_then(|(prefix, _)| node.lookup_namespace_uri(Some(prefix)));
        if local == SUCCESS_LOCAL && prefix_namespace == Some(ns::SAML1P) {
            code.value = super::STATUS_SUCCESS;
        }
    }
    status
}
