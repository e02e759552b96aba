//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "samlkit",
    version = crate::version::version_line(),
    about = "Explains, in plain words, why a SAML sign-in fails — offline",
    long_about = "samlkit reads captured SAML messages (raw XML, base64, form bodies, HTTP-Redirect \
URLs, HAR captures, SAML-tracer exports) and federation metadata, verifies signatures against the \
keys you trust, and says what is wrong, where, and what to change.\n\nExit codes: 0 = fine, \
1 = problems found (or not verified), 2 = an input could not be read or a usage error."
)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the decoded XML of each message, pretty-printed (or exactly as decoded with --raw).
    Decode(DecodeArgs),
    /// Summarise each message: who, for whom, until when, which claims, signed where.
    Inspect(InspectArgs),
    /// Verify the XML signatures (and HTTP-Redirect signatures) against the keys you trust.
    Verify(VerifyArgs),
    /// Explain why sign-in fails: verify, then check the claims against what the service
    /// provider needs.
    Explain(ExplainArgs),
    /// Lint IdP and SP metadata files: structure, endpoints, keys and certificates, validity,
    /// the metadata's own signature, encoding.
    Metadata(MetadataArgs),
    /// The pre-deployment gate for CI: check the IdP and SP metadata, the SP's settings and
    /// captured sample responses against each other (settings from samlkit.toml).
    Check(CheckArgs),
    /// List the service-provider profiles and what each checks (or print one as a profile file).
    Profiles(ProfilesArgs),
    /// List every finding code with its meaning (or one code in full).
    Rules(RulesArgs),
    /// Serve a private page on this machine (127.0.0.1) to paste a capture into and read the
    /// explanation beside the decoded XML; compares two captures too.
    Serve(ServeArgs),
    /// What changed between a sign-in that works (A) and one that fails (B), and which change
    /// explains the failure; also compares two metadata documents.
    Diff(DiffArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions(crate::completions::CompletionsArgs),
    /// Print the manual page (roff) of samlkit or of one command: `samlkit man explain | man -l -`.
    Man(crate::man::ManArgs),
    /// Print the version, with the git commit and build date when built from a checkout.
    Version,
}

#[derive(Args, Debug)]
pub struct ProfilesArgs {
    /// Print this profile as a profile file (TOML), a starting point for `--profile-file`.
    #[arg(long, value_name = "NAME")]
    pub show: Option<String>,
}

