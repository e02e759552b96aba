//! samlkit-lint: the fourth step of samlkit's flow (decode → parse → verify → **lint** →
//! render), and the one call that runs the whole flow on a captured message: [`explain()`].
//!
//! [`explain()`] takes a message decoded by `samlkit-parse` and a [`Setup`] (the trust, what
//! the service provider expects, the instant to judge at, the SP's decryption keys) and
//! returns the [`Report`]: it parses the message, decrypts and re-parses what the keys can,
//! verifies every signature with `samlkit-verify`, lints the claims and checks the binding.
//! Replay spans messages: pass each report to one [`ReplayTracker`] in input order.
//!
//! A front end that was given no profile sets [`Setup::profile_source`] to
//! [`ProfileSource::Default`], and [`explain()`] recognises the service provider from the
//! message's URLs ([`profile_detect`]); one that has only the system clock sets
//! [`Setup::clock_source`] to [`ClockSource::System`], and a capture is judged at the time it
//! was recorded, an old paste at its IssueInstant. The report says which profile and instant it
//! used, and its verdict is `unverified` when nothing fails but no trusted key was given.
//!
//! ```
//! use samlkit_lint::{LintOptions, Profile, Setup, Verdict};
//! use samlkit_parse::decode::decode_input;
//! use samlkit_parse::time::Instant;
//! use samlkit_parse::{parse_xml, Limits};
//! use samlkit_verify::trust::TrustStore;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
//! // Trust the identity provider's signing keys, from its metadata.
//! let metadata = std::fs::read_to_string(format!("{samples}/entra-federation-metadata.xml"))?;
//! let mut trust = TrustStore::new();
//! trust.add_idp_metadata_document(&parse_xml(&metadata, &Limits::default())?)?;
//!
//! // What the service provider expects, and the instant to judge at.
//! let mut options = LintOptions::new(Instant::parse("2026-11-28T09:05:00Z")?);
//! options.profile = Profile::AmazonQBusiness;
//! options.sp_entity_id = Some("https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml".into());
//! let setup = Setup::new(trust, options);
//!
//! // A captured SAMLResponse (base64, a form body, a URL, a HAR, …), decoded and judged.
//! let captured = std::fs::read(format!("{samples}/entra-response.b64"))?;
//! for message in decode_input(&captured, None, &Limits::default())? {
//!     let report = samlkit_lint::explain(&message, &setup)?.report;
//!     assert_eq!(report.verdict, Verdict::Pass);
//!     for finding in &report.findings {
//!         println!("{}[{}]: {}", finding.severity.as_str(), finding.code, finding.message);
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The lint itself reads the typed views from `samlkit-parse` together with the verification
//! report from `samlkit-verify` and what the service provider expects ([`LintOptions`]:
//! profile, entity ID, ACS URL, request ID, the instant to judge at and the clock skew
//! allowed), and produces [`Finding`]s with stable, typed codes ([`Code`]: a linter
//! [`Rule`], a verifier code or a federation rule; all listed in [`catalogue`]) — each
//! saying what was expected, what was found, where, and what to change in which console for
//! the detected identity provider ([`idp`]) — and a verdict. Whether the claims count is
//! decided by the verifier: an assertion that no verified signature covers fails with
//! `signature/claims-not-verified`, whatever else it says — except when no trusted key was
//! given at all, which `signature/no-trust-configured` alone reports (verdict `unverified`).
//!
//! Metadata is linted by [`metadata`]; a caller that judges some rules differently (the CI
//! gate failing on expiring certificates) passes a [`Policy`]. [`summary`] is the model of
//! `samlkit inspect` (what a message says, without judging it). Service-provider requirements
//! live in [`profile`]; attribute-name near misses ("did you mean") in [`claims`]; Entra ID
//! error codes in [`aadsts`]. Federation rule sets for aggregates (eduGAIN, ukf-meta, saml2int,
//! SIRTFI, R&S, InCommon, key strength) live in [`federation`]; the cited identity-provider
//! consoles and service-provider settings in [`console_data`]. [`diff`] compares two messages
//! (a sign-in that works and one that fails) or two metadata documents by meaning.

pub mod aadsts;
pub mod catalogue;
mod check;
pub mod claims;
pub mod code;
pub mod console_data;
pub mod diff;
pub mod explain;
pub mod federation;
pub mod idp;
pub mod metadata;
pub mod policy;
pub mod profile;
pub mod profile_detect;
pub mod report;
pub mod rules;
pub mod summary;
pub mod uri;
pub mod values;

pub use check::{
    lint_authn_request, lint_response, LintOptions, DEFAULT_CLOCK_SKEW_SECONDS,
    DEFAULT_MAX_ISSUE_AGE_SECONDS,
};
pub use code::Code;
pub use explain::{explain, ExplainError, Explained, ReplayInput, ReplayTracker, Setup};
pub use policy::Policy;
pub use profile::Profile;
pub use report::{ClockSource, Finding, ProfileSource, Report, Verdict};
pub use rules::{Rule, Severity};
