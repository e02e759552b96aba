//! Identity-provider consoles and service-provider settings as data.
//!
//! Each identity provider samlkit knows has a file under `data/idps/`: how to recognise it
//! (Issuer, metadata entityID, endpoint and response-shape patterns) and, for every kind of fix
//! made at the identity provider, either the text naming that IdP's own console path and fields
//! or an explicit mark that no vendor page was found to cite (the cell is then rendered with the
//! neutral text from `data/neutral.toml`, which names no console). Every text carries the URL of
//! the vendor page it was learned from. Service providers have files under `data/sps/`: what
//! they require from a response, their settings pages and the words they show users when
//! sign-in fails.
//!
//! The files are embedded at build time and parsed once; a parse or validation failure is
//! returned as a [`ConsoleDataError`] naming the file and what was wrong, never a panic.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

mod detect;
mod markdown;

pub use detect::{DetectPatterns, DetectedFrom, IdAlphabet, IdShape};
pub use markdown::markdown;

/// One data file as embedded: its name, its TOML, and the JSON the build made of it.
type Embedded = (&'static str, &'static str, &'static str);

/// Embeds `data/FOLDER/NAME` and the JSON `build.rs` wrote for it.
macro_rules! embedded {
    ($folder:literal, $name:literal) => {
        (
            $name,
            include_str!(concat!("../../data/", $folder, $name)),
            include_str!(concat!(env!("OUT_DIR"), "/data/", $folder, $name, ".json")),
        )
    };
}

/// The neutral texts: one per fix kind, naming no identity provider's console.
const NEUTRAL_FILE: Embedded = embedded!("", "neutral.toml");

/// One file per identity provider, in the order detection should try them.
const IDP_FILES: &[Embedded] = &[
    embedded!("idps/", "entra-id.toml"),
    embedded!("idps/", "adfs.toml"),
    embedded!("idps/", "okta.toml"),
    embedded!("idps/", "google.toml"),
    embedded!("idps/", "keycloak.toml"),
    embedded!("idps/", "onelogin.toml"),
    embedded!("idps/", "pingone.toml"),
    embedded!("idps/", "pingfederate.toml"),
    embedded!("idps/", "auth0.toml"),
    embedded!("idps/", "jumpcloud.toml"),
    embedded!("idps/", "shibboleth.toml"),
    embedded!("idps/", "simplesamlphp.toml"),
    embedded!("idps/", "authentik.toml"),
    embedded!("idps/", "zitadel.toml"),
];

/// One file per service-provider profile (the generic profile has no console of its own).
const SP_FILES: &[Embedded] = &[
    embedded!("sps/", "amazon-q-business.toml"),
    embedded!("sps/", "aws-iam.toml"),
    embedded!("sps/", "aws-identity-center.toml"),
    embedded!("sps/", "slack.toml"),
    embedded!("sps/", "github.toml"),
    embedded!("sps/", "atlassian.toml"),
];

/// The names of the embedded files, so a test can check that none under `data/` is left out.
pub fn embedded_file_names() -> (Vec<&'static str>, Vec<&'static str>) {
    (
        IDP_FILES.iter().map(|(name, _, _)| *name).collect(),
        SP_FILES.iter().map(|(name, _, _)| *name).collect(),
    )
}

/// A kind of change made at the identity provider. The kebab-case names are the keys of the
/// `[fix.…]` tables; they follow the variants of [`crate::idp::Fix`], plus
/// `aws-session-duration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    AddClaim,
    ClearClaimNamespace,
    PopulateSource,
    NameIdFormat,
    ReplyUrl,
    Identifier,
    SignResponse,
    SignAssertion,
    RefreshMetadata,
    AssignUser,
    Clock,
    GroupsOverage,
    AwsRole,
    AwsRoleSessionName,
    AwsSessionDuration,
}

