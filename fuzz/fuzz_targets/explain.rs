//! explain end to end, in process: decode → parse → verify → lint, for every profile.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use samlkit_lint::{lint_authn_request, lint_response, LintOptions, Profile};
use samlkit_parse::decode::decode_input;
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
            .add_idp_metadata(include_str!("../../samples/entra-federation-metadata.xml"))
            .expect("sample metadata");
        store
    });
    let Some((&selector, rest)) = data.split_first() else { return };
    let limits = Limits {
        max_inflated_bytes: 1 << 20,
        ..Limits::default()
    };
    let Ok(messages) = decode_input(rest, None, &limits) else { return };
    let now = Instant::from_unix(1_795_856_700, 0);
    let mut options = LintOptions::new(now);
    options.profile = Profile::ALL[selector as usize % Profile::ALL.len()];
    options.sp_entity_id = Some("https://sp.example/saml".into());
    options.acs_url = Some("https://sp.example/acs".into());
    options.request_id = Some("_r1".into());
    for message in messages.iter().take(4) {
        let Ok(doc) = parse_xml(&message.xml, &limits) else { continue };
        let Ok(view) = read_message(&doc) else { continue };
        match &view {
            SamlMessage::AuthnRequest(request) => {
                let _ = lint_authn_request(request, &options);
            }
            other => {
                if let Ok(response) = other.expect_response() {
                    let verification =
                        verify_document(&doc, trust, &VerifyOptions { now: now.unix_seconds() });
                    let report = lint_response(response, &verification, &options);
                    for finding in &report.findings {
                        if let Some(span) = &finding.span {
                            assert!(span.start <= message.xml.len());
                        }
                    }
                }
            }
        }
    }
});
