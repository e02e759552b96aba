//! Protocol messages: Response, AuthnRequest, LogoutRequest, LogoutResponse, ArtifactResponse.

use roxmltree::Node;

use super::{
    attr, bool_attr, child_text, text, time_attr, Assertion, AttrValue, EncryptedInfo, Issuer,
    NameId, SignatureInfo, Spanned, TextValue, TimeValue,
};
use crate::xml::{self, ns};

/// `samlp:Status`, both levels (and any deeper nesting), message and detail.
#[derive(Debug, Clone)]
pub struct Status<'a, 'i> {
    pub node: Node<'a, 'i>,
    /// Top-level StatusCode Value.
    pub code: Option<AttrValue<'a>>,
    /// Nested StatusCode Values, outermost first.
    pub sub_codes: Vec<AttrValue<'a>>,
    pub message: Option<TextValue<'a>>,
    /// The text content of StatusDetail (vendors put error codes there), if any.
    pub detail: Option<TextValue<'a>>,
}

pub const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

impl<'a, 'i> Status<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        Status::read_in(node, ns::SAMLP)
    }

    /// The status of a protocol in `protocol` (SAML 2.0's, or SAML 1.x's of the same shape).
    pub(crate) fn read_in(node: Node<'a, 'i>, protocol: &'static str) -> Self {
        let mut code = None;
        let mut sub_codes = Vec::new();
        let mut current = xml::child_named(node, protocol, "StatusCode");
        // Bounded by the document depth limit.
        while let Some(status_code) = current {
            let value = attr(status_code, "Value");
            if code.is_none() {
                code = Some(value);
            } else if let Some(value) = value {
                sub_codes.push(value);
            }
            current = xml::child_named(status_code, protocol, "StatusCode");
        }
        Status {
            node,
            code: code.flatten(),
            sub_codes,
            message: child_text(node, protocol, "StatusMessage"),
            detail: child_text(node, protocol, "StatusDetail"),
        }
    }

    pub fn is_success(&self) -> bool {
        self.code
            .as_ref()
            .is_some_and(|c| c.value.trim() == STATUS_SUCCESS)
    }
}

/// Attributes common to every protocol message.
#[derive(Debug, Clone)]
pub struct MessageHeader<'a, 'i> {
    pub id: Option<AttrValue<'a>>,
    pub version: Option<AttrValue<'a>>,
    pub issue_instant: Option<TimeValue<'a>>,
    pub destination: Option<AttrValue<'a>>,
    pub consent: Option<AttrValue<'a>>,
    pub issuer: Option<Issuer<'a, 'i>>,
    pub signatures: Vec<SignatureInfo<'a, 'i>>,
}

impl<'a, 'i> MessageHeader<'a, 'i> {
    fn read(node: Node<'a, 'i>) -> Self {
        MessageHeader {
            id: attr(node, "ID"),
            version: attr(node, "Version"),
            issue_instant: time_attr(node, "IssueInstant"),
            destination: attr(node, "Destination"),
            consent: attr(node, "Consent"),
            issuer: Issuer::of(node),
            signatures: SignatureInfo::children_of(node),
        }
    }
}

/// A status response that carries no assertions (LogoutResponse, and the shell of others).
#[derive(Debug, Clone)]
pub struct StatusResponse<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub header: MessageHeader<'a, 'i>,
    pub in_response_to: Option<AttrValue<'a>>,
    pub status: Option<Status<'a, 'i>>,
}

impl<'a, 'i> StatusResponse<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        StatusResponse {
            node,
            header: MessageHeader::read(node),
            in_response_to: attr(node, "InResponseTo"),
            status: xml::child_named(node, ns::SAMLP, "Status").map(Status::read),
        }
    }
}

/// `samlp:Response`: the message an IdP posts to the SP's ACS.
#[derive(Debug, Clone)]
pub struct Response<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub header: MessageHeader<'a, 'i>,
    pub in_response_to: Option<AttrValue<'a>>,
    pub status: Option<Status<'a, 'i>>,
    /// Assertions that are direct children of the Response (the only place they count).
    pub assertions: Vec<Assertion<'a, 'i>>,
    pub encrypted_assertions: Vec<EncryptedInfo<'a, 'i>>,
    /// Assertion elements found anywhere else in the document (Extensions, Advice, ds:Object,
    /// SubjectConfirmationData…): never read as claims, reported as a shape to look at.
    pub misplaced_assertions: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> Response<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        let base = StatusResponse::read(node);
        let assertions: Vec<Assertion<'a, 'i>> = xml::children_named(node, ns::SAML, "Assertion")
            .map(Assertion::read)
            .collect();
        let misplaced_assertions = node
            .descendants()
            .filter(|n| {
                xml::is_element(*n, ns::SAML, "Assertion") && n.parent() != Some(node)
                    // Advice may legitimately hold assertions; they are not the subject's claims
                    // either, but they are not misplaced.
                    && !n.parent().is_some_and(|p| xml::is_element(p, ns::SAML, "Advice"))
            })
            .collect();
        Response {
            node,
            header: base.header,
            in_response_to: base.in_response_to,
            status: base.status,
            assertions,
            encrypted_assertions: xml::children_named(node, ns::SAML, "EncryptedAssertion")
                .map(EncryptedInfo::read)
                .collect(),
            misplaced_assertions,
        }
    }
}