impl FixKind {
    pub const ALL: [FixKind; 15] = [
        FixKind::AddClaim,
        FixKind::ClearClaimNamespace,
        FixKind::PopulateSource,
        FixKind::NameIdFormat,
        FixKind::ReplyUrl,
        FixKind::Identifier,
        FixKind::SignResponse,
        FixKind::SignAssertion,
        FixKind::RefreshMetadata,
        FixKind::AssignUser,
        FixKind::Clock,
        FixKind::GroupsOverage,
        FixKind::AwsRole,
        FixKind::AwsRoleSessionName,
        FixKind::AwsSessionDuration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::AddClaim => "add-claim",
            FixKind::ClearClaimNamespace => "clear-claim-namespace",
            FixKind::PopulateSource => "populate-source",
            FixKind::NameIdFormat => "name-id-format",
            FixKind::ReplyUrl => "reply-url",
            FixKind::Identifier => "identifier",
            FixKind::SignResponse => "sign-response",
            FixKind::SignAssertion => "sign-assertion",
            FixKind::RefreshMetadata => "refresh-metadata",
            FixKind::AssignUser => "assign-user",
            FixKind::Clock => "clock",
            FixKind::GroupsOverage => "groups-overage",
            FixKind::AwsRole => "aws-role",
            FixKind::AwsRoleSessionName => "aws-role-session-name",
            FixKind::AwsSessionDuration => "aws-session-duration",
        }
    }

    /// The placeholders a text of this kind may use. `{source}` is an Entra ID source-attribute
    /// name (such as `user.mail`) and is therefore only offered to Entra ID's texts.
    pub fn placeholders(self, idp_id: &str) -> &'static [&'static str] {
        let entra = idp_id == ENTRA_ID;
        match (self, entra) {
            (FixKind::AddClaim, true) => &["name", "source"],
            (FixKind::AddClaim, false) => &["name"],
            (FixKind::NameIdFormat, true) => &["format", "source"],
            (FixKind::NameIdFormat, false) => &["format"],
            (FixKind::PopulateSource, true) => &["claim", "source"],
            (FixKind::PopulateSource, false) => &["claim"],
            (FixKind::ClearClaimNamespace, _) => &["name"],
            (FixKind::ReplyUrl, _) => &["url"],
            (FixKind::Identifier, _) => &["entity_id"],
            _ => &[],
        }
    }
}

impl fmt::Display for FixKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The id of the one identity provider whose source-attribute names samlkit's rules carry.
pub const ENTRA_ID: &str = "entra-id";

/// A fix text with the page it was learned from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedText {
    pub text: String,
    pub source: String,
    /// Further pages behind the same text (for example the AWS page giving the value's format).
    pub see_also: Vec<String>,
    /// Why the text reads as it does: a correction of an earlier text, or a caveat.
    pub note: Option<String>,
}

/// One identity provider × fix kind cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixCell {
    /// The IdP's own console path and fields.
    Console(CitedText),
    /// No vendor page was found to cite: the neutral text is used, and `reason` says why.
    Neutral { reason: String },
}

/// A documented fact about what the IdP sends (Issuer form, default NameID format, attribute
/// naming, signing defaults, where its metadata is published).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub fact: String,
    pub source: String,
}

/// One identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpEntry {
    /// Stable kebab-case id (as in JSON output and `--idp`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Words that name this IdP's console; no other IdP's text may contain them.
    pub console_terms: Vec<String>,
    pub detect: DetectPatterns,
    pub facts: Vec<Fact>,
    pub fixes: BTreeMap<FixKind, FixCell>,
}

impl IdpEntry {
    /// The cell for a fix kind (every kind has one once the data has loaded).
    pub fn cell(&self, kind: FixKind) -> Option<&FixCell> {
        self.fixes.get(&kind)
    }
}

/// How a service provider wants the response signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigningRequirement {
    /// The Response element itself must be signed.
    Response,
    /// The Assertion must carry its own signature.
    Assertion,
    /// Either a signed Response or a signed Assertion.
    Either,
}

/// What an attribute value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueKind {
    NonEmpty,
    Email,
    /// `role-arn,provider-arn` in either order.
    AwsRolePair,
    /// 2–64 of letters, digits and `_+=,.@-`.
    AwsRoleSessionName,
    /// Seconds from 900 to 43200.
    AwsSessionDuration,
}

impl ValueKind {
    /// The value's shape in words.
    pub fn describe(self) -> &'static str {
        match self {
            ValueKind::NonEmpty => "a non-empty value",
            ValueKind::Email => "an e-mail address",
            ValueKind::AwsRolePair => {
                "role ARN and SAML provider ARN, comma-separated, in either order"
            }
            ValueKind::AwsRoleSessionName => "2 to 64 of letters, digits and `_+=,.@-`",
            ValueKind::AwsSessionDuration => "seconds from 900 to 43200",
        }
    }
}

