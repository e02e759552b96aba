//! `samlkit inspect`: a readable summary of each message, or the same as JSON Lines.
//!
//! The JSON field names are documented in the README and kept stable.

use std::fmt::Write as _;

use colored::Colorize;
use samlkit_parse::decode::{Binding, InputForm};
use samlkit_parse::model::{
    Assertion, AttrValue, AuthnRequest, EncryptedInfo, EntityDescriptor, Issuer, KeyDescriptor,
    LogoutRequest, MessageKind, Metadata, NameId, SamlMessage, SignatureInfo, Status,
    StatusResponse, TextValue, TimeValue,
};
use samlkit_parse::time::{describe_duration, Instant, Zone};
use samlkit_parse::{xml, InputError, Limits};
use samlkit_verify::xmlenc::{decrypt_document, DecryptionKeys};
use serde::Serialize;

use crate::certificates::{describe_certificate, CertificateSummary};
use crate::cli::{ExpectedKind, InspectArgs, OutputFormat};
use crate::exit;
use crate::input::{self, LoadedMessage};
use crate::style::print_error;

pub fn run(args: &InspectArgs) -> u8 {
    let limits = Limits::default();
    let now = args.now.unwrap_or_else(system_now);
    let keys = match crate::input::load_keys(&args.input.sp_key) {
        Ok(keys) => keys,
        Err(message) => {
            print_error("--sp-key", &message);
            return exit::BAD_INPUT;
        }
    };
    let mut code = exit::OK;
    let mut first = true;
    for loaded in input::load_all(&args.input, &limits) {
        let result = loaded.map_err(|f| (f.label, f.message)).and_then(|loaded| {
            summarise(&loaded, args.input.expect, now, &keys, &limits)
                .map_err(|message| (loaded.label.clone(), message))
        });
        match result {
            Ok(summary) => match args.format {
                OutputFormat::Json => println!("{}", to_json_line(&summary)),
                OutputFormat::Text => {
                    if !first {
                        println!();
                    }
                    print!("{}", render_text(&summary));
                }
            },
            Err((label, message)) => {
                if args.format == OutputFormat::Json {
                    let line = serde_json::json!({ "source": label, "error": message });
                    println!("{line}");
                }
                print_error(&label, &message);
                code = code.max(exit::BAD_INPUT);
            }
        }
        first = false;
    }
    code
}

pub fn system_now() -> Instant {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Instant::from_unix(since_epoch.as_secs() as i64, since_epoch.subsec_nanos())
}

