//! One assertion: its Issuer, and the order its parts are checked in.

use super::*;

pub(super) fn check_assertion(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    assertion: &Assertion<'_, '_>,
    facts: &mut MessageFacts,
) {
    let options = checker.options;
    facts.assertion_id = attr_str(&assertion.id).map(str::to_string);
    // Issuer
    match &assertion.issuer {
        None => checker.push(
            Finding::new(
                Rule::AssertionIssuerMissing,
                "the assertion does not name its Issuer",
            )
            .at(assertion.node.range()),
        ),
        Some(issuer) => {
            let expected = options.idp_entity_id.clone().or_else(|| {
                response
                    .header
                    .issuer
                    .as_ref()
                    .map(|i| i.value.trimmed().to_string())
            });
            if let Some(expected) = expected {
                if issuer.value.trimmed() != expected {
                    let fix = checker.fix(Fix::RefreshMetadata);
                    checker.push(
                        Finding::new(
                            Rule::AssertionIssuerMismatch,
                            "the assertion's Issuer is not the identity provider's entity ID",
                        )
                        .expected(expected)
                        .actual(issuer.value.trimmed())
                        .fix(fix)
                        .at(issuer.value.span.clone()),
                    );
                }
            }
            check_issuer_format(checker, issuer.format.as_ref());
        }
    }
    check_time(
        checker,
        assertion.issue_instant.as_ref(),
        "Assertion IssueInstant",
    );
    check_subject(checker, assertion, facts);
    check_conditions(checker, assertion, facts);
    if assertion.authn_statements.is_empty() {
        checker.push(
            Finding::new(
                Rule::NoAuthnStatement,
                "the assertion has no AuthnStatement",
            )
            .at(assertion.node.range()),
        );
    }
    for statement in &assertion.authn_statements {
        check_time(checker, statement.authn_instant.as_ref(), "AuthnInstant");
        check_time(
            checker,
            statement.session_not_on_or_after.as_ref(),
            "SessionNotOnOrAfter",
        );
        if let Some(end) = statement
            .session_not_on_or_after
            .as_ref()
            .and_then(|t| t.instant())
        {
            let remaining = checker.now().seconds_until(end);
            if remaining + checker.skew() <= 0 {
                checker.push(
                    Finding::new(
                        Rule::SessionExpired,
                        format!("the IdP session ended {} ago", describe_duration(remaining)),
                    )
                    .expected(format!("SessionNotOnOrAfter after {}", checker.now()))
                    .actual(end.to_string())
                    .at(statement
                        .session_not_on_or_after
                        .as_ref()
                        .map_or(statement.node.range(), |t| t.text.span.clone())),
                );
            }
        }
    }
    check_attributes(checker, assertion);
}
