//! Profiles and categories an entity declares or a federation requires: saml2int, SIRTFI v1 and
//! v2, REFEDS Research & Scholarship and InCommon Baseline Expectations.

use samlkit_parse::model::EntityDescriptor;
use samlkit_parse::xml::{self, ns};

use super::entity_facts::{
    EntityFacts, ASSURANCE_CERTIFICATION, ENTITY_CATEGORY, RESEARCH_AND_SCHOLARSHIP, SIRTFI_V1,
    SIRTFI_V2,
};
use super::FederationRule as R;
use super::{at, attribute, finding, text};
use crate::report::Finding;

const SAML2_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const HTTP_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
const TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
const URI_NAME_FORMAT: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";

/// The R&S attribute bundle by its SAML names (urn:oid form, and the SAML subject identifiers).
const RANDS_BUNDLE: &[&str] = &[
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",  // eduPersonPrincipalName
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.10", // eduPersonTargetedID
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.13", // eduPersonUniqueId
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.9",  // eduPersonScopedAffiliation
    "urn:oid:0.9.2342.19200300.100.1.3", // mail
    "urn:oid:2.16.840.1.113730.3.1.241", // displayName
    "urn:oid:2.5.4.42",                  // givenName
    "urn:oid:2.5.4.4",                   // sn
    "urn:oasis:names:tc:SAML:attribute:subject-id",
    "urn:oasis:names:tc:SAML:attribute:pairwise-id",
];

fn speaks_saml2(role: &samlkit_parse::model::RoleDescriptor<'_, '_>) -> bool {
    role.protocol_support
        .as_ref()
        .is_some_and(|p| p.value.split_whitespace().any(|v| v == SAML2_PROTOCOL))
}

fn name_id_formats<'r>(role: &'r samlkit_parse::model::RoleDescriptor<'_, '_>) -> Vec<&'r str> {
    role.name_id_formats.iter().map(|f| f.trimmed()).collect()
}

pub fn saml2int(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    for sp in entity.sp_roles.iter().filter(|sp| speaks_saml2(&sp.role)) {
        let post = sp.assertion_consumer_services.iter().any(|acs| {
            acs.binding
                .as_ref()
                .is_some_and(|b| b.value.trim() == HTTP_POST)
        });
        if !post {
            out.push(finding(
                R::Saml2intSpHttpPost,
                "the SPSSODescriptor lists no AssertionConsumerService with the HTTP-POST binding",
                at(sp.role.node),
            ));
        }
        let formats = name_id_formats(&sp.role);
        if !formats.is_empty() && !formats.iter().any(|f| *f == PERSISTENT || *f == TRANSIENT) {
            out.push(
                finding(
                    R::Saml2intSpNameIdFormats,
                    "the SP lists NameID formats but neither persistent nor transient",
                    at(sp.role.node),
                )
                .actual(formats.join(", ")),
            );
        }
    }
    for idp in entity
        .idp_roles
        .iter()
        .filter(|idp| speaks_saml2(&idp.role))
    {
        let signing_key = idp.role.keys.iter().any(|key| {
            key.is_for_signing()
                && key
                    .node
                    .descendants()
                    .any(|n| xml::is_element(n, ns::DS, "X509Data"))
        });
        if !signing_key {
            out.push(finding(
                R::Saml2intIdpSigningKey,
                "the IDPSSODescriptor has no KeyDescriptor for signing with an X509 certificate",
                at(idp.role.node),
            ));
        }
        let formats = name_id_formats(&idp.role);
        if !formats.is_empty() && !formats.contains(&TRANSIENT) {
            out.push(
                finding(
                    R::Saml2intIdpTransient,
                    "the IdP lists NameID formats without transient",
                    at(idp.role.node),
                )
                .actual(formats.join(", ")),
            );
        }
    }
    let advertised = entity
        .idp_roles
        .iter()
        .flat_map(|idp| xml::children_named(idp.role.node, ns::SAML, "Attribute"));
    let attributes = facts.attributes.iter().map(|a| a.node).chain(advertised);
    for attr in attributes {
        let name = attribute(attr, "Name").map_or("", |(n, _)| n);
        match attribute(attr, "NameFormat") {
            None => out.push(finding(
                R::Saml2intNameFormat,
                format!("Attribute `{name}` has no NameFormat"),
                at(attr),
            )),
            Some((format, span)) if format.trim() != URI_NAME_FORMAT => out.push(
                finding(
                    R::Saml2intNameFormat,
                    format!("Attribute `{name}` has NameFormat {format}"),
                    span,
                )
                .expected(URI_NAME_FORMAT)
                .actual(format),
            ),
            Some(_) => {}
        }
    }
}