fn to_json_line(summary: &MessageSummary) -> String {
    serde_json::to_string(summary).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Refuses a message of another kind than the one asked for with `--expect`.
pub fn check_expected(
    message: &SamlMessage<'_, '_>,
    expected: Option<ExpectedKind>,
) -> Result<(), InputError> {
    let Some(expected) = expected else {
        return Ok(());
    };
    let kind = message.kind();
    let (fits, wanted) = match expected {
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

/// Everything `inspect` says about one message.
#[derive(Serialize)]
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
}

#[derive(Serialize)]
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
}

#[derive(Serialize)]
pub struct RedirectSignatureSummary {
    pub sig_alg: String,
    pub algorithm: String,
}

#[derive(Serialize, Clone)]
pub struct Located<T> {
    pub value: T,
    pub line: u32,
    pub column: u32,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
pub struct StatusSummary {
    pub code: Option<String>,
    pub sub_codes: Vec<String>,
    pub success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
pub struct StatusResponseSummary {
    pub id: Option<String>,
    pub issuer: Option<Located<String>>,
    pub destination: Option<Located<String>>,
    pub in_response_to: Option<String>,
    pub issue_instant: Option<TimeSummary>,
    pub status: Option<StatusSummary>,
    pub signatures: Vec<SignatureSummary>,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
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

#[derive(Serialize)]
pub struct ConfirmationSummary {
    pub method: Option<String>,
    pub recipient: Option<String>,
    pub in_response_to: Option<String>,
    pub address: Option<String>,
    pub not_before: Option<TimeSummary>,
    pub not_on_or_after: Option<TimeSummary>,
}

#[derive(Serialize)]
pub struct ConditionsSummary {
    pub not_before: Option<TimeSummary>,
    pub not_on_or_after: Option<TimeSummary>,
    /// "valid, expires in 52 min" / "expired 3 h ago" / "not yet valid (starts in 4 min)".
    pub validity: Option<String>,
    pub audiences: Vec<String>,
    pub one_time_use: bool,
    pub proxy_restriction: bool,
}

#[derive(Serialize)]
pub struct AuthnSummary {
    pub authn_instant: Option<TimeSummary>,
    pub session_index: Option<String>,
    pub session_not_on_or_after: Option<TimeSummary>,
    pub class_ref: Option<String>,
}

#[derive(Serialize)]
pub struct AttributeSummary {
    pub name: Option<String>,
    pub friendly_name: Option<String>,
    pub name_format: Option<String>,
    pub values: Vec<String>,
    pub line: u32,
    pub column: u32,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
pub struct ReferenceSummary {
    pub uri: Option<String>,
    pub digest_method: Option<String>,
    pub transforms: Vec<String>,
}

#[derive(Serialize)]
pub struct EncryptedSummary {
    pub data_algorithm: Option<String>,
    pub key_algorithms: Vec<String>,
    pub recipient_certificates: Vec<CertificateSummary>,
    pub line: u32,
    pub column: u32,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
pub struct LogoutRequestSummary {
    pub id: Option<String>,
    pub issuer: Option<Located<String>>,
    pub destination: Option<Located<String>>,
    pub issue_instant: Option<TimeSummary>,
    pub name_id: Option<String>,
    pub session_indexes: Vec<String>,
    pub signatures: Vec<SignatureSummary>,
}

#[derive(Serialize)]
pub struct MetadataSummary {
    pub entity_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    pub valid_until: Option<TimeSummary>,
    pub cache_duration: Option<String>,
    pub signatures: Vec<SignatureSummary>,
    pub entities: Vec<EntitySummary>,
}

#[derive(Serialize)]
pub struct EntitySummary {
    pub entity_id: Option<Located<String>>,
    pub organization: Option<String>,
    pub valid_until: Option<TimeSummary>,
    pub signatures: Vec<SignatureSummary>,
    pub roles: Vec<RoleSummary>,
}

#[derive(Serialize)]
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

#[derive(Serialize)]
pub struct EndpointSummary {
    pub binding: Option<String>,
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
}

#[derive(Serialize)]
pub struct KeySummary {
    #[serde(rename = "use")]
    pub key_use: Option<String>,
    pub certificates: Vec<CertificateSummary>,
}

/// Builds the summary of one decoded message.
pub fn summarise(
    loaded: &LoadedMessage,
    expect: Option<ExpectedKind>,
    now: Instant,
    keys: &DecryptionKeys,
    limits: &Limits,
) -> Result<MessageSummary, String> {
    let mut text = loaded.decoded.xml.as_str();
    let mut decryption_summary = Vec::new();
    let decrypted_text;
    if !keys.is_empty() {
        let decryption = decrypt_document(text, keys, limits).map_err(|e| e.to_string())?;
        decryption_summary = decryption
            .elements
            .iter()
            .map(|element| match &element.result {
                Ok(done) => DecryptionSummary {
                    element: element.wrapper.clone(),
                    decrypted: true,
                    algorithms: Some(done.description.clone()),
                    key: Some(done.key_label.clone()),
                    message: None,
                },
                Err(failure) => DecryptionSummary {
                    element: element.wrapper.clone(),
                    decrypted: false,
                    algorithms: None,
                    key: None,
                    message: Some(crate::flag_hints::with_flag_hint(
                        &failure.message,
                        failure.missing,
                    )),
                },
            })
            .collect();
        decrypted_text = decryption.text;
        text = decrypted_text.as_str();
    }
    let doc = xml::parse_xml(text, limits).map_err(|e| e.to_string())?;
    let message = samlkit_parse::read_message(&doc).map_err(|e| e.to_string())?;
    check_expected(&message, expect).map_err(|e| e.to_string())?;
    let ctx = Ctx {
        lines: xml::LineIndex::new(text),
        now,
    };
    let decoded = &loaded.decoded;
    let mut summary = MessageSummary {
        source: loaded.label.clone(),
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
    Ok(summary)
}

struct Ctx<'t> {
    lines: xml::LineIndex<'t>,
    now: Instant,
}

impl Ctx<'_> {
    fn located(&self, value: String, offset: usize) -> Located<String> {
        let pos = self.lines.position(offset);
        Located {
            value,
            line: pos.line,
            column: pos.column,
        }
    }

    fn attr(&self, value: &Option<AttrValue<'_>>) -> Option<Located<String>> {
        value
            .as_ref()
            .map(|v| self.located(v.value.to_string(), v.span.start))
    }

    fn text_value(&self, value: &TextValue<'_>) -> Located<String> {
        self.located(value.trimmed().to_string(), value.span.start)
    }

    fn issuer(&self, issuer: &Option<Issuer<'_, '_>>) -> Option<Located<String>> {
        issuer.as_ref().map(|i| self.text_value(&i.value))
    }

    fn time(&self, value: &Option<TimeValue<'_>>) -> Option<TimeSummary> {
        let value = value.as_ref()?;
        let pos = self.lines.position(value.text.span.start);
        let (utc, seconds, relative, note) = match &value.parsed {
            Ok(dt) => {
                let seconds = self.now.seconds_until(dt.instant);
                let relative = if seconds >= 0 {
                    format!("in {}", describe_duration(seconds))
                } else {
                    format!("{} ago", describe_duration(seconds))
                };
                let note = match dt.zone {
                    Zone::Utc => None,
                    Zone::Offset(minutes) => Some(format!(
                        "written with a UTC offset of {minutes:+} min; SAML requires UTC (Z)"
                    )),
                    Zone::Missing => Some("written without a timezone; read as UTC".to_string()),
                };
                (Some(dt.instant), Some(seconds), Some(relative), note)
            }
            Err(err) => (None, None, None, Some(err.to_string())),
        };
        Some(TimeSummary {
            value: value.text.value.to_string(),
            utc,
            seconds_from_now: seconds,
            relative,
            note,
            line: pos.line,
            column: pos.column,
        })
    }

    fn status(&self, status: &Option<Status<'_, '_>>) -> Option<StatusSummary> {
        status.as_ref().map(|s| StatusSummary {
            code: s.code.as_ref().map(|c| c.value.trim().to_string()),
            sub_codes: s
                .sub_codes
                .iter()
                .map(|c| c.value.trim().to_string())
                .collect(),
            success: s.is_success(),
            message: s.message.as_ref().map(|m| m.trimmed().to_string()),
            detail: s
                .detail
                .as_ref()
                .map(|d| d.trimmed().to_string())
                .filter(|d| !d.is_empty()),
        })
    }

    fn signatures(&self, signatures: &[SignatureInfo<'_, '_>]) -> Vec<SignatureSummary> {
        signatures
            .iter()
            .map(|sig| {
                let parent = sig.node.parent_element();
                let pos = self.lines.position(sig.node.range().start);
                SignatureSummary {
                    on: parent.map_or_else(String::new, |p| p.tag_name().name().to_string()),
                    on_id: parent
                        .and_then(|p| xml::plain_attribute(p, "ID"))
                        .map(|a| a.value().to_string()),
                    line: pos.line,
                    column: pos.column,
                    signature_method: sig.signature_method.as_ref().map(|m| m.value.to_string()),
                    canonicalization: sig.canonicalization.as_ref().map(|m| m.value.to_string()),
                    references: sig
                        .references
                        .iter()
                        .map(|r| ReferenceSummary {
                            uri: r.uri.as_ref().map(|u| u.value.to_string()),
                            digest_method: r.digest_method.as_ref().map(|d| d.value.to_string()),
                            transforms: r.transforms.iter().map(|t| t.value.to_string()).collect(),
                        })
                        .collect(),
                    certificates: sig
                        .key_info
                        .certificates
                        .iter()
                        .map(|c| describe_certificate(&c.value, self.now))
                        .collect(),
                }
            })
            .collect()
    }

    fn encrypted(&self, items: &[EncryptedInfo<'_, '_>]) -> Vec<EncryptedSummary> {
        items
            .iter()
            .map(|e| {
                let pos = self.lines.position(e.node.range().start);
                EncryptedSummary {
                    data_algorithm: e.data_algorithm.as_ref().map(|a| a.value.to_string()),
                    key_algorithms: e
                        .key_algorithms
                        .iter()
                        .map(|a| a.value.to_string())
                        .collect(),
                    recipient_certificates: e
                        .recipient_certificates
                        .iter()
                        .map(|c| describe_certificate(&c.value, self.now))
                        .collect(),
                    line: pos.line,
                    column: pos.column,
                }
            })
            .collect()
    }

    fn response(&self, response: &samlkit_parse::model::Response<'_, '_>) -> ResponseSummary {
        let header = &response.header;
        ResponseSummary {
            id: header.id.as_ref().map(|v| v.value.to_string()),
            version: header.version.as_ref().map(|v| v.value.to_string()),
            issuer: self.issuer(&header.issuer),
            destination: self.attr(&header.destination),
            in_response_to: response
                .in_response_to
                .as_ref()
                .map(|v| v.value.to_string()),
            issue_instant: self.time(&header.issue_instant),
            status: self.status(&response.status),
            signatures: self.signatures(&header.signatures),
            assertions: response
                .assertions
                .iter()
                .map(|a| self.assertion(a))
                .collect(),
            encrypted_assertions: self.encrypted(&response.encrypted_assertions),
            misplaced_assertions: response
                .misplaced_assertions
                .iter()
                .map(|node| {
                    let parent = node.parent_element().map_or("?", |p| p.tag_name().name());
                    self.located(format!("Assertion inside <{parent}>"), node.range().start)
                })
                .collect(),
        }
    }

    fn status_response(&self, response: &StatusResponse<'_, '_>) -> StatusResponseSummary {
        let header = &response.header;
        StatusResponseSummary {
            id: header.id.as_ref().map(|v| v.value.to_string()),
            issuer: self.issuer(&header.issuer),
            destination: self.attr(&header.destination),
            in_response_to: response
                .in_response_to
                .as_ref()
                .map(|v| v.value.to_string()),
            issue_instant: self.time(&header.issue_instant),
            status: self.status(&response.status),
            signatures: self.signatures(&header.signatures),
        }
    }

    fn name_id(&self, name_id: &NameId<'_, '_>) -> SubjectSummary {
        SubjectSummary {
            name_id: Some(self.text_value(&name_id.value)),
            format: name_id.format.as_ref().map(|f| f.value.to_string()),
            name_qualifier: name_id.name_qualifier.as_ref().map(|f| f.value.to_string()),
            sp_name_qualifier: name_id
                .sp_name_qualifier
                .as_ref()
                .map(|f| f.value.to_string()),
            encrypted: false,
            mixed_content: name_id.value.mixed_content,
        }
    }

    fn assertion(&self, assertion: &Assertion<'_, '_>) -> AssertionSummary {
        let subject = assertion
            .subject
            .as_ref()
            .map(|subject| match &subject.name_id {
                Some(name_id) => self.name_id(name_id),
                None => SubjectSummary {
                    name_id: None,
                    format: None,
                    name_qualifier: None,
                    sp_name_qualifier: None,
                    encrypted: subject.encrypted_id.is_some(),
                    mixed_content: false,
                },
            });
        let confirmations = assertion
            .subject
            .iter()
            .flat_map(|s| s.confirmations.iter())
            .map(|c| {
                let data = c.data.as_ref();
                ConfirmationSummary {
                    method: c.method.as_ref().map(|m| m.value.to_string()),
                    recipient: data
                        .and_then(|d| d.recipient.as_ref())
                        .map(|v| v.value.to_string()),
                    in_response_to: data
                        .and_then(|d| d.in_response_to.as_ref())
                        .map(|v| v.value.to_string()),
                    address: data
                        .and_then(|d| d.address.as_ref())
                        .map(|v| v.value.to_string()),
                    not_before: data.and_then(|d| self.time(&d.not_before)),
                    not_on_or_after: data.and_then(|d| self.time(&d.not_on_or_after)),
                }
            })
            .collect();
        let conditions = assertion.conditions.as_ref().map(|c| {
            let start = c.not_before.as_ref().and_then(|t| t.instant());
            let end = c.not_on_or_after.as_ref().and_then(|t| t.instant());
            ConditionsSummary {
                not_before: self.time(&c.not_before),
                not_on_or_after: self.time(&c.not_on_or_after),
                validity: describe_window(start, end, self.now),
                audiences: c.audiences().map(|a| a.trimmed().to_string()).collect(),
                one_time_use: c.one_time_use,
                proxy_restriction: c.proxy_restriction.is_some(),
            }
        });
        AssertionSummary {
            id: assertion.id.as_ref().map(|v| v.value.to_string()),
            issuer: self.issuer(&assertion.issuer),
            issue_instant: self.time(&assertion.issue_instant),
            subject,
            confirmations,
            conditions,
            authn_statements: assertion
                .authn_statements
                .iter()
                .map(|a| AuthnSummary {
                    authn_instant: self.time(&a.authn_instant),
                    session_index: a.session_index.as_ref().map(|v| v.value.to_string()),
                    session_not_on_or_after: self.time(&a.session_not_on_or_after),
                    class_ref: a.class_ref.as_ref().map(|v| v.trimmed().to_string()),
                })
                .collect(),
            attributes: assertion
                .attributes
                .iter()
                .map(|a| {
                    let pos = self.lines.position(a.node.range().start);
                    AttributeSummary {
                        name: a.name.as_ref().map(|v| v.value.to_string()),
                        friendly_name: a.friendly_name.as_ref().map(|v| v.value.to_string()),
                        name_format: a.name_format.as_ref().map(|v| v.value.to_string()),
                        values: a
                            .values
                            .iter()
                            .map(|v| v.text.as_str().to_string())
                            .collect(),
                        line: pos.line,
                        column: pos.column,
                    }
                })
                .collect(),
            encrypted_attributes: assertion.encrypted_attributes.len(),
            signatures: self.signatures(&assertion.signatures),
        }
    }

    fn authn_request(&self, request: &AuthnRequest<'_, '_>) -> AuthnRequestSummary {
        let header = &request.header;
        AuthnRequestSummary {
            id: header.id.as_ref().map(|v| v.value.to_string()),
            issuer: self.issuer(&header.issuer),
            destination: self.attr(&header.destination),
            issue_instant: self.time(&header.issue_instant),
            assertion_consumer_service_url: self.attr(&request.assertion_consumer_service_url),
            protocol_binding: request
                .protocol_binding
                .as_ref()
                .map(|v| v.value.to_string()),
            name_id_policy_format: request
                .name_id_policy
                .as_ref()
                .and_then(|p| p.format.as_ref())
                .map(|v| v.value.to_string()),
            force_authn: request.force_authn.as_ref().map(|v| v.value),
            is_passive: request.is_passive.as_ref().map(|v| v.value),
            requested_authn_context: request
                .requested_authn_context
                .iter()
                .flat_map(|r| r.class_refs.iter())
                .map(|c| c.trimmed().to_string())
                .collect(),
            signatures: self.signatures(&header.signatures),
        }
    }

    fn logout_request(&self, request: &LogoutRequest<'_, '_>) -> LogoutRequestSummary {
        let header = &request.header;
        LogoutRequestSummary {
            id: header.id.as_ref().map(|v| v.value.to_string()),
            issuer: self.issuer(&header.issuer),
            destination: self.attr(&header.destination),
            issue_instant: self.time(&header.issue_instant),
            name_id: request
                .name_id
                .as_ref()
                .map(|n| n.value.trimmed().to_string()),
            session_indexes: request
                .session_indexes
                .iter()
                .map(|s| s.trimmed().to_string())
                .collect(),
            signatures: self.signatures(&header.signatures),
        }
    }

    fn metadata(&self, metadata: &Metadata<'_, '_>) -> MetadataSummary {
        let entities = metadata.entities();
        let (group_name, valid_until, cache_duration, signatures) = match metadata {
            Metadata::Entities(group) => (
                group.name.as_ref().map(|n| n.value.to_string()),
                self.time(&group.valid_until),
                group.cache_duration.as_ref().map(|c| c.value.to_string()),
                self.signatures(&group.signatures),
            ),
            Metadata::Entity(entity) => (
                None,
                self.time(&entity.valid_until),
                entity.cache_duration.as_ref().map(|c| c.value.to_string()),
                Vec::new(),
            ),
        };
        MetadataSummary {
            entity_count: entities.len(),
            group_name,
            valid_until,
            cache_duration,
            signatures,
            entities: entities.iter().map(|e| self.entity(e)).collect(),
        }
    }

    fn entity(&self, entity: &EntityDescriptor<'_, '_>) -> EntitySummary {
        let endpoints = |list: &[samlkit_parse::model::Endpoint<'_, '_>]| -> Vec<EndpointSummary> {
            list.iter()
                .map(|e| EndpointSummary {
                    binding: e.binding.as_ref().map(|v| v.value.to_string()),
                    location: e.location.as_ref().map(|v| v.value.to_string()),
                    index: e.index.as_ref().map(|v| v.value.to_string()),
                    is_default: e.is_default.as_ref().map(|v| v.value),
                })
                .collect()
        };
        let keys = |keys: &[KeyDescriptor<'_, '_>]| -> Vec<KeySummary> {
            keys.iter()
                .map(|k| KeySummary {
                    key_use: k.key_use.as_ref().map(|u| u.value.to_string()),
                    certificates: k
                        .key_info
                        .certificates
                        .iter()
                        .map(|c| describe_certificate(&c.value, self.now))
                        .collect(),
                })
                .collect()
        };
        let mut roles = Vec::new();
        for idp in &entity.idp_roles {
            roles.push(RoleSummary {
                role: "IDPSSODescriptor".into(),
                protocols: protocols(&idp.role.protocol_support),
                single_sign_on: endpoints(&idp.single_sign_on),
                assertion_consumer_services: Vec::new(),
                single_logout: endpoints(&idp.role.single_logout),
                name_id_formats: idp
                    .role
                    .name_id_formats
                    .iter()
                    .map(|f| f.trimmed().to_string())
                    .collect(),
                want_assertions_signed: None,
                authn_requests_signed: None,
                want_authn_requests_signed: idp
                    .want_authn_requests_signed
                    .as_ref()
                    .map(|v| v.value),
                keys: keys(&idp.role.keys),
            });
        }
        for sp in &entity.sp_roles {
            roles.push(RoleSummary {
                role: "SPSSODescriptor".into(),
                protocols: protocols(&sp.role.protocol_support),
                single_sign_on: Vec::new(),
                assertion_consumer_services: endpoints(&sp.assertion_consumer_services),
                single_logout: endpoints(&sp.role.single_logout),
                name_id_formats: sp
                    .role
                    .name_id_formats
                    .iter()
                    .map(|f| f.trimmed().to_string())
                    .collect(),
                want_assertions_signed: sp.want_assertions_signed.as_ref().map(|v| v.value),
                authn_requests_signed: sp.authn_requests_signed.as_ref().map(|v| v.value),
                want_authn_requests_signed: None,
                keys: keys(&sp.role.keys),
            });
        }
        for other in &entity.other_roles {
            let role = match &other.xsi_type {
                Some(t) => format!("{} ({})", other.element, t.value),
                None => other.element.to_string(),
            };
            roles.push(RoleSummary {
                role,
                protocols: protocols(&other.protocol_support),
                single_sign_on: Vec::new(),
                assertion_consumer_services: Vec::new(),
                single_logout: endpoints(&other.single_logout),
                name_id_formats: other
                    .name_id_formats
                    .iter()
                    .map(|f| f.trimmed().to_string())
                    .collect(),
                want_assertions_signed: None,
                authn_requests_signed: None,
                want_authn_requests_signed: None,
                keys: keys(&other.keys),
            });
        }
        EntitySummary {
            entity_id: self.attr(&entity.entity_id),
            organization: entity
                .organization_name
                .as_ref()
                .map(|o| o.trimmed().to_string()),
            valid_until: self.time(&entity.valid_until),
            signatures: self.signatures(&entity.signatures),
            roles,
        }
    }
}

fn protocols(value: &Option<AttrValue<'_>>) -> Vec<String> {
    value
        .as_ref()
        .map(|v| v.value.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
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

/// A short name for an algorithm URI: `rsa-sha256`, `exc-c14n`, `sha256`.
pub fn short_algorithm(uri: &str) -> String {
    let uri = uri.trim();
    let known = match uri {
        "http://www.w3.org/2001/10/xml-exc-c14n#" => Some("exc-c14n"),
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments" => Some("exc-c14n-with-comments"),
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315" => Some("c14n"),
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments" => {
            Some("c14n-with-comments")
        }
        "http://www.w3.org/2006/12/xml-c14n11" => Some("c14n11"),
        "http://www.w3.org/2006/12/xml-c14n11#WithComments" => Some("c14n11-with-comments"),
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature" => Some("enveloped-signature"),
        _ => None,
    };
    if let Some(name) = known {
        return name.to_string();
    }
    uri.rsplit(['#', '/', ':'])
        .find(|segment| !segment.is_empty())
        .unwrap_or(uri)
        .to_string()
}

// ---------------------------------------------------------------- text rendering

struct Text {
    out: String,
}

impl Text {
    fn heading(&mut self, title: &str, detail: &str) {
        let _ = writeln!(self.out, "{} {}", title.bold(), detail);
    }

    fn field(&mut self, indent: usize, name: &str, value: &str) {
        let _ = writeln!(
            self.out,
            "{:indent$}{:<14} {}",
            "",
            name.dimmed(),
            value,
            indent = indent
        );
    }

    fn opt(&mut self, indent: usize, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.field(indent, name, value);
        }
    }

    /// A value read from the XML with its place, when present.
    fn located(&mut self, indent: usize, name: &str, value: &Option<Located<String>>) {
        self.opt(indent, name, value.as_ref().map(|v| v.value.as_str()));
    }
}

fn time_text(time: &TimeSummary) -> String {
    let mut text = time.value.clone();
    if let Some(relative) = &time.relative {
        let _ = write!(text, " ({relative})");
    }
    if let Some(note) = &time.note {
        let _ = write!(text, " — {note}");
    }
    text
}

fn render_text(summary: &MessageSummary) -> String {
    let mut t = Text { out: String::new() };
    let mut how = vec![summary.form.name().to_string()];
    if let Some(binding) = summary.binding {
        how.push(match binding {
            Binding::HttpPost => "HTTP-POST".into(),
            Binding::HttpRedirect => "HTTP-Redirect".into(),
            Binding::HttpPostSimpleSign => "HTTP-POST-SimpleSign".into(),
        });
    }
    if let Some(parameter) = &summary.parameter {
        how.push(parameter.clone());
    }
    let _ = writeln!(
        t.out,
        "{} {}  ({})",
        "==>".cyan().bold(),
        summary.source.bold(),
        how.join(", ")
    );
    t.opt(2, "Captured", summary.captured_at.as_deref());
    t.opt(2, "RelayState", summary.relay_state.as_deref());
    t.opt(2, "Encoding", summary.encoding_note.as_deref());
    for item in &summary.decryption {
        if item.decrypted {
            t.field(
                2,
                "Decrypted",
                &format!(
                    "{} ({}) with {}",
                    item.element,
                    item.algorithms.as_deref().unwrap_or("?"),
                    item.key.as_deref().unwrap_or("?")
                ),
            );
        } else {
            t.field(
                2,
                "Not decrypted",
                &format!(
                    "{}: {}",
                    item.element,
                    item.message.as_deref().unwrap_or("")
                )
                .red()
                .to_string(),
            );
        }
    }
    if let Some(sig) = &summary.redirect_signature {
        let (label, place) = match summary.binding {
            Some(Binding::HttpPostSimpleSign) => ("Form signed", "SigAlg in the form"),
            _ => ("Query signed", "SigAlg in the URL"),
        };
        t.field(2, label, &format!("{} ({place})", sig.algorithm));
    }
    if let Some(response) = &summary.response {
        render_response(&mut t, response);
    }
    if let Some(assertion) = &summary.assertion {
        render_assertion(&mut t, assertion);
    }
    if let Some(request) = &summary.authn_request {
        t.heading("AuthnRequest", request.id.as_deref().unwrap_or("(no ID)"));
        t.located(2, "Issuer", &request.issuer);
        t.located(2, "Destination", &request.destination);
        t.opt(
            2,
            "ACS URL",
            request
                .assertion_consumer_service_url
                .as_ref()
                .map(|v| v.value.as_str()),
        );
        t.opt(
            2,
            "Binding",
            request
                .protocol_binding
                .as_deref()
                .filter(|b| !b.is_empty()),
        );
        t.opt(2, "NameID policy", request.name_id_policy_format.as_deref());
        if let Some(time) = &request.issue_instant {
            t.field(2, "Issued", &time_text(time));
        }
        if !request.requested_authn_context.is_empty() {
            t.field(
                2,
                "AuthnContext",
                &request.requested_authn_context.join(", "),
            );
        }
        render_signatures(&mut t, 2, &request.signatures);
    }
    if let Some(request) = &summary.logout_request {
        t.heading("LogoutRequest", request.id.as_deref().unwrap_or("(no ID)"));
        t.located(2, "Issuer", &request.issuer);
        t.located(2, "Destination", &request.destination);
        t.opt(2, "NameID", request.name_id.as_deref());
        if !request.session_indexes.is_empty() {
            t.field(2, "SessionIndex", &request.session_indexes.join(", "));
        }
        render_signatures(&mut t, 2, &request.signatures);
    }
    if let Some(response) = &summary.logout_response {
        t.heading(
            "LogoutResponse",
            response.id.as_deref().unwrap_or("(no ID)"),
        );
        t.located(2, "Issuer", &response.issuer);
        t.located(2, "Destination", &response.destination);
        t.opt(2, "InResponseTo", response.in_response_to.as_deref());
        render_status(&mut t, &response.status);
        render_signatures(&mut t, 2, &response.signatures);
    }
    if let Some(metadata) = &summary.metadata {
        render_metadata(&mut t, metadata);
    }
    t.out
}

fn render_status(t: &mut Text, status: &Option<StatusSummary>) {
    let Some(status) = status else {
        t.field(2, "Status", &"missing".red().to_string());
        return;
    };
    let mut codes: Vec<String> = status
        .code
        .iter()
        .chain(status.sub_codes.iter())
        .map(|c| short_algorithm(c))
        .collect();
    if codes.is_empty() {
        codes.push("(no code)".into());
    }
    let codes = codes.join(" / ");
    let shown = if status.success {
        codes.green().to_string()
    } else {
        codes.red().bold().to_string()
    };
    t.field(2, "Status", &shown);
    t.opt(2, "  message", status.message.as_deref());
    t.opt(2, "  detail", status.detail.as_deref());
}

fn render_response(t: &mut Text, response: &ResponseSummary) {
    t.heading("Response", response.id.as_deref().unwrap_or("(no ID)"));
    t.located(2, "Issuer", &response.issuer);
    t.located(2, "Destination", &response.destination);
    match &response.in_response_to {
        Some(id) => t.field(2, "InResponseTo", id),
        None => t.field(2, "InResponseTo", "(none: IdP-initiated or unsolicited)"),
    }
    if let Some(time) = &response.issue_instant {
        t.field(2, "Issued", &time_text(time));
    }
    render_status(t, &response.status);
    render_signatures(t, 2, &response.signatures);
    for misplaced in &response.misplaced_assertions {
        t.field(
            2,
            "Warning",
            &format!(
                "{} at line {}, column {} (never read as claims)",
                misplaced.value, misplaced.line, misplaced.column
            )
            .yellow()
            .to_string(),
        );
    }
    for encrypted in &response.encrypted_assertions {
        let keys: Vec<String> = encrypted
            .key_algorithms
            .iter()
            .map(|a| short_algorithm(a))
            .collect();
        t.heading(
            "EncryptedAssertion",
            &format!(
                "{} (key transport {}) at line {}",
                encrypted
                    .data_algorithm
                    .as_deref()
                    .map_or("?".into(), short_algorithm),
                if keys.is_empty() {
                    "?".to_string()
                } else {
                    keys.join(", ")
                },
                encrypted.line
            ),
        );
        for cert in &encrypted.recipient_certificates {
            t.field(2, "For cert", &cert_line(cert));
        }
    }
    if response.assertions.is_empty() && response.encrypted_assertions.is_empty() {
        t.field(2, "Assertions", "none");
    }
    for assertion in &response.assertions {
        render_assertion(t, assertion);
    }
}

fn render_assertion(t: &mut Text, assertion: &AssertionSummary) {
    t.heading("Assertion", assertion.id.as_deref().unwrap_or("(no ID)"));
    t.located(2, "Issuer", &assertion.issuer);
    match &assertion.subject {
        Some(subject) if subject.encrypted => t.field(2, "NameID", "(encrypted: EncryptedID)"),
        Some(subject) => {
            let value = subject
                .name_id
                .as_ref()
                .map_or("(none)", |v| v.value.as_str());
            let format = subject
                .format
                .as_deref()
                .map_or("no Format".into(), short_algorithm);
            let mut line = format!("{} ({format})", value.bold());
            if subject.mixed_content {
                let _ = write!(
                    line,
                    " {}",
                    "— comments or markup inside the NameID".yellow()
                );
            }
            t.field(2, "NameID", &line);
            t.opt(2, "SPNameQualifier", subject.sp_name_qualifier.as_deref());
        }
        None => t.field(2, "Subject", "(none)"),
    }
    if let Some(conditions) = &assertion.conditions {
        if !conditions.audiences.is_empty() {
            t.field(2, "Audience", &conditions.audiences.join(", "));
        }
        if let Some(validity) = &conditions.validity {
            let shown = if validity.starts_with("valid") {
                validity.green().to_string()
            } else {
                validity.red().to_string()
            };
            t.field(2, "Validity", &shown);
        }
        if let Some(time) = &conditions.not_before {
            t.field(2, "  NotBefore", &time_text(time));
        }
        if let Some(time) = &conditions.not_on_or_after {
            t.field(2, "  NotOnOrAfter", &time_text(time));
        }
    }
    for confirmation in &assertion.confirmations {
        let method = confirmation
            .method
            .as_deref()
            .map_or("?".into(), short_algorithm);
        let mut line = method;
        if let Some(recipient) = &confirmation.recipient {
            let _ = write!(line, ", Recipient {recipient}");
        }
        if let Some(time) = &confirmation.not_on_or_after {
            let _ = write!(line, ", NotOnOrAfter {}", time_text(time));
        }
        if let Some(id) = &confirmation.in_response_to {
            let _ = write!(line, ", InResponseTo {id}");
        }
        t.field(2, "Confirmation", &line);
    }
    for authn in &assertion.authn_statements {
        let mut line = authn
            .class_ref
            .as_deref()
            .map_or("(no class)".into(), short_algorithm);
        if let Some(time) = &authn.authn_instant {
            let _ = write!(line, " at {}", time_text(time));
        }
        t.field(2, "Authn", &line);
        t.opt(2, "  SessionIndex", authn.session_index.as_deref());
    }
    if assertion.attributes.is_empty() {
        t.field(2, "Attributes", "(none)");
    } else {
        t.field(2, "Attributes", "");
        let width = assertion
            .attributes
            .iter()
            .map(|a| a.name.as_deref().unwrap_or("").chars().count())
            .max()
            .unwrap_or(0)
            .min(70);
        for attribute in &assertion.attributes {
            let name = attribute.name.as_deref().unwrap_or("(no Name)");
            let friendly = attribute
                .friendly_name
                .as_deref()
                .map(|f| format!(" [{f}]"))
                .unwrap_or_default();
            let values = if attribute.values.is_empty() {
                "(no value)".to_string()
            } else {
                attribute.values.join(" | ")
            };
            let _ = writeln!(
                t.out,
                "    {:<width$}{} = {}",
                name,
                friendly.dimmed(),
                values,
                width = width
            );
        }
    }
    if assertion.encrypted_attributes > 0 {
        t.field(
            2,
            "Encrypted",
            &format!("{} EncryptedAttribute(s)", assertion.encrypted_attributes),
        );
    }
    render_signatures(t, 2, &assertion.signatures);
}

fn render_signatures(t: &mut Text, indent: usize, signatures: &[SignatureSummary]) {
    if signatures.is_empty() {
        t.field(
            indent,
            "Signed",
            &"no (no Signature on this element)".yellow().to_string(),
        );
        return;
    }
    for sig in signatures {
        let method = sig
            .signature_method
            .as_deref()
            .map_or("?".into(), short_algorithm);
        let digests: Vec<String> = sig
            .references
            .iter()
            .filter_map(|r| r.digest_method.as_deref())
            .map(short_algorithm)
            .collect();
        let c14n = sig
            .canonicalization
            .as_deref()
            .map_or("?".into(), short_algorithm);
        let uris: Vec<String> = sig
            .references
            .iter()
            .map(|r| match r.uri.as_deref() {
                Some("") => "\"\" (the whole document)".to_string(),
                Some(uri) => uri.to_string(),
                None => "(no URI)".to_string(),
            })
            .collect();
        t.field(
            indent,
            "Signature",
            &format!(
                "{method} / {} / {c14n}, Reference {} (line {}, column {}; not verified by inspect)",
                if digests.is_empty() { "?".into() } else { digests.join(",") },
                if uris.is_empty() { "(none)".into() } else { uris.join(", ") },
                sig.line,
                sig.column
            ),
        );
        for cert in &sig.certificates {
            t.field(indent, "  KeyInfo cert", &cert_line(cert));
        }
    }
}

fn cert_line(cert: &CertificateSummary) -> String {
    match &cert.error {
        Some(error) => format!("unreadable: {error}"),
        None => format!(
            "{}, {}, SHA-256 {}",
            cert.subject.as_deref().unwrap_or("?"),
            cert.validity.as_deref().unwrap_or("?"),
            cert.sha256.as_deref().unwrap_or("?")
        ),
    }
}

fn render_metadata(t: &mut Text, metadata: &MetadataSummary) {
    let title = if metadata.group_name.is_some() || metadata.entity_count != 1 {
        "EntitiesDescriptor"
    } else {
        "EntityDescriptor"
    };
    t.heading(
        title,
        &format!(
            "{}{} entit{}",
            metadata
                .group_name
                .as_deref()
                .map(|n| format!("{n}: "))
                .unwrap_or_default(),
            metadata.entity_count,
            if metadata.entity_count == 1 {
                "y"
            } else {
                "ies"
            }
        ),
    );
    if let Some(time) = &metadata.valid_until {
        t.field(2, "validUntil", &time_text(time));
    }
    t.opt(2, "cacheDuration", metadata.cache_duration.as_deref());
    if title == "EntitiesDescriptor" {
        render_signatures(t, 2, &metadata.signatures);
    }
    for entity in &metadata.entities {
        t.heading(
            "Entity",
            entity
                .entity_id
                .as_ref()
                .map_or("(no entityID)", |e| e.value.as_str()),
        );
        t.opt(2, "Organization", entity.organization.as_deref());
        if let Some(time) = &entity.valid_until {
            t.field(2, "validUntil", &time_text(time));
        }
        if !entity.signatures.is_empty() || metadata.entity_count == 1 {
            render_signatures(t, 2, &entity.signatures);
        }
        for role in &entity.roles {
            t.field(2, "Role", &role.role.bold().to_string());
            for (name, list) in [
                ("  SSO", &role.single_sign_on),
                ("  ACS", &role.assertion_consumer_services),
                ("  SLO", &role.single_logout),
            ] {
                for endpoint in list {
                    let mut line = format!(
                        "{} {}",
                        endpoint
                            .binding
                            .as_deref()
                            .map_or("?".into(), short_binding),
                        endpoint.location.as_deref().unwrap_or("(no Location)")
                    );
                    if let Some(index) = &endpoint.index {
                        let _ = write!(line, " [index {index}]");
                    }
                    if endpoint.is_default == Some(true) {
                        line.push_str(" (default)");
                    }
                    t.field(2, name, &line);
                }
            }
            if !role.name_id_formats.is_empty() {
                let formats: Vec<String> = role
                    .name_id_formats
                    .iter()
                    .map(|f| short_algorithm(f))
                    .collect();
                t.field(2, "  NameIDFormat", &formats.join(", "));
            }
            for (name, value) in [
                ("  WantAssertionsSigned", role.want_assertions_signed),
                ("  AuthnRequestsSigned", role.authn_requests_signed),
                ("  WantAuthnRequestsSigned", role.want_authn_requests_signed),
            ] {
                if let Some(value) = value {
                    t.field(2, name, &value.to_string());
                }
            }
            for key in &role.keys {
                for cert in &key.certificates {
                    t.field(
                        2,
                        &format!("  Key ({})", key.key_use.as_deref().unwrap_or("any use")),
                        &cert_line(cert),
                    );
                }
            }
        }
    }
}

fn short_binding(uri: &str) -> String {
    uri.rsplit(':').next().unwrap_or(uri).to_string()
}
