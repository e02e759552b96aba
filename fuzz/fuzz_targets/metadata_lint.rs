//! Metadata lint of any document that parses as metadata, with and without a verification
//! report for its signature.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use samlkit_lint::metadata::{lint_metadata, MetadataOptions};
use samlkit_parse::model::SamlMessage;
use samlkit_parse::time::Instant;
use samlkit_parse::{parse_xml, read_message, Limits};
use samlkit_verify::dsig::{verify_document, VerifyOptions};
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
    let Ok(SamlMessage::Metadata(metadata)) = read_message(&doc) else { return };
    let options = MetadataOptions::new(Instant::from_unix(1_795_856_700, 0));
    let _ = lint_metadata(Some(data), &metadata, None, &options);
    let verification = verify_document(&doc, trust, &VerifyOptions { now: 1_795_856_700 });
    let _ = lint_metadata(Some(data), &metadata, Some(&verification), &options);
});