/// `samlp:ArtifactResponse` (inside a SOAP envelope); it wraps the real message.
#[derive(Debug, Clone)]
pub struct ArtifactResponse<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub header: MessageHeader<'a, 'i>,
    pub in_response_to: Option<AttrValue<'a>>,
    pub status: Option<Status<'a, 'i>>,
    pub response: Option<Response<'a, 'i>>,
}

impl<'a, 'i> ArtifactResponse<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        let base = StatusResponse::read(node);
        ArtifactResponse {
            node,
            header: base.header,
            in_response_to: base.in_response_to,
            status: base.status,
            response: xml::child_named(node, ns::SAMLP, "Response").map(Response::read),
        }
    }
}

/// `samlp:NameIDPolicy` of an AuthnRequest.
#[derive(Debug, Clone)]
pub struct NameIdPolicy<'a> {
    pub format: Option<AttrValue<'a>>,
    pub sp_name_qualifier: Option<AttrValue<'a>>,
    pub allow_create: Option<Spanned<bool>>,
}

/// `samlp:RequestedAuthnContext`.
#[derive(Debug, Clone)]
pub struct RequestedAuthnContext<'a> {
    pub comparison: Option<AttrValue<'a>>,
    pub class_refs: Vec<TextValue<'a>>,
}

/// `samlp:AuthnRequest`: what the SP sent to the IdP.
#[derive(Debug, Clone)]
pub struct AuthnRequest<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub header: MessageHeader<'a, 'i>,
    pub assertion_consumer_service_url: Option<AttrValue<'a>>,
    pub assertion_consumer_service_index: Option<AttrValue<'a>>,
    pub protocol_binding: Option<AttrValue<'a>>,
    pub provider_name: Option<AttrValue<'a>>,
    pub force_authn: Option<Spanned<bool>>,
    pub is_passive: Option<Spanned<bool>>,
    pub name_id_policy: Option<NameIdPolicy<'a>>,
    pub requested_authn_context: Option<RequestedAuthnContext<'a>>,
    /// Entra ID refuses requests that carry a Subject (AADSTS900236).
    pub has_subject: bool,
}

impl<'a, 'i> AuthnRequest<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        AuthnRequest {
            node,
            header: MessageHeader::read(node),
            assertion_consumer_service_url: attr(node, "AssertionConsumerServiceURL"),
            assertion_consumer_service_index: attr(node, "AssertionConsumerServiceIndex"),
            protocol_binding: attr(node, "ProtocolBinding"),
            provider_name: attr(node, "ProviderName"),
            force_authn: bool_attr(node, "ForceAuthn"),
            is_passive: bool_attr(node, "IsPassive"),
            name_id_policy: xml::child_named(node, ns::SAMLP, "NameIDPolicy").map(|p| {
                NameIdPolicy {
                    format: attr(p, "Format"),
                    sp_name_qualifier: attr(p, "SPNameQualifier"),
                    allow_create: bool_attr(p, "AllowCreate"),
                }
            }),
            requested_authn_context: xml::child_named(node, ns::SAMLP, "RequestedAuthnContext")
                .map(|r| RequestedAuthnContext {
                    comparison: attr(r, "Comparison"),
                    class_refs: xml::children_named(r, ns::SAML, "AuthnContextClassRef")
                        .map(text)
                        .collect(),
                }),
            has_subject: xml::child_named(node, ns::SAML, "Subject").is_some(),
        }
    }
}

/// `samlp:LogoutRequest`.
#[derive(Debug, Clone)]
pub struct LogoutRequest<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub header: MessageHeader<'a, 'i>,
    pub name_id: Option<NameId<'a, 'i>>,
    pub has_encrypted_id: bool,
    pub session_indexes: Vec<TextValue<'a>>,
    pub not_on_or_after: Option<TimeValue<'a>>,
    pub reason: Option<AttrValue<'a>>,
}

impl<'a, 'i> LogoutRequest<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        LogoutRequest {
            node,
            header: MessageHeader::read(node),
            name_id: xml::child_named(node, ns::SAML, "NameID").map(NameId::read),
            has_encrypted_id: xml::child_named(node, ns::SAML, "EncryptedID").is_some(),
            session_indexes: xml::children_named(node, ns::SAMLP, "SessionIndex")
                .map(text)
                .collect(),
            not_on_or_after: time_attr(node, "NotOnOrAfter"),
            reason: attr(node, "Reason"),
        }
    }
}