pub fn sirtfi(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    let v1 = facts.has_attribute_value(ASSURANCE_CERTIFICATION, SIRTFI_V1);
    let v2 = facts.has_attribute_value(ASSURANCE_CERTIFICATION, SIRTFI_V2);
    if !v1 && !v2 {
        out.push(finding(
            R::SirtfiNotAsserted,
            "no assurance-certification entity attribute with https://refeds.org/sirtfi",
            at(entity.node),
        ));
    }
    let almost = facts
        .attributes
        .iter()
        .filter(|a| a.name.trim() == ASSURANCE_CERTIFICATION)
        .flat_map(|a| a.values.iter())
        .find(|(_, v)| {
            let v = v.trim();
            v.to_ascii_lowercase().contains("sirtfi") && v != SIRTFI_V1 && v != SIRTFI_V2
        });
    if let Some((node, value)) = almost {
        out.push(
            finding(
                R::SirtfiValueUnknown,
                format!(
                    "assurance-certification holds `{}`, which is not a Sirtfi value",
                    value.trim()
                ),
                at(*node),
            )
            .expected(format!("{SIRTFI_V1} or {SIRTFI_V2}"))
            .actual(value.trim()),
        );
    }
    if v2 && !v1 {
        let node = facts
            .attribute_value_node(ASSURANCE_CERTIFICATION, SIRTFI_V2)
            .unwrap_or(entity.node);
        out.push(finding(
            R::SirtfiV2WithoutV1,
            "https://refeds.org/sirtfi2 is asserted without https://refeds.org/sirtfi",
            at(node),
        ));
    }
    if (v1 || v2) && facts.security_contacts().next().is_none() {
        out.push(finding(
            R::SirtfiNoSecurityContact,
            "the entity asserts Sirtfi but lists no REFEDS security contact",
            at(entity.node),
        ));
    }
    for contact in facts.security_contacts() {
        let mut missing = Vec::new();
        if !contact.has_given_name {
            missing.push("GivenName");
        }
        if contact.emails == 0 {
            missing.push("EmailAddress");
        }
        if !missing.is_empty() {
            out.push(finding(
                R::SirtfiContactIncomplete,
                format!("the security contact has no {}", missing.join(" and no ")),
                at(contact.node),
            ));
        }
        if contact.contact_type.trim() != "other" {
            out.push(
                finding(
                    R::SirtfiContactType,
                    format!(
                        "the security contact has contactType=\"{}\"",
                        contact.contact_type
                    ),
                    at(contact.node),
                )
                .expected("contactType=\"other\"")
                .actual(contact.contact_type),
            );
        }
    }
}

pub fn rands(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    let Some(category) = facts.attribute_value_node(ENTITY_CATEGORY, RESEARCH_AND_SCHOLARSHIP)
    else {
        return;
    };
    if entity.sp_roles.is_empty() {
        out.push(finding(
            R::RandsCategoryOnIdp,
            "the entity is in the R&S entity category but has no SPSSODescriptor",
            at(category),
        ));
        return;
    }
    for sp in &entity.sp_roles {
        let requested = sp
            .role
            .node
            .descendants()
            .any(|n| xml::is_element(n, ns::MD, "RequestedAttribute"));
        if !requested {
            out.push(finding(
                R::RandsNoRequestedAttributes,
                "the R&S SP lists no md:RequestedAttribute",
                at(sp.role.node),
            ));
        }
    }
    for sp in &entity.sp_roles {
        let requested = sp
            .role
            .node
            .descendants()
            .filter(|n| xml::is_element(*n, ns::MD, "RequestedAttribute"));
        for attribute_node in requested {
            let name = attribute(attribute_node, "Name")
                .map_or("", |(n, _)| n)
                .trim();
            if !RANDS_BUNDLE.contains(&name) {
                let friendly = attribute(attribute_node, "FriendlyName").map_or("", |(n, _)| n);
                let what = if friendly.is_empty() {
                    format!("`{name}`")
                } else {
                    format!("`{name}` ({friendly})")
                };
                out.push(finding(
                    R::RandsOutsideBundle,
                    format!("the R&S SP requests {what}, which is outside the R&S bundle"),
                    at(attribute_node),
                ));
            }
        }
    }
    let mut missing = Vec::new();
    if facts.mdui("DisplayName").next().is_none() {
        missing.push("mdui:DisplayName");
    }
    if facts.mdui("InformationURL").next().is_none() {
        missing.push("mdui:InformationURL");
    }
    if !facts
        .contacts
        .iter()
        .any(|c| c.contact_type.trim() == "technical")
    {
        missing.push("a technical contact");
    }
    if !missing.is_empty() {
        out.push(
            finding(
                R::RandsSpMetadata,
                format!("the R&S SP's metadata lacks {}", missing.join(", ")),
                at(entity.node),
            )
            .actual(format!("missing: {}", missing.join(", "))),
        );
    }
}

pub fn incommon(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    let here = at(entity.node);
    if !facts.has_contact_with_email("technical") {
        out.push(finding(
            R::IncommonTechnicalContact,
            "no technical contact with an e-mail address",
            here.clone(),
        ));
    }
    if !facts.has_contact_with_email("administrative") {
        out.push(finding(
            R::IncommonAdministrativeContact,
            "no administrative contact with an e-mail address",
            here.clone(),
        ));
    }
    if !facts.security_contacts().any(|c| c.emails > 0) {
        out.push(finding(
            R::IncommonSecurityContact,
            "no security contact with an e-mail address",
            here.clone(),
        ));
    }
    if facts.ui_infos.is_empty() {
        return;
    }
    if facts.mdui("DisplayName").all(|n| text(n).trim().is_empty()) {
        out.push(finding(
            R::IncommonDisplayName,
            "no mdui:DisplayName",
            here.clone(),
        ));
    }
    if !facts
        .mdui("Logo")
        .any(|n| text(n).trim().starts_with("https://"))
    {
        out.push(finding(
            R::IncommonLogo,
            "no mdui:Logo with an https URL",
            here.clone(),
        ));
    }
    if facts
        .mdui("PrivacyStatementURL")
        .all(|n| text(n).trim().is_empty())
    {
        out.push(finding(
            R::IncommonPrivacy,
            "no mdui:PrivacyStatementURL",
            here,
        ));
    }
    for idp in &entity.idp_roles {
        if attribute(idp.role.node, "errorURL").is_none_or(|(v, _)| v.trim().is_empty()) {
            out.push(finding(
                R::IncommonErrorUrl,
                "the IDPSSODescriptor has no errorURL",
                at(idp.role.node),
            ));
        }
    }
}
