//! One entity: its entityID, its roles and what each role offers.

use super::endpoints::{check_acs_indexes, check_endpoint, endpoint_view};
use super::keys::check_keys;
use super::validity::{cache_duration_finding, valid_until_finding};
use samlkit_parse::model::{IdpSsoDescriptor, SpSsoDescriptor};

use super::*;

pub(super) fn lint_entity(
    entity: &EntityDescriptor<'_, '_>,
    options: &MetadataOptions,
) -> EntityReport {
    let entity_id = entity
        .entity_id
        .as_ref()
        .map(|e| e.value.trim().to_string());
    let idp = if entity.idp_roles.is_empty() {
        Idp::GENERIC
    } else {
        entity_id.as_deref().map_or(Idp::GENERIC, Idp::detect)
    };
    let mut findings = Vec::new();
    check_entity_id(entity, &mut findings);
    findings.extend(valid_until_finding(
        entity.valid_until.as_ref(),
        "the entity",
        options,
    ));
    findings.extend(cache_duration_finding(
        entity.cache_duration.as_ref(),
        "the entity",
    ));

    let roles: Vec<String> = entity.roles().map(role_name).collect();
    check_roles(entity, &mut findings);

    let mut single_sign_on = Vec::new();
    let mut assertion_consumer_services = Vec::new();
    let mut single_logout = Vec::new();
    let mut name_id_formats: Vec<String> = Vec::new();
    for role in entity.roles() {
        findings.extend(valid_until_finding(
            role.valid_until.as_ref(),
            &format!("the {}", role.element),
            options,
        ));
        for format in &role.name_id_formats {
            let format = format.trimmed();
            if !format.is_empty() && !name_id_formats.iter().any(|f| f == format) {
                name_id_formats.push(format.to_string());
            }
        }
    }
    for role in &entity.idp_roles {
        single_sign_on.extend(check_idp_role(role, &mut findings));
    }
    for role in &entity.sp_roles {
        assertion_consumer_services.extend(check_sp_role(role, &mut findings));
    }
    for role in entity
        .idp_roles
        .iter()
        .map(|r| &r.role)
        .chain(entity.sp_roles.iter().map(|r| &r.role))
    {
        for endpoint in &role.single_logout {
            check_endpoint(endpoint, "SingleLogoutService", &mut findings);
            single_logout.push(endpoint_view(endpoint));
        }
    }

    let keys = check_keys(entity, idp, options, &mut findings);
    // Kept for every entity of an aggregate: no growth slack (a vector grown by one push holds
    // room for four).
    findings.shrink_to_fit();
    single_sign_on.shrink_to_fit();
    assertion_consumer_services.shrink_to_fit();
    single_logout.shrink_to_fit();
    name_id_formats.shrink_to_fit();

    EntityReport {
        entity_id,
        location: None,
        span: entity.node.range(),
        roles,
        idp,
        single_sign_on,
        assertion_consumer_services,
        single_logout,
        name_id_formats,
        keys,
        want_assertions_signed: entity
            .sp_roles
            .iter()
            .find_map(|r| r.want_assertions_signed.as_ref().map(|w| w.value)),
        authn_requests_signed: entity
            .sp_roles
            .iter()
            .find_map(|r| r.authn_requests_signed.as_ref().map(|w| w.value)),
        want_authn_requests_signed: entity
            .idp_roles
            .iter()
            .find_map(|r| r.want_authn_requests_signed.as_ref().map(|w| w.value)),
        findings,
    }
}

/// A role that lists no SingleLogoutService; `what` names the role.
fn slo_missing(role: &RoleDescriptor<'_, '_>, what: &str) -> Option<Finding> {
    role.single_logout.is_empty().then(|| {
        Finding::new(
            Rule::MetadataSloMissing,
            format!("{what} lists no SingleLogoutService"),
        )
        .at(role.node.range())
    })
}

/// An IdP role: where users are sent to sign in, logout, and whether it wants signed
/// requests. Returns its SingleSignOnServices.
fn check_idp_role(
    role: &IdpSsoDescriptor<'_, '_>,
    findings: &mut Vec<Finding>,
) -> Vec<EndpointView> {
    let mut single_sign_on = Vec::new();
    if role.single_sign_on.is_empty() {
        findings.push(
            Finding::new(
                Rule::MetadataSsoMissing,
                "the IdP role lists no SingleSignOnService, so service providers have \
                 nowhere to send users",
            )
            .expected("<SingleSignOnService Binding=\"…HTTP-Redirect\" Location=\"https://…\"/>")
            .actual("none")
            .at(role.role.node.range()),
        );
    }
    findings.extend(slo_missing(&role.role, "the IdP role (IDPSSODescriptor)"));
    for endpoint in &role.single_sign_on {
        check_endpoint(endpoint, "SingleSignOnService", findings);
        single_sign_on.push(endpoint_view(endpoint));
    }
    if let Some(want) = role.want_authn_requests_signed.as_ref().filter(|w| w.value) {
        findings.push(
            Finding::new(
                Rule::MetadataAuthnRequestsSigned,
                "the IdP wants signed AuthnRequests (WantAuthnRequestsSigned=\"true\"): the \
                 service provider must sign its requests, and the IdP needs the SP's \
                 signing certificate",
            )
            .at(want.span.clone()),
        );
    }
    single_sign_on
}

