//! AuthnRequests, judged against what the identity provider is configured with.

use super::*;

/// Lints an AuthnRequest against what the IdP is configured with (the SP's entity ID and ACS).
pub fn lint_authn_request(request: &AuthnRequest<'_, '_>, options: &LintOptions) -> Report {
    let text = request.node.document().input_text();
    let destination = attr_str(&request.header.destination).unwrap_or("");
    let (idp, detection) = IdpClues {
        named: options.idp,
        metadata_entity_id: options.idp_entity_id.as_deref(),
        endpoints: &[destination],
        ..IdpClues::default()
    }
    .detect();
    let mut checker = Checker::new(text, options, idp);
    checker.idp_detection = detection;
    let issuer = request
        .header
        .issuer
        .as_ref()
        .map(|i| i.value.trimmed().to_string());
    if let (Some(acs), Some(requested)) =
        (&options.acs_url, &request.assertion_consumer_service_url)
    {
        if requested.value != acs {
            checker.push(
                Finding::new(
                    Rule::RequestAcsMismatch,
                    "the request asks the IdP to post to an ACS URL other than the configured one \
                     (Entra ID: AADSTS50011)",
                )
                .expected(acs.clone())
                .actual(requested.value)
                .fix(checker.fix(Fix::ReplyUrl {
                    url: requested.value,
                }))
                .at(requested.span.clone()),
            );
        }
    }
    if let Some(requested) = &request.assertion_consumer_service_url {
        if let Some(placeholder) = placeholder_in(requested.value) {
            checker.push(
                Finding::new(
                    Rule::Placeholder,
                    format!("the ACS URL still holds the placeholder `{placeholder}`"),
                )
                .actual(requested.value)
                .at(requested.span.clone()),
            );
        }
    }
    if let (Some(sp), Some(issuer_node)) = (&options.sp_entity_id, &request.header.issuer) {
        if issuer_node.value.trimmed() != sp {
            checker.push(
                Finding::new(
                    Rule::RequestIssuerMismatch,
                    "the request's Issuer is not the Identifier configured at the IdP (Entra ID: AADSTS700016)",
                )
                .expected(sp.clone())
                .actual(issuer_node.value.trimmed())
                .fix(checker.fix(Fix::Identifier { entity_id: issuer_node.value.trimmed() }))
                .at(issuer_node.value.span.clone()),
            );
        }
    }
    if let Some(id) = &request.header.id {
        if id.value.starts_with(|c: char| c.is_ascii_digit()) {
            checker.push(
                Finding::new(
                    Rule::RequestIdStartsWithDigit,
                    "the request ID starts with a digit",
                )
                .expected("an ID starting with a letter or underscore")
                .actual(id.value)
                .at(id.span.clone()),
            );
        }
    }
    if request.has_subject {
        checker.push(
            Finding::new(
                Rule::RequestHasSubject,
                "the AuthnRequest carries a Subject",
            )
            .at(request.node.range()),
        );
    }
    check_time(
        &mut checker,
        request.header.issue_instant.as_ref(),
        "AuthnRequest IssueInstant",
    );
    let facts = MessageFacts {
        kind: "authn-request".into(),
        issuer,
        destination: attr_str(&request.header.destination).map(str::to_string),
        ..MessageFacts::default()
    };
    let idp_detected_from = checker.idp_detection.take();
    let mut findings = checker.findings;
    findings.sort_by_key(fix_order);
    let mut report = Report {
        verdict: Verdict::Pass,
        profile: options.profile.name().to_string(),
        profile_source: ProfileSource::Default,
        profile_detected: None,
        judged_at: options.now.to_string(),
        judged_at_source: ClockSource::Flag,
        idp,
        idp_detected_from,
        findings,
        subject: None,
        attributes: Vec::new(),
        signature: SignatureSummary {
            verified: false,
            verdict: "not-applicable".into(),
            signatures: Vec::new(),
        },
        facts,
    };
    report.settle();
    report
}
