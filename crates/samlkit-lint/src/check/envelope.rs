//! The Response envelope: Destination, InResponseTo, Issuer, Version and the status.

use samlkit_parse::model::{is_saml1, is_wsfed_response};

use super::*;

pub(super) fn check_envelope(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    verification: &VerificationReport<'_, '_>,
) {
    // WS-Federation's envelope (RequestSecurityTokenResponse) carries none of SAML's: no
    // Issuer, Destination, InResponseTo or status; the token says who issued it for whom.
    if is_wsfed_response(response.node) {
        return;
    }
    let header = &response.header;
    // A SAML 1.x Response (WS-Federation, older Shibboleth) is judged by SAML 1.1's rules: its
    // version is 1.x and it names no Issuer of its own (the assertion does).
    let saml1 = is_saml1(response.node);
    if let Some(version) = &header.version {
        if version.value.trim() != "2.0" && !saml1 {
            checker.push(
                Finding::new(Rule::VersionNot20, "the Response is not SAML 2.0")
                    .expected("2.0")
                    .actual(version.value)
                    .at(version.span.clone()),
            );
        }
    }
    let options = checker.options;
    match &header.issuer {
        None if saml1 => {}
        None => checker.push(
            Finding::new(Rule::IssuerMissing, "the Response does not name its Issuer")
                .expected("<saml:Issuer> with the IdP's entity ID")
                .actual("no Issuer element")
                .at(response.node.range()),
        ),
        Some(issuer) => {
            if let Some(expected) = &options.idp_entity_id {
                if issuer.value.trimmed() != expected {
                    let fix = checker.fix(Fix::RefreshMetadata);
                    checker.push(
                        Finding::new(
                            Rule::IssuerMismatch,
                            "the Response's Issuer is not the entityID of the IdP metadata you gave",
                        )
                        .expected(expected.clone())
                        .actual(issuer.value.trimmed())
                        .fix(format!(
                            "import the metadata of the IdP that actually signs in these users \
                             (check tenant and application, and http vs https): {fix}"
                        ))
                        .at(issuer.value.span.clone()),
                    );
                }
            }
            check_issuer_format(checker, issuer.format.as_ref());
        }
    }
    if let (Some(acs), Some(destination)) = (&options.acs_url, &header.destination) {
        if destination.value != acs {
            let fix = checker.fix(Fix::ReplyUrl { url: acs });
            checker.push(
                Finding::new(
                    Rule::DestinationMismatch,
                    "the Response was addressed to another URL than the service provider's ACS",
                )
                .expected(acs.clone())
                .actual(destination.value)
                .fix(fix)
                .at(destination.span.clone()),
            );
        }
    }
    let response_signed = !header.signatures.is_empty();
    if header.destination.is_none() && response_signed {
        checker.push(
            Finding::new(
                Rule::DestinationMissing,
                "the signed Response has no Destination",
            )
            .expected("Destination=\"<the ACS URL>\"")
            .actual("no Destination attribute")
            .at(response.node.range()),
        );
    }
    match (&options.request_id, &response.in_response_to) {
        (Some(request_id), Some(in_response_to)) if in_response_to.value != request_id => {
            checker.push(
                Finding::new(
                    Rule::InResponseToMismatch,
                    "the Response answers another AuthnRequest than the one given",
                )
                .expected(request_id.clone())
                .actual(in_response_to.value)
                .fix(
                    "start the sign-in again from the service provider; make sure one browser \
                      tab completes it",
                )
                .at(in_response_to.span.clone()),
            );
        }
        (Some(request_id), None) => checker.push(
            Finding::new(
                Rule::InResponseToMismatch,
                "the Response has no InResponseTo: it is IdP-initiated (unsolicited), but the \
                 service provider sent a request and expects its answer",
            )
            .expected(request_id.clone())
            .actual("no InResponseTo (IdP-initiated)")
            .fix("start the sign-in at the service provider, or allow IdP-initiated sign-in there")
            .at(response.node.range()),
        ),
        (None, None) => checker.push(
            Finding::new(
                Rule::UnsolicitedResponse,
                "no InResponseTo: this sign-in started at the identity provider (a portal tile or \
                 link), not at the service provider",
            )
            .fix(unsolicited_fix(checker.options.profile))
            .at(response.node.range()),
        ),
        _ => {}
    }
    check_time(
        checker,
        header.issue_instant.as_ref(),
        "Response IssueInstant",
    );
    if let Some(issued) = header.issue_instant.as_ref().and_then(|t| t.instant()) {
        check_issue_instant(checker, issued, header.issue_instant.as_ref());
    }
    let _ = verification;
}