/// An attribute a service provider reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeRequirement {
    pub name: String,
    pub required: bool,
    pub value: ValueKind,
    pub source: String,
}

/// What a service provider requires from a response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpRequirements {
    /// NameID formats accepted (empty: any).
    #[serde(default)]
    pub name_id_formats: Vec<String>,
    /// NameID formats refused even though the list above is empty.
    #[serde(default)]
    pub name_id_formats_refused: Vec<String>,
    /// Whether the NameID value must be the user's e-mail address.
    #[serde(default)]
    pub name_id_is_email: bool,
    pub signing: SigningRequirement,
    /// Audiences used when the user gives no SP entity ID.
    #[serde(default)]
    pub audiences: Vec<String>,
    /// Suffixes every ACS / Recipient URL of this SP ends with.
    #[serde(default)]
    pub acs_suffixes: Vec<String>,
    #[serde(default)]
    pub attributes: Vec<AttributeRequirement>,
    pub source: String,
}

/// Something shown to the user by the service provider, and what causes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorWords {
    pub words: String,
    pub cause: String,
    pub source: String,
}

/// A change made at the service provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpFixKind {
    /// Where the SP shows its entity ID (to copy to the IdP).
    EntityId,
    /// Where the SP shows its ACS URL (to copy to the IdP).
    AcsUrl,
    /// Where the SP holds the IdP's metadata or certificate (after a rotation).
    IdpMetadata,
    /// The SP field naming the attribute it reads the user from.
    UserIdAttribute,
    /// How a sign-in must be started at this SP.
    StartSignIn,
    /// The IAM role trust for SAML federation.
    RoleTrust,
    /// The IAM role's maximum session duration.
    MaxSessionDuration,
    /// Where the user must already exist at the SP.
    UserProvisioning,
}

impl SpFixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpFixKind::EntityId => "entity-id",
            SpFixKind::AcsUrl => "acs-url",
            SpFixKind::IdpMetadata => "idp-metadata",
            SpFixKind::UserIdAttribute => "user-id-attribute",
            SpFixKind::StartSignIn => "start-sign-in",
            SpFixKind::RoleTrust => "role-trust",
            SpFixKind::MaxSessionDuration => "max-session-duration",
            SpFixKind::UserProvisioning => "user-provisioning",
        }
    }
}

/// One service provider profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpEntry {
    /// The profile name (`--profile`).
    pub profile: String,
    pub name: String,
    pub requirements: SpRequirements,
    pub errors: Vec<ErrorWords>,
    pub fixes: BTreeMap<SpFixKind, CitedText>,
    pub facts: Vec<Fact>,
}

/// Everything under `data/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleData {
    pub idps: Vec<IdpEntry>,
    pub sps: Vec<SpEntry>,
    pub neutral: BTreeMap<FixKind, CitedText>,
}

impl ConsoleData {
    pub fn idp(&self, id: &str) -> Option<&IdpEntry> {
        self.idps.iter().find(|idp| idp.id == id)
    }

    pub fn sp(&self, profile: &str) -> Option<&SpEntry> {
        self.sps.iter().find(|sp| sp.profile == profile)
    }

    /// The identity provider an Issuer or entityID belongs to, and the pattern that said so.
    pub fn detect_issuer(&self, issuer: &str) -> Option<(&IdpEntry, DetectedFrom)> {
        self.idps
            .iter()
            .find_map(|idp| idp.detect.match_issuer(issuer).map(|from| (idp, from)))
    }

    /// The text for a fix at an identity provider with its placeholders filled in: the IdP's
    /// own text, or the neutral one when its cell is neutral (or the IdP is unknown).
    pub fn fix_text(
        &self,
        idp_id: Option<&str>,
        kind: FixKind,
        values: &[(&str, &str)],
    ) -> Option<String> {
        let cell = idp_id
            .and_then(|id| self.idp(id))
            .and_then(|idp| idp.cell(kind));
        let template = match cell {
            Some(FixCell::Console(cited)) => &cited.text,
            _ => &self.neutral.get(&kind)?.text,
        };
        fill(template, values).ok()
    }
}

