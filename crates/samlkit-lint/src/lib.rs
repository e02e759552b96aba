//! samlkit-lint: the fourth step of samlkit's flow (decode → parse → verify → **lint** →
//! render).
//!
//! It reads the typed views from `samlkit-parse` together with the verification report from
//! `samlkit-verify` and what the service provider expects ([`LintOptions`]: profile, entity ID,
//! ACS URL, request ID, the instant to judge at and the clock skew allowed), and produces
//! [`Finding`]s with stable codes ([`rules`], [`catalogue`]) — each saying what was expected,
//! what was found, where, and what to change in which console for the detected identity
//! provider ([`idp`]) — and a verdict. Whether the claims count is decided by the verifier: an
//! assertion that no verified signature covers fails with `signature/claims-not-verified`,
//! whatever else it says.
//!
//! Federation rule sets (eduGAIN, ukf-meta, saml2int, SIRTFI, R&S, InCommon, key strength)
//! for aggregates live in [`federation`]. Service-provider requirements live in [`profile`]; attribute-name near misses ("did you
//! mean") in [`claims`]; Entra ID error codes in [`aadsts`].

pub mod aadsts;
pub mod catalogue;
mod check;
pub mod claims;
pub mod federation;
pub mod idp;
pub mod metadata;
pub mod profile;
pub mod report;
pub mod rules;

pub use check::{
    lint_authn_request, lint_response, replayed_assertion, LintOptions, DEFAULT_CLOCK_SKEW_SECONDS,
    DEFAULT_MAX_ISSUE_AGE_SECONDS,
};
pub use profile::Profile;
pub use report::{Finding, Report, Verdict};
pub use rules::{Rule, Severity};
