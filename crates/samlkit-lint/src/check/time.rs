//! Times: how they are written, IssueInstant's age, and the Conditions window and audience.

use samlkit_parse::model::Conditions;

use super::*;

pub(super) fn check_time(checker: &mut Checker<'_>, value: Option<&TimeValue<'_>>, label: &str) {
    let Some(value) = value else { return };
    match &value.parsed {
        Err(err) => checker.push(
            Finding::new(
                Rule::TimeUnreadable,
                format!("{label} cannot be read: {}", err.reason),
            )
            .expected("an xs:dateTime in UTC, like 2026-11-28T09:00:00Z")
            .actual(value.text.value)
            .at(value.text.span.clone()),
        ),
        Ok(dt) => {
            let problem = match dt.zone {
                Zone::Utc => None,
                Zone::Offset(minutes) => Some(format!("has a UTC offset of {minutes:+} minutes")),
                Zone::Missing => Some("has no timezone".to_string()),
            };
            if let Some(problem) = problem {
                checker.push(
                    Finding::new(Rule::TimeNotUtc, format!("{label} {problem}"))
                        .expected(format!("{} (UTC, with Z)", dt.instant))
                        .actual(value.text.value)
                        .at(value.text.span.clone()),
                );
            }
        }
    }
}

pub(super) fn check_issue_instant(
    checker: &mut Checker<'_>,
    issued: Instant,
    value: Option<&TimeValue<'_>>,
) {
    let span = value.map(|v| v.text.span.clone());
    let ahead = checker.now().seconds_until(issued);
    if ahead > checker.skew() {
        let mut finding = Finding::new(
            Rule::IssuedInFuture,
            format!(
                "issued {} in the future: the IdP's clock is about {} ahead of this one",
                describe_duration(ahead),
                describe_duration(ahead)
            ),
        )
        .expected(format!(
            "IssueInstant at or before {} (+{} s skew)",
            checker.now(),
            checker.skew()
        ))
        .actual(issued.to_string())
        .fix(checker.fix(Fix::Clock));
        if let Some(span) = span.clone() {
            finding = finding.at(span);
        }
        checker.push(finding);
    } else if -ahead > checker.options.max_issue_age_seconds {
        let mut finding = Finding::new(
            Rule::IssuedLongAgo,
            format!("issued {} ago", describe_duration(ahead)),
        )
        .expected(format!(
            "issued within {} of {}",
            describe_duration(checker.options.max_issue_age_seconds),
            checker.now()
        ))
        .actual(issued.to_string());
        if let Some(span) = span {
            finding = finding.at(span);
        }
        checker.push(finding);
    }
}

pub(super) fn check_conditions(
    checker: &mut Checker<'_>,
    assertion: &Assertion<'_, '_>,
    facts: &mut MessageFacts,
) {
    let Some(conditions) = &assertion.conditions else {
        checker.push(
            Finding::new(
                Rule::AudienceMissing,
                "the assertion has no Conditions (no audience, no validity window)",
            )
            .expected("Conditions with an AudienceRestriction")
            .actual("none")
            .at(assertion.node.range()),
        );
        return;
    };
    facts.audiences = conditions
        .audiences()
        .map(|a| a.trimmed().to_string())
        .collect();
    facts.not_before = conditions
        .not_before
        .as_ref()
        .map(|t| t.text.value.to_string());
    facts.not_on_or_after = conditions
        .not_on_or_after
        .as_ref()
        .map(|t| t.text.value.to_string());
    check_audiences(checker, conditions);
    check_validity_window(checker, assertion, conditions);
}