/// An SP role: where Responses are posted, logout, and what it wants signed. Returns its
/// AssertionConsumerServices.
fn check_sp_role(role: &SpSsoDescriptor<'_, '_>, findings: &mut Vec<Finding>) -> Vec<EndpointView> {
    let mut assertion_consumer_services = Vec::new();
    if role.assertion_consumer_services.is_empty() {
        findings.push(
            Finding::new(
                Rule::MetadataAcsMissing,
                "the SP role lists no AssertionConsumerService, so the IdP has nowhere to \
                 post the Response",
            )
            .expected("<AssertionConsumerService Binding=\"…HTTP-POST\" Location=\"https://…\" index=\"0\"/>")
            .actual("none")
            .at(role.role.node.range()),
        );
    }
    findings.extend(slo_missing(&role.role, "the SP role (SPSSODescriptor)"));
    for endpoint in &role.assertion_consumer_services {
        check_endpoint(endpoint, "AssertionConsumerService", findings);
        assertion_consumer_services.push(endpoint_view(endpoint));
    }
    check_acs_indexes(&role.assertion_consumer_services, findings);
    if let Some(want) = role.want_assertions_signed.as_ref().filter(|w| w.value) {
        findings.push(
            Finding::new(
                Rule::MetadataWantAssertionsSigned,
                "the SP wants signed assertions (WantAssertionsSigned=\"true\"): the IdP \
                 must sign the Assertion itself, not only the Response",
            )
            .at(want.span.clone()),
        );
    }
    if let Some(signed) = role.authn_requests_signed.as_ref().filter(|w| w.value) {
        findings.push(
            Finding::new(
                Rule::MetadataAuthnRequestsSigned,
                "the SP signs its AuthnRequests (AuthnRequestsSigned=\"true\"): the IdP \
                 verifies them with the SP's signing certificate from this metadata",
            )
            .at(signed.span.clone()),
        );
    }
    assertion_consumer_services
}

pub(super) fn role_name(role: &RoleDescriptor<'_, '_>) -> String {
    match &role.xsi_type {
        Some(kind) => format!("{} ({})", role.element, kind.value),
        None => role.element.to_string(),
    }
}

pub(super) fn check_entity_id(entity: &EntityDescriptor<'_, '_>, findings: &mut Vec<Finding>) {
    let Some(id) = &entity.entity_id else {
        findings.push(
            Finding::new(
                Rule::MetadataEntityIdMissing,
                "the EntityDescriptor has no entityID",
            )
            .expected("entityID=\"https://…\" (the IdP's Issuer, or the SP's Identifier)")
            .actual("no entityID attribute")
            .at(entity.node.range()),
        );
        return;
    };
    let value = id.value.trim();
    let problem = if value.is_empty() {
        Some("it is empty".to_string())
    } else if value.chars().count() > MAX_ENTITY_ID_CHARS {
        Some(format!(
            "it is {} characters long; the limit is {MAX_ENTITY_ID_CHARS}",
            value.chars().count()
        ))
    } else if value.chars().any(char::is_whitespace) {
        Some("it contains spaces (a placeholder that was never replaced?)".to_string())
    } else if uri_scheme(value).is_none() {
        Some("it has no URI scheme such as https: or urn:".to_string())
    } else if id.value != value {
        Some("it has spaces around it, which consumers compare character for character".to_string())
    } else {
        None
    };
    if let Some(problem) = problem {
        let finding = Finding::new(
            Rule::MetadataEntityIdNotUri,
            format!("the entityID `{value}` is not an absolute URI: {problem}"),
        )
        .expected("an absolute URI, e.g. https://idp.example.org/metadata or urn:…")
        .actual(id.value)
        .at(id.span.clone());
        findings.push(if value.is_empty() {
            finding.severity(Severity::Error)
        } else {
            finding
        });
    }
}

/// The scheme of an absolute URI (`https`, `urn`, …), lowercase.
pub(super) fn uri_scheme(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty();
    valid.then(|| scheme.to_ascii_lowercase())
}

pub(super) fn check_roles(entity: &EntityDescriptor<'_, '_>, findings: &mut Vec<Finding>) {
    if entity.idp_roles.is_empty() && entity.sp_roles.is_empty() {
        let others: Vec<String> = entity.other_roles.iter().map(role_name).collect();
        let non_signin_saml_role = entity
            .other_roles
            .iter()
            .any(|r| r.element != "RoleDescriptor");
        let finding = Finding::new(
            Rule::MetadataNoRole,
            if others.is_empty() {
                "the entity has no role at all: neither IDPSSODescriptor nor SPSSODescriptor"
                    .to_string()
            } else {
                format!(
                    "the entity has no SAML sign-in role, only {}",
                    others.join(", ")
                )
            },
        )
        .expected("an IDPSSODescriptor (identity provider) or SPSSODescriptor (service provider)")
        .actual(if others.is_empty() {
            "no role".to_string()
        } else {
            others.join(", ")
        })
        .at(entity.node.range());
        // Attribute authorities and affiliations legitimately have no sign-in role.
        findings.push(if non_signin_saml_role {
            finding.severity(Severity::Info)
        } else {
            finding
        });
    }
    for role in entity
        .idp_roles
        .iter()
        .map(|r| &r.role)
        .chain(entity.sp_roles.iter().map(|r| &r.role))
    {
        if !role.supports_saml2() {
            let declared = role
                .protocol_support
                .as_ref()
                .map_or("nothing (no protocolSupportEnumeration)", |p| p.value);
            findings.push(
                Finding::new(
                    Rule::MetadataProtocolNotSaml2,
                    format!(
                        "the {} does not declare SAML 2.0 support, so SAML 2.0 consumers ignore it",
                        role.element
                    ),
                )
                .expected(samlkit_parse::model::PROTOCOL_SAML2)
                .actual(declared)
                .at(role
                    .protocol_support
                    .as_ref()
                    .map_or(role.node.range(), |p| p.span.clone())),
            );
        }
    }
}
