//! What particular service providers require beyond SAML (AWS IAM roles and the like).

use super::*;
use crate::console_data::{SigningRequirement, SpEntry};

/// The Response itself must be signed (Slack, or a profile file with `signing = "response"`).
fn check_response_signed(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    assertion: &Assertion<'_, '_>,
    verification: &VerificationReport<'_, '_>,
) {
    let response_signed = verification.signatures.iter().any(|s| {
        s.parent.as_ref().is_some_and(|p| p.name == "Response")
            && (s.outcome == SignatureOutcome::Verified
                || verification.verdict == SignatureVerdict::NoTrustConfigured)
    }) || (verification.signatures.is_empty()
        && !response.header.signatures.is_empty());
    if !response_signed {
        let where_signed = if assertion.signatures.is_empty() {
            "no signature at all"
        } else {
            "a Signature only inside <Assertion>"
        };
        checker.push(
            Finding::new(
                Rule::ResponseNotSigned,
                format!(
                    "{} verifies the signature of the Response, and this Response is not \
                     signed{}",
                    checker.options.profile.title(),
                    checker.sp_shows()
                ),
            )
            .expected("a ds:Signature directly in <samlp:Response>")
            .actual(where_signed)
            .fix(checker.fix(Fix::SignResponse))
            .at(response.node.range()),
        );
    }
}

/// A profile file's requirements beyond those the generic checks read from it (NameID
/// formats, audiences, the user-id attribute): signing, required attributes, ACS suffixes.
fn check_custom(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    assertion: &Assertion<'_, '_>,
    verification: &VerificationReport<'_, '_>,
    entry: &SpEntry,
) {
    let requirements = &entry.requirements;
    if requirements.signing == SigningRequirement::Response {
        check_response_signed(checker, response, assertion, verification);
    }
    let user_id = checker.options.user_id_attribute();
    for wanted in requirements.attributes.iter().filter(|a| a.required) {
        // The user-id attribute has its own, fuller check.
        if Some(wanted.name.as_str()) == user_id {
            continue;
        }
        if !assertion
            .attributes
            .iter()
            .any(|a| a.name_str() == wanted.name)
        {
            let fix = checker.fix(Fix::AddClaim {
                name: &wanted.name,
                source: "user.mail",
            });
            checker.push(
                Finding::new(
                    Rule::ClaimMissing,
                    format!(
                        "{} requires the attribute `{}`{}",
                        entry.name,
                        wanted.name,
                        checker.sp_shows()
                    ),
                )
                .expected(format!(
                    "`{}` with {}",
                    wanted.name,
                    wanted.value.describe()
                ))
                .actual("absent")
                .fix(fix)
                .at(assertion.node.range()),
            );
        }
    }
    if let Some(acs) = &checker.options.acs_url {
        let suffixes = &requirements.acs_suffixes;
        let trimmed = acs.trim_end_matches('/');
        if !suffixes.is_empty()
            && !suffixes
                .iter()
                .any(|s| trimmed.ends_with(s.trim_end_matches('/')))
        {
            checker.push(
                Finding::new(
                    Rule::DestinationMismatch,
                    format!(
                        "{}'s ACS URL ends with {}",
                        entry.name,
                        suffixes.join(" or ")
                    ),
                )
                .severity(Severity::Warning)
                .expected(format!("a URL ending with {}", suffixes.join(" or ")))
                .actual(acs.clone()),
            );
        }
    }
}

pub(super) fn check_profile(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    assertion: &Assertion<'_, '_>,
    verification: &VerificationReport<'_, '_>,
) {
    let options = checker.options;
    match options.profile {
        Profile::AwsIam => check_aws_iam(checker, assertion),
        Profile::Slack => check_response_signed(checker, response, assertion, verification),
        Profile::Custom(entry) => check_custom(checker, response, assertion, verification, entry),
        Profile::Github => {
            if let Some(acs) = &options.acs_url {
                if !acs.trim_end_matches('/').ends_with("/saml/consume") {
                    checker.push(
                        Finding::new(
                            Rule::DestinationMismatch,
                            "GitHub's ACS URL ends with /saml/consume",
                        )
                        .severity(Severity::Warning)
                        .expected("https://github.com/enterprises/<enterprise>/saml/consume (or /orgs/<org>/saml/consume)")
                        .actual(acs.clone()),
                    );
                }
            }
        }
        Profile::Atlassian => {
            for (wanted, alternative) in [
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                    "givenname",
                ),
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                    "surname",
                ),
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                    "name",
                ),
            ] {
                let present = assertion.attributes.iter().any(|a| {
                    a.name_str() == wanted || a.name_str().eq_ignore_ascii_case(alternative)
                });
                if !present {
                    let fix = checker.fix(Fix::AddClaim {
                        name: alternative,
                        source: "the user's profile",
                    });
                    checker.push(
                        Finding::new(
                            Rule::ClaimMissing,
                            format!("Atlassian Cloud expects the `{alternative}` claim"),
                        )
                        .severity(Severity::Warning)
                        .expected(wanted)
                        .actual("absent")
                        .fix(fix)
                        .at(assertion.node.range()),
                    );
                }
            }
        }
        Profile::Generic | Profile::AmazonQBusiness | Profile::AwsIdentityCenter => {}
    }
    if options.want_assertions_signed && assertion.signatures.is_empty() {
        checker.push(
            Finding::new(
                Rule::AssertionNotSigned,
                "the service provider wants signed assertions (WantAssertionsSigned), and this \
                 assertion carries no signature of its own",
            )
            .expected("a ds:Signature inside <saml:Assertion>")
            .actual(if response.header.signatures.is_empty() {
                "no signature"
            } else {
                "a signature on the Response only"
            })
            .fix(checker.fix(Fix::SignAssertion))
            .at(assertion.node.range()),
        );
    }
}

