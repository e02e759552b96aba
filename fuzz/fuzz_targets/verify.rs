//! Signature verification of arbitrary documents against the sample IdP's certificate: never
//! panics, and whatever it verifies is reported consistently (a verified root implies a
//! verified verdict).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use samlkit_parse::{parse_xml, Limits};
use samlkit_verify::dsig::{verify_document, VerifyOptions};
use samlkit_verify::report::Verdict;
use samlkit_verify::trust::TrustStore;

static TRUST: OnceLock<TrustStore> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let trust = TRUST.get_or_init(|| {
        let mut store = TrustStore::new();
        store
            .add_certificates(include_bytes!("../../samples/keys/idp-signing.crt"), "sample")
            .expect("sample certificate");
        store
    });
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = parse_xml(text, &Limits::default()) else { return };
    let report = verify_document(&doc, trust, &VerifyOptions { now: 1_795_000_000 });
    if report.verified_root().is_some() {
        assert_eq!(report.verdict, Verdict::Verified);
    }
});
