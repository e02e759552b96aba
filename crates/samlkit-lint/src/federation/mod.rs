//! Federation rule sets: what research and education federations check before they publish or
//! accept an entity — eduGAIN's metadata validator, the UK federation's ukf-meta rules,
//! saml2int, SIRTFI, REFEDS Research & Scholarship, InCommon Baseline Expectations and pyFF's
//! key report — on top of the enterprise checks of [`crate::metadata`].
//!
//! Selected by name (`--rules edugain --rules sirtfi`); `enterprise` is the set
//! `samlkit metadata` has always applied. The checks read the same roxmltree tree and typed
//! views the enterprise lint reads, once per entity, so an aggregate of tens of thousands of
//! entities is linted in time linear in its size. Each rule has its own table entry
//! ([`rules`]) with the rule set's reference and a fix.

use std::borrow::Cow;

use crate::metadata::KeyView;
use std::collections::HashMap;
use std::ops::Range;

use roxmltree::Node;
use samlkit_parse::model::{EntityDescriptor, Metadata};
use samlkit_parse::xml::{self, ns};

use crate::code::Code;
use crate::metadata::{EntityReport, MetadataOptions};
use crate::report::Finding;
use crate::rules::Rule;

mod edugain;
mod endpoints;
mod entity_facts;
mod keys;
mod profiles;
pub mod rules;
mod schema;

pub use rules::{FederationRule, FederationRuleInfo};

use entity_facts::EntityFacts;

/// Namespaces of the metadata extensions the rule sets read.
pub mod extension_ns {
    pub const MDRPI: &str = "urn:oasis:names:tc:SAML:metadata:rpi";
    pub const MDATTR: &str = "urn:oasis:names:tc:SAML:metadata:attribute";
    pub const SHIBMD: &str = "urn:mace:shibboleth:metadata:1.0";
    pub const REMD: &str = "http://refeds.org/metadata";
    pub const XML: &str = "http://www.w3.org/XML/1998/namespace";
}

/// A named set of rules `--rules` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleSet {
    /// What `samlkit metadata` checks for enterprise SSO (the `metadata/` codes).
    Enterprise,
    Edugain,
    Ukf,
    Saml2int,
    Sirtfi,
    Rands,
    Incommon,
    Keys,
}

