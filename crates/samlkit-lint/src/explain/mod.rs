//! The whole flow for one captured message, as one call: [`explain`] parses it, decrypts what
//! the service provider's keys can and parses the result, verifies every signature, lints the
//! claims, checks the binding (the HTTP-Redirect or SimpleSign signature, a Response sent in a
//! URL) and, for `samlkit check`, compares the signing certificates with the IdP metadata's.
//! Replay spans messages: a [`ReplayTracker`] passed across a run's inputs in order judges it.
//!
//! Commands that need only part of the flow (showing the decrypted XML, a summary, the
//! signatures) call [`open_message`], which does "decrypt, re-parse, verify" for all of them.

mod binding;
mod decryption;
mod encoding;
mod open;
mod replay;

use std::fmt;

use samlkit_parse::decode::DecodedMessage;
use samlkit_parse::error::InputError;
use samlkit_parse::model::{is_wsfed_response, ExpectedKind, Response, SamlMessage, Spanned};
use samlkit_parse::Limits;
use samlkit_verify::dsig::VerifyOptions;
use samlkit_verify::trust::TrustStore;
use samlkit_verify::xmlenc::DecryptionKeys;

pub use binding::verify_binding_signature;
pub use open::{open_message, Opened};
pub use replay::ReplayTracker;

use crate::check::{lint_authn_request, lint_response, LintOptions};
use crate::idp::Idp;
use crate::metadata::cross_check_sample_keys;
use crate::report::Report;

/// Everything [`explain`] needs besides the message: whom to trust, what the service provider
/// expects, how large an input may be, and the keys that decrypt encrypted assertions.
pub struct Setup {
    /// The keys signatures are verified with (never a key found in the message).
    pub trust: TrustStore,
    pub options: LintOptions,
    pub limits: Limits,
    /// The service provider's private keys, for encrypted assertions, NameIDs and attributes.
    pub keys: DecryptionKeys,
    /// Refuse messages of any other kind.
    pub expect: Option<ExpectedKind>,
    /// The IdP metadata's signing keys, when the metadata was linted too: every certificate a
    /// message is signed with is looked for among them.
    pub metadata_keys: Option<MetadataKeys>,
}

impl Setup {
    /// A setup that trusts `trust`, judges with `options`, holds no decryption keys and takes
    /// any kind of message.
    pub fn new(trust: TrustStore, options: LintOptions) -> Setup {
        Setup {
            trust,
            options,
            limits: Limits::default(),
            keys: DecryptionKeys::new(),
            expect: None,
            metadata_keys: None,
        }
    }
}

/// The IdP metadata's signing certificates, as [`explain`] compares a message's with them.
#[derive(Debug, Clone)]
pub struct MetadataKeys {
    /// SHA-256 fingerprints of the signing certificates.
    pub fingerprints: Vec<String>,
    /// The identity provider the metadata was detected as, for the fix's wording.
    pub idp: Idp,
}

/// The report on one message, and the decrypted XML its findings point into when anything
/// was decrypted (otherwise they point into the message as it arrived).
#[derive(Debug, Clone)]
pub struct Explained {
    pub report: Report,
    pub decrypted_xml: Option<String>,
}

/// Why a message could not be judged at all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExplainError {
    /// The message is not well-formed XML, not SAML, or not of the expected kind.
    Unreadable(InputError),
    /// Decryption produced a document that does not parse.
    DecryptedUnreadable(InputError),
    /// The message is metadata, which the metadata rules judge rather than [`explain`].
    Metadata(InputError),
}

impl fmt::Display for ExplainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplainError::Unreadable(err) | ExplainError::Metadata(err) => err.fmt(f),
            ExplainError::DecryptedUnreadable(err) => {
                write!(f, "the decrypted document does not parse: {err}")
            }
        }
    }
}

impl std::error::Error for ExplainError {}

/// Judges one decoded message: parse → (decrypt → re-parse) → verify → lint → binding checks.
/// Replay needs the messages before this one: pass the report to a [`ReplayTracker`].
pub fn explain(decoded: &DecodedMessage, setup: &Setup) -> Result<Explained, ExplainError> {
    let verify_options = VerifyOptions {
        now: setup.options.now.unix_seconds(),
    };
    let keys = Some(&setup.keys);
    let judged = open_message(&decoded.xml, &setup.limits, keys, setup.expect, |opened| {
        judge_opened(&opened, setup, &verify_options)
    })??;
    let (mut report, decrypted_xml, is_response) = judged;
    let trust = &setup.trust;
    for finding in binding::binding_findings(decoded, is_response, trust, &verify_options) {
        report.add(finding);
    }
    if let Some(finding) = encoding::encoding_finding(decoded) {
        report.add(finding);
    }
    Ok(Explained {
        report,
        decrypted_xml,
    })
}

/// The report on an opened message, the decrypted text when anything was decrypted, and
/// whether the message is a (plain) Response.
fn judge_opened(
    opened: &Opened<'_, '_>,
    setup: &Setup,
    verify_options: &VerifyOptions,
) -> Result<(Report, Option<String>, bool), ExplainError> {
    let wsfed;
    let response = match &opened.message {
        SamlMessage::AuthnRequest(request) => {
            let report = lint_authn_request(request, &setup.options);
            return Ok((report, None, false));
        }
        // A WS-Federation sign-in response: its token is judged as a Response's assertion.
        SamlMessage::Assertion(assertion)
            if is_wsfed_response(assertion.node.document().root_element()) =>
        {
            wsfed = Response::wsfed(assertion.node.document().root_element(), assertion.clone());
            &wsfed
        }
        other => other.expect_response().map_err(|err| {
            if other.kind().is_metadata() {
                ExplainError::Metadata(err)
            } else {
                ExplainError::Unreadable(err)
            }
        })?,
    };
    let verification = opened.verify(&setup.trust, verify_options);
    let mut report = lint_response(response, &verification, &setup.options);
    if let Some(done) = opened.decryption {
        let arrived = opened.arrived.input_text();
        decryption::add_decryption_findings(&mut report, done, arrived, opened.is_decrypted());
    }
    if let Some(metadata_keys) = &setup.metadata_keys {
        let certificates: Vec<Spanned<String>> = response
            .header
            .signatures
            .iter()
            .chain(response.assertions.iter().flat_map(|a| a.signatures.iter()))
            .flat_map(|signature| signature.key_info.certificates.iter().cloned())
            .collect();
        let findings = cross_check_sample_keys(
            &certificates,
            &metadata_keys.fingerprints,
            metadata_keys.idp,
        );
        for mut finding in findings {
            if let Some(span) = &finding.span {
                finding.location = Some(samlkit_parse::xml::line_column(opened.text(), span.start));
            }
            report.add(finding);
        }
    }
    let decrypted = opened.is_decrypted().then(|| opened.text().to_string());
    let is_response = matches!(opened.message, SamlMessage::Response(_));
    Ok((report, decrypted, is_response))
}
