//! SAML 2.0 metadata: EntitiesDescriptor (nested), EntityDescriptor, IdP and SP roles, keys,
//! endpoints. Entra ID's WS-Federation RoleDescriptors are read as "other roles" with their keys.

use roxmltree::Node;

use super::{
    attr, bool_attr, text, time_attr, AttrValue, CollectExact, KeyInfo, SignatureInfo, Spanned,
    TextValue, TimeValue,
};
use crate::xml::{self, ns};

/// Entities descriptors nest; deeper nesting than this is reported, not followed.
pub const MAX_ENTITIES_NESTING: usize = 16;

/// The root of a metadata document.
#[derive(Debug, Clone)]
pub enum Metadata<'a, 'i> {
    Entity(EntityDescriptor<'a, 'i>),
    Entities(EntitiesDescriptor<'a, 'i>),
}

impl<'a, 'i> Metadata<'a, 'i> {
    /// Every EntityDescriptor, however deeply nested, in document order.
    pub fn entities(&self) -> Vec<&EntityDescriptor<'a, 'i>> {
        match self {
            Metadata::Entity(entity) => vec![entity],
            Metadata::Entities(group) => {
                let mut all = Vec::new();
                group.collect_entities(&mut all);
                all
            }
        }
    }

    pub fn node(&self) -> Node<'a, 'i> {
        match self {
            Metadata::Entity(e) => e.node,
            Metadata::Entities(e) => e.node,
        }
    }
}

/// `md:EntitiesDescriptor`.
#[derive(Debug, Clone)]
pub struct EntitiesDescriptor<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub name: Option<AttrValue<'a>>,
    pub id: Option<AttrValue<'a>>,
    pub valid_until: Option<TimeValue<'a>>,
    pub cache_duration: Option<AttrValue<'a>>,
    pub signatures: Vec<SignatureInfo<'a, 'i>>,
    /// Children in document order: nested groups and entities.
    pub groups: Vec<EntitiesDescriptor<'a, 'i>>,
    pub entities: Vec<EntityDescriptor<'a, 'i>>,
    /// Nested groups beyond [`MAX_ENTITIES_NESTING`] that were not read.
    pub too_deep: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> EntitiesDescriptor<'a, 'i> {
    pub fn read(node: Node<'a, 'i>, nesting: usize) -> Self {
        let mut groups = Vec::new();
        let mut too_deep = Vec::new();
        for child in xml::children_named(node, ns::MD, "EntitiesDescriptor") {
            if nesting + 1 >= MAX_ENTITIES_NESTING {
                too_deep.push(child);
            } else {
                groups.push(EntitiesDescriptor::read(child, nesting + 1));
            }
        }
        EntitiesDescriptor {
            node,
            name: attr(node, "Name"),
            id: attr(node, "ID"),
            valid_until: time_attr(node, "validUntil"),
            cache_duration: attr(node, "cacheDuration"),
            signatures: SignatureInfo::children_of(node),
            groups,
            entities: xml::children_named(node, ns::MD, "EntityDescriptor")
                .map(EntityDescriptor::read)
                .collect_exact(),
            too_deep,
        }
    }

    fn collect_entities<'s>(&'s self, out: &mut Vec<&'s EntityDescriptor<'a, 'i>>) {
        // Document order: entities and groups interleave, so sort by position afterwards.
        let start = out.len();
        out.extend(self.entities.iter());
        for group in &self.groups {
            group.collect_entities(out);
        }
        out[start..].sort_by_key(|e| e.node.range().start);
    }
}

/// `md:EntityDescriptor`.
#[derive(Debug, Clone)]
pub struct EntityDescriptor<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub entity_id: Option<AttrValue<'a>>,
    pub id: Option<AttrValue<'a>>,
    pub valid_until: Option<TimeValue<'a>>,
    pub cache_duration: Option<AttrValue<'a>>,
    pub signatures: Vec<SignatureInfo<'a, 'i>>,
    pub idp_roles: Vec<IdpSsoDescriptor<'a, 'i>>,
    pub sp_roles: Vec<SpSsoDescriptor<'a, 'i>>,
    /// Any other role (AttributeAuthority, WS-Fed RoleDescriptor with its xsi:type, …).
    pub other_roles: Vec<RoleDescriptor<'a, 'i>>,
    pub organization_name: Option<TextValue<'a>>,
}

