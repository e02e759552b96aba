//! Endpoints: bindings, URLs and the indexes of AssertionConsumerServices.

use super::entity::uri_scheme;
use super::*;

pub(super) fn endpoint_view(endpoint: &Endpoint<'_, '_>) -> EndpointView {
    EndpointView {
        binding: endpoint.binding.as_ref().map(|b| binding_text(b.value)),
        location: endpoint.location.as_ref().map(|l| l.value.to_string()),
        index: endpoint.index.as_ref().map(|i| i.value.to_string()),
        is_default: endpoint.is_default.as_ref().map(|d| d.value),
        location_span: endpoint.location.as_ref().map(|l| l.span.clone()),
    }
}

/// A binding URI as the report keeps it: the standard SAML 2.0 bindings as static text.
fn binding_text(uri: &str) -> std::borrow::Cow<'static, str> {
    const STANDARD: [&str; 7] = [
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact",
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST-SimpleSign",
        "urn:oasis:names:tc:SAML:2.0:bindings:SOAP",
        "urn:oasis:names:tc:SAML:2.0:bindings:PAOS",
        "urn:oasis:names:tc:SAML:2.0:bindings:URI",
    ];
    match STANDARD.iter().find(|standard| **standard == uri) {
        Some(standard) => std::borrow::Cow::Borrowed(standard),
        None => std::borrow::Cow::Owned(uri.to_string()),
    }
}

/// The short name of a binding URI (`HTTP-POST`), or the URI itself.
pub fn binding_name(uri: &str) -> &str {
    uri.strip_prefix(SAML2_BINDINGS).unwrap_or(uri)
}

pub(super) fn check_endpoint(
    endpoint: &Endpoint<'_, '_>,
    element: &str,
    findings: &mut Vec<Finding>,
) {
    match &endpoint.binding {
        None => findings.push(
            Finding::new(
                Rule::MetadataBindingUnknown,
                format!(
                    "{} {element} has no Binding, so consumers cannot use it",
                    article(element)
                ),
            )
            .expected(
                "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" (or HTTP-Redirect, …)",
            )
            .actual("no Binding attribute")
            .at(endpoint.node.range()),
        ),
        Some(binding) => {
            let uri = binding.value.trim();
            let known = uri
                .strip_prefix(SAML2_BINDINGS)
                .is_some_and(|name| SAML2_BINDING_NAMES.contains(&name))
                || OTHER_KNOWN_BINDINGS.contains(&uri);
            if !known {
                findings.push(
                    Finding::new(
                        Rule::MetadataBindingUnknown,
                        format!("{} {element} has a Binding that no SAML consumer knows", article(element)),
                    )
                    .expected("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST, HTTP-Redirect, HTTP-Artifact, SOAP or PAOS")
                    .actual(binding.value)
                    .at(binding.span.clone()),
                );
            }
        }
    }
    match &endpoint.location {
        None => findings.push(
            Finding::new(
                Rule::MetadataEndpointBadUrl,
                format!("{} {element} has no Location", article(element)),
            )
            .expected("Location=\"https://…\"")
            .actual("no Location attribute")
            .at(endpoint.node.range()),
        ),
        Some(location) => findings.extend(url_finding(location, element, "Location")),
    }
    if let Some(response_location) = &endpoint.response_location {
        findings.extend(url_finding(response_location, element, "ResponseLocation"));
    }
}

