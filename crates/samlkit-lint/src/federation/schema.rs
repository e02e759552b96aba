//! What the SAML metadata schema (saml-schema-metadata-2.0.xsd) and the mdrpi, mdui and shibmd
//! extension schemas require of an entity, checked directly: samlkit does not validate against
//! the XSDs themselves (see the eduGAIN section of docs/rules.md for why). One walk over the
//! entity's elements.

use roxmltree::Node;
use samlkit_parse::model::EntityDescriptor;
use samlkit_parse::xml::ns;

use super::entity_facts::EntityFacts;
use super::extension_ns::{MDRPI, SHIBMD};
use super::FederationRule as R;
use super::{at, attribute, finding, lang, text};
use crate::report::Finding;

/// Endpoint elements (EndpointType): Binding and Location are required.
const ENDPOINTS: &[&str] = &[
    "SingleSignOnService",
    "SingleLogoutService",
    "ManageNameIDService",
    "NameIDMappingService",
    "AssertionIDRequestService",
    "AttributeService",
    "AuthnQueryService",
    "AuthzService",
    "ArtifactResolutionService",
    "AssertionConsumerService",
];
/// IndexedEndpointType elements: index is a required xs:unsignedShort.
const INDEXED: &[&str] = &["ArtifactResolutionService", "AssertionConsumerService"];
/// localizedNameType / localizedURIType elements: xml:lang is required.
const LOCALIZED_MD: &[&str] = &[
    "OrganizationName",
    "OrganizationDisplayName",
    "OrganizationURL",
    "ServiceName",
    "ServiceDescription",
];
const LOCALIZED_MDUI: &[&str] = &[
    "DisplayName",
    "Description",
    "InformationURL",
    "PrivacyStatementURL",
    "Keywords",
];
const LOCALIZED_MDRPI: &[&str] = &["RegistrationPolicy", "UsagePolicy", "Publisher"];
const BOOLEAN_ATTRIBUTES: &[&str] = &[
    "WantAuthnRequestsSigned",
    "AuthnRequestsSigned",
    "WantAssertionsSigned",
    "isDefault",
    "isRequired",
];
const CONTACT_TYPES: &[&str] = &["technical", "support", "administrative", "billing", "other"];

fn invalid(node: Node<'_, '_>, message: String, out: &mut Vec<Finding>) {
    out.push(finding(R::EdugainSchema, message, at(node)));
}

/// The position of an EntityDescriptor child in the schema's sequence.
fn sequence_rank(child: Node<'_, '_>) -> Option<u8> {
    let name = child.tag_name();
    match (name.namespace(), name.name()) {
        (Some(ns::DS), "Signature") => Some(0),
        (Some(ns::MD), "Extensions") => Some(1),
        (Some(ns::MD), local) if local.ends_with("Descriptor") => Some(2),
        (Some(ns::MD), "Organization") => Some(3),
        (Some(ns::MD), "ContactPerson") => Some(4),
        (Some(ns::MD), "AdditionalMetadataLocation") => Some(5),
        _ => None,
    }
}

const SEQUENCE: [&str; 6] = [
    "ds:Signature",
    "Extensions",
    "the role descriptors",
    "Organization",
    "ContactPerson",
    "AdditionalMetadataLocation",
];

