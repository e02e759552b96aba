//! `saml:Assertion` and everything in it: Subject, Conditions, AuthnStatements, Attributes.

use roxmltree::Node;

use super::{
    attr, text, time_attr, AttrValue, EncryptedInfo, Issuer, SignatureInfo, TextValue, TimeValue,
};
use crate::xml::{self, ns};

/// `saml:Assertion`.
#[derive(Debug, Clone)]
pub struct Assertion<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub id: Option<AttrValue<'a>>,
    pub version: Option<AttrValue<'a>>,
    pub issue_instant: Option<TimeValue<'a>>,
    pub issuer: Option<Issuer<'a, 'i>>,
    pub signatures: Vec<SignatureInfo<'a, 'i>>,
    pub subject: Option<Subject<'a, 'i>>,
    pub conditions: Option<Conditions<'a, 'i>>,
    pub authn_statements: Vec<AuthnStatement<'a, 'i>>,
    /// Attributes of every AttributeStatement, in document order.
    pub attributes: Vec<Attribute<'a, 'i>>,
    pub encrypted_attributes: Vec<EncryptedInfo<'a, 'i>>,
    pub attribute_statement_count: usize,
    pub has_advice: bool,
}

impl<'a, 'i> Assertion<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        let statements: Vec<Node<'a, 'i>> =
            xml::children_named(node, ns::SAML, "AttributeStatement").collect();
        Assertion {
            node,
            id: attr(node, "ID"),
            version: attr(node, "Version"),
            issue_instant: time_attr(node, "IssueInstant"),
            issuer: Issuer::of(node),
            signatures: SignatureInfo::children_of(node),
            subject: xml::child_named(node, ns::SAML, "Subject").map(Subject::read),
            conditions: xml::child_named(node, ns::SAML, "Conditions").map(Conditions::read),
            authn_statements: xml::children_named(node, ns::SAML, "AuthnStatement")
                .map(AuthnStatement::read)
                .collect(),
            attributes: statements
                .iter()
                .flat_map(|s| xml::children_named(*s, ns::SAML, "Attribute"))
                .map(Attribute::read)
                .collect(),
            encrypted_attributes: statements
                .iter()
                .flat_map(|s| xml::children_named(*s, ns::SAML, "EncryptedAttribute"))
                .map(EncryptedInfo::read)
                .collect(),
            attribute_statement_count: statements.len(),
            has_advice: xml::child_named(node, ns::SAML, "Advice").is_some(),
        }
    }

    /// Attributes whose Name is exactly `name`.
    pub fn attributes_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s Attribute<'a, 'i>> + 's {
        self.attributes
            .iter()
            .filter(move |a| a.name.as_ref().is_some_and(|n| n.value == name))
    }
}

/// `saml:NameID` (also used inside SubjectConfirmation and LogoutRequest).
#[derive(Debug, Clone)]
pub struct NameId<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub value: TextValue<'a>,
    pub format: Option<AttrValue<'a>>,
    pub name_qualifier: Option<AttrValue<'a>>,
    pub sp_name_qualifier: Option<AttrValue<'a>>,
    pub sp_provided_id: Option<AttrValue<'a>>,
}

impl<'a, 'i> NameId<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        NameId {
            node,
            value: text(node),
            format: attr(node, "Format"),
            name_qualifier: attr(node, "NameQualifier"),
            sp_name_qualifier: attr(node, "SPNameQualifier"),
            sp_provided_id: attr(node, "SPProvidedID"),
        }
    }
}

/// `saml:Subject`.
#[derive(Debug, Clone)]
pub struct Subject<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub name_id: Option<NameId<'a, 'i>>,
    pub encrypted_id: Option<EncryptedInfo<'a, 'i>>,
    pub confirmations: Vec<SubjectConfirmation<'a, 'i>>,
}

impl<'a, 'i> Subject<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        Subject {
            node,
            name_id: xml::child_named(node, ns::SAML, "NameID").map(NameId::read),
            encrypted_id: xml::child_named(node, ns::SAML, "EncryptedID").map(EncryptedInfo::read),
            confirmations: xml::children_named(node, ns::SAML, "SubjectConfirmation")
                .map(SubjectConfirmation::read)
                .collect(),
        }
    }
}

pub const CONFIRMATION_BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// SAML 1.x's bearer confirmation method (WS-Federation tokens use it).
pub const CONFIRMATION_BEARER_SAML1: &str = "urn:oasis:names:tc:SAML:1.0:cm:bearer";

/// `saml:SubjectConfirmation`.
#[derive(Debug, Clone)]
pub struct SubjectConfirmation<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub method: Option<AttrValue<'a>>,
    pub data: Option<SubjectConfirmationData<'a, 'i>>,
}

impl<'a, 'i> SubjectConfirmation<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        SubjectConfirmation {
            node,
            method: attr(node, "Method"),
            data: xml::child_named(node, ns::SAML, "SubjectConfirmationData").map(|data| {
                SubjectConfirmationData {
                    node: data,
                    recipient: attr(data, "Recipient"),
                    not_before: time_attr(data, "NotBefore"),
                    not_on_or_after: time_attr(data, "NotOnOrAfter"),
                    in_response_to: attr(data, "InResponseTo"),
                    address: attr(data, "Address"),
                }
            }),
        }
    }

    pub fn is_bearer(&self) -> bool {
        self.method.as_ref().is_some_and(|m| {
            [CONFIRMATION_BEARER, CONFIRMATION_BEARER_SAML1].contains(&m.value.trim())
        })
    }
}