/// What is wrong with an endpoint URL, if anything: not https (http is tolerated on localhost
/// only), another scheme, relative, empty or padded with spaces.
pub(super) fn url_finding(
    value: &Spanned<&str>,
    element: &str,
    attribute: &str,
) -> Option<Finding> {
    let url = value.value;
    let trimmed = url.trim();
    let bad = |problem: &str| {
        Some(
            Finding::new(
                Rule::MetadataEndpointBadUrl,
                format!("the {element} {attribute} {problem}"),
            )
            .expected("an absolute https:// URL")
            .actual(url)
            .at(value.span.clone()),
        )
    };
    if trimmed.is_empty() {
        return bad("is empty");
    }
    if trimmed != url {
        return bad("has spaces around it, and consumers compare URLs character for character");
    }
    if trimmed.chars().any(char::is_whitespace) {
        return bad("contains spaces");
    }
    let Some(scheme) = uri_scheme(trimmed) else {
        return bad("is not an absolute URL (no scheme)");
    };
    let after_scheme = &trimmed[scheme.len() + 1..];
    match scheme.as_str() {
        "https" | "http" => {
            let Some(authority) = after_scheme.strip_prefix("//") else {
                return bad("has no host (expected scheme://host/path)");
            };
            let host = host_of(authority);
            if host.is_empty() {
                return bad("has no host");
            }
            if scheme == "http" && !is_loopback(host) {
                return Some(
                    Finding::new(
                        Rule::MetadataEndpointHttp,
                        format!(
                            "the {element} {attribute} uses plain http: SAML messages would \
                             travel unencrypted"
                        ),
                    )
                    .expected(format!("https://{authority}"))
                    .actual(url)
                    .fix("publish the endpoint over https and update the metadata")
                    .at(value.span.clone()),
                );
            }
            None
        }
        other => bad(&format!(
            "uses the scheme `{other}:`, which is not a web endpoint{}",
            if matches!(other, "javascript" | "data" | "vbscript") {
                " (a script injection attempt?)"
            } else {
                ""
            }
        )),
    }
}

pub(super) fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

pub(super) fn host_of(authority: &str) -> &str {
    let authority = authority.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if let Some(bracketed) = host_port.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or("");
    }
    host_port.split(':').next().unwrap_or("")
}

pub(super) fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.trim_start_matches('[').trim_end_matches(']') == "::1"
        // An address, not a name that merely starts with 127 (127.attacker.example).
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub(super) fn check_acs_indexes(services: &[Endpoint<'_, '_>], findings: &mut Vec<Finding>) {
    let mut seen: HashMap<u16, usize> = HashMap::new();
    let mut defaults = Vec::new();
    for (position, service) in services.iter().enumerate() {
        if service.is_default.as_ref().is_some_and(|d| d.value) {
            defaults.push(service);
        }
        let Some(index) = &service.index else {
            findings.push(
                Finding::new(
                    Rule::MetadataAcsIndexInvalid,
                    "an AssertionConsumerService has no index; AuthnRequests that name an ACS \
                     by index cannot reach it",
                )
                .expected("index=\"0\" (a number unique among the SP's ACS)")
                .actual("no index attribute")
                .at(service.node.range()),
            );
            continue;
        };
        match index.value.trim().parse::<u16>() {
            Err(_) => findings.push(
                Finding::new(
                    Rule::MetadataAcsIndexInvalid,
                    "an AssertionConsumerService index is not a number from 0 to 65535",
                )
                .expected("an unsigned short, e.g. 0")
                .actual(index.value)
                .at(index.span.clone()),
            ),
            Ok(number) => {
                if let Some(first) = seen.get(&number) {
                    findings.push(
                        Finding::new(
                            Rule::MetadataAcsIndexDuplicate,
                            format!(
                                "AssertionConsumerService #{} and #{} both have index {number}",
                                first + 1,
                                position + 1
                            ),
                        )
                        .expected("a distinct index for each AssertionConsumerService")
                        .actual(index.value)
                        .at(index.span.clone()),
                    );
                } else {
                    seen.insert(number, position);
                }
            }
        }
    }
    if defaults.len() > 1 {
        let locations: Vec<&str> = defaults
            .iter()
            .filter_map(|d| d.location.as_ref().map(|l| l.value))
            .collect();
        findings.push(
            Finding::new(
                Rule::MetadataAcsMultipleDefaults,
                format!(
                    "{} AssertionConsumerServices say isDefault=\"true\": {}",
                    defaults.len(),
                    locations.join(", ")
                ),
            )
            .expected("at most one isDefault=\"true\"")
            .actual(format!("{} defaults", defaults.len()))
            .at(defaults[1]
                .is_default
                .as_ref()
                .map_or(defaults[1].node.range(), |d| d.span.clone())),
        );
    }
}