impl RuleSet {
    pub const ALL: &'static [RuleSet] = &[
        RuleSet::Enterprise,
        RuleSet::Edugain,
        RuleSet::Ukf,
        RuleSet::Saml2int,
        RuleSet::Sirtfi,
        RuleSet::Rands,
        RuleSet::Incommon,
        RuleSet::Keys,
    ];

    /// The name `--rules` takes, which is also the prefix of the set's codes.
    pub fn name(self) -> &'static str {
        match self {
            RuleSet::Enterprise => "enterprise",
            RuleSet::Edugain => "edugain",
            RuleSet::Ukf => "ukf",
            RuleSet::Saml2int => "saml2int",
            RuleSet::Sirtfi => "sirtfi",
            RuleSet::Rands => "rands",
            RuleSet::Incommon => "incommon",
            RuleSet::Keys => "keys",
        }
    }

    pub fn from_name(name: &str) -> Option<RuleSet> {
        RuleSet::ALL.iter().copied().find(|set| set.name() == name)
    }

    /// What the set is and where its text is published (the docs' section introduction).
    pub fn about(self) -> &'static str {
        match self {
            RuleSet::Enterprise => {
                "The enterprise checks (`metadata/…`), applied by default: what identity and \
                 service providers need to import the metadata."
            }
            RuleSet::Edugain => {
                "eduGAIN's metadata validator: the aggregate checks A1–A7 and the entity checks \
                 E1–E9 with their warnings, as listed on the GÉANT wiki (eduGAIN space, \"Verification of metadata validity\", \
                 https://wiki.geant.org/pages/viewpage.action?pageId=121348055) and the \
                 eduGAIN Metadata Profile (https://technical.edugain.org/doc/). Schema validation (A7): no maintained Rust \
                 crate validates against XSDs without binding a C library (libxml binds \
                 libxml2 — a second parser of untrusted input; xsd-parser generates code from \
                 schemas instead of validating), so samlkit checks what the SAML metadata, \
                 mdrpi, mdui, mdattr and shibmd schemas require of these elements itself and \
                 reports it as `edugain/schema-invalid`."
            }
            RuleSet::Ukf => {
                "The UK federation's checking rules (https://github.com/ukf/ukf-meta, \
                 mdx/_rules/check_misc.xsl and check_saml2meta.xsl): endpoints, bindings, \
                 indexes and text."
            }
            RuleSet::Saml2int => {
                "The Kantara SAML V2.0 Interoperability Deployment Profile (saml2int, \
                 https://kantarainitiative.github.io/SAMLprofiles/saml2int.html), as ukf-meta's \
                 check_saml2int.xsl checks it in metadata."
            }
            RuleSet::Sirtfi => {
                "REFEDS Sirtfi v1 and v2 (https://refeds.org/sirtfi, the Guide for Federation \
                 Participants) and the REFEDS Security Contact Metadata Extension Schema \
                 (https://refeds.org/metadata/contactType/security)."
            }
            RuleSet::Rands => {
                "The REFEDS Research and Scholarship entity category \
                 (http://refeds.org/category/research-and-scholarship, v1.3): syntax, \
                 registration criteria and attribute release."
            }
            RuleSet::Incommon => {
                "InCommon Baseline Expectations for Trust in Federation \
                 (https://spaces.at.internet2.edu/display/BE/), as InCommon's metadata health \
                 checks test them: contacts, DisplayName, https logo, privacy statement \
                 and (recommended) the IdP's errorURL."
            }
            RuleSet::Keys => {
                "Key strength and certificate expiry per entity, graded as the certreport pipe of \
                 pyFF (https://github.com/IdentityPython/pyFF) grades them (error under 1024 bits, warning under 2048)."
            }
        }
    }
}

/// How to judge an aggregate against the federation rule sets.
#[derive(Debug, Clone)]
pub struct FederationOptions {
    /// The selected rule sets; `[Enterprise]` unless `--rules` says otherwise.
    pub sets: Vec<RuleSet>,
    /// registrationAuthority values the feed may carry (`--registration-authority`); empty
    /// accepts any.
    pub registration_authorities: Vec<String>,
    /// validUntil must lie this many hours after creationInstant (eduGAIN: 120–672).
    pub validity_window_hours: (i64, i64),
    /// Only this entity is linted (`--entity`).
    pub entity: Option<String>,
}

/// eduGAIN: validUntil not earlier than 5 days and not later than 28 days after creationInstant.
pub const EDUGAIN_VALIDITY_WINDOW_HOURS: (i64, i64) = (120, 672);

impl Default for FederationOptions {
    fn default() -> Self {
        FederationOptions {
            sets: vec![RuleSet::Enterprise],
            registration_authorities: Vec::new(),
            validity_window_hours: EDUGAIN_VALIDITY_WINDOW_HOURS,
            entity: None,
        }
    }
}

impl FederationOptions {
    pub fn has(&self, set: RuleSet) -> bool {
        self.sets.contains(&set)
    }

    /// True when a set other than the enterprise one is selected.
    pub fn any_federation_set(&self) -> bool {
        self.sets.iter().any(|set| *set != RuleSet::Enterprise)
    }

    /// Reads `--validity-window MIN-MAX` (whole days) as hours.
    pub fn parse_window_days(text: &str) -> Result<(i64, i64), String> {
        let bad = || format!("--validity-window {text}: expected MIN-MAX in whole days, e.g. 5-28");
        let (min, max) = text.split_once('-').ok_or_else(bad)?;
        let min: i64 = min.trim().parse().map_err(|_| bad())?;
        let max: i64 = max.trim().parse().map_err(|_| bad())?;
        if min < 0 || max < min || max > 3_650 {
            return Err(bad());
        }
        Ok((min * 24, max * 24))
    }

