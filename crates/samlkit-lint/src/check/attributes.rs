//! Attributes: placeholders, duplicates and the claims the service provider requires.

use super::*;

pub(super) fn check_attributes(checker: &mut Checker<'_>, assertion: &Assertion<'_, '_>) {
    // Duplicates
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for attribute in &assertion.attributes {
        let name = attribute.name_str();
        if !seen.insert(name) {
            checker.push(
                Finding::new(
                    Rule::ClaimDuplicate,
                    format!("the attribute `{name}` appears more than once"),
                )
                .at(attribute.node.range()),
            );
        }
        if name == "http://schemas.microsoft.com/claims/groups.link" {
            let fix = checker.fix(Fix::GroupsOverage);
            checker.push(
                Finding::new(
                    Rule::GroupsOverage,
                    "the user is in too many groups: Entra ID sent a groups.link instead of the \
                     groups claim, so the service provider sees no groups",
                )
                .expected("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups")
                .actual(name)
                .fix(fix)
                .at(attribute.node.range()),
            );
        }
        for value in &attribute.values {
            if let Some(placeholder) = placeholder_in(value.text.as_str()) {
                checker.push(
                    Finding::new(
                        Rule::Placeholder,
                        format!(
                            "the value of `{name}` still holds the placeholder `{placeholder}`"
                        ),
                    )
                    .actual(value.text.as_str())
                    .at(value.text.span.clone()),
                );
            }
        }
    }
    for encrypted in &assertion.encrypted_attributes {
        checker.push(
            Finding::new(
                Rule::EncryptedAttribute,
                "an attribute is encrypted (EncryptedAttribute)",
            )
            .fix("decrypt it with the service provider's private key")
            .missing(MissingInput::SpDecryptionKey)
            .at(encrypted.node.range()),
        );
    }
    // Placeholders in the addressing values too.
    // (value, span, whether it is an Audience rather than a Recipient)
    let mut addressed: Vec<(&str, std::ops::Range<usize>, bool)> = Vec::new();
    if let Some(conditions) = &assertion.conditions {
        for audience in conditions.audiences() {
            addressed.push((audience.as_str(), audience.span.clone(), true));
        }
    }
    if let Some(subject) = &assertion.subject {
        for confirmation in &subject.confirmations {
            if let Some(recipient) = confirmation
                .data
                .as_ref()
                .and_then(|d| d.recipient.as_ref())
            {
                addressed.push((recipient.value, recipient.span.clone(), false));
            }
        }
    }
    for (value, span, is_audience) in addressed {
        if let Some(placeholder) = placeholder_in(value) {
            let options = checker.options;
            let fix = if is_audience {
                checker.fix(Fix::Identifier {
                    entity_id: options
                        .sp_entity_id
                        .as_deref()
                        .unwrap_or("<the service provider's entity ID>"),
                })
            } else {
                checker.fix(Fix::ReplyUrl {
                    url: options
                        .acs_url
                        .as_deref()
                        .unwrap_or("<the service provider's ACS URL>"),
                })
            };
            checker.push(
                Finding::new(
                    Rule::Placeholder,
                    format!("`{value}` still holds the placeholder `{placeholder}`"),
                )
                .actual(value)
                .fix(fix)
                .at(span),
            );
        }
    }
    if let Some(wanted) = checker.options.user_id_attribute() {
        require_attribute(
            checker,
            assertion,
            wanted,
            AttributeShape::Email,
            true,
            None,
        );
    }
}

