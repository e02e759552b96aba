//! Typed views of SAML messages and metadata that borrow the parsed tree.
//!
//! Every value keeps its byte span in the XML text. Views are built without judging: a missing
//! or malformed field is recorded as such (`None`, or a time that failed to parse) so that lint
//! rules can explain it; only a document that is not SAML at all is an error.

mod assertion;
mod metadata;
mod protocol;
mod saml1;
mod signature;

use std::borrow::Cow;
use std::ops::Range;

use roxmltree::{Document, Node};

pub use assertion::*;
pub use metadata::*;
pub use protocol::*;
pub use saml1::{is_saml1, is_wsfed_response};
pub use signature::*;

use crate::error::InputError;

/// `collect` into a vector of exactly the items' length. Lists read from metadata are short
/// (one or two keys, a few endpoints), and a collected vector reserves room for four: across
/// an aggregate of thousands of entities that slack is megabytes.
pub(crate) trait CollectExact: Iterator + Sized {
    fn collect_exact(self) -> Vec<Self::Item> {
        let mut items: Vec<Self::Item> = self.collect();
        items.shrink_to_fit();
        items
    }
}

impl<I: Iterator> CollectExact for I {}
use crate::time::{DateTime, TimeError};
use crate::xml::{self, ns};

/// A value and the byte range in the XML text it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        Spanned { value, span }
    }
}

impl<T: AsRef<str>> Spanned<T> {
    pub fn as_str(&self) -> &str {
        self.value.as_ref()
    }
}

/// An attribute value as written.
pub type AttrValue<'a> = Spanned<&'a str>;

/// The whole text content of an element, with a note when it was interrupted by comments,
/// processing instructions or child elements (the shape of comment-injection attacks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextValue<'a> {
    pub value: Cow<'a, str>,
    pub span: Range<usize>,
    pub mixed_content: bool,
}

impl TextValue<'_> {
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The text with surrounding XML whitespace removed, as SAML processors compare it.
    pub fn trimmed(&self) -> &str {
        self.value
            .trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'))
    }
}

/// An `xs:dateTime` attribute: the text as written and the parse result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeValue<'a> {
    pub text: AttrValue<'a>,
    pub parsed: Result<DateTime, TimeError>,
}

impl TimeValue<'_> {
    pub fn instant(&self) -> Option<crate::time::Instant> {
        self.parsed.as_ref().ok().map(|dt| dt.instant)
    }
}

pub(crate) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<AttrValue<'a>> {
    xml::plain_attribute(node, name).map(|a| Spanned::new(a.value(), a.range_value()))
}

pub(crate) fn time_attr<'a>(node: Node<'a, '_>, name: &str) -> Option<TimeValue<'a>> {
    attr(node, name).map(|text| {
        let parsed = DateTime::parse(text.value);
        TimeValue { text, parsed }
    })
}

pub(crate) fn bool_attr(node: Node<'_, '_>, name: &str) -> Option<Spanned<bool>> {
    attr(node, name).map(|a| Spanned::new(matches!(a.value.trim(), "true" | "1"), a.span))
}

pub(crate) fn text<'a>(node: Node<'a, '_>) -> TextValue<'a> {
    // Nearly every element holds exactly one text node: read it without walking the subtree
    // three times.
    if let Some(only) = node
        .first_child()
        .filter(|child| child.is_text() && child.next_sibling().is_none())
    {
        return TextValue {
            value: Cow::Borrowed(only.text().unwrap_or("")),
            span: only.range(),
            mixed_content: false,
        };
    }
    TextValue {
        value: xml::text_content(node),
        span: xml::text_span(node),
        mixed_content: xml::has_mixed_content(node),
    }
}

pub(crate) fn child_text<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    namespace: &'static str,
    local: &'static str,
) -> Option<TextValue<'a>> {
    xml::child_named(node, namespace, local).map(text)
}

/// What kind of message a document is, in the words a person uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageKind {
    Response,
    Assertion,
    AuthnRequest,
    LogoutRequest,
    LogoutResponse,
    ArtifactResponse,
    EntityDescriptor,
    EntitiesDescriptor,
}

impl MessageKind {
    /// A phrase for messages such as "this is a SAMLRequest (AuthnRequest)".
    pub fn describe(self) -> &'static str {
        match self {
            MessageKind::Response => "a SAMLResponse (Response)",
            MessageKind::Assertion => "a bare Assertion",
            MessageKind::AuthnRequest => "a SAMLRequest (AuthnRequest)",
            MessageKind::LogoutRequest => "a SAMLRequest (LogoutRequest)",
            MessageKind::LogoutResponse => "a SAMLResponse (LogoutResponse)",
            MessageKind::ArtifactResponse => "a SOAP ArtifactResponse",
            MessageKind::EntityDescriptor => "metadata (EntityDescriptor)",
            MessageKind::EntitiesDescriptor => "metadata (EntitiesDescriptor)",
        }
    }

    pub fn is_metadata(self) -> bool {
        matches!(
            self,
            MessageKind::EntityDescriptor | MessageKind::EntitiesDescriptor
        )
    }
}