/// Why the embedded data could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleDataError {
    /// The file under `data/`.
    pub file: String,
    pub message: String,
}

impl fmt::Display for ConsoleDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "data/{}: {}", self.file, self.message)
    }
}

impl std::error::Error for ConsoleDataError {}

/// The embedded data, parsed and validated once.
pub fn console_data() -> Result<&'static ConsoleData, &'static ConsoleDataError> {
    static DATA: OnceLock<Result<ConsoleData, ConsoleDataError>> = OnceLock::new();
    DATA.get_or_init(load_embedded).as_ref()
}

fn load_embedded() -> Result<ConsoleData, ConsoleDataError> {
    let neutral = read_neutral(Text::embedded(NEUTRAL_FILE))?;
    let idps = IDP_FILES
        .iter()
        .map(|&file| read_idp(Text::embedded(file)))
        .collect::<Result<Vec<_>, _>>()?;
    let sps = SP_FILES
        .iter()
        .map(|&file| read_sp(Text::embedded(file)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ConsoleData { idps, sps, neutral })
}

/// A data file to read: TOML, and for the embedded files the JSON made of it at build time.
#[derive(Clone, Copy)]
struct Text<'a> {
    file: &'a str,
    toml: &'a str,
    json: Option<&'a str>,
}

impl<'a> Text<'a> {
    fn toml(file: &'a str, toml: &'a str) -> Text<'a> {
        Text {
            file,
            toml,
            json: None,
        }
    }

    fn embedded((file, toml, json): Embedded) -> Text<'static> {
        Text {
            file,
            toml,
            json: Some(json),
        }
    }

    /// The file's tables as `T`: from the JSON when there is one and it fits, otherwise from
    /// the TOML, whose error names the line in the file a person edits.
    fn read<T: for<'de> Deserialize<'de>>(self) -> Result<T, ConsoleDataError> {
        if let Some(Ok(value)) = self.json.map(serde_json::from_str) {
            return Ok(value);
        }
        toml::from_str(self.toml)
            .map_err(|e| error(self.file, e.to_string().trim_end().to_string()))
    }
}

fn error(file: &str, message: impl Into<String>) -> ConsoleDataError {
    ConsoleDataError {
        file: file.to_string(),
        message: message.into(),
    }
}