/// NotBefore and NotOnOrAfter: readable, in order, and around the instant judged at.
fn check_validity_window(
    checker: &mut Checker<'_>,
    assertion: &Assertion<'_, '_>,
    conditions: &Conditions<'_, '_>,
) {
    check_time(
        checker,
        conditions.not_before.as_ref(),
        "Conditions NotBefore",
    );
    check_time(
        checker,
        conditions.not_on_or_after.as_ref(),
        "Conditions NotOnOrAfter",
    );
    let start = conditions.not_before.as_ref().and_then(|t| t.instant());
    let end = conditions
        .not_on_or_after
        .as_ref()
        .and_then(|t| t.instant());
    if let (Some(start), Some(end)) = (start, end) {
        if start >= end {
            checker.push(
                Finding::new(Rule::WindowInverted, "the validity window is empty")
                    .expected("NotBefore < NotOnOrAfter")
                    .actual(format!("{start} ≥ {end}"))
                    .at(conditions.node.range()),
            );
            return;
        }
    }
    let issued = assertion.issue_instant.as_ref().and_then(|t| t.instant());
    if let Some(start) = start {
        let early = checker.now().seconds_until(start);
        if early > checker.skew() {
            let clock = match issued {
                Some(issued) => format!(
                    "; the assertion was issued at {issued}, so the IdP's clock runs about {} ahead of this one",
                    describe_duration(checker.now().seconds_until(issued).max(0))
                ),
                None => String::new(),
            };
            checker.push(
                Finding::new(
                    Rule::NotYetValid,
                    format!(
                        "the assertion becomes valid only in {}{clock}; a clock skew allowance of at least {} s would have been needed (allowed: {} s)",
                        describe_duration(early),
                        early,
                        checker.skew()
                    ),
                )
                .expected(format!("NotBefore at or before {} + {} s", checker.now(), checker.skew()))
                .actual(start.to_string())
                .fix(checker.fix(Fix::Clock))
                .at(conditions.not_before.as_ref().map_or(conditions.node.range(), |t| t.text.span.clone())),
            );
        }
    }
    if let Some(end) = end {
        let late = -checker.now().seconds_until(end);
        if late >= checker.skew() {
            checker.push(
                Finding::new(
                    Rule::Expired,
                    format!(
                        "the assertion expired {} ago; it would take a clock skew allowance of more than {} s to accept it (allowed: {} s)",
                        describe_duration(late),
                        late,
                        checker.skew()
                    ),
                )
                .expected(format!("NotOnOrAfter later than {} − {} s", checker.now(), checker.skew()))
                .actual(end.to_string())
                .fix(checker.fix(Fix::Clock))
                .at(conditions.not_on_or_after.as_ref().map_or(conditions.node.range(), |t| t.text.span.clone())),
            );
        }
    }
}

/// The AudienceRestrictions: present, not empty, and naming this service provider.
fn check_audiences(checker: &mut Checker<'_>, conditions: &Conditions<'_, '_>) {
    let options = checker.options;
    let expected_audiences: Vec<String> = match &options.sp_entity_id {
        Some(sp) => vec![sp.clone()],
        None => options
            .profile
            .default_audiences()
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    if conditions.audience_restrictions.is_empty() {
        checker.push(
            Finding::new(
                Rule::AudienceMissing,
                "the assertion has no AudienceRestriction",
            )
            .expected(
                expected_audiences
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "the SP's entity ID".into()),
            )
            .actual("none")
            .at(conditions.node.range()),
        );
    }
    for restriction in &conditions.audience_restrictions {
        for audience in restriction.iter().filter(|a| a.trimmed().is_empty()) {
            let fix = expected_audiences
                .first()
                .map(|sp| checker.fix(Fix::Identifier { entity_id: sp }));
            let mut finding = Finding::new(Rule::AudienceEmpty, "an Audience element is empty")
                .expected(
                    expected_audiences
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "the SP's entity ID".into()),
                )
                .actual("<Audience/>")
                .at(audience.span.clone());
            if let Some(fix) = fix {
                finding = finding.fix(fix);
            }
            checker.push(finding);
        }
        if expected_audiences.is_empty() {
            continue;
        }
        let regional_aws = |a: &str| {
            options.profile == Profile::AwsIam
                && options.sp_entity_id.is_none()
                && a.starts_with("https://")
                && a.ends_with(".signin.aws.amazon.com/saml")
        };
        let matched = restriction.iter().any(|a| {
            expected_audiences.iter().any(|e| e == a.trimmed()) || regional_aws(a.trimmed())
        });
        if !matched && restriction.iter().any(|a| !a.trimmed().is_empty()) {
            let actual: Vec<&str> = restriction.iter().map(|a| a.trimmed()).collect();
            let fix = checker.fix(Fix::Identifier {
                entity_id: &expected_audiences[0],
            });
            checker.push(
                Finding::new(
                    Rule::AudienceMismatch,
                    "the assertion is meant for another service provider (Audience)",
                )
                .expected(expected_audiences.join(" or "))
                .actual(actual.join(", "))
                .fix(fix)
                .at(restriction[0].span.clone()),
            );
        }
    }
}