/// A typed view of one document.
// One value exists per document, so the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum SamlMessage<'a, 'i> {
    Response(Response<'a, 'i>),
    Assertion(Assertion<'a, 'i>),
    AuthnRequest(AuthnRequest<'a, 'i>),
    LogoutRequest(LogoutRequest<'a, 'i>),
    LogoutResponse(StatusResponse<'a, 'i>),
    ArtifactResponse(ArtifactResponse<'a, 'i>),
    Metadata(Metadata<'a, 'i>),
}

impl<'a, 'i> SamlMessage<'a, 'i> {
    pub fn kind(&self) -> MessageKind {
        match self {
            SamlMessage::Response(_) => MessageKind::Response,
            SamlMessage::Assertion(_) => MessageKind::Assertion,
            SamlMessage::AuthnRequest(_) => MessageKind::AuthnRequest,
            SamlMessage::LogoutRequest(_) => MessageKind::LogoutRequest,
            SamlMessage::LogoutResponse(_) => MessageKind::LogoutResponse,
            SamlMessage::ArtifactResponse(_) => MessageKind::ArtifactResponse,
            SamlMessage::Metadata(Metadata::Entity(_)) => MessageKind::EntityDescriptor,
            SamlMessage::Metadata(Metadata::Entities(_)) => MessageKind::EntitiesDescriptor,
        }
    }

    /// The element the view was read from (inside a SOAP envelope, the SAML element).
    pub fn node(&self) -> Node<'a, 'i> {
        match self {
            SamlMessage::Response(r) => r.node,
            SamlMessage::Assertion(a) => a.node,
            SamlMessage::AuthnRequest(r) => r.node,
            SamlMessage::LogoutRequest(r) => r.node,
            SamlMessage::LogoutResponse(r) => r.node,
            SamlMessage::ArtifactResponse(r) => r.node,
            SamlMessage::Metadata(Metadata::Entity(e)) => e.node,
            SamlMessage::Metadata(Metadata::Entities(e)) => e.node,
        }
    }

    /// The message as a Response, or an error saying what it is instead.
    pub fn expect_response(&self) -> Result<&Response<'a, 'i>, InputError> {
        match self {
            SamlMessage::Response(response) => Ok(response),
            SamlMessage::ArtifactResponse(ArtifactResponse {
                response: Some(response),
                ..
            }) => Ok(response),
            other => Err(InputError::WrongKind {
                found: other.kind().describe().to_string(),
                expected: "a SAMLResponse",
            }),
        }
    }
}

/// The kind of message a caller is prepared to handle; any other is refused before it is
/// judged (`samlkit … --expect response`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedKind {
    /// A Response (or an ArtifactResponse carrying one).
    Response,
    /// An AuthnRequest.
    Request,
    /// A LogoutRequest or LogoutResponse.
    Logout,
    /// An EntityDescriptor or EntitiesDescriptor.
    Metadata,
}

impl ExpectedKind {
    /// Refuses a message of another kind, saying what it is and what was wanted.
    pub fn check(self, message: &SamlMessage<'_, '_>) -> Result<(), InputError> {
        let kind = message.kind();
        let (fits, wanted) = match self {
            ExpectedKind::Response => (
                matches!(kind, MessageKind::Response | MessageKind::ArtifactResponse)
                    && message.expect_response().is_ok(),
                "a SAMLResponse",
            ),
            ExpectedKind::Request => (
                kind == MessageKind::AuthnRequest,
                "a SAMLRequest (AuthnRequest)",
            ),
            ExpectedKind::Logout => (
                matches!(
                    kind,
                    MessageKind::LogoutRequest | MessageKind::LogoutResponse
                ),
                "a logout message",
            ),
            ExpectedKind::Metadata => (kind.is_metadata(), "metadata"),
        };
        if fits {
            Ok(())
        } else {
            Err(InputError::WrongKind {
                found: kind.describe().to_string(),
                expected: wanted,
            })
        }
    }
}

/// The assertion of a WS-Federation sign-in response (`wresult`): a
/// `RequestSecurityTokenResponse` (alone or in a collection) whose `RequestedSecurityToken`
/// holds one SAML 1.1 or 2.0 assertion.
fn read_wsfed_token<'a, 'i>(root: Node<'a, 'i>) -> Result<SamlMessage<'a, 'i>, InputError> {
    let not_read = |what: &str| InputError::NotSaml {
        root: root.tag_name().name().to_string(),
        namespace: format!(" (a WS-Federation sign-in response {what})"),
    };
    let token = root
        .descendants()
        .filter(|node| node.tag_name().name() == "RequestedSecurityToken")
        .filter(|node| matches!(node.tag_name().namespace(), Some(ns::WST | ns::WST13)))
        .flat_map(xml::element_children)
        .next()
        .ok_or_else(|| not_read("without a RequestedSecurityToken"))?;
    match (token.tag_name().namespace(), token.tag_name().name()) {
        (Some(ns::SAML), "Assertion") => Ok(SamlMessage::Assertion(Assertion::read(token))),
        (Some(ns::SAML1), "Assertion") => Ok(SamlMessage::Assertion(saml1::read_assertion(token))),
        _ => Err(not_read("whose token is not a SAML assertion")),
    }
}