/// A `[fix.KIND]` table as written: either `text` + `source`, or `neutral = true` + `reason`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCell {
    text: Option<String>,
    source: Option<String>,
    #[serde(default)]
    see_also: Vec<String>,
    note: Option<String>,
    #[serde(default)]
    neutral: bool,
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIdp {
    id: String,
    name: String,
    console_terms: Vec<String>,
    detect: DetectPatterns,
    #[serde(default)]
    facts: Vec<Fact>,
    fix: BTreeMap<FixKind, RawCell>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNeutral {
    fix: BTreeMap<FixKind, RawCell>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSp {
    profile: String,
    name: String,
    requirements: SpRequirements,
    #[serde(default)]
    errors: Vec<ErrorWords>,
    #[serde(default)]
    fix: BTreeMap<SpFixKind, RawCell>,
    #[serde(default)]
    facts: Vec<Fact>,
}

/// Checks that every source named is an https:// URL.
fn check_sources<'a>(
    file: &str,
    what: &str,
    urls: impl IntoIterator<Item = &'a String>,
) -> Result<(), ConsoleDataError> {
    match urls.into_iter().find(|url| !url.starts_with("https://")) {
        Some(url) => Err(error(
            file,
            format!("{what}: source `{url}` is not an https:// URL"),
        )),
        None => Ok(()),
    }
}

/// Checks a cited text: a source URL and only the placeholders allowed.
fn cited(
    file: &str,
    key: &str,
    raw: RawCell,
    allowed: &[&str],
) -> Result<CitedText, ConsoleDataError> {
    let text = raw.text.ok_or_else(|| {
        error(
            file,
            format!("[fix.{key}] has neither `text` nor `neutral = true`"),
        )
    })?;
    let source = raw
        .source
        .ok_or_else(|| error(file, format!("[fix.{key}] has a text but no `source`")))?;
    check_sources(
        file,
        &format!("[fix.{key}]"),
        std::iter::once(&source).chain(&raw.see_also),
    )?;
    for name in placeholders(&text).map_err(|m| error(file, format!("[fix.{key}] {m}")))? {
        if !allowed.contains(&name) {
            return Err(error(
                file,
                format!("[fix.{key}] uses placeholder {{{name}}}; allowed here: {allowed:?}"),
            ));
        }
    }
    if raw.neutral || raw.reason.is_some() {
        return Err(error(
            file,
            format!("[fix.{key}] has a text and is also marked neutral"),
        ));
    }
    Ok(CitedText {
        text,
        source,
        see_also: raw.see_also,
        note: raw.note,
    })
}

fn read_neutral(text: Text<'_>) -> Result<BTreeMap<FixKind, CitedText>, ConsoleDataError> {
    let file = text.file;
    let raw: RawNeutral = text.read()?;
    let mut neutral = BTreeMap::new();
    for (kind, cell) in raw.fix {
        // Neutral texts go to every IdP, so they get the non-Entra placeholders.
        let allowed = kind.placeholders("");
        neutral.insert(kind, cited(file, kind.as_str(), cell, allowed)?);
    }
    if let Some(missing) = FixKind::ALL.iter().find(|k| !neutral.contains_key(k)) {
        return Err(error(file, format!("no neutral text for [fix.{missing}]")));
    }
    Ok(neutral)
}

/// Parses and validates one identity provider's file.
pub fn parse_idp(file: &str, text: &str) -> Result<IdpEntry, ConsoleDataError> {
    read_idp(Text::toml(file, text))
}

fn read_idp(text: Text<'_>) -> Result<IdpEntry, ConsoleDataError> {
    let file = text.file;
    let raw: RawIdp = text.read()?;
    if raw.console_terms.is_empty() {
        return Err(error(file, "`console_terms` is empty"));
    }
    check_sources(file, "[[facts]]", raw.facts.iter().map(|f| &f.source))?;
    let mut fixes = BTreeMap::new();
    for (kind, cell) in raw.fix {
        let value = if cell.neutral {
            if cell.text.is_some() || cell.source.is_some() {
                return Err(error(
                    file,
                    format!("[fix.{kind}] is marked neutral but also has a text or source"),
                ));
            }
            let reason = cell.reason.ok_or_else(|| {
                error(file, format!("[fix.{kind}] is neutral without a `reason`"))
            })?;
            FixCell::Neutral { reason }
        } else {
            FixCell::Console(cited(
                file,
                kind.as_str(),
                cell,
                kind.placeholders(&raw.id),
            )?)
        };
        fixes.insert(kind, value);
    }
    if let Some(missing) = FixKind::ALL.iter().find(|k| !fixes.contains_key(k)) {
        return Err(error(
            file,
            format!("no [fix.{missing}]: give a text with its source, or `neutral = true` with a reason"),
        ));
    }
    Ok(IdpEntry {
        id: raw.id,
        name: raw.name,
        console_terms: raw.console_terms,
        detect: raw.detect,
        facts: raw.facts,
        fixes,
    })
}

/// Parses and validates one service provider's file (also the shape of a user's own profile).
pub fn parse_sp(file: &str, text: &str) -> Result<SpEntry, ConsoleDataError> {
    read_sp(Text::toml(file, text))
}

fn read_sp(text: Text<'_>) -> Result<SpEntry, ConsoleDataError> {
    let file = text.file;
    let raw: RawSp = text.read()?;
    check_sources(file, "[requirements]", [&raw.requirements.source])?;
    check_sources(
        file,
        "[[requirements.attributes]]",
        raw.requirements.attributes.iter().map(|a| &a.source),
    )?;
    check_sources(file, "[[errors]]", raw.errors.iter().map(|e| &e.source))?;
    check_sources(file, "[[facts]]", raw.facts.iter().map(|f| &f.source))?;
    let mut fixes = BTreeMap::new();
    for (kind, cell) in raw.fix {
        fixes.insert(kind, cited(file, kind.as_str(), cell, &[])?);
    }
    Ok(SpEntry {
        profile: raw.profile,
        name: raw.name,
        requirements: raw.requirements,
        errors: raw.errors,
        fixes,
        facts: raw.facts,
    })
}

/// A service-provider profile as a file of the shape [`parse_sp`] reads (what
/// `samlkit profiles --show NAME` prints, and `--profile-file` takes back).
pub fn sp_to_toml(entry: &SpEntry) -> Result<String, String> {
    #[derive(Serialize)]
    struct FixOut<'a> {
        text: &'a str,
        source: &'a str,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        see_also: &'a [String],
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct SpFile<'a> {
        profile: &'a str,
        name: &'a str,
        requirements: &'a SpRequirements,
        errors: &'a [ErrorWords],
        fix: BTreeMap<&'static str, FixOut<'a>>,
        facts: &'a [Fact],
    }
    let fix = entry
        .fixes
        .iter()
        .map(|(kind, cited)| {
            let out = FixOut {
                text: &cited.text,
                source: &cited.source,
                see_also: &cited.see_also,
                note: cited.note.as_deref(),
            };
            (kind.as_str(), out)
        })
        .collect();
    let file = SpFile {
        profile: &entry.profile,
        name: &entry.name,
        requirements: &entry.requirements,
        errors: &entry.errors,
        fix,
        facts: &entry.facts,
    };
    toml::to_string(&file).map_err(|e| e.to_string())
}

