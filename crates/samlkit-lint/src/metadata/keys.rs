//! Keys and certificates: expiry, size, algorithms, rollover and what each key is for.

use super::entity::role_name;
use super::*;

/// A certificate body found in a KeyDescriptor, and where.
pub(super) struct FoundCertificate<'k> {
    body: &'k str,
    span: Range<usize>,
}

/// One distinct certificate of the entity, while linting.
pub(super) struct EntityKey<'k> {
    body: &'k str,
    span: Range<usize>,
    role: String,
    signing: bool,
    encryption: bool,
    /// Signing roles it is listed in (`IDPSSODescriptor`, `SPSSODescriptor`).
    signing_in: Vec<&'static str>,
    facts: Result<CertificateFacts, String>,
}

pub(super) fn certificates_of<'k>(
    descriptor: &'k KeyDescriptor<'_, '_>,
    fallback: &'k mut Vec<(String, Range<usize>)>,
    findings: &mut Vec<Finding>,
) -> Vec<FoundCertificate<'k>> {
    if descriptor.key_info.certificates.is_empty() {
        // Some generators write KeyInfo in the metadata namespace (samlify): read the key, and
        // say that strict consumers will not.
        for node in descriptor
            .node
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "X509Certificate")
        {
            let body: String = xml::text_content(node)
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            let namespace = node
                .tag_name()
                .namespace()
                .unwrap_or("no namespace")
                .to_string();
            findings.push(
                Finding::new(
                    Rule::MetadataKeyInfoNamespace,
                    format!(
                        "the X509Certificate is in {namespace}, not in the XML-DSig namespace; \
                         consumers that match by namespace find no key here"
                    ),
                )
                .expected(format!("KeyInfo and X509Certificate in {}", xml::ns::DS))
                .actual(namespace)
                .fix("declare xmlns=\"http://www.w3.org/2000/09/xmldsig#\" on KeyInfo (or use the ds: prefix)")
                .at(node.range()),
            );
            fallback.push((body, xml::text_span(node)));
        }
        return fallback
            .iter()
            .map(|(body, span)| FoundCertificate {
                body,
                span: span.clone(),
            })
            .collect();
    }
    descriptor
        .key_info
        .certificates
        .iter()
        .map(|c| FoundCertificate {
            body: &c.value,
            span: c.span.clone(),
        })
        .collect()
}

pub(super) fn parse_certificate(body: &str) -> Result<CertificateFacts, String> {
    read_certificate(body)
}

pub(super) fn check_keys(
    entity: &EntityDescriptor<'_, '_>,
    idp: Idp,
    options: &MetadataOptions,
    findings: &mut Vec<Finding>,
) -> Vec<KeyView> {
    let roles: Vec<(&RoleDescriptor<'_, '_>, Option<&'static str>)> = entity
        .idp_roles
        .iter()
        .map(|r| (&r.role, Some("IDPSSODescriptor")))
        .chain(
            entity
                .sp_roles
                .iter()
                .map(|r| (&r.role, Some("SPSSODescriptor"))),
        )
        .chain(entity.other_roles.iter().map(|r| (r, None)))
        .collect();
    // The fallback bodies must outlive the borrowed views below.
    let mut fallbacks: Vec<Vec<(String, Range<usize>)>> = roles
        .iter()
        .flat_map(|(role, _)| role.keys.iter().map(|_| Vec::new()))
        .collect();
    let mut keys: Vec<EntityKey<'_>> = Vec::new();
    let mut by_body: HashMap<&str, usize> = HashMap::new();
    let mut fallback_slots = fallbacks.iter_mut();
    for (role, saml_role) in &roles {
        for descriptor in &role.keys {
            let slot = fallback_slots.next().expect("one slot per KeyDescriptor");
            let signing = descriptor.is_for_signing();
            let encryption = descriptor.is_for_encryption();
            for found in certificates_of(descriptor, slot, findings) {
                let index = *by_body.entry(found.body).or_insert_with(|| {
                    keys.push(EntityKey {
                        body: found.body,
                        span: found.span.clone(),
                        role: role_name(role),
                        signing: false,
                        encryption: false,
                        signing_in: Vec::new(),
                        facts: parse_certificate(found.body),
                    });
                    keys.len() - 1
                });
                let key = &mut keys[index];
                key.signing |= signing;
                key.encryption |= encryption;
                if let Some(name) = saml_role {
                    if signing && !key.signing_in.contains(name) {
                        key.signing_in.push(*name);
                    }
                }
            }
        }
    }

    check_signing_keys_present(entity, idp, findings);
    for position in 0..keys.len() {
        check_key(&keys, position, entity, idp, options, findings);
    }
    for (role_element, role_node) in entity
        .idp_roles
        .iter()
        .map(|r| ("IDPSSODescriptor", r.role.node))
        .chain(
            entity
                .sp_roles
                .iter()
                .map(|r| ("SPSSODescriptor", r.role.node)),
        )
    {
        let signing: Vec<(usize, &CertificateFacts)> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.signing_in.contains(&role_element))
            .filter_map(|(i, k)| k.facts.as_ref().ok().map(|f| (i, f)))
            .collect();
        if signing.len() > 1 {
            findings.push(rollover_finding(
                role_element,
                role_node.range(),
                &signing,
                options,
            ));
        }
    }

    key_views(keys)
}

