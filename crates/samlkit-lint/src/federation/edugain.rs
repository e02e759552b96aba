//! eduGAIN's metadata validator: the aggregate checks (A1–A7) and the entity checks (E1–E9 and
//! the warnings that go with them).

use std::ops::Range;

use roxmltree::Node;
use samlkit_parse::model::{EntityDescriptor, Metadata};
use samlkit_parse::time::{describe_duration, DateTime, Instant};
use samlkit_parse::xml::ns;

use super::entity_facts::EntityFacts;
use super::extension_ns::{MDATTR, MDRPI, SHIBMD};
use super::FederationRule as R;
use super::{at, attribute, children, extensions, finding, lang, text, FederationOptions};
use crate::metadata::{parse_xs_duration, MetadataOptions};
use crate::report::Finding;

/// The namespaces eduGAIN's validator wants declared on the root (check A2).
const REQUIRED_NAMESPACES: &[(&str, &str)] = &[
    ("md", ns::MD),
    ("mdrpi", MDRPI),
    ("mdui", ns::MDUI),
    ("shibmd", SHIBMD),
];
const MIN_CACHE_SECONDS: f64 = 3_600.0;
const MAX_CACHE_SECONDS: f64 = 6.0 * 3_600.0;

/// The aggregate checks (A1–A7) on the document's root element.
pub fn lint_aggregate(
    metadata: &Metadata<'_, '_>,
    options: &MetadataOptions,
    out: &mut Vec<Finding>,
) {
    let root = metadata.node();
    root_and_namespaces(metadata, out);
    let created = publication_info(root, options.now, out);
    let until = valid_until(root, options.now, out);
    if let (Some(created), Some((until, span))) = (created, until) {
        let window = options.federation.validity_window_hours;
        validity_window(created, until, span, window, out);
    }
    cache_duration(root, out);
}