pub(super) fn check_issuer_format(checker: &mut Checker<'_>, format: Option<&AttrValue<'_>>) {
    if let Some(format) = format {
        if format.value.trim() != "urn:oasis:names:tc:SAML:2.0:nameid-format:entity" {
            checker.push(
                Finding::new(
                    Rule::IssuerFormat,
                    "the Issuer declares a Format other than entity",
                )
                .expected("no Format, or urn:oasis:names:tc:SAML:2.0:nameid-format:entity")
                .actual(format.value)
                .at(format.span.clone()),
            );
        }
    }
}

/// Returns whether the status is Success.
pub(super) fn check_status(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    facts: &mut MessageFacts,
) -> bool {
    // A WS-Federation sign-in response has no status: an error is a SOAP fault, not a token.
    if is_wsfed_response(response.node) {
        return true;
    }
    let Some(status) = &response.status else {
        checker.push(
            Finding::new(Rule::StatusNotSuccess, "the Response has no Status")
                .expected("samlp:Status with StatusCode Success")
                .actual("no Status element")
                .at(response.node.range()),
        );
        return false;
    };
    let codes: Vec<&str> = status
        .code
        .iter()
        .chain(status.sub_codes.iter())
        .map(|c| c.value.trim())
        .collect();
    facts.status = Some(codes.iter().map(|c| short(c)).collect::<Vec<_>>().join("/"));
    if status.is_success() {
        return true;
    }
    let message = status.message.as_ref().map(|m| m.trimmed().to_string());
    let detail = status.detail.as_ref().map(|d| d.trimmed().to_string());
    let combined = format!(
        "{} {}",
        message.as_deref().unwrap_or(""),
        detail.as_deref().unwrap_or("")
    );
    let mut text = format!(
        "the identity provider refused the sign-in with status {}",
        codes
            .iter()
            .map(|c| short(c))
            .collect::<Vec<_>>()
            .join(" / ")
    );
    if let Some(message) = &message {
        text.push_str(&format!(": \"{message}\""));
    }
    let mut finding = Finding::new(Rule::StatusNotSuccess, text)
        .expected("urn:oasis:names:tc:SAML:2.0:status:Success")
        .actual(codes.join(" / "));
    let aadsts: Vec<_> = aadsts::codes_in(&combined)
        .into_iter()
        .filter_map(aadsts::lookup)
        .collect();
    if let Some(first) = aadsts.first() {
        finding
            .message
            .to_mut()
            .push_str(&format!(" — AADSTS{}: {}", first.code, first.meaning));
        let idp = if checker.idp == Idp::GENERIC {
            Idp::ENTRA_ID
        } else {
            checker.idp
        };
        finding = finding.fix(first.fix.text(idp));
    } else if codes.iter().any(|c| c.ends_with(":RequestDenied")) {
        finding = finding.fix(checker.fix(Fix::AssignUser));
    } else {
        finding = finding.fix(format!(
            "look up the request in {}'s sign-in logs for the full reason",
            checker.idp.name()
        ));
    }
    let span = status
        .code
        .as_ref()
        .map_or(status.node.range(), |c| c.span.clone());
    checker.push(finding.at(span));
    if !response.assertions.is_empty() || !response.encrypted_assertions.is_empty() {
        checker.push(
            Finding::new(
                Rule::ErrorWithAssertions,
                "the error Response nevertheless carries an assertion",
            )
            .at(response
                .assertions
                .first()
                .map_or(status.node.range(), |a| a.node.range())),
        );
    }
    false
}

/// What to do about an IdP-initiated response, in the service provider's words where its
/// profile says how a sign-in must start.
fn unsolicited_fix(profile: Profile) -> String {
    if profile == Profile::AwsIam {
        return "nothing to change for AWS: IAM SAML federation signs in from the identity \
                provider's portal (IdP-initiated) by design"
            .to_string();
    }
    match profile.sp_fix(crate::console_data::SpFixKind::StartSignIn) {
        Some(text) => text.to_string(),
        None => "if the service provider refuses IdP-initiated sign-in, start from its own \
                 sign-in page"
            .to_string(),
    }
}
