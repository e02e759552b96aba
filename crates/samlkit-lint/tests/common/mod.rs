//! Fixtures for the library tests: the repository's samples read and decoded, a setup that
//! trusts the Entra sample metadata, and reports as JSON for snapshots.
#![allow(dead_code)]

use std::path::PathBuf;

use samlkit_lint::explain::{Explained, Setup};
use samlkit_lint::{LintOptions, Profile, Report};
use samlkit_parse::decode::{decode_input, DecodedMessage};
use samlkit_parse::time::Instant;
use samlkit_parse::{parse_xml, Limits};
use samlkit_verify::trust::TrustStore;
use samlkit_verify::xmlenc::DecryptionKeys;

/// The instant the samples were captured at.
pub const NOW: &str = "2026-11-28T09:05:00Z";
/// Amazon Q Business's identifier and ACS URL in the samples.
pub const Q_URL: &str = "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml";
pub const METADATA: &str = "samples/entra-federation-metadata.xml";
pub const SP_KEY: &str = "crates/samlkit-verify/tests/fixtures/xmlenc/test-only-sp.key.pem";

/// A file of the repository, by its path from the repository root.
pub fn repo_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

pub fn read(relative: &str) -> Vec<u8> {
    std::fs::read(repo_file(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The one message in a file, decoded as the CLI would.
pub fn decoded(relative: &str) -> DecodedMessage {
    decoded_bytes(&read(relative))
}

pub fn decoded_bytes(bytes: &[u8]) -> DecodedMessage {
    let mut messages = decode_input(bytes, None, &Limits::default()).expect("the input decodes");
    assert_eq!(messages.len(), 1, "one message expected");
    messages.remove(0)
}

pub fn now() -> Instant {
    Instant::parse(NOW).expect("NOW is a valid instant")
}

/// Trusts the Entra sample metadata's signing keys and judges at [`NOW`] with `profile`.
pub fn setup(profile: Profile) -> Setup {
    let metadata = String::from_utf8(read(METADATA)).expect("the metadata is UTF-8");
    let doc = parse_xml(&metadata, &Limits::default()).expect("the metadata parses");
    let mut trust = TrustStore::new();
    trust
        .add_idp_metadata_document(&doc)
        .expect("the metadata has signing keys");
    let mut options = LintOptions::new(now());
    options.profile = profile;
    Setup::new(trust, options)
}

/// [`setup`] for Amazon Q Business as the samples are configured.
pub fn amazon_q() -> Setup {
    let mut setup = setup(Profile::AmazonQBusiness);
    setup.options.sp_entity_id = Some(Q_URL.into());
    setup.options.acs_url = Some(Q_URL.into());
    setup
}

/// The SP's test-only decryption key.
pub fn sp_keys() -> DecryptionKeys {
    let mut keys = DecryptionKeys::new();
    keys.add_pem(&read(SP_KEY), SP_KEY).expect("the key reads");
    keys
}

/// Explains one file; panics when it cannot be explained at all.
pub fn explain_file(relative: &str, setup: &Setup) -> Explained {
    samlkit_lint::explain(&decoded(relative), setup)
        .unwrap_or_else(|e| panic!("{relative} cannot be explained: {e}"))
}

/// The report as pretty JSON, for snapshots.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("a report serialises")
}

/// The codes of the report's findings, in order.
pub fn codes(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}
