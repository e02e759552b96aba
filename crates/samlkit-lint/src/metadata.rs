//! Federation metadata: the rules applied to IdP and SP metadata (`samlkit metadata`), and the
//! cross-checks between metadata, the service provider's settings and captured samples
//! (`samlkit check`).
//!
//! One pass over the typed view: every entity is visited once, certificates are read once per
//! entity (straight from the DER, in `metadata/certificate.rs`), duplicate entityIDs are found
//! with a hash map and line/column positions are computed for all findings in one walk over the
//! text, so an aggregate of tens of thousands of entities is linted in time linear in its size.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use samlkit_parse::model::{
    AttrValue, Endpoint, EntitiesDescriptor, EntityDescriptor, KeyDescriptor, Metadata,
    RoleDescriptor, Spanned, TimeValue, MAX_ENTITIES_NESTING,
};
use samlkit_parse::time::{describe_duration, Instant};
use samlkit_parse::xml::{self, LineColumn};
use samlkit_verify::report::{
    FindingCode, SignatureOutcome, Stage, Verdict as SignatureVerdict, VerificationReport,
};
use serde::Serialize;

use crate::code::Code;
use crate::idp::{Fix, Idp};
use crate::policy::Policy;
use crate::profile::Profile;
use crate::report::{Finding, Verdict};
use crate::rules::{Rule, Severity};

mod certificate;

pub use certificate::read_certificate;
pub use samlkit_verify::certs::CertificateFacts;

mod cross_check;
mod encoding;
mod endpoints;
mod entity;
mod keys;
mod signature;
mod validity;

pub use cross_check::{cross_check_sample_keys, cross_check_sp_metadata};
pub use encoding::{encoding_findings, length_finding};
pub use endpoints::binding_name;
use entity::lint_entity;
use signature::lint_signature;
use validity::lint_group;
pub use validity::parse_xs_duration;

/// Certificates expiring within this many days are reported, unless `--warn-days` says otherwise.
pub const DEFAULT_WARN_DAYS: i64 = 30;
/// Amazon Q Business `SamlConfiguration.metadataXML` length bounds, in characters.
pub const AMAZON_Q_METADATA_MIN_CHARS: usize = 1_000;
pub const AMAZON_Q_METADATA_MAX_CHARS: usize = 10_000_000;
/// RSA keys shorter than this are refused by AWS IAM outright.
const AWS_MIN_RSA_BITS: u32 = 1024;
const RECOMMENDED_RSA_BITS: u32 = 2048;
/// entityID is an anyURI of at most this many characters (Metadata 2.3.2).
const MAX_ENTITY_ID_CHARS: usize = 1024;
/// A cacheDuration longer than this is treated as a mistake.
const MAX_SENSIBLE_CACHE_SECONDS: f64 = 366.0 * 86_400.0;

const SAML2_BINDINGS: &str = "urn:oasis:names:tc:SAML:2.0:bindings:";
/// Bindings consumers know, besides SAML 2.0's own (`urn:oasis:names:tc:SAML:2.0:bindings:*`).
const OTHER_KNOWN_BINDINGS: &[&str] = &[
    "urn:oasis:names:tc:SAML:1.0:profiles:browser-post",
    "urn:oasis:names:tc:SAML:1.0:profiles:artifact-01",
    "urn:oasis:names:tc:SAML:1.0:bindings:SOAP-binding",
    "urn:mace:shibboleth:1.0:profiles:AuthnRequest",
    "urn:oasis:names:tc:SAML:2.0:profiles:holder-of-key:SSO:browser",
];
const SAML2_BINDING_NAMES: &[&str] = &[
    "HTTP-POST",
    "HTTP-Redirect",
    "HTTP-Artifact",
    "SOAP",
    "PAOS",
    "HTTP-POST-SimpleSign",
    "URI",
];

