//! The summary of one message, as `samlkit inspect` shows it and its JSON carries: what
//! kind of message, from whom, about whom, valid when, signed how, encrypted how — every value
//! with its line and column. Nothing is judged here; [`crate::explain()`] judges.
//!
//! [`summarise`] is the entry point; a web page and the JSON output share this model.

mod certificate;
mod read;

use samlkit_parse::decode::{Binding, DecodedMessage, InputForm};
use samlkit_parse::model::{ExpectedKind, MessageKind, SamlMessage};
use samlkit_parse::time::{describe_duration, Instant};
use samlkit_parse::{xml, Limits};
use samlkit_verify::report::MissingInput;
use samlkit_verify::xmlenc::DecryptionKeys;
use serde::Serialize;

pub use certificate::{describe_certificate, CertificateSummary};
use read::Reader;

use crate::explain::{open_message, ExplainError, Opened};
pub use crate::uri::short_algorithm;

/// Summarises one decoded message; with keys, its decrypted content. `source` names the input
/// in the summary.
pub fn summarise(
    decoded: &DecodedMessage,
    source: &str,
    now: Instant,
    keys: Option<&DecryptionKeys>,
    expect: Option<ExpectedKind>,
    limits: &Limits,
) -> Result<MessageSummary, ExplainError> {
    open_message(&decoded.xml, limits, keys, expect, |opened| {
        summary_of(decoded, source, &opened, now)
    })
}