/// A1 and A2: an EntitiesDescriptor root that declares the namespaces eduGAIN requires.
fn root_and_namespaces(metadata: &Metadata<'_, '_>, out: &mut Vec<Finding>) {
    let root = metadata.node();
    if !matches!(metadata, Metadata::Entities(_)) {
        out.push(
            finding(
                R::EdugainRootNotEntities,
                format!(
                    "the root element is {}, not an EntitiesDescriptor",
                    root.tag_name().name()
                ),
                at(root),
            )
            .expected("<md:EntitiesDescriptor>")
            .actual(root.tag_name().name()),
        );
    }
    let declared: Vec<&str> = root.namespaces().map(|n| n.uri()).collect();
    let missing: Vec<String> = REQUIRED_NAMESPACES
        .iter()
        .filter(|(_, uri)| !declared.contains(uri))
        .map(|(prefix, uri)| format!("{prefix} ({uri})"))
        .collect();
    if !missing.is_empty() {
        out.push(
            finding(
                R::EdugainNamespaceMissing,
                format!(
                    "the root element does not declare the namespace{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ),
                at(root),
            )
            .expected("md, mdrpi, mdui and shibmd declared on the root")
            .actual(format!("missing: {}", missing.join(", "))),
        );
    }
}

/// The root's mdrpi:PublicationInfo with its publisher and creationInstant, which must not lie
/// after `now`. Returns the creation instant when it can be read.
fn publication_info(root: Node<'_, '_>, now: Instant, out: &mut Vec<Finding>) -> Option<Instant> {
    let publication =
        extensions(root).and_then(|ext| children(ext, MDRPI, "PublicationInfo").next());
    let creation = publication.and_then(|p| attribute(p, "creationInstant"));
    let publisher = publication.and_then(|p| attribute(p, "publisher"));
    if publication.is_none() || creation.is_none() || publisher.is_none() {
        let what = match publication {
            None => "the root's Extensions hold no mdrpi:PublicationInfo".to_string(),
            Some(_) => format!(
                "mdrpi:PublicationInfo lacks {}",
                [
                    publisher.is_none().then_some("publisher"),
                    creation.is_none().then_some("creationInstant"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" and ")
            ),
        };
        out.push(finding(
            R::EdugainPublicationInfo,
            what,
            at(publication.unwrap_or(root)),
        ));
    }
    let (value, span) = creation?;
    match DateTime::parse(value.trim()) {
        Err(err) => {
            out.push(
                finding(
                    R::EdugainCreationInstant,
                    format!("creationInstant is not an xs:dateTime: {}", err.reason),
                    span,
                )
                .actual(value),
            );
            None
        }
        Ok(parsed) if parsed.instant > now => {
            out.push(
                finding(
                    R::EdugainCreationInstant,
                    format!(
                        "creationInstant {} is {} after {now}",
                        parsed.instant,
                        describe_duration(now.seconds_until(parsed.instant))
                    ),
                    span,
                )
                .expected(format!("at or before {now}"))
                .actual(value),
            );
            Some(parsed.instant)
        }
        Ok(parsed) => Some(parsed.instant),
    }
}

/// The root's validUntil, which must be present, readable and after `now`. Returns it with
/// its span when it can be read.
fn valid_until(
    root: Node<'_, '_>,
    now: Instant,
    out: &mut Vec<Finding>,
) -> Option<(Instant, Range<usize>)> {
    let Some((value, span)) = attribute(root, "validUntil") else {
        out.push(
            finding(
                R::EdugainValidUntilMissing,
                "the root element has no validUntil",
                at(root),
            )
            .expected("validUntil=\"…\" 5 to 28 days after creationInstant"),
        );
        return None;
    };
    let parsed = match DateTime::parse(value.trim()) {
        Ok(parsed) => parsed,
        Err(err) => {
            out.push(
                finding(
                    R::EdugainValidUntilMissing,
                    format!("validUntil is not an xs:dateTime: {}", err.reason),
                    span,
                )
                .actual(value),
            );
            return None;
        }
    };
    if parsed.instant < now {
        out.push(
            finding(
                R::EdugainValidUntilMissing,
                format!(
                    "validUntil {} passed {} before {now}",
                    parsed.instant,
                    describe_duration(parsed.instant.seconds_until(now))
                ),
                span.clone(),
            )
            .expected(format!("after {now}"))
            .actual(value),
        );
    }
    Some((parsed.instant, span))
}

/// validUntil must lie `(min, max)` hours after creationInstant.
fn validity_window(
    created: Instant,
    until: Instant,
    span: Range<usize>,
    (min, max): (i64, i64),
    out: &mut Vec<Finding>,
) {
    let hours = created.seconds_until(until) / 3_600;
    if hours < min || hours > max {
        out.push(
            finding(
                R::EdugainValidityWindow,
                format!(
                    "validUntil is {} after creationInstant; the window is {min} to {max} hours",
                    describe_duration(created.seconds_until(until))
                ),
                span,
            )
            .expected(format!("{min} to {max} hours after creationInstant"))
            .actual(format!("{hours} hours")),
        );
    }
}

/// A cacheDuration, when given, between one and six hours.
fn cache_duration(root: Node<'_, '_>, out: &mut Vec<Finding>) {
    let Some((value, span)) = attribute(root, "cacheDuration") else {
        return;
    };
    let seconds = parse_xs_duration(value.trim());
    if !seconds.is_some_and(|s| (MIN_CACHE_SECONDS..=MAX_CACHE_SECONDS).contains(&s)) {
        out.push(
            finding(
                R::EdugainCacheDuration,
                format!("cacheDuration {value} is not between PT1H and PT6H"),
                span,
            )
            .expected("PT1H to PT6H")
            .actual(value),
        );
    }
}

pub fn lint_entity(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    options: &FederationOptions,
    out: &mut Vec<Finding>,
) {
    entity_id_checks(entity, out);
    registration_checks(entity, facts, options, out);
    contact_and_organization_checks(entity, facts, out);
    role_and_ui_checks(entity, facts, out);
    value_and_scope_checks(entity, facts, out);
}

/// The entityID: present, without white space, http(s) or urn (eduGAIN E1).
fn entity_id_checks(entity: &EntityDescriptor<'_, '_>, out: &mut Vec<Finding>) {
    let node = entity.node;
    match &entity.entity_id {
        None => out.push(finding(
            R::EdugainEntityIdInvalid,
            "the entity has no entityID",
            at(node),
        )),
        Some(id) => {
            let value = id.value;
            let problem = if value.chars().any(char::is_whitespace) {
                Some("contains white space")
            } else if !["http://", "https://", "urn:"]
                .iter()
                .any(|p| value.starts_with(p))
            {
                Some("does not start with http://, https:// or urn:")
            } else {
                None
            };
            if let Some(problem) = problem {
                out.push(
                    finding(
                        R::EdugainEntityIdInvalid,
                        format!("entityID `{value}` {problem}"),
                        id.span.clone(),
                    )
                    .actual(value),
                );
            }
        }
    }
}

/// mdrpi:RegistrationInfo: present once, with an allowed registrationAuthority and a RegistrationPolicy.
fn registration_checks(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    options: &FederationOptions,
    out: &mut Vec<Finding>,
) {
    let node = entity.node;
    match facts.registration_infos.first() {
        None => out.push(finding(
            R::EdugainRegistrationInfo,
            "the entity's Extensions hold no mdrpi:RegistrationInfo",
            at(node),
        )),
        Some(info) => match attribute(*info, "registrationAuthority") {
            Some((authority, span)) if !authority.trim().is_empty() => {
                let allowed = &options.registration_authorities;
                if !allowed.is_empty() && !allowed.iter().any(|a| a == authority.trim()) {
                    out.push(
                        finding(
                            R::EdugainRegistrationAuthority,
                            format!("registrationAuthority `{authority}` is not one this feed may carry"),
                            span,
                        )
                        .expected(allowed.join(" or "))
                        .actual(authority),
                    );
                }
                if children(*info, MDRPI, "RegistrationPolicy")
                    .next()
                    .is_none()
                {
                    out.push(finding(
                        R::EdugainRegistrationPolicy,
                        "mdrpi:RegistrationInfo has no mdrpi:RegistrationPolicy",
                        at(*info),
                    ));
                }
            }
            _ => out.push(finding(
                R::EdugainRegistrationInfo,
                "mdrpi:RegistrationInfo has no registrationAuthority",
                at(*info),
            )),
        },
    }
    if let Some(second) = facts.registration_infos.get(1) {
        out.push(finding(
            R::EdugainRegistrationInfoRepeated,
            format!(
                "{} mdrpi:RegistrationInfo elements",
                facts.registration_infos.len()
            ),
            at(*second),
        ));
    }
}

/// Contacts, Organization and EntityAttributes of the entity itself.
fn contact_and_organization_checks(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    let node = entity.node;
    for contact in &facts.contacts {
        for child in contact.node.children().filter(|c| c.is_element()) {
            let name = child.tag_name().name();
            let checked = [
                "GivenName",
                "SurName",
                "EmailAddress",
                "TelephoneNumber",
                "Company",
            ];
            if child.tag_name().namespace() == Some(ns::MD)
                && checked.contains(&name)
                && text(child).trim().is_empty()
            {
                out.push(finding(
                    R::EdugainContactEmpty,
                    format!("ContactPerson's {name} is empty"),
                    at(child),
                ));
            }
            if child.tag_name().namespace() == Some(ns::MD) && name == "EmailAddress" {
                let address = text(child);
                let address = address.trim();
                if !address.is_empty() && !address.starts_with("mailto:") {
                    out.push(
                        finding(
                            R::EdugainEmailNotMailto,
                            format!("EmailAddress `{address}` is not a mailto: URI"),
                            at(child),
                        )
                        .expected(format!("mailto:{address}"))
                        .actual(address),
                    );
                }
            }
        }
    }
    if let Some(organization) = children(node, ns::MD, "Organization").next() {
        for child in organization.children().filter(|c| c.is_element()) {
            let name = child.tag_name().name();
            if child.tag_name().namespace() == Some(ns::MD)
                && [
                    "OrganizationName",
                    "OrganizationDisplayName",
                    "OrganizationURL",
                ]
                .contains(&name)
                && text(child).trim().is_empty()
            {
                out.push(finding(
                    R::EdugainOrganizationEmpty,
                    format!("{name} is empty"),
                    at(child),
                ));
            }
        }
    }
    if !facts
        .contacts
        .iter()
        .any(|c| matches!(c.contact_type.trim(), "technical" | "support"))
    {
        out.push(finding(
            R::EdugainNoTechnicalContact,
            "no ContactPerson with contactType technical or support",
            at(node),
        ));
    }

    if let Some(second) = facts.entity_attributes_elements.get(1) {
        out.push(finding(
            R::EdugainEntityAttributesRepeated,
            format!(
                "{} mdattr:EntityAttributes elements",
                facts.entity_attributes_elements.len()
            ),
            at(*second),
        ));
    }
}

/// What each role carries: EntityAttributes misplaced in a role, mdui:UIInfo.
fn role_and_ui_checks(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    for role in entity.roles() {
        if let Some(misplaced) =
            extensions(role.node).and_then(|e| children(e, MDATTR, "EntityAttributes").next())
        {
            out.push(finding(
                R::EdugainEntityAttributesInRole,
                format!(
                    "mdattr:EntityAttributes inside the {}'s Extensions",
                    role.element
                ),
                at(misplaced),
            ));
        }
    }

    for (role, ui) in &facts.ui_infos {
        let Some(ui) = ui else {
            out.push(finding(
                R::EdugainUiInfoMissing,
                format!("the {} has no mdui:UIInfo", role.tag_name().name()),
                at(*role),
            ));
            continue;
        };
        let english = children(*ui, ns::MDUI, "DisplayName")
            .any(|n| lang(n).is_some_and(|(l, _)| l.trim().eq_ignore_ascii_case("en")));
        if !english {
            out.push(finding(
                R::EdugainDisplayNameEnglish,
                "mdui:UIInfo has no DisplayName with xml:lang=\"en\"",
                at(*ui),
            ));
        }
        if children(*ui, ns::MDUI, "Description").next().is_none() {
            out.push(finding(
                R::EdugainDescriptionMissing,
                "mdui:UIInfo has no Description",
                at(*ui),
            ));
        }
        let logos: Vec<_> = children(*ui, ns::MDUI, "Logo").collect();
        if logos.is_empty() {
            out.push(finding(R::EdugainLogo, "mdui:UIInfo has no Logo", at(*ui)));
        }
        for logo in logos {
            let url = text(logo);
            let url = url.trim();
            if !url.starts_with("https://") && !url.starts_with("data:") {
                out.push(
                    finding(
                        R::EdugainLogo,
                        format!("the logo `{url}` is not an https URL"),
                        at(logo),
                    )
                    .actual(url),
                );
            }
        }
    }
}

/// Attribute values (white space, duplicates) and shibmd:Scope.
fn value_and_scope_checks(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    let node = entity.node;
    for attr in &facts.attributes {
        let mut seen: Vec<&str> = Vec::new();
        for (value_node, value) in &attr.values {
            if value.trim() != value {
                out.push(
                    finding(
                        R::EdugainAttributeValue,
                        format!(
                            "a value of `{}` has white space around it: {value:?}",
                            attr.name
                        ),
                        at(*value_node),
                    )
                    .expected(value.trim())
                    .actual(format!("{value:?}")),
                );
            }
            if seen.contains(&value.trim()) {
                out.push(finding(
                    R::EdugainAttributeValue,
                    format!("`{}` lists the value `{}` twice", attr.name, value.trim()),
                    at(*value_node),
                ));
            }
            seen.push(value.trim());
        }
    }

    let scope_holders = std::iter::once(node).chain(entity.roles().map(|r| r.node));
    for holder in scope_holders {
        let Some(ext) = extensions(holder) else {
            continue;
        };
        for scope in children(ext, SHIBMD, "Scope") {
            let value = text(scope);
            match attribute(scope, "regexp") {
                None => out.push(finding(
                    R::EdugainScopeRegexp,
                    format!("shibmd:Scope `{}` has no regexp attribute", value.trim()),
                    at(scope),
                )),
                Some((flag, span)) if matches!(flag.trim(), "true" | "1") => out.push(
                    finding(
                        R::EdugainScopeRegexp,
                        format!("shibmd:Scope `{}` is a regular expression", value.trim()),
                        span,
                    )
                    .actual(format!("regexp=\"{flag}\"")),
                ),
                Some(_) => {}
            }
        }
    }
}