/// Where trust comes from: only from what the user gives.
#[derive(Args, Debug, Clone, Default)]
pub struct TrustArgs {
    /// IdP metadata: every signing key in it is trusted (key rollover included).
    #[arg(long, value_name = "FILE")]
    pub idp_metadata: Option<PathBuf>,
    /// A trusted IdP certificate (PEM, DER or base64); repeat for several.
    #[arg(long, value_name = "FILE")]
    pub idp_cert: Vec<PathBuf>,
    /// A trusted certificate's SHA-256 fingerprint (hex, colons optional); repeat for several.
    #[arg(long, value_name = "SHA256")]
    pub idp_fingerprint: Vec<String>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Output format: readable text, or JSON Lines (one object per message).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Judge certificate validity at this instant (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<samlkit_parse::time::Instant>,
    /// Also verify with libxmlsec1 and report any disagreement (needs the `xmlsec` build feature).
    #[arg(long)]
    pub cross_check: bool,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub trust: TrustArgs,
    #[command(flatten)]
    pub sp: SpArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Replace NameID, e-mail and attribute values with stable short hashes.
    #[arg(long)]
    pub redact: bool,
}

/// What the service provider expects, how to judge time, and the settings file: the same flags
/// for explain, diff and the local page.
#[derive(Args, Debug, Clone, Default)]
pub struct SpArgs {
    /// The service provider's entity ID (the Identifier / Audience configured at the IdP).
    #[arg(long, value_name = "ID")]
    pub sp_entity_id: Option<String>,
    /// The service provider's Assertion Consumer Service URL (the Reply URL at the IdP).
    #[arg(long, value_name = "URL")]
    pub acs_url: Option<String>,
    /// The ID of the AuthnRequest this Response answers.
    #[arg(long, value_name = "ID")]
    pub request_id: Option<String>,
    /// What the service provider needs (see `samlkit profiles`). Default: detected from the
    /// message, else generic.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// A service-provider profile of your own, as printed by `samlkit profiles --show NAME`.
    #[arg(long, value_name = "FILE")]
    pub profile_file: Option<PathBuf>,
    /// The attribute the service provider reads the user from (amazon-q-business: Email).
    #[arg(long, value_name = "NAME")]
    pub user_id_attribute: Option<String>,
    /// The identity provider whose console the fixes name (okta, adfs, entra-id, keycloak, …;
    /// as listed in docs/idp-fixes.md), instead of detecting it from the message.
    #[arg(long, value_name = "NAME")]
    pub idp: Option<String>,
    /// Judge time at this instant (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<samlkit_parse::time::Instant>,
    /// Clock difference allowed when judging validity windows, in seconds (default 180).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub clock_skew: Option<i64>,
    /// Settings file (default: samlkit.toml in the working directory, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port to listen on (default: any free port).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,
    /// Open the page in the desktop's browser.
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
    #[command(flatten)]
    pub sp: SpArgs,
    /// The service provider's private key (PEM or PKCS#8), to decrypt encrypted assertions;
    /// repeat for several.
    #[arg(long, value_name = "FILE")]
    pub sp_key: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The message that works (any input `explain` takes).
    #[arg(value_name = "A")]
    pub a: String,
    /// The message that fails.
    #[arg(value_name = "B")]
    pub b: Option<String>,
    /// Compare messages N and M (1-based) of the one input A, e.g. two sign-ins in a HAR.
    #[arg(long, value_name = "N,M")]
    pub pick: Option<String>,
    #[command(flatten)]
    pub trust: TrustArgs,
    #[command(flatten)]
    pub sp: SpArgs,
    /// The service provider's private key (PEM or PKCS#8), to decrypt encrypted assertions;
    /// repeat for several.
    #[arg(long, value_name = "FILE")]
    pub sp_key: Vec<PathBuf>,
    /// Output format: text or JSON.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Replace NameID and attribute values with stable short hashes.
    #[arg(long)]
    pub redact: bool,
}

#[derive(Args, Debug)]
pub struct MetadataArgs {
    /// Metadata files (IdP or SP metadata, or a federation aggregate).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Certificate that signs the metadata (PEM, DER or base64); repeat for several. With it,
    /// the metadata's own signature is verified and a missing one is an error.
    #[arg(long, value_name = "FILE")]
    pub cert: Vec<PathBuf>,
    /// SHA-256 fingerprint of the certificate that signs the metadata; repeat for several.
    #[arg(long, value_name = "SHA256")]
    pub fingerprint: Vec<String>,
    /// Judge validity at this instant (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<samlkit_parse::time::Instant>,
    /// Report certificates that expire within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub warn_days: i64,
    /// Service provider the metadata is for (amazon-q-business adds the metadataXML length
    /// check). Default: generic.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Output format: text, JSON Lines (one object per file; with --rules or --entity one per
    /// entity) or SARIF.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Rule sets to apply: enterprise (the default), edugain, ukf, saml2int, sirtfi, rands,
    /// incommon, keys, or all; repeat for several. See `samlkit rules`.
    #[arg(long = "rules", value_name = "NAME")]
    pub rules: Vec<String>,
    /// Lint only the entity with this entityID (in an aggregate).
    #[arg(long, value_name = "ID")]
    pub entity: Option<String>,
    /// registrationAuthority values the feed may carry (edugain rules); repeat for several.
    #[arg(long, value_name = "URI")]
    pub registration_authority: Vec<String>,
    /// The aggregate's validUntil must lie MIN to MAX days after its creationInstant (edugain
    /// rules; eduGAIN's window, the default, is 5-28).
    #[arg(long, value_name = "MIN-MAX")]
    pub validity_window: Option<String>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Settings file (default: samlkit.toml in the working directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Judge at this instant (RFC 3339) instead of [check] now or the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<samlkit_parse::time::Instant>,
    /// Output format: text, JSON Lines (one object per checked part, then a summary) or SARIF.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Show one code in full.
    pub code: Option<String>,
    /// Print the catalogue as Markdown (what `docs/rules.md` holds).
    #[arg(long)]
    pub markdown: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Files to read; `-` or nothing reads standard input. Each may hold raw XML, base64,
    /// a form body, a URL or query string, a HAR capture, a SAML-tracer export or the IdP's
    /// auto-submit HTML page.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Read every input as this form instead of detecting it: xml, base64, base64-deflate,
    /// url-encoded-base64, form-body, redirect-url, har, saml-tracer or html-form.
    #[arg(long, value_name = "FORM", value_parser = parse_input_form)]
    pub input_format: Option<samlkit_parse::decode::InputForm>,
    /// Refuse messages of any other kind (exit 2), e.g. `--expect response`.
    #[arg(long, value_enum, value_name = "KIND")]
    pub expect: Option<ExpectedKind>,
    /// The service provider's private key (PEM or PKCS#8), to decrypt encrypted assertions,
    /// NameIDs and attributes; repeat for several.
    #[arg(long, value_name = "FILE")]
    pub sp_key: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DecodeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the decoded bytes exactly as they were, without pretty-printing.
    #[arg(long)]
    pub raw: bool,
    /// Write the XML as --raw does, each line numbered in a gutter: the lines and columns
    /// that `samlkit explain` findings point at (with --decrypt, of the decrypted XML, as
    /// explain with --sp-key points into it).
    #[arg(long)]
    pub line_numbers: bool,
    /// Decrypt encrypted assertions (and NameIDs, attributes) with --sp-key and write the
    /// result.
    #[arg(long)]
    pub decrypt: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: readable text, or JSON Lines (one object per message).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Judge validity windows at this instant (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<samlkit_parse::time::Instant>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedKind {
    Response,
    Request,
    Logout,
    Metadata,
}

impl From<ExpectedKind> for samlkit_parse::model::ExpectedKind {
    fn from(kind: ExpectedKind) -> Self {
        match kind {
            ExpectedKind::Response => samlkit_parse::model::ExpectedKind::Response,
            ExpectedKind::Request => samlkit_parse::model::ExpectedKind::Request,
            ExpectedKind::Logout => samlkit_parse::model::ExpectedKind::Logout,
            ExpectedKind::Metadata => samlkit_parse::model::ExpectedKind::Metadata,
        }
    }
}

fn parse_input_form(text: &str) -> Result<samlkit_parse::decode::InputForm, String> {
    samlkit_parse::decode::InputForm::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = samlkit_parse::decode::InputForm::ALL
            .iter()
            .map(|f| f.name())
            .collect();
        format!("unknown input form '{text}'; one of: {}", names.join(", "))
    })
}

pub fn parse_instant(text: &str) -> Result<samlkit_parse::time::Instant, String> {
    samlkit_parse::time::Instant::parse(text).map_err(|e| e.to_string())
}