impl<'a, 'i> EntityDescriptor<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        let mut idp_roles = Vec::new();
        let mut sp_roles = Vec::new();
        let mut other_roles = Vec::new();
        for child in xml::element_children(node) {
            if xml::is_element(child, ns::MD, "IDPSSODescriptor") {
                idp_roles.push(IdpSsoDescriptor::read(child));
            } else if xml::is_element(child, ns::MD, "SPSSODescriptor") {
                sp_roles.push(SpSsoDescriptor::read(child));
            } else if child.tag_name().namespace() == Some(ns::MD)
                && child.tag_name().name().ends_with("Descriptor")
            {
                other_roles.push(RoleDescriptor::read(child));
            }
        }
        // An aggregate holds every entity's model at once: no growth slack (one push leaves
        // room for four roles).
        idp_roles.shrink_to_fit();
        sp_roles.shrink_to_fit();
        other_roles.shrink_to_fit();
        EntityDescriptor {
            node,
            entity_id: attr(node, "entityID"),
            id: attr(node, "ID"),
            valid_until: time_attr(node, "validUntil"),
            cache_duration: attr(node, "cacheDuration"),
            signatures: SignatureInfo::children_of(node),
            idp_roles,
            sp_roles,
            other_roles,
            organization_name: xml::child_named(node, ns::MD, "Organization")
                .and_then(|o| {
                    xml::child_named(o, ns::MD, "OrganizationDisplayName")
                        .or_else(|| xml::child_named(o, ns::MD, "OrganizationName"))
                })
                .map(text),
        }
    }

    pub fn entity_id_str(&self) -> &str {
        self.entity_id.as_ref().map_or("", |e| e.value)
    }

    /// Every role of the entity, IdP and SP first.
    pub fn roles(&self) -> impl Iterator<Item = &RoleDescriptor<'a, 'i>> {
        self.idp_roles
            .iter()
            .map(|r| &r.role)
            .chain(self.sp_roles.iter().map(|r| &r.role))
            .chain(self.other_roles.iter())
    }
}

/// What every role descriptor has.
#[derive(Debug, Clone)]
pub struct RoleDescriptor<'a, 'i> {
    pub node: Node<'a, 'i>,
    /// Local element name, e.g. `IDPSSODescriptor`, `RoleDescriptor`.
    pub element: &'a str,
    /// `xsi:type` (Entra/AD FS: `fed:SecurityTokenServiceType`), as written.
    pub xsi_type: Option<AttrValue<'a>>,
    pub protocol_support: Option<AttrValue<'a>>,
    pub valid_until: Option<TimeValue<'a>>,
    pub keys: Vec<KeyDescriptor<'a, 'i>>,
    pub name_id_formats: Vec<TextValue<'a>>,
    pub single_logout: Vec<Endpoint<'a, 'i>>,
    pub signatures: Vec<SignatureInfo<'a, 'i>>,
}

pub const PROTOCOL_SAML2: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