/// How to judge metadata.
#[derive(Debug, Clone)]
pub struct MetadataOptions {
    pub now: Instant,
    /// Certificates expiring within this many days are reported.
    pub warn_days: i64,
    /// `amazon-q-business` adds the `metadataXML` length bounds.
    pub profile: Profile,
    /// Rules the caller judges differently (the CI gate fails on expiring certificates).
    pub policy: Policy,
    /// The rule sets to apply (enterprise by default) and the entity to lint alone.
    pub federation: crate::federation::FederationOptions,
}

impl MetadataOptions {
    pub fn new(now: Instant) -> MetadataOptions {
        MetadataOptions {
            now,
            warn_days: DEFAULT_WARN_DAYS,
            profile: Profile::Generic,
            policy: Policy::default(),
            federation: Default::default(),
        }
    }
}

/// Everything said about one metadata document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetadataReport {
    pub verdict: Verdict,
    pub profile: String,
    /// `EntityDescriptor` or `EntitiesDescriptor`.
    pub root: &'static str,
    /// The identity provider recognised from the first IdP entity, for fix texts.
    pub idp: Idp,
    /// The EntitiesDescriptor's Name, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_duration: Option<String>,
    pub entity_count: usize,
    pub idp_count: usize,
    pub sp_count: usize,
    pub signature: MetadataSignature,
    /// Findings about the document as a whole (encoding, signature, the aggregate's validity).
    pub findings: Vec<Finding>,
    pub entities: Vec<EntityReport>,
    /// How often each code was reported, most severe and most frequent first.
    pub counts: Vec<RuleCount>,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// The metadata's own signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetadataSignature {
    /// Number of ds:Signature elements anywhere in the document.
    pub signatures: usize,
    /// True when trust was given to check them with.
    pub checked: bool,
    /// True when a signature from a trusted key covers the whole document.
    pub verified: bool,
    /// The trusted key that verified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
}

/// One code and how often it occurred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub code: Code,
    pub severity: Severity,
    pub count: usize,
}

/// What one EntityDescriptor says, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityReport {
    pub entity_id: Option<String>,
    pub location: Option<LineColumn>,
    #[serde(skip)]
    pub span: Range<usize>,
    /// IDPSSODescriptor, SPSSODescriptor, `RoleDescriptor (fed:SecurityTokenServiceType)`, …
    pub roles: Vec<String>,
    pub idp: Idp,
    pub single_sign_on: Vec<EndpointView>,
    pub assertion_consumer_services: Vec<EndpointView>,
    pub single_logout: Vec<EndpointView>,
    pub name_id_formats: Vec<String>,
    pub keys: Vec<KeyView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub want_assertions_signed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authn_requests_signed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub want_authn_requests_signed: Option<bool>,
    pub findings: Vec<Finding>,
}

impl EntityReport {
    pub fn entity_id_str(&self) -> &str {
        self.entity_id.as_deref().unwrap_or("(no entityID)")
    }

    pub fn is_idp(&self) -> bool {
        self.roles.iter().any(|r| r == "IDPSSODescriptor")
    }

    pub fn is_sp(&self) -> bool {
        self.roles.iter().any(|r| r == "SPSSODescriptor")
    }

    /// SHA-256 fingerprints of the certificates usable for signing (in any role: Entra ID and
    /// AD FS list the same keys in their WS-Federation role, and trust accepts them there).
    pub fn signing_fingerprints(&self) -> impl Iterator<Item = &str> {
        self.keys
            .iter()
            .filter(|k| k.signing)
            .filter_map(|k| k.certificate.as_ref())
            .map(|c| c.sha256_fingerprint.as_str())
    }
}

/// An endpoint as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointView {
    /// The binding URI; the standard ones are shared static text (an aggregate lists hundreds
    /// of thousands of endpoints).
    pub binding: Option<std::borrow::Cow<'static, str>>,
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    #[serde(skip)]
    pub location_span: Option<Range<usize>>,
}