/// Every IdP role needs a signing key; an SP that says it signs requests needs one too.
fn check_signing_keys_present(
    entity: &EntityDescriptor<'_, '_>,
    idp: Idp,
    findings: &mut Vec<Finding>,
) {
    for idp_role in &entity.idp_roles {
        if idp_role.role.signing_keys().next().is_none() {
            findings.push(
                Finding::new(
                    Rule::MetadataSigningKeyMissing,
                    "the IdP role has no signing key, so no service provider can verify its \
                     Responses",
                )
                .expected("<KeyDescriptor use=\"signing\"> with the IdP's signing certificate")
                .actual(if idp_role.role.keys.is_empty() {
                    "no KeyDescriptor".to_string()
                } else {
                    "only encryption keys".to_string()
                })
                .fix(Fix::RefreshMetadata.text(idp))
                .at(idp_role.role.node.range()),
            );
        }
    }
    for sp_role in &entity.sp_roles {
        let signs_requests = sp_role
            .authn_requests_signed
            .as_ref()
            .is_some_and(|s| s.value);
        if signs_requests && sp_role.role.signing_keys().next().is_none() {
            findings.push(
                Finding::new(
                    Rule::MetadataSigningKeyMissing,
                    "the SP says it signs AuthnRequests but lists no signing key to verify them \
                     with",
                )
                .expected("<KeyDescriptor use=\"signing\"> with the SP's signing certificate")
                .actual("no signing KeyDescriptor")
                .at(sp_role.role.node.range()),
            );
        }
    }
}