    /// Reads `--rules` values: set names, `all` for every set. Empty means the enterprise set.
    pub fn parse_sets(names: &[String]) -> Result<Vec<RuleSet>, String> {
        if names.is_empty() {
            return Ok(vec![RuleSet::Enterprise]);
        }
        let mut sets = Vec::new();
        for name in names {
            let name = name.trim().to_ascii_lowercase();
            if name == "all" {
                sets.extend_from_slice(RuleSet::ALL);
                continue;
            }
            match RuleSet::from_name(&name) {
                Some(set) => sets.push(set),
                None => {
                    let known: Vec<&str> = RuleSet::ALL.iter().map(|s| s.name()).collect();
                    return Err(format!(
                        "--rules {name}: no such rule set; choose from {} or all",
                        known.join(", ")
                    ));
                }
            }
        }
        sets.sort_unstable();
        sets.dedup();
        Ok(sets)
    }
}

/// Enterprise findings that stay whatever the selection: the file's encoding and the metadata's
/// own signature concern every consumer.
const ALWAYS_REPORTED: &[Rule] = &[
    Rule::MetadataByteOrderMark,
    Rule::MetadataNotUtf8,
    Rule::MetadataSignatureMissing,
    Rule::MetadataNotVerified,
    Rule::MetadataSignatureNotChecked,
    Rule::MetadataNoEntity,
];

/// True when a finding is one of [`ALWAYS_REPORTED`].
fn always_reported(finding: &Finding) -> bool {
    ALWAYS_REPORTED.iter().any(|rule| finding.is(*rule))
}

/// Applies the selected federation rule sets: adds entity findings to `reports` (one per
/// entity of `entities`, same order) and findings about the document to `document`. Without
/// the enterprise set, the enterprise findings are dropped, except those in
/// [`ALWAYS_REPORTED`].
pub fn apply(
    metadata: &Metadata<'_, '_>,
    entities: &[&EntityDescriptor<'_, '_>],
    reports: &mut [EntityReport],
    per_entity: Vec<Vec<Finding>>,
    document: &mut Vec<Finding>,
    options: &MetadataOptions,
) {
    let federation = &options.federation;
    if !federation.has(RuleSet::Enterprise) {
        document.retain(always_reported);
        for report in reports.iter_mut() {
            report.findings.retain(always_reported);
        }
    }
    if !federation.any_federation_set() {
        return;
    }
    if federation.has(RuleSet::Edugain) {
        edugain::lint_aggregate(metadata, options, document);
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(entities.len());
    for (index, ((entity, report), own)) in entities
        .iter()
        .zip(reports.iter_mut())
        .zip(per_entity)
        .enumerate()
    {
        let out = &mut report.findings;
        if federation.has(RuleSet::Edugain) {
            if let Some(id) = entity.entity_id.as_ref() {
                let key = id.value.trim();
                if let Some(first) = seen.get(key) {
                    out.push(
                        finding(
                            FederationRule::EdugainEntityIdDuplicate,
                            format!("entityID `{key}` is also used by entity #{}", first + 1),
                            id.span.clone(),
                        )
                        .actual(format!(
                            "entity #{} and entity #{}",
                            first + 1,
                            index + 1
                        )),
                    );
                } else {
                    seen.insert(key, index);
                }
            }
        }
        if !own.is_empty() {
            out.reserve_exact(own.len());
            out.extend(own);
        }
    }
}

/// The federation rule sets' findings about one entity on its own (everything but what needs
/// the other entities, such as duplicate entityIDs), so that entities can be linted in
/// parallel. `keys` are the entity's keys as the enterprise lint read them.
pub(crate) fn lint_entity_sets(
    entity: &EntityDescriptor<'_, '_>,
    keys: &[KeyView],
    options: &MetadataOptions,
) -> Vec<Finding> {
    let federation = &options.federation;
    let mut out = Vec::new();
    if !federation.any_federation_set() {
        return out;
    }
    let facts = EntityFacts::read(entity);
    if federation.has(RuleSet::Edugain) {
        edugain::lint_entity(entity, &facts, federation, &mut out);
        schema::lint_entity(entity, &facts, &mut out);
    }
    if federation.has(RuleSet::Ukf) {
        endpoints::lint_entity(entity, &facts, &mut out);
    }
    if federation.has(RuleSet::Saml2int) {
        profiles::saml2int(entity, &facts, &mut out);
    }
    if federation.has(RuleSet::Sirtfi) {
        profiles::sirtfi(entity, &facts, &mut out);
    }
    if federation.has(RuleSet::Rands) {
        profiles::rands(entity, &facts, &mut out);
    }
    if federation.has(RuleSet::Incommon) {
        profiles::incommon(entity, &facts, &mut out);
    }
    if federation.has(RuleSet::Keys) {
        keys::lint_entity(entity, keys, options, &mut out);
    }
    // Held for every entity until all are linted: no growth slack.
    out.shrink_to_fit();
    out
}

/// A finding of a federation rule with the rule's title, severity and fix.
pub(crate) fn finding(
    rule: FederationRule,
    message: impl Into<Cow<'static, str>>,
    span: Range<usize>,
) -> Finding {
    let info = rule.info();
    Finding {
        code: Code::Federation(rule),
        severity: info.severity,
        title: info.title.into(),
        message: message.into(),
        expected: None,
        actual: None,
        fix: Some(info.fix.into()),
        location: None,
        span: Some(span),
        missing: None,
    }
}

// ------------------------------------------------------------------ small readers

/// Element children named `{ns}local`.
pub(crate) fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    namespace: &'static str,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    xml::children_named(node, namespace, local)
}