/// Reads the typed view of a parsed document. SOAP envelopes are opened to their body.
pub fn read_message<'a, 'i>(doc: &'a Document<'i>) -> Result<SamlMessage<'a, 'i>, InputError> {
    let mut root = doc.root_element();
    if xml::is_element(root, ns::SOAP11, "Envelope") {
        let body =
            xml::child_named(root, ns::SOAP11, "Body").ok_or_else(|| InputError::NotSaml {
                root: "Envelope".into(),
                namespace: " (a SOAP envelope without a Body)".into(),
            })?;
        root = xml::element_children(body)
            .next()
            .ok_or_else(|| InputError::NotSaml {
                root: "Envelope".into(),
                namespace: " (a SOAP envelope with an empty Body)".into(),
            })?;
    }
    let name = root.tag_name();
    let message = match (name.namespace(), name.name()) {
        (Some(ns::SAMLP), "Response") => SamlMessage::Response(Response::read(root)),
        (Some(ns::SAML), "Assertion") => SamlMessage::Assertion(Assertion::read(root)),
        (Some(ns::SAMLP), "AuthnRequest") => SamlMessage::AuthnRequest(AuthnRequest::read(root)),
        (Some(ns::SAMLP), "LogoutRequest") => SamlMessage::LogoutRequest(LogoutRequest::read(root)),
        (Some(ns::SAMLP), "LogoutResponse") => {
            SamlMessage::LogoutResponse(StatusResponse::read(root))
        }
        (Some(ns::SAMLP), "ArtifactResponse") => {
            SamlMessage::ArtifactResponse(ArtifactResponse::read(root))
        }
        (Some(ns::MD), "EntityDescriptor") => {
            SamlMessage::Metadata(Metadata::Entity(EntityDescriptor::read(root)))
        }
        (Some(ns::MD), "EntitiesDescriptor") => {
            SamlMessage::Metadata(Metadata::Entities(EntitiesDescriptor::read(root, 0)))
        }
        (Some(ns::SAML1P), "Response") => SamlMessage::Response(saml1::read_response(root)),
        (Some(ns::SAML1), "Assertion") => SamlMessage::Assertion(saml1::read_assertion(root)),
        (
            Some(ns::WST | ns::WST13),
            "RequestSecurityTokenResponse" | "RequestSecurityTokenResponseCollection",
        ) => read_wsfed_token(root)?,
        (Some(uri @ (ns::SAML1 | ns::SAML1P)), local) => {
            return Err(InputError::NotSaml {
                root: local.to_string(),
                namespace: format!(
                    " in namespace {uri}: a SAML 1.x message other than a Response or \
                     Assertion, which samlkit does not read"
                ),
            });
        }
        (namespace, local) => {
            let namespace = match namespace {
                Some(uri) if [ns::SAML, ns::SAMLP, ns::MD].contains(&uri) => {
                    format!(" in namespace {uri}, which samlkit does not read as a message")
                }
                Some(uri) => format!(" in namespace {uri}"),
                None => " with no namespace (was an xmlns declaration lost when it was copied?)"
                    .to_string(),
            };
            let look_alike = match local {
                "Response" | "Assertion" | "AuthnRequest" | "EntityDescriptor"
                | "EntitiesDescriptor" | "LogoutRequest" | "LogoutResponse" => {
                    "; the element name is SAML's but the namespace is not (a look-alike)"
                }
                _ => "",
            };
            return Err(InputError::NotSaml {
                root: local.to_string(),
                namespace: format!("{namespace}{look_alike}"),
            });
        }
    };
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-text-node shortcut of [`text`] reads what the general walk reads.
    #[test]
    fn text_reads_the_same_with_and_without_the_shortcut() {
        let documents = [
            "<v>alice@example.com</v>",
            "<v>a &amp; b &#x41;</v>",
            "<v><![CDATA[<b>]]></v>",
            "<v>  padded  </v>",
            "<v>alice<!-- c -->@evil.example</v>",
            "<v>alice<?pi x?>bob</v>",
            "<v>alice<x>y</x></v>",
            "<v><x>y</x></v>",
            "<v/>",
            "<v></v>",
        ];
        for xml in documents {
            let doc = Document::parse(xml).unwrap();
            let node = doc.root_element();
            let general = TextValue {
                value: xml::text_content(node),
                span: xml::text_span(node),
                mixed_content: xml::has_mixed_content(node),
            };
            assert_eq!(text(node), general, "{xml}");
        }
    }
}