/// `saml:SubjectConfirmationData`.
#[derive(Debug, Clone)]
pub struct SubjectConfirmationData<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub recipient: Option<AttrValue<'a>>,
    pub not_before: Option<TimeValue<'a>>,
    pub not_on_or_after: Option<TimeValue<'a>>,
    pub in_response_to: Option<AttrValue<'a>>,
    pub address: Option<AttrValue<'a>>,
}

/// `saml:Conditions`.
#[derive(Debug, Clone)]
pub struct Conditions<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub not_before: Option<TimeValue<'a>>,
    pub not_on_or_after: Option<TimeValue<'a>>,
    /// Each AudienceRestriction with its Audiences. The SP must be in every restriction.
    pub audience_restrictions: Vec<Vec<TextValue<'a>>>,
    pub one_time_use: bool,
    pub proxy_restriction: Option<ProxyRestriction<'a>>,
}

impl<'a, 'i> Conditions<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        Conditions {
            node,
            not_before: time_attr(node, "NotBefore"),
            not_on_or_after: time_attr(node, "NotOnOrAfter"),
            audience_restrictions: xml::children_named(node, ns::SAML, "AudienceRestriction")
                .map(|r| {
                    xml::children_named(r, ns::SAML, "Audience")
                        .map(text)
                        .collect()
                })
                .collect(),
            one_time_use: xml::child_named(node, ns::SAML, "OneTimeUse").is_some(),
            proxy_restriction: xml::child_named(node, ns::SAML, "ProxyRestriction").map(|p| {
                ProxyRestriction {
                    count: attr(p, "Count"),
                    audiences: xml::children_named(p, ns::SAML, "Audience")
                        .map(text)
                        .collect(),
                }
            }),
        }
    }

    /// Every Audience of every restriction, in document order.
    pub fn audiences(&self) -> impl Iterator<Item = &TextValue<'a>> {
        self.audience_restrictions.iter().flatten()
    }
}

#[derive(Debug, Clone)]
pub struct ProxyRestriction<'a> {
    pub count: Option<AttrValue<'a>>,
    pub audiences: Vec<TextValue<'a>>,
}

/// `saml:AuthnStatement`.
#[derive(Debug, Clone)]
pub struct AuthnStatement<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub authn_instant: Option<TimeValue<'a>>,
    pub session_index: Option<AttrValue<'a>>,
    pub session_not_on_or_after: Option<TimeValue<'a>>,
    pub class_ref: Option<TextValue<'a>>,
    pub authenticating_authorities: Vec<TextValue<'a>>,
}

impl<'a, 'i> AuthnStatement<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        let context = xml::child_named(node, ns::SAML, "AuthnContext");
        AuthnStatement {
            node,
            authn_instant: time_attr(node, "AuthnInstant"),
            session_index: attr(node, "SessionIndex"),
            session_not_on_or_after: time_attr(node, "SessionNotOnOrAfter"),
            class_ref: context
                .and_then(|c| xml::child_named(c, ns::SAML, "AuthnContextClassRef"))
                .map(text),
            authenticating_authorities: context
                .into_iter()
                .flat_map(|c| xml::children_named(c, ns::SAML, "AuthenticatingAuthority"))
                .map(text)
                .collect(),
        }
    }
}

/// `saml:Attribute`.
#[derive(Debug, Clone)]
pub struct Attribute<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub name: Option<AttrValue<'a>>,
    pub name_format: Option<AttrValue<'a>>,
    pub friendly_name: Option<AttrValue<'a>>,
    pub values: Vec<AttributeValue<'a, 'i>>,
}

impl<'a, 'i> Attribute<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        Attribute {
            node,
            name: attr(node, "Name"),
            name_format: attr(node, "NameFormat"),
            friendly_name: attr(node, "FriendlyName"),
            values: xml::children_named(node, ns::SAML, "AttributeValue")
                .map(|value| AttributeValue {
                    node: value,
                    text: text(value),
                    xsi_type: xml::namespaced_attribute(value, ns::XSI, "type")
                        .map(|a| super::Spanned::new(a.value(), a.range_value())),
                    nil: xml::namespaced_attribute(value, ns::XSI, "nil")
                        .is_some_and(|a| matches!(a.value().trim(), "true" | "1")),
                    has_child_elements: xml::element_children(value).next().is_some(),
                })
                .collect(),
        }
    }

    pub fn name_str(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.value)
    }
}

/// `saml:AttributeValue`.
#[derive(Debug, Clone)]
pub struct AttributeValue<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub text: TextValue<'a>,
    pub xsi_type: Option<AttrValue<'a>>,
    pub nil: bool,
    /// Structured values (a NameID inside an attribute, for example) rather than text.
    pub has_child_elements: bool,
}