/// The `md:Extensions` child of an entity or role.
pub(crate) fn extensions<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    xml::child_named(node, ns::MD, "Extensions")
}

/// A plain attribute's value and the span of the value.
pub(crate) fn attribute<'a>(node: Node<'a, '_>, name: &str) -> Option<(&'a str, Range<usize>)> {
    xml::plain_attribute(node, name).map(|a| (a.value(), a.range_value()))
}

/// The element's whole text.
pub(crate) fn text<'a>(node: Node<'a, '_>) -> std::borrow::Cow<'a, str> {
    xml::text_content(node)
}

/// An empty span at the start of an element's tag: enough to locate a finding about it.
pub(crate) fn at(node: Node<'_, '_>) -> Range<usize> {
    let start = node.range().start;
    start..start
}

/// `xml:lang` of an element, with the span of its value.
pub(crate) fn lang<'a>(node: Node<'a, '_>) -> Option<(&'a str, Range<usize>)> {
    xml::namespaced_attribute(node, extension_ns::XML, "lang").map(|a| (a.value(), a.range_value()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_sets_are_read_by_name_and_all_selects_every_set() {
        assert_eq!(
            FederationOptions::parse_sets(&[]).unwrap(),
            [RuleSet::Enterprise]
        );
        let sets =
            FederationOptions::parse_sets(&["sirtfi".into(), "EduGAIN".into(), "sirtfi".into()])
                .unwrap();
        assert_eq!(sets, [RuleSet::Edugain, RuleSet::Sirtfi]);
        assert_eq!(
            FederationOptions::parse_sets(&["all".into()]).unwrap(),
            RuleSet::ALL
        );
        let err = FederationOptions::parse_sets(&["sirtif".into()]).unwrap_err();
        assert!(err.contains("sirtif") && err.contains("sirtfi"), "{err}");
    }

    #[test]
    fn the_validity_window_is_given_in_days() {
        assert_eq!(FederationOptions::parse_window_days("5-28"), Ok((120, 672)));
        assert_eq!(
            FederationOptions::parse_window_days(" 1 - 14 "),
            Ok((24, 336))
        );
        for bad in ["28-5", "5", "a-b", "-1-3", "5-99999"] {
            assert!(FederationOptions::parse_window_days(bad).is_err(), "{bad}");
        }
    }
}
