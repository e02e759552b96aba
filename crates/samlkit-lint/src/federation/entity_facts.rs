//! What the federation rule sets read from one EntityDescriptor, gathered in one walk over its
//! Extensions and ContactPersons: registration, entity attributes, contacts, mdui per role.

use roxmltree::Node;
use samlkit_parse::model::EntityDescriptor;
use samlkit_parse::xml::ns;

use super::extension_ns::{MDATTR, MDRPI, REMD};
use super::{attribute, children, extensions, text};

pub const SECURITY_CONTACT_TYPE: &str = "http://refeds.org/metadata/contactType/security";
pub const ASSURANCE_CERTIFICATION: &str =
    "urn:oasis:names:tc:SAML:attribute:assurance-certification";
pub const ENTITY_CATEGORY: &str = "http://macedir.org/entity-category";
pub const SIRTFI_V1: &str = "https://refeds.org/sirtfi";
pub const SIRTFI_V2: &str = "https://refeds.org/sirtfi2";
pub const RESEARCH_AND_SCHOLARSHIP: &str = "http://refeds.org/category/research-and-scholarship";

/// One saml:Attribute of the entity's mdattr:EntityAttributes.
pub struct EntityAttribute<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub name: &'a str,
    /// Each AttributeValue element with its text.
    pub values: Vec<(Node<'a, 'i>, String)>,
}

/// One md:ContactPerson.
pub struct Contact<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub contact_type: &'a str,
    /// The REFEDS refinement `remd:contactType`, if any.
    pub refeds_type: Option<&'a str>,
    pub has_given_name: bool,
    /// Non-empty EmailAddress elements.
    pub emails: usize,
}

impl Contact<'_, '_> {
    pub fn is_security(&self) -> bool {
        self.refeds_type.map(str::trim) == Some(SECURITY_CONTACT_TYPE)
    }
}

pub struct EntityFacts<'a, 'i> {
    pub registration_infos: Vec<Node<'a, 'i>>,
    pub entity_attributes_elements: Vec<Node<'a, 'i>>,
    pub attributes: Vec<EntityAttribute<'a, 'i>>,
    pub contacts: Vec<Contact<'a, 'i>>,
    /// The mdui:UIInfo of each IdP and SP role (None where the role has none), with the role.
    pub ui_infos: Vec<(Node<'a, 'i>, Option<Node<'a, 'i>>)>,
}

impl<'a, 'i> EntityFacts<'a, 'i> {
    pub fn read(entity: &EntityDescriptor<'a, 'i>) -> EntityFacts<'a, 'i> {
        let node = entity.node;
        let mut registration_infos = Vec::new();
        let mut entity_attributes_elements = Vec::new();
        let mut attributes = Vec::new();
        if let Some(ext) = extensions(node) {
            for child in ext.children().filter(|c| c.is_element()) {
                let name = child.tag_name();
                if name.namespace() == Some(MDRPI) && name.name() == "RegistrationInfo" {
                    registration_infos.push(child);
                } else if name.namespace() == Some(MDATTR) && name.name() == "EntityAttributes" {
                    entity_attributes_elements.push(child);
                    for attr in children(child, ns::SAML, "Attribute") {
                        attributes.push(EntityAttribute {
                            node: attr,
                            name: attribute(attr, "Name").map_or("", |(v, _)| v),
                            values: children(attr, ns::SAML, "AttributeValue")
                                .map(|v| (v, text(v).into_owned()))
                                .collect(),
                        });
                    }
                }
            }
        }
        let contacts = children(node, ns::MD, "ContactPerson")
            .map(|contact| Contact {
                node: contact,
                contact_type: attribute(contact, "contactType").map_or("", |(v, _)| v),
                refeds_type: contact
                    .attributes()
                    .find(|a| a.namespace() == Some(REMD) && a.name() == "contactType")
                    .map(|a| a.value()),
                has_given_name: children(contact, ns::MD, "GivenName")
                    .any(|g| !text(g).trim().is_empty()),
                emails: children(contact, ns::MD, "EmailAddress")
                    .filter(|e| !text(*e).trim().is_empty())
                    .count(),
            })
            .collect();
        let ui_infos = entity
            .idp_roles
            .iter()
            .map(|r| r.role.node)
            .chain(entity.sp_roles.iter().map(|r| r.role.node))
            .map(|role| {
                let ui = extensions(role)
                    .and_then(|ext| children(ext, samlkit_parse::xml::ns::MDUI, "UIInfo").next());
                (role, ui)
            })
            .collect();
        EntityFacts {
            registration_infos,
            entity_attributes_elements,
            attributes,
            contacts,
            ui_infos,
        }
    }

    /// True when an entity attribute `name` holds `value` (whitespace around it ignored).
    pub fn has_attribute_value(&self, name: &str, value: &str) -> bool {
        self.attributes
            .iter()
            .filter(|a| a.name.trim() == name)
            .flat_map(|a| a.values.iter())
            .any(|(_, v)| v.trim() == value)
    }

    /// The first attribute value element `name` = `value`, for locating findings.
    pub fn attribute_value_node(&self, name: &str, value: &str) -> Option<Node<'a, 'i>> {
        self.attributes
            .iter()
            .filter(|a| a.name.trim() == name)
            .flat_map(|a| a.values.iter())
            .find(|(_, v)| v.trim() == value)
            .map(|(node, _)| *node)
    }

    pub fn security_contacts(&self) -> impl Iterator<Item = &Contact<'a, 'i>> {
        self.contacts.iter().filter(|c| c.is_security())
    }

    /// True when a contact of `contact_type` with an e-mail address is listed.
    pub fn has_contact_with_email(&self, contact_type: &str) -> bool {
        self.contacts
            .iter()
            .any(|c| c.contact_type.trim() == contact_type && c.emails > 0)
    }

    /// mdui elements named `local` in any role's UIInfo.
    pub fn mdui<'s>(&'s self, local: &'static str) -> impl Iterator<Item = Node<'a, 'i>> + 's {
        self.ui_infos
            .iter()
            .filter_map(|(_, ui)| *ui)
            .flat_map(move |ui| children(ui, samlkit_parse::xml::ns::MDUI, local))
    }
}