pub fn lint_entity(
    entity: &EntityDescriptor<'_, '_>,
    facts: &EntityFacts<'_, '_>,
    out: &mut Vec<Finding>,
) {
    let node = entity.node;
    let mut last = 0u8;
    let mut singles = [0u8; 6];
    let mut roles = 0usize;
    for child in node.children().filter(|c| c.is_element()) {
        let Some(rank) = sequence_rank(child) else {
            invalid(
                child,
                format!(
                    "<{}> is not allowed inside an EntityDescriptor",
                    child.tag_name().name()
                ),
                out,
            );
            continue;
        };
        if rank < last {
            invalid(
                child,
                format!(
                    "<{}> comes after {}; the schema orders ds:Signature, Extensions, roles, \
                     Organization, ContactPerson, AdditionalMetadataLocation",
                    child.tag_name().name(),
                    SEQUENCE[last as usize]
                ),
                out,
            );
        }
        last = last.max(rank);
        if rank == 2 {
            roles += 1;
        }
        if matches!(rank, 0 | 1 | 3) {
            singles[rank as usize] += 1;
            if singles[rank as usize] == 2 {
                invalid(
                    child,
                    format!(
                        "a second <{}>; the schema allows one",
                        child.tag_name().name()
                    ),
                    out,
                );
            }
        }
    }
    if roles == 0 {
        invalid(
            node,
            "the EntityDescriptor has no role descriptor (nor AffiliationDescriptor)".to_string(),
            out,
        );
    }
    if let Some(organization) = samlkit_parse::xml::child_named(node, ns::MD, "Organization") {
        check_sequence(organization, ORGANIZATION_SEQUENCE, out);
    }
    for contact in &facts.contacts {
        check_sequence(contact.node, CONTACT_SEQUENCE, out);
        if !CONTACT_TYPES.contains(&contact.contact_type) {
            invalid(
                contact.node,
                format!(
                    "contactType=\"{}\" is not one of technical, support, administrative, billing, other",
                    contact.contact_type
                ),
                out,
            );
        }
    }
    for role in entity.roles() {
        if role.protocol_support.is_none() {
            invalid(
                role.node,
                format!("the {} has no protocolSupportEnumeration", role.element),
                out,
            );
        }
    }

    for element in node.descendants().filter(|n| n.is_element()) {
        let name = element.tag_name();
        let local = name.name();
        match name.namespace() {
            Some(ns::MD) => {
                if ENDPOINTS.contains(&local) {
                    for required in ["Binding", "Location"] {
                        if attribute(element, required).is_none() {
                            invalid(element, format!("{local} has no {required}"), out);
                        }
                    }
                    if INDEXED.contains(&local) {
                        match attribute(element, "index") {
                            None => invalid(element, format!("{local} has no index"), out),
                            Some((index, _)) if index.trim().parse::<u16>().is_err() => invalid(
                                element,
                                format!("{local} index=\"{index}\" is not an xs:unsignedShort"),
                                out,
                            ),
                            Some(_) => {}
                        }
                    }
                }
                if LOCALIZED_MD.contains(&local) {
                    require_lang(element, out);
                }
                for flag in BOOLEAN_ATTRIBUTES {
                    boolean(element, flag, out);
                }
            }
            Some(ns::MDUI) => {
                if LOCALIZED_MDUI.contains(&local) {
                    require_lang(element, out);
                }
                if local == "Logo" {
                    for dimension in ["height", "width"] {
                        match attribute(element, dimension) {
                            Some((value, _))
                                if value.trim().parse::<u32>().is_ok_and(|v| v > 0) => {}
                            Some((value, _)) => invalid(
                                element,
                                format!(
                                    "mdui:Logo {dimension}=\"{value}\" is not a positive integer"
                                ),
                                out,
                            ),
                            None => invalid(element, format!("mdui:Logo has no {dimension}"), out),
                        }
                    }
                }
            }
            Some(MDRPI) if LOCALIZED_MDRPI.contains(&local) => require_lang(element, out),
            Some(SHIBMD) if local == "Scope" => {
                boolean(element, "regexp", out);
                if text(element).trim().is_empty() {
                    invalid(element, "shibmd:Scope is empty".to_string(), out);
                }
            }
            _ => {}
        }
    }
}

/// A content model as (local name in md, least and most occurrences), in schema order.
type Sequence = &'static [(&'static str, usize, usize)];

/// OrganizationType: Extensions?, OrganizationName+, OrganizationDisplayName+, OrganizationURL+.
const ORGANIZATION_SEQUENCE: Sequence = &[
    ("Extensions", 0, 1),
    ("OrganizationName", 1, usize::MAX),
    ("OrganizationDisplayName", 1, usize::MAX),
    ("OrganizationURL", 1, usize::MAX),
];
/// ContactType: Extensions?, Company?, GivenName?, SurName?, EmailAddress*, TelephoneNumber*.
const CONTACT_SEQUENCE: Sequence = &[
    ("Extensions", 0, 1),
    ("Company", 0, 1),
    ("GivenName", 0, 1),
    ("SurName", 0, 1),
    ("EmailAddress", 0, usize::MAX),
    ("TelephoneNumber", 0, usize::MAX),
];

