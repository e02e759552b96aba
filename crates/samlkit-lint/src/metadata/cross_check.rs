//! Cross-checks for `samlkit check`: the SP metadata against the SP's settings, and a
//! sample's signing certificates against the IdP metadata's keys.

use std::borrow::Cow;

use super::keys::parse_certificate;
use super::*;

/// The SP metadata against the SP's settings: its entityID against the configured Identifier,
/// its AssertionConsumerServices against the configured Reply URL. The findings point into the
/// SP metadata. `idp` (detected from the IdP metadata) decides whose console the fixes name.
pub fn cross_check_sp_metadata(
    metadata: &Metadata<'_, '_>,
    sp_entity_id: Option<&str>,
    acs_url: Option<&str>,
    idp: Idp,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let entities = metadata.entities();
    let Some(sp) = entities.iter().find(|e| !e.sp_roles.is_empty()) else {
        findings.push(
            Finding::new(
                Rule::MetadataNoRole,
                "the SP metadata holds no SPSSODescriptor, so the service provider's settings \
                 cannot be compared with it",
            )
            .expected("an EntityDescriptor with an SPSSODescriptor")
            .actual("no SP role")
            .at(metadata.node().range()),
        );
        return findings;
    };
    if let Some(configured) = sp_entity_id {
        let actual = sp.entity_id_str().trim();
        if actual != configured {
            findings.push(
                Finding::new(
                    Rule::MetadataSpEntityIdMismatch,
                    "the SP metadata's entityID is not the Identifier configured for the service \
                     provider",
                )
                .expected(configured)
                .actual(actual)
                .fix(format!(
                    "make them equal: set sp.entity_id in samlkit.toml to the SP's real entity \
                     ID, and the IdP's Identifier to the same ({})",
                    Fix::Identifier { entity_id: actual }.text(idp)
                ))
                .at(sp
                    .entity_id
                    .as_ref()
                    .map_or(sp.node.range(), |e| e.span.clone())),
            );
        }
    }
    if let Some(configured) = acs_url {
        let services: Vec<&Endpoint<'_, '_>> = sp
            .sp_roles
            .iter()
            .flat_map(|r| r.assertion_consumer_services.iter())
            .collect();
        let matches = services
            .iter()
            .any(|s| s.location.as_ref().is_some_and(|l| l.value == configured));
        if !matches && !services.is_empty() {
            let listed: Vec<&str> = services
                .iter()
                .filter_map(|s| s.location.as_ref().map(|l| l.value))
                .collect();
            let near = listed.iter().find(|l| {
                l.trim_end_matches('/')
                    .eq_ignore_ascii_case(configured.trim_end_matches('/'))
            });
            let hint = match near {
                Some(near) => format!(
                    " (`{near}` differs only in case or a trailing slash, and SAML compares URLs \
                     character for character)"
                ),
                None => String::new(),
            };
            let first = services[0];
            findings.push(
                Finding::new(
                    Rule::MetadataSpAcsMismatch,
                    format!(
                        "the configured Reply URL is none of the SP metadata's \
                         AssertionConsumerService URLs{hint}"
                    ),
                )
                .expected(configured)
                .actual(listed.join(", "))
                .fix(
                    Fix::ReplyUrl {
                        url: listed.first().copied().unwrap_or(configured),
                    }
                    .text(idp),
                )
                .at(first
                    .location
                    .as_ref()
                    .map_or(first.node.range(), |l| l.span.clone())),
            );
        }
    }
    findings
}

/// A sample's signing certificates (from its KeyInfo) against the IdP metadata's signing
/// keys: one finding per certificate that is not among them. `certificates` are the base64
/// bodies with their spans in the sample; `metadata_fingerprints` the SHA-256 fingerprints of
/// the metadata's signing certificates.
pub fn cross_check_sample_keys(
    certificates: &[&Spanned<Cow<'_, str>>],
    metadata_fingerprints: &[String],
    idp: Idp,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut reported = HashSet::new();
    for certificate in certificates {
        let Ok(facts) = parse_certificate(&certificate.value) else {
            continue;
        };
        if metadata_fingerprints.contains(&facts.sha256_fingerprint)
            || !reported.insert(facts.sha256_fingerprint.clone())
        {
            continue;
        }
        findings.push(
            Finding::new(
                Rule::MetadataSampleKeyNotInMetadata,
                format!(
                    "the sample is signed with the certificate {} (valid {} → {}), which the IdP \
                     metadata does not list (it lists {}): the IdP's key changed and the \
                     metadata is stale",
                    facts.subject,
                    facts.not_before_utc,
                    facts.not_after_utc,
                    match metadata_fingerprints.len() {
                        0 => "no signing key".to_string(),
                        1 => "1 signing key".to_string(),
                        n => format!("{n} signing keys"),
                    }
                ),
            )
            .expected(if metadata_fingerprints.is_empty() {
                "a signing key in the IdP metadata".to_string()
            } else {
                format!("SHA-256 {}", metadata_fingerprints.join(" or "))
            })
            .actual(format!("SHA-256 {}", facts.sha256_fingerprint))
            .fix(Fix::RefreshMetadata.text(idp))
            .at(certificate.span.clone()),
        );
    }
    findings
}