/// One certificate: readable, valid now and for `warn_days` more, a strong enough key, not
/// signed with SHA-1.
fn check_key(
    keys: &[EntityKey<'_>],
    position: usize,
    entity: &EntityDescriptor<'_, '_>,
    idp: Idp,
    options: &MetadataOptions,
    findings: &mut Vec<Finding>,
) {
    let key = &keys[position];
    let now = options.now.unix_seconds();
    let horizon = now.saturating_add(options.warn_days.saturating_mul(86_400));
    let is_idp_entity = !entity.idp_roles.is_empty();
    let facts = match &key.facts {
        Ok(facts) => facts,
        Err(error) => {
            findings.push(
                Finding::new(
                    Rule::MetadataCertificateUnreadable,
                    format!(
                        "certificate {} of the entity cannot be read: {error}",
                        position + 1
                    ),
                )
                .expected("base64 of a DER X.509 certificate")
                .actual(shorten(key.body, 40))
                .fix(Fix::RefreshMetadata.text(idp))
                .at(key.span.clone()),
            );
            return;
        }
    };
    let owner = if key.signing_in.contains(&"IDPSSODescriptor") || (is_idp_entity && key.signing) {
        CertificateOwner::IdpSigning
    } else if key.signing && !key.encryption {
        CertificateOwner::SpSigning
    } else {
        CertificateOwner::Other
    };
    let what = format!(
        "the {} certificate {} ({})",
        key_purpose(key),
        facts.subject,
        short_fingerprint(&facts.sha256_fingerprint)
    );
    if now > facts.not_after {
        // A leftover of a finished rollover matters less when another signing key is valid.
        let other_valid = keys.iter().enumerate().any(|(other, k)| {
            other != position
                && k.signing == key.signing
                && k.facts
                    .as_ref()
                    .is_ok_and(|f| f.not_before <= now && now <= f.not_after)
        });
        let finding = Finding::new(
            Rule::MetadataCertificateExpired,
            format!(
                "{what} expired on {}, {} ago{}",
                facts.not_after_utc,
                describe_duration(now - facts.not_after),
                if other_valid {
                    "; another certificate of the entity for the same use is still valid, \
                     so this is the leftover of a rollover"
                } else {
                    ""
                }
            ),
        )
        .expected(format!("a certificate valid at {}", options.now))
        .actual(format!(
            "valid {} → {}",
            facts.not_before_utc, facts.not_after_utc
        ))
        .fix(if other_valid {
            "remove the expired certificate from the metadata".to_string()
        } else {
            renewal_fix(owner, idp, Some(&facts.not_after_utc))
        })
        .at(key.span.clone());
        findings.push(if other_valid {
            finding.severity(Severity::Warning)
        } else {
            finding
        });
    } else if now < facts.not_before {
        findings.push(
            Finding::new(
                Rule::MetadataCertificateNotYetValid,
                format!(
                    "{what} is valid only from {} (in {}); probably the next key of a rollover",
                    facts.not_before_utc,
                    describe_duration(facts.not_before - now)
                ),
            )
            .expected(format!("a certificate valid at {}", options.now))
            .actual(format!(
                "valid {} → {}",
                facts.not_before_utc, facts.not_after_utc
            ))
            .at(key.span.clone()),
        );
    } else if facts.not_after <= horizon {
        findings.push(
            Finding::new(
                Rule::MetadataCertificateExpiresSoon,
                format!(
                    "{what} expires on {}, in {}",
                    facts.not_after_utc,
                    describe_duration(facts.not_after - now)
                ),
            )
            .expected(format!(
                "valid for more than {} days after {}",
                options.warn_days, options.now
            ))
            .actual(format!("valid until {}", facts.not_after_utc))
            .fix(renewal_fix(owner, idp, Some(&facts.not_after_utc)))
            .at(key.span.clone()),
        );
    }
    check_key_strength(facts, &what, owner, idp, key.span.clone(), findings);
}

/// The key's size and the certificate's signature algorithm.
fn check_key_strength(
    facts: &CertificateFacts,
    what: &str,
    owner: CertificateOwner,
    idp: Idp,
    span: Range<usize>,
    findings: &mut Vec<Finding>,
) {
    if let Some(bits) = rsa_bits(facts).filter(|bits| *bits < RECOMMENDED_RSA_BITS) {
        let finding = Finding::new(
            Rule::MetadataWeakRsaKey,
            format!(
                "{what} has a {bits}-bit RSA key{}",
                if bits < AWS_MIN_RSA_BITS {
                    "; AWS IAM refuses keys under 1024 bits"
                } else {
                    ""
                }
            ),
        )
        .expected(format!("RSA {RECOMMENDED_RSA_BITS} bits or more"))
        .actual(facts.key.clone())
        .fix(renewal_fix(owner, idp, None))
        .at(span.clone());
        findings.push(if bits < AWS_MIN_RSA_BITS {
            finding.severity(Severity::Error)
        } else {
            finding
        });
    }
    if facts.signed_with_sha1 {
        findings.push(
            Finding::new(
                Rule::MetadataCertificateSha1,
                format!(
                    "{what} is signed with {} (SHA-1)",
                    facts.signature_algorithm
                ),
            )
            .expected("a certificate signed with SHA-256 or better")
            .actual(facts.signature_algorithm.clone())
            .fix(renewal_fix(owner, idp, None))
            .at(span.clone()),
        );
    }
}

/// The keys as the report shows them.
fn key_views(keys: Vec<EntityKey<'_>>) -> Vec<KeyView> {
    // Kept for every entity of an aggregate: a vector of its own, exactly sized (collecting in
    // place would keep the larger keys' allocation, with its growth slack).
    let mut views = Vec::with_capacity(keys.len());
    views.extend(keys.into_iter().map(|key| {
        let usage = match (key.signing, key.encryption) {
            (true, true) => "signing and encryption",
            (true, false) => "signing",
            _ => "encryption",
        };
        let (certificate, error) = match key.facts {
            Ok(facts) => (Some(facts), None),
            Err(error) => (None, Some(error)),
        };
        KeyView {
            role: key.role,
            usage,
            signing: key.signing,
            certificate,
            error,
        }
    }));
    views
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum CertificateOwner {
    IdpSigning,
    SpSigning,
    Other,
}

pub(super) fn key_purpose(key: &EntityKey<'_>) -> &'static str {
    match (key.signing, key.encryption) {
        (true, true) => "signing/encryption",
        (true, false) => "signing",
        _ => "encryption",
    }
}

pub(super) fn short_fingerprint(fingerprint: &str) -> String {
    format!("SHA-256 {}…", &fingerprint[..fingerprint.len().min(23)])
}

pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

pub(super) fn rsa_bits(facts: &CertificateFacts) -> Option<u32> {
    facts.rsa_bits
}

/// Where to create the next certificate and how to publish it, per identity provider; with
/// the deadline when the current one expires.
pub(super) fn renewal_fix(owner: CertificateOwner, idp: Idp, expires: Option<&str>) -> String {
    match owner {
        // The IdP's own rollover steps from its data file (neutral for an unknown IdP).
        CertificateOwner::IdpSigning => format!(
            "{}{}",
            Fix::RefreshMetadata.text(idp),
            expires.map_or(String::new(), |date| format!(
                " (the current certificate expires {date})"
            ))
        ),
        CertificateOwner::SpSigning | CertificateOwner::Other => format!(
            "create a new certificate for the service provider, publish it in the SP metadata \
             beside the current one{}, and upload the new SP metadata at {}",
            expires.map_or(String::new(), |date| format!(" before {date}")),
            idp.name()
        ),
    }
}

/// Explains several signing certificates as a rollover: which is newer, which the IdP most
/// likely signs with now.
pub(super) fn rollover_finding(
    role_element: &str,
    span: Range<usize>,
    signing: &[(usize, &CertificateFacts)],
    options: &MetadataOptions,
) -> Finding {
    let now = options.now.unix_seconds();
    let newest = signing
        .iter()
        .max_by_key(|(_, f)| (f.not_before, f.not_after))
        .map(|(i, _)| *i)
        .unwrap_or(0);
    // Identity providers keep signing with the active certificate until an administrator
    // activates the new one (Entra ID, Okta) or it is promoted (AD FS): the oldest certificate
    // that is valid now is the best guess; if none is, the newest.
    let valid_now: Vec<&(usize, &CertificateFacts)> = signing
        .iter()
        .filter(|(_, f)| f.not_before <= now && now <= f.not_after)
        .collect();
    let likely = valid_now
        .iter()
        .min_by_key(|(_, f)| (f.not_before, f.not_after))
        .map(|(i, _)| *i);
    let describe = |(i, f): &(usize, &CertificateFacts)| {
        format!(
            "key {} {} valid {} → {}",
            i + 1,
            f.subject,
            f.not_before_utc,
            f.not_after_utc
        )
    };
    let listed: Vec<String> = signing.iter().map(describe).collect();
    let likely_text = match likely {
        Some(index) if index == newest && valid_now.len() == 1 => format!(
            "key {} is the only one valid now, so the IdP most likely signs with it",
            index + 1
        ),
        Some(index) => format!(
            "the IdP most likely still signs with key {} (the older one valid now) until the \
             newer one is activated",
            index + 1
        ),
        None => "none is valid now: the IdP signs with an expired key or one not listed here"
            .to_string(),
    };
    Finding::new(
        Rule::MetadataKeyRollover,
        format!(
            "the {role_element} lists {} signing certificates: a key rollover in progress. Key {} \
             is the newer one; {likely_text}. Consumers must trust all of them until the old one \
             is removed; a captured sign-in shows which one signs (`samlkit explain`)",
            signing.len(),
            newest + 1
        ),
    )
    .actual(listed.join("; "))
    .fix("keep every listed certificate trusted at the service provider until the rollover ends")
    .at(span)
}