fn summary_of(
    decoded: &DecodedMessage,
    source: &str,
    opened: &Opened<'_, '_>,
    now: Instant,
) -> MessageSummary {
    let decryption_summary = opened
        .decryption
        .map(|decryption| {
            decryption
                .elements
                .iter()
                .map(|element| match &element.result {
                    Ok(done) => DecryptionSummary {
                        element: element.wrapper.clone(),
                        decrypted: true,
                        algorithms: Some(done.description.clone()),
                        key: Some(done.key_label.clone()),
                        message: None,
                        missing: None,
                    },
                    Err(failure) => DecryptionSummary {
                        element: element.wrapper.clone(),
                        decrypted: false,
                        algorithms: None,
                        key: None,
                        message: Some(failure.message.clone()),
                        missing: failure.missing,
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    let text = opened.text();
    let message = &opened.message;
    let ctx = Reader {
        lines: xml::LineIndex::new(text),
        now,
    };
    let mut summary = MessageSummary {
        source: source.to_string(),
        form: decoded.form,
        binding: decoded.binding,
        parameter: decoded.parameter.clone(),
        relay_state: decoded.relay_state.clone(),
        captured_at: decoded.origin.time.clone(),
        encoding_note: decoded.encoding_note.clone(),
        kind: message.kind(),
        now,
        response: None,
        assertion: None,
        authn_request: None,
        logout_request: None,
        logout_response: None,
        metadata: None,
        decryption: decryption_summary,
        signature_places: ctx.signature_places(opened.document),
        wrappers: ctx.wrappers(shown_message_node(message)),
        redirect_signature: decoded
            .redirect_signature
            .as_ref()
            .map(|s| RedirectSignatureSummary {
                sig_alg: s.sig_alg.clone(),
                algorithm: short_algorithm(&s.sig_alg),
            }),
    };
    match &message {
        SamlMessage::Response(response) => summary.response = Some(ctx.response(response)),
        SamlMessage::ArtifactResponse(artifact) => {
            summary.response = artifact.response.as_ref().map(|r| ctx.response(r));
        }
        SamlMessage::Assertion(assertion) => summary.assertion = Some(ctx.assertion(assertion)),
        SamlMessage::AuthnRequest(request) => {
            summary.authn_request = Some(ctx.authn_request(request))
        }
        SamlMessage::LogoutRequest(request) => {
            summary.logout_request = Some(ctx.logout_request(request))
        }
        SamlMessage::LogoutResponse(response) => {
            summary.logout_response = Some(ctx.status_response(response))
        }
        SamlMessage::Metadata(metadata) => summary.metadata = Some(ctx.metadata(metadata)),
    }
    summary
}

/// The SAML element the summary shows as the message: the Response inside an ArtifactResponse,
/// the token inside a WS-Federation response, or the message itself.
fn shown_message_node<'a, 'i>(message: &SamlMessage<'a, 'i>) -> roxmltree::Node<'a, 'i> {
    match message {
        SamlMessage::ArtifactResponse(artifact) => artifact
            .response
            .as_ref()
            .map_or(artifact.node, |response| response.node),
        other => other.node(),
    }
}

/// Everything `inspect` says about one message.
#[derive(Debug, Serialize)]
pub struct MessageSummary {
    pub source: String,
    pub form: InputForm,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<Binding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_note: Option<String>,
    pub kind: MessageKind,
    pub now: Instant,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assertion: Option<AssertionSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authn_request: Option<AuthnRequestSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logout_request: Option<LogoutRequestSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logout_response: Option<StatusResponseSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_signature: Option<RedirectSignatureSummary>,
    /// What was decrypted with `--sp-key` (the summary then shows the decrypted content).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decryption: Vec<DecryptionSummary>,
    /// Every `ds:Signature` of the document, wherever it sits, in document order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signature_places: Vec<SignaturePlace>,
    /// The messages around the one shown (SOAP envelope, ArtifactResponse, WS-Federation's
    /// RequestSecurityTokenResponse), outermost first, each with its own ID.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wrappers: Vec<WrapperSummary>,
}

/// Where one `ds:Signature` sits.
#[derive(Debug, Serialize)]
pub struct SignaturePlace {
    /// The element the signature sits in, as written (`saml:Assertion`).
    pub on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_id: Option<String>,
    /// The elements from the document element down to the signature's parent.
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// Why the place is not one SAML gives signatures (a wrapping shape), when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub misplaced: Option<String>,
}

/// A message wrapped around the one shown.
#[derive(Debug, Serialize)]
pub struct WrapperSummary {
    /// The element as written (`samlp:ArtifactResponse`, `soap:Envelope`).
    pub element: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_response_to: Option<String>,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Serialize)]
pub struct DecryptionSummary {
    /// The encrypted element, e.g. `EncryptedAssertion`.
    pub element: String,
    pub decrypted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithms: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The input whose absence kept the element encrypted (a front end says how to give it).
    #[serde(skip)]
    pub missing: Option<MissingInput>,
}

#[derive(Debug, Serialize)]
pub struct RedirectSignatureSummary {
    pub sig_alg: String,
    pub algorithm: String,
}

#[derive(Debug, Serialize, Clone)]
pub struct Located<T> {
    pub value: T,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Serialize)]
pub struct TimeSummary {
    /// As written in the XML.
    pub value: String,
    /// The instant in UTC, when the value parses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utc: Option<Instant>,
    /// Seconds from `now` to this instant (negative: in the past).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_from_now: Option<i64>,
    /// "in 52 min" / "3 h ago".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Serialize)]
pub struct StatusSummary {
    pub code: Option<String>,
    pub sub_codes: Vec<String>,
    pub success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ResponseSummary {
    pub id: Option<String>,
    pub version: Option<String>,
    pub issuer: Option<Located<String>>,
    pub destination: Option<Located<String>>,
    pub in_response_to: Option<String>,
    pub issue_instant: Option<TimeSummary>,
    pub status: Option<StatusSummary>,
    pub signatures: Vec<SignatureSummary>,
    pub assertions: Vec<AssertionSummary>,
    pub encrypted_assertions: Vec<EncryptedSummary>,
    /// Assertion elements outside the places SAML allows (a wrapping-attack shape).
    pub misplaced_assertions: Vec<Located<String>>,
}

#[derive(Debug, Serialize)]
pub struct StatusResponseSummary {
    pub id: Option<String>,
    pub issuer: Option<Located<String>>,
    pub destination: Option<Located<String>>,
    pub in_response_to: Option<String>,
    pub issue_instant: Option<TimeSummary>,
    pub status: Option<StatusSummary>,
    pub signatures: Vec<SignatureSummary>,
}

#[derive(Debug, Serialize)]
pub struct AssertionSummary {
    pub id: Option<String>,
    pub issuer: Option<Located<String>>,
    pub issue_instant: Option<TimeSummary>,
    pub subject: Option<SubjectSummary>,
    pub confirmations: Vec<ConfirmationSummary>,
    pub conditions: Option<ConditionsSummary>,
    pub authn_statements: Vec<AuthnSummary>,
    pub attributes: Vec<AttributeSummary>,
    pub encrypted_attributes: usize,
    pub signatures: Vec<SignatureSummary>,
}

#[derive(Debug, Serialize)]
pub struct SubjectSummary {
    pub name_id: Option<Located<String>>,
    pub format: Option<String>,
    pub name_qualifier: Option<String>,
    pub sp_name_qualifier: Option<String>,
    /// The NameID is encrypted (EncryptedID).
    pub encrypted: bool,
    /// Comments or markup interrupt the NameID text (comment-injection shape).
    pub mixed_content: bool,
}

#[derive(Debug, Serialize)]
pub struct ConfirmationSummary {
    pub method: Option<String>,
    pub recipient: Option<String>,
    pub in_response_to: Option<String>,
    pub address: Option<String>,
    pub not_before: Option<TimeSummary>,
    pub not_on_or_after: Option<TimeSummary>,
}

#[derive(Debug, Serialize)]
pub struct ConditionsSummary {
    pub not_before: Option<TimeSummary>,
    pub not_on_or_after: Option<TimeSummary>,
    /// "valid, expires in 52 min" / "expired 3 h ago" / "not yet valid (starts in 4 min)".
    pub validity: Option<String>,
    pub audiences: Vec<String>,
    pub one_time_use: bool,
    pub proxy_restriction: bool,
}

#[derive(Debug, Serialize)]
pub struct AuthnSummary {
    pub authn_instant: Option<TimeSummary>,
    pub session_index: Option<String>,
    pub session_not_on_or_after: Option<TimeSummary>,
    pub class_ref: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AttributeSummary {
    pub name: Option<String>,
    pub friendly_name: Option<String>,
    pub name_format: Option<String>,
    pub values: Vec<String>,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Serialize)]
pub struct SignatureSummary {
    /// Local name of the element the Signature sits in (Response, Assertion, …).
    pub on: String,
    pub on_id: Option<String>,
    pub line: u32,
    pub column: u32,
    pub signature_method: Option<String>,
    pub canonicalization: Option<String>,
    pub references: Vec<ReferenceSummary>,
    pub certificates: Vec<CertificateSummary>,
}

#[derive(Debug, Serialize)]
pub struct ReferenceSummary {
    pub uri: Option<String>,
    pub digest_method: Option<String>,
    pub transforms: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct EncryptedSummary {
    pub data_algorithm: Option<String>,
    pub key_algorithms: Vec<String>,
    pub recipient_certificates: Vec<CertificateSummary>,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Serialize)]
pub struct AuthnRequestSummary {
    pub id: Option<String>,
    pub issuer: Option<Located<String>>,
    pub destination: Option<Located<String>>,
    pub issue_instant: Option<TimeSummary>,
    pub assertion_consumer_service_url: Option<Located<String>>,
    pub protocol_binding: Option<String>,
    pub name_id_policy_format: Option<String>,
    pub force_authn: Option<bool>,
    pub is_passive: Option<bool>,
    pub requested_authn_context: Vec<String>,
    pub signatures: Vec<SignatureSummary>,
}

#[derive(Debug, Serialize)]
pub struct LogoutRequestSummary {
    pub id: Option<String>,
    pub issuer: Option<Located<String>>,
    pub destination: Option<Located<String>>,
    pub issue_instant: Option<TimeSummary>,
    pub name_id: Option<String>,
    pub session_indexes: Vec<String>,
    pub signatures: Vec<SignatureSummary>,
}

#[derive(Debug, Serialize)]
pub struct MetadataSummary {
    pub entity_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    pub valid_until: Option<TimeSummary>,
    pub cache_duration: Option<String>,
    pub signatures: Vec<SignatureSummary>,
    pub entities: Vec<EntitySummary>,
}

#[derive(Debug, Serialize)]
pub struct EntitySummary {
    pub entity_id: Option<Located<String>>,
    pub organization: Option<String>,
    pub valid_until: Option<TimeSummary>,
    pub signatures: Vec<SignatureSummary>,
    pub roles: Vec<RoleSummary>,
}

#[derive(Debug, Serialize)]
pub struct RoleSummary {
    /// Element name, with `xsi:type` for generic RoleDescriptors.
    pub role: String,
    pub protocols: Vec<String>,
    pub single_sign_on: Vec<EndpointSummary>,
    pub assertion_consumer_services: Vec<EndpointSummary>,
    pub single_logout: Vec<EndpointSummary>,
    pub name_id_formats: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub want_assertions_signed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authn_requests_signed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub want_authn_requests_signed: Option<bool>,
    pub keys: Vec<KeySummary>,
}

#[derive(Debug, Serialize)]
pub struct EndpointSummary {
    pub binding: Option<String>,
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct KeySummary {
    #[serde(rename = "use")]
    pub key_use: Option<String>,
    pub certificates: Vec<CertificateSummary>,
}

/// "valid, expires in 52 min" / "expired 3 h ago" / "not yet valid: starts in 4 min".
pub fn describe_window(
    start: Option<Instant>,
    end: Option<Instant>,
    now: Instant,
) -> Option<String> {
    if let Some(start) = start {
        let until_start = now.seconds_until(start);
        if until_start > 0 {
            return Some(format!(
                "not yet valid: starts in {}",
                describe_duration(until_start)
            ));
        }
    }
    match end {
        Some(end) => {
            let remaining = now.seconds_until(end);
            if remaining > 0 {
                Some(format!(
                    "valid, expires in {}",
                    describe_duration(remaining)
                ))
            } else {
                Some(format!("expired {} ago", describe_duration(remaining)))
            }
        }
        None if start.is_some() => Some("valid, no end given".to_string()),
        None => None,
    }
}