/// One distinct certificate of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyView {
    /// The role it was listed in first.
    pub role: String,
    /// `signing`, `encryption` or `signing and encryption` (no `use`).
    pub usage: &'static str,
    #[serde(skip)]
    pub signing: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl MetadataReport {
    /// Every finding: the document's, then each entity's.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(self.entities.iter().flat_map(|e| e.findings.iter()))
    }

    pub fn has(&self, rule: Rule) -> bool {
        self.all_findings().any(|f| f.is(rule))
    }

    /// The entity holding the IdP role (the first one), if any.
    pub fn first_idp(&self) -> Option<&EntityReport> {
        self.entities.iter().find(|e| e.is_idp())
    }

    /// The entity holding the SP role (the first one), if any.
    pub fn first_sp(&self) -> Option<&EntityReport> {
        self.entities.iter().find(|e| e.is_sp())
    }

    /// Adds document-level findings (cross-checks) and recomputes locations, counts and the
    /// verdict. `text` is the document the findings' spans point into.
    pub fn add_findings(&mut self, text: &str, findings: Vec<Finding>) {
        self.findings.extend(findings);
        self.finish(text);
    }

    fn finish(&mut self, text: &str) {
        sort_findings(&mut self.findings);
        for entity in &mut self.entities {
            sort_findings(&mut entity.findings);
        }
        locate(text, self);
        self.tally();
    }

    fn tally(&mut self) {
        let mut counts: HashMap<Code, (Severity, usize)> = HashMap::new();
        let (mut errors, mut warnings, mut notes) = (0, 0, 0);
        for finding in self.all_findings() {
            match finding.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => notes += 1,
            }
            let entry = counts.entry(finding.code).or_insert((finding.severity, 0));
            entry.0 = entry.0.max(finding.severity);
            entry.1 += 1;
        }
        let mut counts: Vec<RuleCount> = counts
            .into_iter()
            .map(|(code, (severity, count))| RuleCount {
                code,
                severity,
                count,
            })
            .collect();
        counts.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.count.cmp(&a.count))
                .then(a.code.cmp(&b.code))
        });
        self.counts = counts;
        self.errors = errors;
        self.warnings = warnings;
        self.notes = notes;
        self.verdict = if errors > 0 {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
    }
}

fn sort_findings(findings: &mut [Finding]) {
    // Errors first, then warnings, then notes; within a severity, document order.
    findings.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| {
            a.span
                .as_ref()
                .map(|s| s.start)
                .cmp(&b.span.as_ref().map(|s| s.start))
        })
    });
}

/// Fills in line and column of every finding and entity in one walk over the text:
/// per-finding lookups would make an aggregate with many findings quadratic.
fn locate(text: &str, report: &mut MetadataReport) {
    let mut positions: Vec<usize> = report
        .all_findings()
        .filter_map(|f| f.span.as_ref().map(|s| s.start))
        .chain(report.entities.iter().map(|e| e.span.start))
        .collect();
    positions.sort_unstable();
    positions.dedup();
    let located = line_columns(text, &positions);
    let at = |position: usize| {
        positions
            .binary_search(&position)
            .ok()
            .map(|index| located[index])
    };
    for finding in report.findings.iter_mut() {
        finding.location = finding.span.as_ref().and_then(|s| at(s.start));
    }
    for entity in report.entities.iter_mut() {
        entity.location = at(entity.span.start);
        for finding in entity.findings.iter_mut() {
            finding.location = finding.span.as_ref().and_then(|s| at(s.start));
        }
    }
}