/// The placeholder names in a template. `{{` and `}}` stand for literal braces.
pub fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        let (brace, after) = (rest.as_bytes()[i], &rest[i + 1..]);
        if after.as_bytes().first() == Some(&brace) {
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err(format!(
                "has a lone `}}` (write `}}}}` for a brace): …{}",
                &rest[i..]
            ));
        }
        let end = after
            .find('}')
            .ok_or_else(|| format!("has an unclosed `{{`: …{}", &rest[i..]))?;
        let name = &after[..end];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(format!(
                "has `{{{name}}}`, not a placeholder (write `{{{{` for a brace)"
            ));
        }
        names.push(name);
        rest = &after[end + 1..];
    }
    Ok(names)
}

/// Fills a template's placeholders from `values`; a placeholder without a value is an error.
pub fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let (brace, after) = (rest.as_bytes()[i], &rest[i + 1..]);
        if after.as_bytes().first() == Some(&brace) {
            out.push(brace as char);
            rest = &after[1..];
            continue;
        }
        let end = after
            .find('}')
            .filter(|_| brace == b'{')
            .ok_or_else(|| format!("malformed template near …{}", &rest[i..]))?;
        let name = &after[..end];
        let value = values
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| *value)
            .ok_or_else(|| format!("no value for {{{name}}}"))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_placeholders_and_keep_literal_braces() {
        let filled = fill("Name `{name}`, JSON {{\"a\": 1}}", &[("name", "Email")]);
        assert_eq!(filled.as_deref(), Ok("Name `Email`, JSON {\"a\": 1}"));
        assert_eq!(placeholders("{name} and {url}"), Ok(vec!["name", "url"]));
        assert!(placeholders("{\"signResponse\": true}").is_err());
        assert!(fill("{name}", &[]).is_err());
    }

    /// The JSON made at build time is what the embedded files are read from (a JSON the
    /// types refuse would fall back to the slow TOML without a word), and it reads as the TOML.
    #[test]
    fn every_embedded_file_reads_the_same_from_its_json() {
        let (file, toml, json) = NEUTRAL_FILE;
        serde_json::from_str::<RawNeutral>(json).expect(file);
        assert_eq!(
            read_neutral(Text::embedded(NEUTRAL_FILE)),
            read_neutral(Text::toml(file, toml))
        );
        for &(file, toml, json) in IDP_FILES {
            serde_json::from_str::<RawIdp>(json).expect(file);
            let from_json = read_idp(Text::embedded((file, toml, json)));
            assert_eq!(from_json, parse_idp(file, toml), "{file}");
            assert!(from_json.is_ok(), "{file}");
        }
        for &(file, toml, json) in SP_FILES {
            serde_json::from_str::<RawSp>(json).expect(file);
            let from_json = read_sp(Text::embedded((file, toml, json)));
            assert_eq!(from_json, parse_sp(file, toml), "{file}");
            assert!(from_json.is_ok(), "{file}");
        }
    }
}