fn is_role_arn(arn: &str) -> bool {
    arn_parts(arn, "role/")
}

fn is_provider_arn(arn: &str) -> bool {
    arn_parts(arn, "saml-provider/")
}

fn arn_parts(arn: &str, resource_prefix: &str) -> bool {
    // arn:<partition>:iam::<12 digits>:<resource_prefix><name>
    let parts: Vec<&str> = arn.trim().splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5].starts_with(resource_prefix)
        && parts[5].len() > resource_prefix.len()
}

fn check_aws_iam(checker: &mut Checker<'_>, assertion: &Assertion<'_, '_>) {
    if let Some(role) = require_attribute(
        checker,
        assertion,
        AWS_ROLE,
        AttributeShape::Any,
        false,
        Some(Fix::AwsRole),
    ) {
        for value in &role.values {
            let text = value.text.trimmed();
            if text.is_empty() {
                continue;
            }
            let pair: Vec<&str> = text.split(',').map(str::trim).collect();
            // AWS accepts the two ARNs in either order (its AD FS walkthrough issues the
            // provider first).
            let problem = match pair.as_slice() {
                [first, second]
                    if (is_role_arn(first) && is_provider_arn(second))
                        || (is_provider_arn(first) && is_role_arn(second)) =>
                {
                    None
                }
                [single] if is_role_arn(single) => Some((
                    Severity::Error,
                    "only a role ARN: the SAML provider ARN is missing",
                )),
                _ => Some((
                    Severity::Error,
                    "not a role ARN and SAML provider ARN pair (in either order)",
                )),
            };
            if let Some((severity, problem)) = problem {
                let fix = checker.fix(Fix::AwsRole);
                checker.push(
                    Finding::new(Rule::ClaimValueFormat, format!("Role value: {problem}"))
                        .severity(severity)
                        .expected("arn:aws:iam::<account>:role/<role>,arn:aws:iam::<account>:saml-provider/<provider>")
                        .actual(text)
                        .fix(fix)
                        .at(value.text.span.clone()),
                );
            }
        }
    }
    check_aws_session(checker, assertion);
}

/// RoleSessionName, SessionDuration and session tags, as AssumeRoleWithSAML reads them.
fn check_aws_session(checker: &mut Checker<'_>, assertion: &Assertion<'_, '_>) {
    // RoleSessionName
    match assertion.attributes_named(AWS_ROLE_SESSION_NAME).next() {
        None => {
            let near = assertion.attributes.iter().find_map(|a| {
                near_miss(
                    AWS_ROLE_SESSION_NAME,
                    a.name_str(),
                    attr_str(&a.friendly_name),
                )
                .map(|n| (a, n))
            });
            let mut message =
                "RoleSessionName is required in AuthnResponse: the attribute is missing"
                    .to_string();
            if let Some((attribute, why)) = near {
                message.push_str(&format!(
                    "; did you mean `{}`? {}",
                    attribute.name_str(),
                    why.explain()
                ));
            }
            checker.push(
                Finding::new(Rule::ClaimMissing, message)
                    .expected(format!(
                        "an Attribute with Name=\"{AWS_ROLE_SESSION_NAME}\""
                    ))
                    .actual("absent")
                    .fix(checker.fix(Fix::AwsRoleSessionName))
                    .at(assertion.node.range()),
            );
        }
        Some(attribute) => {
            let values: Vec<&str> = attribute.values.iter().map(|v| v.text.trimmed()).collect();
            if values.len() != 1 {
                checker.push(
                    Finding::new(
                        Rule::ClaimMultipleValues,
                        "RoleSessionName must have exactly one value",
                    )
                    .expected("one value")
                    .actual(values.join(", "))
                    .at(attribute.node.range()),
                );
            }
            if let Some(value) = values.first() {
                let valid = (2..=64).contains(&value.chars().count())
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
                if !valid {
                    checker.push(
                        Finding::new(
                            Rule::ClaimValueFormat,
                            "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
                        )
                        .expected("2-64 characters of letters, digits and +=,.@_-")
                        .actual(*value)
                        .fix(checker.fix(Fix::AwsRoleSessionName))
                        .at(attribute.values[0].text.span.clone()),
                    );
                }
            }
        }
    }
    if let Some(attribute) = assertion.attributes_named(AWS_SESSION_DURATION).next() {
        let value = attribute
            .values
            .first()
            .map(|v| v.text.trimmed())
            .unwrap_or("");
        let ok = value
            .parse::<u32>()
            .is_ok_and(|d| (900..=43_200).contains(&d));
        if !ok {
            checker.push(
                Finding::new(
                    Rule::ClaimValueFormat,
                    "SessionDuration must be 900 to 43200 seconds",
                )
                .expected("an integer from 900 to 43200")
                .actual(value)
                .fix(checker.fix(Fix::AwsSessionDuration))
                .at(attribute.node.range()),
            );
        }
    }
    if let Some(tag) = assertion
        .attributes
        .iter()
        .find(|a| a.name_str().starts_with(AWS_PRINCIPAL_TAG_PREFIX))
    {
        checker.push(
            Finding::new(
                Rule::PrincipalTagNeedsTagSession,
                format!(
                    "`{}` is a session tag: the role's trust policy must allow sts:TagSession, or \
                     AWS answers \"Not authorized to perform sts:AssumeRoleWithSAML\"",
                    tag.name_str()
                ),
            )
            .fix("add \"sts:TagSession\" to the Action of the role's trust policy statement for the SAML provider")
            .at(tag.node.range()),
        );
    }
}
