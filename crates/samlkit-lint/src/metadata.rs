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

use crate::idp::{Fix, Idp};
use crate::profile::Profile;
use crate::report::{Finding, Verdict};
use crate::rules::{Rule, Severity};

mod certificate;

pub use certificate::{read_certificate, CertificateView};

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
    /// The rule sets to apply (enterprise by default) and the entity to lint alone.
    pub federation: crate::federation::FederationOptions,
}

impl MetadataOptions {
    pub fn new(now: Instant) -> MetadataOptions {
        MetadataOptions {
            now,
            warn_days: DEFAULT_WARN_DAYS,
            profile: Profile::Generic,
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
    pub code: String,
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
    pub binding: Option<String>,
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
    pub certificate: Option<CertificateView>,
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

    pub fn has(&self, code: &str) -> bool {
        self.all_findings().any(|f| f.code == code)
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

    /// Raises the severity of every finding with `code` (e.g. the CI gate failing on a
    /// certificate that expires soon) and recomputes counts and the verdict.
    pub fn escalate(&mut self, code: &str, severity: Severity, note: &str) {
        let findings = self
            .findings
            .iter_mut()
            .chain(self.entities.iter_mut().flat_map(|e| e.findings.iter_mut()));
        for finding in findings.filter(|f| f.code == code && f.severity < severity) {
            finding.severity = severity;
            finding.message.push_str(note);
        }
        self.tally();
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
        let mut counts: HashMap<&str, (Severity, usize)> = HashMap::new();
        let (mut errors, mut warnings, mut notes) = (0, 0, 0);
        for finding in self.all_findings() {
            match finding.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => notes += 1,
            }
            let entry = counts
                .entry(finding.code.as_str())
                .or_insert((finding.severity, 0));
            entry.0 = entry.0.max(finding.severity);
            entry.1 += 1;
        }
        let mut counts: Vec<RuleCount> = counts
            .into_iter()
            .map(|(code, (severity, count))| RuleCount {
                code: code.to_string(),
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
// Encoding and length: what the file's bytes say before any parsing

/// Findings about the raw bytes of a metadata file: a UTF-8 byte-order mark, UTF-16, or an
/// encoding other than UTF-8 declared.
pub fn encoding_findings(raw: &[u8]) -> Vec<Finding> {
    let fix = "save the file as UTF-8 without BOM (e.g. `iconv -f <encoding> -t UTF-8`, or \
               \"UTF-8\" rather than \"UTF-8 with BOM\" in the editor), and keep the XML \
               declaration's encoding=\"UTF-8\"";
    let mut findings = Vec::new();
    if raw.starts_with(&[0xEF, 0xBB, 0xBF]) {
        findings.push(
            Finding::new(
                Rule::MetadataByteOrderMark,
                "the file starts with a UTF-8 byte-order mark; AWS IAM refuses such metadata",
            )
            .expected("the file to start with `<?xml` or `<`")
            .actual("bytes EF BB BF (UTF-8 BOM)")
            .fix(fix)
            .at(0..0),
        );
        return findings;
    }
    let utf16 = if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[b'<', 0]) {
        Some("UTF-16LE")
    } else if raw.starts_with(&[0xFE, 0xFF]) || raw.starts_with(&[0, b'<']) {
        Some("UTF-16BE")
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        findings.push(
            Finding::new(
                Rule::MetadataNotUtf8,
                format!("the file is {encoding}, not UTF-8"),
            )
            .expected("UTF-8 without BOM")
            .actual(encoding)
            .fix(fix)
            .at(0..0),
        );
        return findings;
    }
    if let Some(declared) = declared_encoding(raw) {
        let normalized = declared.trim().to_ascii_lowercase();
        if normalized != "utf-8" && normalized != "utf8" {
            let ascii_only = raw.is_ascii();
            let finding = Finding::new(
                Rule::MetadataNotUtf8,
                if ascii_only {
                    format!(
                        "the XML declaration says encoding=\"{declared}\"; the content is plain \
                         ASCII, so it reads the same as UTF-8, but consumers that insist on \
                         UTF-8 refuse the declaration"
                    )
                } else {
                    format!(
                        "the XML declaration says encoding=\"{declared}\" and the file holds \
                         characters outside ASCII in that encoding"
                    )
                },
            )
            .expected("encoding=\"UTF-8\"")
            .actual(format!("encoding=\"{declared}\""))
            .fix(fix)
            .at(0..0);
            findings.push(if ascii_only {
                finding.severity(Severity::Warning)
            } else {
                finding
            });
        }
    }
    findings
}

/// The `encoding` of the XML declaration at the start of `raw`, if any.
fn declared_encoding(raw: &[u8]) -> Option<&str> {
    let start = raw.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = raw.get(start..)?;
    if !rest.starts_with(b"<?xml") {
        return None;
    }
    let end = rest.windows(2).take(512).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&rest[..end]).ok()?;
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(&value[..value.find(quote)?])
}

/// Amazon Q Business takes metadata as `metadataXML`, 1,000 to 10,000,000 characters.
pub fn length_finding(text: &str) -> Option<Finding> {
    // A character takes one to four bytes, so the byte length settles the question without
    // counting when it is at least four times the minimum and at most the maximum.
    if text.len() >= 4 * AMAZON_Q_METADATA_MIN_CHARS && text.len() <= AMAZON_Q_METADATA_MAX_CHARS {
        return None;
    }
    let characters = text.chars().count();
    if (AMAZON_Q_METADATA_MIN_CHARS..=AMAZON_Q_METADATA_MAX_CHARS).contains(&characters) {
        return None;
    }
    let (what, fix) = if characters < AMAZON_Q_METADATA_MIN_CHARS {
        (
            "too short for a complete IdP metadata document (was it cut off when copied?)",
            "download the complete federation metadata XML from the identity provider (Entra \
             ID: Enterprise applications › (your app) › Single sign-on › SAML Certificates › \
             Federation Metadata XML) and paste it whole",
        )
    } else {
        (
            "too long: probably a whole federation aggregate rather than the one IdP",
            "give Amazon Q Business the metadata of the one identity provider, not an aggregate \
             of many entities",
        )
    };
    Some(
        Finding::new(
            Rule::MetadataLength,
            format!(
                "the metadata has {} characters; Amazon Q Business's metadataXML takes \
                 1,000–10,000,000: it is {what}",
                group_digits(characters)
            ),
        )
        .expected("1,000 to 10,000,000 characters")
        .actual(format!("{} characters", group_digits(characters)))
        .fix(fix)
        .at(0..0),
    )
}

fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
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
pub fn lint_metadata_with<'a, 'i>(
    encoding: Vec<Finding>,
    metadata: &Metadata<'a, 'i>,
    verification: Option<&VerificationReport<'a, 'i>>,
    options: &MetadataOptions,
) -> MetadataReport {
    let text = metadata.node().document().input_text();
    let mut entities = metadata.entities();
    if let Some(only) = &options.federation.entity {
        entities.retain(|e| e.entity_id_str().trim() == only);
    }
    let idp = entities
        .iter()
        .find(|e| !e.idp_roles.is_empty())
        .map_or(Idp::Generic, |e| Idp::detect(e.entity_id_str()));
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
    let signature = lint_signature(metadata, verification, idp, &mut doc);

    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(entities.len());
    let mut reports = Vec::with_capacity(entities.len());
    for (index, entity) in entities.iter().enumerate() {
        let mut report = lint_entity(entity, options);
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
        reports.push(report);
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

    crate::federation::apply(metadata, &entities, &mut reports, &mut doc, options);

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
    report.finish(text);
    report
}

/// validUntil, cacheDuration and nesting of an EntitiesDescriptor and the groups inside it.
fn lint_group(
    group: &EntitiesDescriptor<'_, '_>,
    options: &MetadataOptions,
    findings: &mut Vec<Finding>,
    is_root: bool,
) {
    let what = if is_root {
        "the aggregate (EntitiesDescriptor)".to_string()
    } else {
        match &group.name {
            Some(name) => format!("the nested EntitiesDescriptor `{}`", name.value),
            None => "a nested EntitiesDescriptor".to_string(),
        }
    };
    findings.extend(valid_until_finding(
        group.valid_until.as_ref(),
        &what,
        options,
    ));
    findings.extend(cache_duration_finding(group.cache_duration.as_ref(), &what));
    for node in &group.too_deep {
        findings.push(
            Finding::new(
                Rule::MetadataNestingTooDeep,
                format!(
                    "EntitiesDescriptor elements are nested more than {MAX_ENTITIES_NESTING} \
                     deep; the entities inside were not read"
                ),
            )
            .expected(format!("at most {MAX_ENTITIES_NESTING} levels"))
            .at(node.range()),
        );
    }
    for nested in &group.groups {
        lint_group(nested, options, findings, false);
    }
}

fn valid_until_finding(
    valid_until: Option<&TimeValue<'_>>,
    what: &str,
    options: &MetadataOptions,
) -> Option<Finding> {
    let value = valid_until?;
    match &value.parsed {
        Err(err) => Some(
            Finding::new(
                Rule::TimeUnreadable,
                format!("validUntil of {what} is not an xs:dateTime: {}", err.reason),
            )
            .expected("like 2026-12-31T00:00:00Z")
            .actual(value.text.value)
            .at(value.text.span.clone()),
        ),
        Ok(parsed) if parsed.instant < options.now => Some(
            Finding::new(
                Rule::MetadataValidUntilPassed,
                format!(
                    "{what} was valid until {}, {} before {}; consumers must not use it any more",
                    parsed.instant,
                    describe_duration(parsed.instant.seconds_until(options.now)),
                    options.now
                ),
            )
            .expected(format!("validUntil after {}", options.now))
            .actual(value.text.value)
            .fix(
                "download fresh metadata from its publisher (metadata is meant to be refreshed \
                 before validUntil, at least every cacheDuration)",
            )
            .at(value.text.span.clone()),
        ),
        Ok(_) => None,
    }
}

fn cache_duration_finding(value: Option<&AttrValue<'_>>, what: &str) -> Option<Finding> {
    let value = value?;
    let problem = match parse_xs_duration(value.value.trim()) {
        None => "is not an xs:duration (like PT6H or P1D)".to_string(),
        Some(seconds) if seconds <= 0.0 => {
            "is zero or negative: consumers would re-read the metadata constantly".to_string()
        }
        Some(seconds) if seconds > MAX_SENSIBLE_CACHE_SECONDS => format!(
            "is {}: consumers would keep stale keys for over a year",
            describe_duration(seconds as i64)
        ),
        Some(_) => return None,
    };
    Some(
        Finding::new(
            Rule::MetadataCacheDuration,
            format!("cacheDuration of {what} {problem}"),
        )
        .expected("an xs:duration between a few minutes and a year, e.g. PT6H")
        .actual(value.value)
        .at(value.span.clone()),
    )
}

/// Seconds in an `xs:duration` such as `P1Y2M3DT4H5M6.7S` (a year as 365 days, a month as 30),
/// or `None` when the text is not one.
pub fn parse_xs_duration(text: &str) -> Option<f64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((_, "")) => return None,
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    const DAY: f64 = 86_400.0;
    let (mut seconds, mut components) =
        duration_components(date, &[('Y', 365.0 * DAY), ('M', 30.0 * DAY), ('D', DAY)])?;
    if let Some(time) = time {
        let (time_seconds, time_components) =
            duration_components(time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
        if time_components == 0 {
            return None;
        }
        seconds += time_seconds;
        components += time_components;
    }
    if components == 0 {
        return None;
    }
    Some(if negative { -seconds } else { seconds })
}

/// Sums `<number><unit>` components written in the order of `units`; only the last unit (the
/// seconds) may have a fraction.
fn duration_components(mut part: &str, units: &[(char, f64)]) -> Option<(f64, usize)> {
    let (mut seconds, mut count, mut next_unit) = (0.0, 0, 0);
    while !part.is_empty() {
        let end = part.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (number, tail) = part.split_at(end);
        let unit = tail.chars().next()?;
        let position = units[next_unit..].iter().position(|(u, _)| *u == unit)? + next_unit;
        let fraction_allowed = units[position].0 == 'S';
        let dots = number.matches('.').count();
        let valid = !number.is_empty()
            && !number.starts_with('.')
            && !number.ends_with('.')
            && (dots == 0 || (dots == 1 && fraction_allowed));
        if !valid {
            return None;
        }
        seconds += number.parse::<f64>().ok()? * units[position].1;
        count += 1;
        next_unit = position + 1;
        part = &tail[unit.len_utf8()..];
    }
    Some((seconds, count))
}

// ---------------------------------------------------------------------------------------------
// The metadata's own signature

fn lint_signature<'a, 'i>(
    metadata: &Metadata<'a, 'i>,
    verification: Option<&VerificationReport<'a, 'i>>,
    idp: Idp,
    findings: &mut Vec<Finding>,
) -> MetadataSignature {
    let document = metadata.node().document();
    let count = document
        .descendants()
        .filter(|n| xml::is_element(*n, xml::ns::DS, "Signature"))
        .count();
    let verification = verification.filter(|v| v.verdict != SignatureVerdict::NoTrustConfigured);
    let Some(verification) = verification else {
        if count > 0 {
            findings.push(
                Finding::new(
                    Rule::MetadataSignatureNotChecked,
                    "the metadata is signed, but no key was given to check the signature with",
                )
                .fix(
                    "pass the publisher's signing certificate with --cert FILE, or its SHA-256 \
                     fingerprint with --fingerprint",
                ),
            );
        }
        return MetadataSignature {
            signatures: count,
            checked: false,
            verified: false,
            verified_by: None,
        };
    };
    for finding in verification.all_findings() {
        if matches!(
            finding.code,
            FindingCode::NotSigned | FindingCode::NoTrustConfigured
        ) {
            continue;
        }
        findings.push(crate::catalogue::from_verifier(finding, idp));
    }
    let root = verification.verified_root();
    let verified_by = root.and_then(|element| {
        verification
            .signatures
            .get(element.signature_index())
            .and_then(|s| s.verified_by.as_ref())
            .map(|k| k.description.clone())
    });
    if verification.verdict == SignatureVerdict::NotSigned || count == 0 {
        findings.push(
            Finding::new(
                Rule::MetadataSignatureMissing,
                "a key was given to check the metadata's signature, but the metadata carries no \
                 signature: it was stripped, or this is not the file the publisher signed",
            )
            .expected("a ds:Signature in the root element")
            .actual("no signature")
            .fix(
                "download the metadata straight from its publisher and use it unchanged; if the \
                 publisher does not sign its metadata, drop --cert/--fingerprint and verify the \
                 file another way",
            )
            .at(metadata.node().range()),
        );
    } else if root.is_none() {
        let failing = verification
            .signatures
            .iter()
            .find(|s| s.outcome == SignatureOutcome::Failed);
        let reason = if verification.verdict == SignatureVerdict::Rejected {
            "the document has a shape used by signature-wrapping attacks".to_string()
        } else {
            match failing.and_then(|s| s.stage) {
                Some(Stage::UntrustedKey) => {
                    "it is signed with a key other than the one given".to_string()
                }
                Some(Stage::SignatureMismatch) => {
                    "the signature value does not verify with the key given".to_string()
                }
                Some(Stage::DigestMismatch) => {
                    "the metadata was changed (edited or re-formatted) after it was signed"
                        .to_string()
                }
                Some(stage) => format!(
                    "the signature failed at the {} stage",
                    crate::check::stage_name(stage)
                ),
                None => {
                    let on: Vec<String> = verification
                        .signatures
                        .iter()
                        .filter_map(|s| s.parent.as_ref().map(|p| format!("<{}>", p.name)))
                        .collect();
                    format!(
                        "the signatures cover {} only, not the whole document",
                        if on.is_empty() {
                            "nothing".to_string()
                        } else {
                            on.join(", ")
                        }
                    )
                }
            }
        };
        findings.push(
            Finding::new(
                Rule::MetadataNotVerified,
                format!("the metadata is not covered by a verified signature: {reason}"),
            )
            .expected("a signature over the root element from the key given")
            .actual(reason)
            .fix(Fix::RefreshMetadata.text(idp))
            .at(metadata.node().range()),
        );
    }
    MetadataSignature {
        signatures: count,
        checked: true,
        verified: verified_by.is_some() || root.is_some(),
        verified_by,
    }
}

// ---------------------------------------------------------------------------------------------
// One entity

fn lint_entity(entity: &EntityDescriptor<'_, '_>, options: &MetadataOptions) -> EntityReport {
    let entity_id = entity
        .entity_id
        .as_ref()
        .map(|e| e.value.trim().to_string());
    let idp = if entity.idp_roles.is_empty() {
        Idp::Generic
    } else {
        entity_id.as_deref().map_or(Idp::Generic, Idp::detect)
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
        let what = "the IdP role (IDPSSODescriptor)";
        if role.single_sign_on.is_empty() {
            findings.push(
                Finding::new(
                    Rule::MetadataSsoMissing,
                    "the IdP role lists no SingleSignOnService, so service providers have \
                     nowhere to send users",
                )
                .expected(
                    "<SingleSignOnService Binding=\"…HTTP-Redirect\" Location=\"https://…\"/>",
                )
                .actual("none")
                .at(role.role.node.range()),
            );
        }
        if role.role.single_logout.is_empty() {
            findings.push(
                Finding::new(
                    Rule::MetadataSloMissing,
                    format!("{what} lists no SingleLogoutService"),
                )
                .at(role.role.node.range()),
            );
        }
        for endpoint in &role.single_sign_on {
            check_endpoint(endpoint, "SingleSignOnService", &mut findings);
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
    }
    for role in &entity.sp_roles {
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
        if role.role.single_logout.is_empty() {
            findings.push(
                Finding::new(
                    Rule::MetadataSloMissing,
                    "the SP role (SPSSODescriptor) lists no SingleLogoutService",
                )
                .at(role.role.node.range()),
            );
        }
        for endpoint in &role.assertion_consumer_services {
            check_endpoint(endpoint, "AssertionConsumerService", &mut findings);
            assertion_consumer_services.push(endpoint_view(endpoint));
        }
        check_acs_indexes(&role.assertion_consumer_services, &mut findings);
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

fn role_name(role: &RoleDescriptor<'_, '_>) -> String {
    match &role.xsi_type {
        Some(kind) => format!("{} ({})", role.element, kind.value),
        None => role.element.to_string(),
    }
}

fn check_entity_id(entity: &EntityDescriptor<'_, '_>, findings: &mut Vec<Finding>) {
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
fn uri_scheme(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty();
    valid.then(|| scheme.to_ascii_lowercase())
}

fn check_roles(entity: &EntityDescriptor<'_, '_>, findings: &mut Vec<Finding>) {
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

fn endpoint_view(endpoint: &Endpoint<'_, '_>) -> EndpointView {
    EndpointView {
        binding: endpoint.binding.as_ref().map(|b| b.value.to_string()),
        location: endpoint.location.as_ref().map(|l| l.value.to_string()),
        index: endpoint.index.as_ref().map(|i| i.value.to_string()),
        is_default: endpoint.is_default.as_ref().map(|d| d.value),
        location_span: endpoint.location.as_ref().map(|l| l.span.clone()),
    }
}

/// The short name of a binding URI (`HTTP-POST`), or the URI itself.
pub fn binding_name(uri: &str) -> &str {
    uri.strip_prefix(SAML2_BINDINGS).unwrap_or(uri)
}

fn check_endpoint(endpoint: &Endpoint<'_, '_>, element: &str, findings: &mut Vec<Finding>) {
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
fn url_finding(value: &Spanned<&str>, element: &str, attribute: &str) -> Option<Finding> {
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

fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

fn host_of(authority: &str) -> &str {
    let authority = authority.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if let Some(bracketed) = host_port.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or("");
    }
    host_port.split(':').next().unwrap_or("")
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.trim_start_matches('[').trim_end_matches(']') == "::1"
        // An address, not a name that merely starts with 127 (127.attacker.example).
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn check_acs_indexes(services: &[Endpoint<'_, '_>], findings: &mut Vec<Finding>) {
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

// ---------------------------------------------------------------------------------------------
// Keys and certificates

/// A certificate body found in a KeyDescriptor, and where.
struct FoundCertificate<'k> {
    body: &'k str,
    span: Range<usize>,
}

/// One distinct certificate of the entity, while linting.
struct EntityKey<'k> {
    body: &'k str,
    span: Range<usize>,
    role: String,
    signing: bool,
    encryption: bool,
    /// Signing roles it is listed in (`IDPSSODescriptor`, `SPSSODescriptor`).
    signing_in: Vec<&'static str>,
    facts: Result<CertificateView, String>,
}

fn certificates_of<'k>(
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

fn parse_certificate(body: &str) -> Result<CertificateView, String> {
    read_certificate(body)
}

fn check_keys(
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

    let now = options.now.unix_seconds();
    let horizon = now.saturating_add(options.warn_days.saturating_mul(86_400));
    let is_idp_entity = !entity.idp_roles.is_empty();
    for (position, key) in keys.iter().enumerate() {
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
                continue;
            }
        };
        let owner =
            if key.signing_in.contains(&"IDPSSODescriptor") || (is_idp_entity && key.signing) {
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
            .at(key.span.clone());
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
                .at(key.span.clone()),
            );
        }
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
        let signing: Vec<(usize, &CertificateView)> = keys
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

    keys.into_iter()
        .map(|key| {
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
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CertificateOwner {
    IdpSigning,
    SpSigning,
    Other,
}

fn key_purpose(key: &EntityKey<'_>) -> &'static str {
    match (key.signing, key.encryption) {
        (true, true) => "signing/encryption",
        (true, false) => "signing",
        _ => "encryption",
    }
}

fn short_fingerprint(fingerprint: &str) -> String {
    format!("SHA-256 {}…", &fingerprint[..fingerprint.len().min(23)])
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

fn rsa_bits(facts: &CertificateView) -> Option<u32> {
    facts.rsa_bits
}

/// Where to create the next certificate and how to publish it, per identity provider; with
/// the deadline when the current one expires.
fn renewal_fix(owner: CertificateOwner, idp: Idp, expires: Option<&str>) -> String {
    let before = expires.map_or(String::new(), |date| format!(" before {date}"));
    match owner {
        CertificateOwner::IdpSigning => match idp {
            Idp::EntraId => format!(
                "Entra ID › Enterprise applications › (your app) › Single sign-on › SAML \
                 Certificates › Edit › New Certificate, then \"Make certificate active\"; import \
                 the new Federation Metadata XML at the service provider{before} (keep both \
                 certificates there during the overlap)"
            ),
            Idp::Okta => format!(
                "Okta Admin Console › Applications › (your app) › Sign On › SAML Signing \
                 Certificates › Generate new certificate, then Actions › Activate; give the \
                 service provider the new metadata{before}"
            ),
            Idp::Google => format!(
                "Google Admin console › Apps › Web and mobile apps › (your app) › Service \
                 provider details › Manage certificates › Add certificate; give the service \
                 provider the new certificate{before}"
            ),
            Idp::Adfs => format!(
                "AD FS Management › Service › Certificates › Add Token-Signing Certificate (or \
                 Update-AdfsCertificate -CertificateType Token-Signing), then Set as Primary; \
                 refresh the federation metadata at the service provider{before}"
            ),
            Idp::Keycloak => format!(
                "Keycloak › Realm settings › Keys › Add provider › rsa-generated (with a higher \
                 priority); give the service provider the new realm descriptor{before}"
            ),
            Idp::Generic => format!(
                "have the identity provider create a new signing certificate, publish it in its \
                 metadata beside the current one and switch to it{before}; then update the \
                 metadata at the service provider"
            ),
        },
        CertificateOwner::SpSigning | CertificateOwner::Other => format!(
            "create a new certificate for the service provider, publish it in the SP metadata \
             beside the current one{before}, and upload the new SP metadata at the identity \
             provider (Entra ID: Enterprise applications › (your app) › Single sign-on › \
             Upload metadata file)"
        ),
    }
}

/// Explains several signing certificates as a rollover: which is newer, which the IdP most
/// likely signs with now.
fn rollover_finding(
    role_element: &str,
    span: Range<usize>,
    signing: &[(usize, &CertificateView)],
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
    let valid_now: Vec<&(usize, &CertificateView)> = signing
        .iter()
        .filter(|(_, f)| f.not_before <= now && now <= f.not_after)
        .collect();
    let likely = valid_now
        .iter()
        .min_by_key(|(_, f)| (f.not_before, f.not_after))
        .map(|(i, _)| *i);
    let describe = |(i, f): &(usize, &CertificateView)| {
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

// ---------------------------------------------------------------------------------------------
// Cross-checks for `samlkit check`

/// The SP metadata against the SP's settings: its entityID against the configured Identifier,
/// its AssertionConsumerServices against the configured Reply URL. The findings point into the
/// SP metadata.
pub fn cross_check_sp_metadata(
    metadata: &Metadata<'_, '_>,
    sp_entity_id: Option<&str>,
    acs_url: Option<&str>,
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
                    Fix::Identifier { entity_id: actual }.text(Idp::EntraId)
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
                    .text(Idp::EntraId),
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
    certificates: &[Spanned<String>],
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(bom[0].code, "metadata/byte-order-mark");
        let utf16 = encoding_findings(b"\xFF\xFE<\0a\0/\0>\0");
        assert_eq!(utf16[0].code, "metadata/not-utf8");
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
            .map(|f| f.code)
        };
        assert_eq!(check("https://sp.example.org/acs"), None);
        assert_eq!(check("http://localhost:8080/acs"), None);
        assert_eq!(check("http://127.0.0.1/acs"), None);
        assert_eq!(
            check("http://sp.example.org/acs").as_deref(),
            Some("metadata/endpoint-http")
        );
        assert_eq!(
            check("javascript:alert(1)").as_deref(),
            Some("metadata/endpoint-bad-url")
        );
        assert_eq!(check("/acs").as_deref(), Some("metadata/endpoint-bad-url"));
        assert_eq!(
            check(" https://sp.example.org/acs").as_deref(),
            Some("metadata/endpoint-bad-url")
        );
        assert_eq!(
            check("https:///acs").as_deref(),
            Some("metadata/endpoint-bad-url")
        );
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