/// Checks that an attribute with exactly `wanted` as Name is present with one non-empty value
/// of the right shape; explains near misses.
pub(super) fn require_attribute<'a, 'i>(
    checker: &mut Checker<'_>,
    assertion: &'a Assertion<'a, 'i>,
    wanted: &str,
    shape: AttributeShape,
    single: bool,
    fix_when_missing: Option<Fix<'_>>,
) -> Option<&'a Attribute<'a, 'i>> {
    let source = if shape == AttributeShape::Email {
        "user.mail"
    } else {
        "the right user attribute"
    };
    let Some(attribute) = assertion.attributes.iter().find(|a| a.name_str() == wanted) else {
        let mut near: Vec<(&Attribute<'_, '_>, NearMiss)> = assertion
            .attributes
            .iter()
            .filter_map(|a| {
                near_miss(wanted, a.name_str(), attr_str(&a.friendly_name)).map(|n| (a, n))
            })
            .collect();
        near.sort_by_key(|(_, why)| why.rank());
        let present: Vec<&str> = assertion.attributes.iter().map(|a| a.name_str()).collect();
        let mut message = format!("the assertion has no attribute named exactly `{wanted}`");
        message.push_str(&checker.sp_shows());
        let fix = match (near.first(), fix_when_missing) {
            (Some((_, NearMiss::NamespacePrefixed)), _) => {
                checker.fix(Fix::ClearClaimNamespace { name: wanted })
            }
            (_, Some(fix)) => checker.fix(fix),
            _ => checker.fix(Fix::AddClaim {
                name: wanted,
                source,
            }),
        };
        if let Some((attribute, why)) = near.first() {
            message.push_str(&format!(
                "; did you mean `{}`? {}",
                attribute.name_str(),
                why.explain()
            ));
        }
        let span = near
            .first()
            .map(|(a, _)| a.node.range())
            .or_else(|| {
                xml::child_named(assertion.node, xml::ns::SAML, "AttributeStatement")
                    .map(|s| s.range())
            })
            .unwrap_or(assertion.node.range());
        let mut fix_text = fix;
        if near.is_empty() && shape == AttributeShape::Email {
            fix_text.push_str(&format!(
                "; if such a claim is already configured, this user's e-mail is empty and the IdP \
                 leaves the empty claim out: {}",
                checker.fix(Fix::PopulateSource {
                    claim: wanted,
                    source
                })
            ));
        }
        if checker.options.profile == Profile::AmazonQBusiness {
            fix_text.push_str(&format!(
                "; or set the \"Email attribute\" field in Amazon Q Business to the exact name the \
                 IdP sends{}",
                near.first()
                    .map(|(a, _)| format!(" (`{}`)", a.name_str()))
                    .unwrap_or_default()
            ));
        }
        checker.push(
            Finding::new(Rule::ClaimMissing, message)
                .expected(format!("an Attribute with Name=\"{wanted}\""))
                .actual(match present.len() {
                    0 => "no attributes".to_string(),
                    1..=8 => format!("attributes: {}", present.join(", ")),
                    n => format!("attributes: {}, … ({n} in all)", present[..8].join(", ")),
                })
                .fix(fix_text)
                .at(span),
        );
        return None;
    };
    let values: Vec<&str> = attribute.values.iter().map(|v| v.text.trimmed()).collect();
    if values.is_empty() || values.iter().all(|v| v.is_empty()) {
        let fix = checker.fix(Fix::PopulateSource {
            claim: wanted,
            source,
        });
        checker.push(
            Finding::new(
                Rule::ClaimEmpty,
                format!("the attribute `{wanted}` has no value"),
            )
            .expected(if shape == AttributeShape::Email {
                "the user's e-mail address".to_string()
            } else {
                "a value".to_string()
            })
            .actual(if values.is_empty() {
                "no AttributeValue".to_string()
            } else {
                "\"\"".to_string()
            })
            .fix(fix)
            .at(attribute.node.range()),
        );
        return Some(attribute);
    }
    if single && values.len() > 1 {
        checker.push(
            Finding::new(
                Rule::ClaimMultipleValues,
                format!(
                    "the attribute `{wanted}` has {} values; one is expected",
                    values.len()
                ),
            )
            .expected("one value")
            .actual(values.join(", "))
            .at(attribute.node.range()),
        );
    }
    if shape == AttributeShape::Email {
        if let Some(bad) = values.iter().find(|v| !looks_like_email(v)) {
            checker.push(
                Finding::new(
                    Rule::ClaimValueFormat,
                    format!("the attribute `{wanted}` does not hold an e-mail address"),
                )
                .expected("an e-mail address such as alice@example.com")
                .actual(*bad)
                .fix(checker.fix(Fix::AddClaim {
                    name: wanted,
                    source: "user.mail",
                }))
                .at(attribute.values[0].text.span.clone()),
            );
        }
    }
    Some(attribute)
}