impl<'a, 'i> RoleDescriptor<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        RoleDescriptor {
            node,
            element: node.tag_name().name(),
            xsi_type: xml::namespaced_attribute(node, ns::XSI, "type")
                .map(|a| Spanned::new(a.value(), a.range_value())),
            protocol_support: attr(node, "protocolSupportEnumeration"),
            valid_until: time_attr(node, "validUntil"),
            keys: xml::children_named(node, ns::MD, "KeyDescriptor")
                .map(KeyDescriptor::read)
                .collect_exact(),
            name_id_formats: xml::children_named(node, ns::MD, "NameIDFormat")
                .map(text)
                .collect_exact(),
            single_logout: xml::children_named(node, ns::MD, "SingleLogoutService")
                .map(Endpoint::read)
                .collect_exact(),
            signatures: SignatureInfo::children_of(node),
        }
    }

    pub fn supports_saml2(&self) -> bool {
        self.protocol_support
            .as_ref()
            .is_some_and(|p| p.value.split_whitespace().any(|uri| uri == PROTOCOL_SAML2))
    }

    /// Keys usable for signing: `use="signing"` or no `use` at all (which means both).
    pub fn signing_keys(&self) -> impl Iterator<Item = &KeyDescriptor<'a, 'i>> {
        self.keys.iter().filter(|k| k.is_for_signing())
    }
}

/// `md:IDPSSODescriptor`.
#[derive(Debug, Clone)]
pub struct IdpSsoDescriptor<'a, 'i> {
    pub role: RoleDescriptor<'a, 'i>,
    pub single_sign_on: Vec<Endpoint<'a, 'i>>,
    pub want_authn_requests_signed: Option<Spanned<bool>>,
}

impl<'a, 'i> IdpSsoDescriptor<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        IdpSsoDescriptor {
            role: RoleDescriptor::read(node),
            single_sign_on: xml::children_named(node, ns::MD, "SingleSignOnService")
                .map(Endpoint::read)
                .collect_exact(),
            want_authn_requests_signed: bool_attr(node, "WantAuthnRequestsSigned"),
        }
    }
}

/// `md:SPSSODescriptor`.
#[derive(Debug, Clone)]
pub struct SpSsoDescriptor<'a, 'i> {
    pub role: RoleDescriptor<'a, 'i>,
    pub assertion_consumer_services: Vec<Endpoint<'a, 'i>>,
    pub authn_requests_signed: Option<Spanned<bool>>,
    pub want_assertions_signed: Option<Spanned<bool>>,
}

impl<'a, 'i> SpSsoDescriptor<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        SpSsoDescriptor {
            role: RoleDescriptor::read(node),
            assertion_consumer_services: xml::children_named(
                node,
                ns::MD,
                "AssertionConsumerService",
            )
            .map(Endpoint::read)
            .collect_exact(),
            authn_requests_signed: bool_attr(node, "AuthnRequestsSigned"),
            want_assertions_signed: bool_attr(node, "WantAssertionsSigned"),
        }
    }
}

/// An endpoint element (SingleSignOnService, AssertionConsumerService, …).
#[derive(Debug, Clone)]
pub struct Endpoint<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub binding: Option<AttrValue<'a>>,
    pub location: Option<AttrValue<'a>>,
    pub response_location: Option<AttrValue<'a>>,
    pub index: Option<AttrValue<'a>>,
    pub is_default: Option<Spanned<bool>>,
}

impl<'a, 'i> Endpoint<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        Endpoint {
            node,
            binding: attr(node, "Binding"),
            location: attr(node, "Location"),
            response_location: attr(node, "ResponseLocation"),
            index: attr(node, "index"),
            is_default: bool_attr(node, "isDefault"),
        }
    }
}

/// `md:KeyDescriptor`.
#[derive(Debug, Clone)]
pub struct KeyDescriptor<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub key_use: Option<AttrValue<'a>>,
    pub key_info: KeyInfo<'a>,
}

impl<'a, 'i> KeyDescriptor<'a, 'i> {
    pub fn read(node: Node<'a, 'i>) -> Self {
        KeyDescriptor {
            node,
            key_use: attr(node, "use"),
            key_info: xml::child_named(node, ns::DS, "KeyInfo")
                .map(KeyInfo::read)
                .unwrap_or_default(),
        }
    }

    pub fn is_for_signing(&self) -> bool {
        self.key_use
            .as_ref()
            .is_none_or(|u| u.value.trim() == "signing")
    }

    pub fn is_for_encryption(&self) -> bool {
        self.key_use
            .as_ref()
            .is_none_or(|u| u.value.trim() == "encryption")
    }
}
