//! Reading the summary's parts from the typed views.

use samlkit_parse::model::{
    Assertion, AttrValue, AuthnRequest, EncryptedInfo, EntityDescriptor, Issuer, KeyDescriptor,
    LogoutRequest, Metadata, NameId, SignatureInfo, Status, StatusResponse, TextValue, TimeValue,
};
use samlkit_parse::time::{Instant, Zone};
use samlkit_parse::xml::{self, ns};
use samlkit_verify::dsig::signature_misplacement;

use super::*;

/// Reads the summary's parts from the typed views, locating every value in the text.
pub(super) struct Reader<'t> {
    pub(super) lines: xml::LineIndex<'t>,
    pub(super) now: Instant,
}

impl Reader<'_> {
    pub(super) fn located(&self, value: String, offset: usize) -> Located<String> {
        let pos = self.lines.position(offset);
        Located {
            value,
            line: pos.line,
            column: pos.column,
        }
    }

    pub(super) fn attr(&self, value: &Option<AttrValue<'_>>) -> Option<Located<String>> {
        value
            .as_ref()
            .map(|v| self.located(v.value.to_string(), v.span.start))
    }

    pub(super) fn text_value(&self, value: &TextValue<'_>) -> Located<String> {
        self.located(value.trimmed().to_string(), value.span.start)
    }

    pub(super) fn issuer(&self, issuer: &Option<Issuer<'_, '_>>) -> Option<Located<String>> {
        issuer.as_ref().map(|i| self.text_value(&i.value))
    }

    pub(super) fn time(&self, value: &Option<TimeValue<'_>>) -> Option<TimeSummary> {
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

    pub(super) fn status(&self, status: &Option<Status<'_, '_>>) -> Option<StatusSummary> {
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

    pub(super) fn signatures(&self, signatures: &[SignatureInfo<'_, '_>]) -> Vec<SignatureSummary> {
        signatures
            .iter()
            .map(|sig| {
                let parent = sig.node.parent_element();
                let pos = self.lines.position(sig.node.range().start);
                SignatureSummary {
                    on: parent.map_or_else(String::new, |p| p.tag_name().name().to_string()),
                    on_id: parent.and_then(element_id),
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

    /// Every `ds:Signature` of `document`, with the path to it and, when it is out of place,
    /// why.
    pub(super) fn signature_places(
        &self,
        document: &roxmltree::Document<'_>,
    ) -> Vec<SignaturePlace> {
        let text = document.input_text();
        document
            .descendants()
            .filter(|node| xml::is_element(*node, ns::DS, "Signature"))
            .map(|signature| {
                let parent = signature.parent_element();
                let mut names: Vec<&str> = signature
                    .ancestors()
                    .skip(1)
                    .filter(|node| node.is_element())
                    .map(|node| xml::element_qname(node, text))
                    .collect();
                names.reverse();
                // Deep hiding places are shown by their last few steps.
                const SHOWN: usize = 6;
                let path = if names.len() > SHOWN {
                    format!("… > {}", names[names.len() - SHOWN..].join(" > "))
                } else {
                    names.join(" > ")
                };
                let pos = self.lines.position(signature.range().start);
                SignaturePlace {
                    on: parent
                        .map_or_else(String::new, |p| xml::element_qname(p, text).to_string()),
                    on_id: parent.and_then(element_id),
                    path,
                    line: pos.line,
                    column: pos.column,
                    misplaced: signature_misplacement(signature),
                }
            })
            .collect()
    }

    /// The elements around `message`, outermost first (a SOAP Body is shown by its Envelope).
    pub(super) fn wrappers(&self, message: roxmltree::Node<'_, '_>) -> Vec<WrapperSummary> {
        let text = message.document().input_text();
        let mut wrappers: Vec<WrapperSummary> = message
            .ancestors()
            .skip(1)
            .filter(|node| node.is_element() && !xml::is_element(*node, ns::SOAP11, "Body"))
            .map(|node| {
                let pos = self.lines.position(node.range().start);
                WrapperSummary {
                    element: xml::element_qname(node, text).to_string(),
                    id: element_id(node),
                    issuer: xml::child_named(node, ns::SAML, "Issuer")
                        .map(|issuer| xml::text_content(issuer).trim().to_string()),
                    in_response_to: xml::plain_attribute(node, "InResponseTo")
                        .map(|a| a.value().to_string()),
                    line: pos.line,
                    column: pos.column,
                }
            })
            .collect();
        wrappers.reverse();
        wrappers
    }

    pub(super) fn encrypted(&self, items: &[EncryptedInfo<'_, '_>]) -> Vec<EncryptedSummary> {
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

    pub(super) fn response(
        &self,
        response: &samlkit_parse::model::Response<'_, '_>,
    ) -> ResponseSummary {
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

    pub(super) fn status_response(
        &self,
        response: &StatusResponse<'_, '_>,
    ) -> StatusResponseSummary {
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

    pub(super) fn name_id(&self, name_id: &NameId<'_, '_>) -> SubjectSummary {
        SubjectSummary {
            // Exactly as signed, never trimmed: an SP that compares exactly sees these characters.
            name_id: Some(
                self.located(name_id.value.as_str().to_string(), name_id.value.span.start),
            ),
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

    pub(super) fn assertion(&self, assertion: &Assertion<'_, '_>) -> AssertionSummary {
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

    pub(super) fn authn_request(&self, request: &AuthnRequest<'_, '_>) -> AuthnRequestSummary {
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

    pub(super) fn logout_request(&self, request: &LogoutRequest<'_, '_>) -> LogoutRequestSummary {
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

    pub(super) fn metadata(&self, metadata: &Metadata<'_, '_>) -> MetadataSummary {
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

    pub(super) fn entity(&self, entity: &EntityDescriptor<'_, '_>) -> EntitySummary {
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

/// The ID of an element, under the name its vocabulary gives it (`ID`, SAML 1.x's
/// `AssertionID` / `ResponseID` / `RequestID`, WS-*'s `Id`).
fn element_id(node: roxmltree::Node<'_, '_>) -> Option<String> {
    ["ID", "AssertionID", "ResponseID", "RequestID", "Id"]
        .into_iter()
        .find_map(|name| xml::plain_attribute(node, name))
        .map(|a| a.value().to_string())
}