/// Line and column (columns count characters) of each of the sorted byte `positions`.
pub fn line_columns(text: &str, positions: &[usize]) -> Vec<LineColumn> {
    // Counting with simple filters over whole slices lets the compiler vectorise the walk;
    // an aggregate is tens of megabytes.
    fn characters(bytes: &[u8]) -> u32 {
        // UTF-8 continuation bytes do not start a character.
        bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u32
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(positions.len());
    let (mut line, mut column, mut cursor) = (1u32, 1u32, 0usize);
    for &position in positions {
        let position = position.clamp(cursor, bytes.len());
        let segment = &bytes[cursor..position];
        let newlines = segment.iter().filter(|&&b| b == b'\n').count() as u32;
        if newlines == 0 {
            column += characters(segment);
        } else {
            line += newlines;
            let last = segment.iter().rposition(|&b| b == b'\n').unwrap_or(0);
            column = 1 + characters(&segment[last + 1..]);
        }
        cursor = position;
        out.push(LineColumn { line, column });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The lint

/// Lints one metadata document. `raw` is the file's bytes as read (for the encoding checks);
/// `verification` is the signature report when trust for the metadata's own signature was
/// given, `None` when it was not.
pub fn lint_metadata<'a, 'i>(
    raw: Option<&[u8]>,
    metadata: &Metadata<'a, 'i>,
    verification: Option<&VerificationReport<'a, 'i>>,
    options: &MetadataOptions,
) -> MetadataReport {
    let encoding = raw.map(encoding_findings).unwrap_or_default();
    lint_metadata_with(encoding, metadata, verification, options)
}

/// [`lint_metadata`] with the encoding findings computed beforehand, so that a caller can let
/// go of the raw bytes before parsing a large file.
/// Each entity's own lint, in document order: its report, and its findings of the federation
/// rule sets, which are added to the report after the checks across entities. Entities are
/// independent of one another, so an aggregate of thousands is linted on the machine's cores,
/// in contiguous runs.
fn lint_entities(
    entities: &[&EntityDescriptor<'_, '_>],
    options: &MetadataOptions,
) -> (Vec<EntityReport>, Vec<Vec<Finding>>) {
    /// Below this many entities per thread, starting threads costs more than it saves.
    const ENTITIES_PER_THREAD: usize = 256;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(entities.len() / ENTITIES_PER_THREAD)
        .min(8);
    lint_entities_on(entities, options, threads)
}

/// [`lint_entities`] on `threads` threads (this one included).
fn lint_entities_on(
    entities: &[&EntityDescriptor<'_, '_>],
    options: &MetadataOptions,
    threads: usize,
) -> (Vec<EntityReport>, Vec<Vec<Finding>>) {
    let lint_one = |entity: &&EntityDescriptor<'_, '_>| {
        let report = lint_entity(entity, options);
        let federation = crate::federation::lint_entity_sets(entity, &report.keys, options);
        (report, federation)
    };
    if threads <= 1 || entities.is_empty() {
        return entities.iter().map(lint_one).unzip();
    }
    // Each thread fills its own run of slots in vectors allocated once: an aggregate's reports
    // are megabytes, and gathering them from per-thread vectors would hold them twice.
    let mut reports: Vec<Option<EntityReport>> = Vec::with_capacity(entities.len());
    reports.resize_with(entities.len(), || None);
    let mut federation: Vec<Vec<Finding>> = Vec::with_capacity(entities.len());
    federation.resize_with(entities.len(), Vec::new);
    let run = entities.len().div_ceil(threads);
    let lint_run = |part: &[&EntityDescriptor<'_, '_>],
                    report_slots: &mut [Option<EntityReport>],
                    federation_slots: &mut [Vec<Finding>]| {
        for ((entity, report_slot), federation_slot) in
            part.iter().zip(report_slots).zip(federation_slots)
        {
            let (report, found) = lint_one(entity);
            *report_slot = Some(report);
            *federation_slot = found;
        }
    };
    std::thread::scope(|scope| {
        let mut runs = entities
            .chunks(run)
            .zip(reports.chunks_mut(run))
            .zip(federation.chunks_mut(run));
        // The first run is linted on this thread: one thread (and malloc arena) fewer.
        let first = runs.next();
        let workers: Vec<_> = runs
            .map(|((part, report_slots), federation_slots)| {
                scope.spawn(move || lint_run(part, report_slots, federation_slots))
            })
            .collect();
        if let Some(((part, report_slots), federation_slots)) = first {
            lint_run(part, report_slots, federation_slots);
        }
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    // Every slot is filled; collected in place.
    let reports = reports.into_iter().flatten().collect();
    (reports, federation)
}

pub fn lint_metadata_with<'a, 'i>(
    encoding: Vec<Finding>,
    metadata: &Metadata<'a, 'i>,
    verification: Option<&VerificationReport<'a, 'i>>,
    options: &MetadataOptions,
) -> MetadataReport {
    lint_metadata_verified_later(encoding, metadata, || verification, options)
}

/// [`lint_metadata_with`], asking for the signature's verification only once every entity is
/// linted, so a caller can verify a large aggregate on another thread meanwhile.
pub fn lint_metadata_verified_later<'a, 'i, R>(
    encoding: Vec<Finding>,
    metadata: &Metadata<'a, 'i>,
    verification: impl FnOnce() -> Option<R>,
    options: &MetadataOptions,
) -> MetadataReport
where
    R: std::borrow::Borrow<VerificationReport<'a, 'i>>,
{
    let text = metadata.node().document().input_text();
    let mut entities = metadata.entities();
    if let Some(only) = &options.federation.entity {
        entities.retain(|e| e.entity_id_str().trim() == only);
    }
    let idp = entities
        .iter()
        .find(|e| !e.idp_roles.is_empty())
        .map_or(Idp::GENERIC, |e| Idp::detect(e.entity_id_str()));
    let mut doc = encoding;
    if options.profile == Profile::AmazonQBusiness {
        doc.extend(length_finding(text));
    }
    let (root, name, valid_until, cache_duration) = match metadata {
        Metadata::Entity(entity) => (
            "EntityDescriptor",
            None,
            entity.valid_until.as_ref(),
            entity.cache_duration.as_ref(),
        ),
        Metadata::Entities(group) => {
            lint_group(group, options, &mut doc, true);
            (
                "EntitiesDescriptor",
                group.name.as_ref().map(|n| n.value.to_string()),
                group.valid_until.as_ref(),
                group.cache_duration.as_ref(),
            )
        }
    };
    // Entities first: their lint does not depend on the signature, which may still be being
    // verified.
    let (mut reports, federation_findings) = lint_entities(&entities, options);
    let verification = verification();
    let signature = lint_signature(
        metadata,
        verification.as_ref().map(|report| report.borrow()),
        idp,
        &mut doc,
    );

    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(entities.len());
    for ((index, entity), report) in entities.iter().enumerate().zip(&mut reports) {
        if let Some(id) = entity.entity_id.as_ref().map(|e| e.value.trim()) {
            match seen.get(id) {
                Some(&first) => {
                    report.findings.push(
                        Finding::new(
                            Rule::MetadataDuplicateEntityId,
                            format!(
                                "entityID `{id}` is also used by entity #{}; consumers keep \
                                 only one of them",
                                first + 1
                            ),
                        )
                        .expected("each entityID once")
                        .actual(format!("entity #{} and entity #{}", first + 1, index + 1))
                        .fix("remove the stale copy, or give the entities distinct entityIDs")
                        .at(entity
                            .entity_id
                            .as_ref()
                            .map_or(entity.node.range(), |e| e.span.clone())),
                    );
                }
                None => {
                    seen.insert(id, index);
                }
            }
        }
    }
    if entities.is_empty() {
        doc.push(
            Finding::new(
                Rule::MetadataNoEntity,
                "the EntitiesDescriptor holds no EntityDescriptor",
            )
            .expected("at least one EntityDescriptor")
            .actual("none")
            .at(metadata.node().range()),
        );
    }

    crate::federation::apply(
        metadata,
        &entities,
        &mut reports,
        federation_findings,
        &mut doc,
        options,
    );

    let mut report = MetadataReport {
        verdict: Verdict::Pass,
        profile: options.profile.name().to_string(),
        root,
        idp,
        name,
        valid_until: valid_until.map(|v| v.text.value.to_string()),
        cache_duration: cache_duration.map(|c| c.value.to_string()),
        entity_count: reports.len(),
        idp_count: reports.iter().filter(|e| e.is_idp()).count(),
        sp_count: reports.iter().filter(|e| e.is_sp()).count(),
        signature,
        findings: doc,
        entities: reports,
        counts: Vec::new(),
        errors: 0,
        warnings: 0,
        notes: 0,
    };
    options.policy.apply(&mut report.findings);
    for entity in &mut report.entities {
        options.policy.apply(&mut entity.findings);
    }
    report.finish(text);
    report
}

#[cfg(test)]
mod tests {
    use super::encoding::group_digits;
    use super::endpoints::url_finding;
    use super::*;

    // An aggregate keeps every entity's model and report until the end: their vectors hold no
    // room to grow (a vector grown by one push has room for four), which is what keeps a
    // 5,000-entity aggregate at 0.72× of xmlsec1's peak memory (BENCHMARKS.md).
    #[test]
    fn entity_models_and_reports_hold_no_growth_slack() {
        let xml = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example/idp"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/slo"/><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/></md:IDPSSODescriptor><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>"#;
        let doc = samlkit_parse::parse_xml(xml, &Default::default()).unwrap();
        let samlkit_parse::SamlMessage::Metadata(metadata) =
            samlkit_parse::read_message(&doc).unwrap()
        else {
            panic!("not metadata")
        };
        let entity = metadata.entities()[0];
        assert_eq!(entity.idp_roles.capacity(), 1);
        assert_eq!(entity.sp_roles.capacity(), 1);
        assert_eq!(entity.other_roles.capacity(), 0);
        let options = MetadataOptions::new(Instant::from_unix(1_780_000_000, 0));
        let report = super::entity::lint_entity(entity, &options);
        // Every per-entity list the report keeps: as long as its room.
        macro_rules! exactly_sized {
            ($($list:ident),*) => {$(
                assert_eq!(
                    (stringify!($list), report.$list.capacity()),
                    (stringify!($list), report.$list.len())
                );
            )*};
        }
        exactly_sized!(
            single_sign_on,
            assertion_consumer_services,
            single_logout,
            name_id_formats,
            keys,
            findings
        );
        assert_eq!(report.keys.len(), 1);
        assert_eq!(report.single_sign_on.len(), 1);
    }

    // Entities linted on several threads come back in document order with exactly the findings
    // one thread gives, for every rule set, whatever the runs' boundaries.
    #[test]
    fn entities_linted_in_parallel_match_one_thread() {
        let mut xml = String::from(
            r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="f">"#,
        );
        for i in 0..37 {
            // Every fifth entity lacks its SSO endpoint's https and its Organization; every
            // seventh repeats an entityID.
            let id = if i % 7 == 6 { i - 1 } else { i };
            let scheme = if i % 5 == 0 { "http" } else { "https" };
            xml.push_str(&format!(
                r#"<md:EntityDescriptor entityID="https://idp{id}.example/idp"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{scheme}://idp{i}.example/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
            ));
        }
        xml.push_str("</md:EntitiesDescriptor>");
        let doc = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
        let samlkit_parse::SamlMessage::Metadata(metadata) =
            samlkit_parse::read_message(&doc).unwrap()
        else {
            panic!("not metadata")
        };
        let entities = metadata.entities();
        let mut options = MetadataOptions::new(Instant::from_unix(1_780_000_000, 0));
        options.federation.sets = crate::federation::RuleSet::ALL.to_vec();
        let one = lint_entities_on(&entities, &options, 1);
        assert!(one.0.iter().any(|r| !r.findings.is_empty()));
        assert!(one.1.iter().any(|f| !f.is_empty()));
        for threads in [2, 3, 8] {
            let several = lint_entities_on(&entities, &options, threads);
            assert_eq!(several, one, "{threads} threads");
        }
    }

    #[test]
    fn durations_parse_as_xs_duration() {
        assert_eq!(parse_xs_duration("PT6H"), Some(21_600.0));
        assert_eq!(parse_xs_duration("P1D"), Some(86_400.0));
        assert_eq!(
            parse_xs_duration("P1Y2M"),
            Some(365.0 * 86_400.0 + 60.0 * 86_400.0)
        );
        assert_eq!(parse_xs_duration("PT1.5S"), Some(1.5));
        assert_eq!(parse_xs_duration("-PT1M"), Some(-60.0));
        assert_eq!(parse_xs_duration("P0D"), Some(0.0));
        for bad in [
            "", "P", "PT", "6H", "PT6", "P1H", "PT1D", "P1.5D", "PM1Y", "P1DT",
        ] {
            assert_eq!(parse_xs_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn encodings_are_judged_from_the_raw_bytes() {
        let bom = encoding_findings(b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>");
        assert!(bom[0].is(Rule::MetadataByteOrderMark));
        let utf16 = encoding_findings(b"\xFF\xFE<\0a\0/\0>\0");
        assert!(utf16[0].is(Rule::MetadataNotUtf8));
        let latin1 =
            encoding_findings("<?xml version='1.0' encoding='ISO-8859-1'?><a>é</a>".as_bytes());
        assert_eq!(latin1[0].severity, Severity::Error);
        let ascii = encoding_findings(b"<?xml version='1.0' encoding='us-ascii'?><a/>");
        assert_eq!(ascii[0].severity, Severity::Warning);
        assert!(encoding_findings(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>").is_empty());
        assert!(encoding_findings(b"<a/>").is_empty());
    }

    #[test]
    fn endpoint_urls_are_classified() {
        let check = |url: &'static str| {
            url_finding(
                &Spanned::new(url, 0..url.len()),
                "AssertionConsumerService",
                "Location",
            )
            .map(|f| f.code.as_str())
        };
        assert_eq!(check("https://sp.example.org/acs"), None);
        assert_eq!(check("http://localhost:8080/acs"), None);
        assert_eq!(check("http://127.0.0.1/acs"), None);
        assert_eq!(
            check("http://sp.example.org/acs"),
            Some("metadata/endpoint-http")
        );
        assert_eq!(
            check("javascript:alert(1)"),
            Some("metadata/endpoint-bad-url")
        );
        assert_eq!(check("/acs"), Some("metadata/endpoint-bad-url"));
        assert_eq!(
            check(" https://sp.example.org/acs"),
            Some("metadata/endpoint-bad-url")
        );
        assert_eq!(check("https:///acs"), Some("metadata/endpoint-bad-url"));
    }

    #[test]
    fn amazon_q_length_bounds() {
        assert!(length_finding(&"a".repeat(999)).is_some());
        assert!(length_finding(&"a".repeat(1_000)).is_none());
        // 600 characters in 1,200 bytes: under the minimum, however many bytes.
        assert!(length_finding(&"é".repeat(600)).is_some());
        assert!(length_finding(&"a".repeat(10_000_001)).is_some());
    }

    #[test]
    fn line_columns_count_characters_in_one_pass() {
        let text = "ab\néé<x/>\n<y/>";
        let positions = [0, text.find("<x").unwrap(), text.find("<y").unwrap()];
        let found = line_columns(text, &positions);
        assert_eq!(found[0], LineColumn { line: 1, column: 1 });
        assert_eq!(found[1], xml::line_column(text, positions[1]));
        assert_eq!(found[2], LineColumn { line: 3, column: 1 });
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(10_000_000), "10,000,000");
    }
}
