//! The UK federation's ukf-meta rules (mdx/_rules/check_misc.xsl, check_saml2meta.xsl) on
//! endpoints, bindings, indexes, languages and display names. One walk over the entity.

use std::collections::HashMap;

use samlkit_parse::model::EntityDescriptor;
use samlkit_parse::xml::ns;

use super::entity_facts::EntityFacts;
use super::extension_ns::XML;
use super::FederationRule as R;
use super::{at, attribute, finding, text};
use crate::report::Finding;

const INDEXED: &[&str] = &["AssertionConsumerService", "ArtifactResolutionService"];

pub fn lint_entity(
    entity: &EntityDescriptor<'_, '_>,
    _facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    for element in entity.node.descendants().filter(|n| n.is_element()) {
        let local = element.tag_name().name();
        if let Some((location, span)) = attribute(element, "Location") {
            check_location(local, location, span, out);
        }
        if let Some((binding, span)) = attribute(element, "Binding") {
            if binding.contains(char::is_whitespace) {
                out.push(
                    finding(
                        R::UkfBindingSpace,
                        format!("{local} Binding `{binding}` contains white space"),
                        span,
                    )
                    .actual(binding),
                );
            }
        }
        for attr in element.attributes() {
            if attr.namespace() == Some(XML)
                && attr.name() == "lang"
                && attr.value().trim().is_empty()
            {
                out.push(finding(
                    R::UkfEmptyLang,
                    format!("<{local}> has an empty xml:lang"),
                    attr.range_value(),
                ));
            }
        }
        let display_name = (element.tag_name().namespace() == Some(ns::MD)
            && local == "OrganizationDisplayName")
            || (element.tag_name().namespace() == Some(ns::MDUI) && local == "DisplayName");
        if display_name {
            let value = text(element);
            if value.trim().contains(['\n', '\r']) {
                out.push(
                    finding(
                        R::UkfDisplayNameLineBreak,
                        format!("{local} contains a line break"),
                        at(element),
                    )
                    .actual(format!("{:?}", value.trim())),
                );
            }
        }
    }
    for role in entity.roles() {
        for kind in INDEXED {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for endpoint in samlkit_parse::xml::children_named(role.node, ns::MD, kind) {
                let Some((index, span)) = attribute(endpoint, "index") else {
                    continue;
                };
                let count = seen.entry(index.trim()).or_insert(0);
                *count += 1;
                if *count == 2 {
                    out.push(
                        finding(
                            R::UkfIndexDuplicate,
                            format!(
                                "two {kind} endpoints of the {} have index {index}",
                                role.element
                            ),
                            span,
                        )
                        .actual(format!("index=\"{index}\"")),
                    );
                }
            }
        }
    }
}

fn check_location(
    element: &str,
    location: &str,
    span: std::ops::Range<usize>,
    out: &mut Vec<Finding>,
) {
    if location.contains(char::is_whitespace) {
        out.push(
            finding(
                R::UkfLocationSpace,
                format!("{element} Location `{location}` contains white space"),
                span.clone(),
            )
            .actual(location),
        );
    }
    if location.contains('%') {
        out.push(
            finding(
                R::UkfLocationPercent,
                format!("{element} Location `{location}` contains %: it looks URL-encoded"),
                span.clone(),
            )
            .actual(location),
        );
    }
    if !location.starts_with("https://") {
        out.push(
            finding(
                R::UkfLocationNotHttps,
                format!("{element} Location `{location}` is not https"),
                span.clone(),
            )
            .expected("https://…")
            .actual(location),
        );
    }
    if let Some(problem) = url_problem(location.trim()) {
        out.push(
            finding(
                R::UkfLocationInvalid,
                format!("{element} Location `{location}` {problem}"),
                span,
            )
            .actual(location),
        );
    }
}

/// Why `url` is not an absolute URL with a host, or `None` when it is one.
fn url_problem(url: &str) -> Option<&'static str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Some("is not an absolute URL (no scheme://)");
    };
    if scheme.is_empty()
        || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return Some("has an invalid scheme");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    // An IPv6 literal is bracketed; the port, if any, follows the closing bracket.
    let (host, port) = match host_port.strip_prefix('[') {
        Some(literal) => match literal.split_once(']') {
            Some((inside, after)) => (inside, after.strip_prefix(':')),
            None => return Some("has an unclosed IPv6 literal"),
        },
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return Some("has an invalid port");
    }
    if host.is_empty() {
        return Some("has no host");
    }
    if url
        .chars()
        .any(|c| c.is_control() || "<>\"{}|\\^`".contains(c))
    {
        return Some("contains characters a URL may not hold");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::url_problem;

    #[test]
    fn urls_need_a_scheme_and_a_host() {
        assert_eq!(url_problem("https://idp.example.org/sso"), None);
        assert_eq!(url_problem("https://idp.example.org:8443/sso?x=1"), None);
        assert_eq!(url_problem("https://[::1]:8443/sso"), None);
        assert_eq!(url_problem("https://[::1]/sso"), None);
        assert!(url_problem("https://[::1/sso").is_some());
        assert!(url_problem("/relative/path").is_some());
        assert!(url_problem("https:///no-host").is_some());
        assert!(url_problem("https://idp.example.org:x/").is_some());
        assert!(url_problem("1https://idp.example.org/").is_some());
    }
}