/// Checks an element's children against a sequence of md elements: order, counts, and no
/// element the sequence does not name. Reports the first violation only.
fn check_sequence(element: Node<'_, '_>, sequence: Sequence, out: &mut Vec<Finding>) {
    let parent = element.tag_name().name();
    let mut counts = vec![0usize; sequence.len()];
    let mut position = 0usize;
    for child in element.children().filter(|c| c.is_element()) {
        let local = child.tag_name().name();
        let slot = (child.tag_name().namespace() == Some(ns::MD))
            .then(|| sequence.iter().position(|(name, _, _)| *name == local))
            .flatten();
        let Some(slot) = slot else {
            invalid(
                child,
                format!("<{local}> is not allowed inside {parent}"),
                out,
            );
            return;
        };
        if slot < position {
            invalid(
                child,
                format!("<{local}> is out of order inside {parent}"),
                out,
            );
            return;
        }
        position = slot;
        counts[slot] += 1;
        if counts[slot] > sequence[slot].2 {
            invalid(child, format!("{parent} allows one <{local}>"), out);
            return;
        }
    }
    for ((name, least, _), count) in sequence.iter().zip(&counts) {
        if count < least {
            invalid(
                element,
                format!("{parent} has no <{name}>, which the schema requires"),
                out,
            );
            return;
        }
    }
}

fn require_lang(element: Node<'_, '_>, out: &mut Vec<Finding>) {
    if lang(element).is_none() {
        invalid(
            element,
            format!(
                "<{}> has no xml:lang, which its schema type requires",
                element.tag_name().name()
            ),
            out,
        );
    }
}

fn boolean(element: Node<'_, '_>, name: &str, out: &mut Vec<Finding>) {
    if let Some((value, _)) = attribute(element, name) {
        if !matches!(value.trim(), "true" | "false" | "1" | "0") {
            invalid(
                element,
                format!(
                    "{name}=\"{value}\" on <{}> is not an xs:boolean",
                    element.tag_name().name()
                ),
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages check_sequence reports for the root element of `xml`.
    fn sequence_messages(xml: &str, sequence: Sequence) -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut out = Vec::new();
        check_sequence(doc.root_element(), sequence, &mut out);
        out.into_iter().map(|f| f.message.into_owned()).collect()
    }

    const MD: &str = r#"xmlns="urn:oasis:names:tc:SAML:2.0:metadata""#;

    #[test]
    fn organization_needs_name_display_name_and_url_in_order() {
        let complete = format!(
            "<Organization {MD}><OrganizationName>A</OrganizationName><OrganizationName>B</OrganizationName>\
             <OrganizationDisplayName>A</OrganizationDisplayName><OrganizationURL>https://a</OrganizationURL></Organization>"
        );
        assert!(sequence_messages(&complete, ORGANIZATION_SEQUENCE).is_empty());
        let no_name = format!(
            "<Organization {MD}><OrganizationDisplayName>A</OrganizationDisplayName><OrganizationURL>u</OrganizationURL></Organization>"
        );
        assert_eq!(
            sequence_messages(&no_name, ORGANIZATION_SEQUENCE),
            ["Organization has no <OrganizationName>, which the schema requires"]
        );
        let swapped = format!(
            "<Organization {MD}><OrganizationDisplayName>A</OrganizationDisplayName><OrganizationName>A</OrganizationName>\
             <OrganizationURL>u</OrganizationURL></Organization>"
        );
        assert_eq!(
            sequence_messages(&swapped, ORGANIZATION_SEQUENCE),
            ["<OrganizationName> is out of order inside Organization"]
        );
    }

    #[test]
    fn contact_person_children_follow_the_schema() {
        let good = format!("<ContactPerson {MD}><GivenName>A</GivenName><EmailAddress>mailto:a@b</EmailAddress><EmailAddress>mailto:c@d</EmailAddress></ContactPerson>");
        assert!(sequence_messages(&good, CONTACT_SEQUENCE).is_empty());
        let twice = format!(
            "<ContactPerson {MD}><GivenName>A</GivenName><GivenName>B</GivenName></ContactPerson>"
        );
        assert_eq!(
            sequence_messages(&twice, CONTACT_SEQUENCE),
            ["ContactPerson allows one <GivenName>"]
        );
        let foreign = format!("<ContactPerson {MD}><Name>A</Name></ContactPerson>");
        assert_eq!(
            sequence_messages(&foreign, CONTACT_SEQUENCE),
            ["<Name> is not allowed inside ContactPerson"]
        );
    }
}
