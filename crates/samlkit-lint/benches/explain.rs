//! Explain of a typical Entra-shaped response, in process: decode (base64) + parse + model +
//! signature verification against the IdP metadata + lint with the amazon-q-business profile.
//! Target: at least 10,000 responses per second on one core.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use samlkit_lint::{lint_response, LintOptions, Profile};
use samlkit_parse::decode::decode_input;
use samlkit_parse::time::Instant;
use samlkit_parse::{parse_xml, read_message, Limits, SamlMessage};
use samlkit_verify::dsig::{verify_document, VerifyOptions};
use samlkit_verify::trust::TrustStore;

// The allocator the samlkit binary runs with (src/allocator.rs): the figures are the command's.
#[path = "../../../src/allocator.rs"]
mod allocator;
#[global_allocator]
static ALLOCATOR: allocator::SplitBySize = allocator::SplitBySize;

const RESPONSE_B64: &str = include_str!("../../../samples/entra-response.b64");
const METADATA: &str = include_str!("../../../samples/entra-federation-metadata.xml");

fn explain(c: &mut Criterion) {
    let limits = Limits::default();
    let mut trust = TrustStore::new();
    trust.add_idp_metadata(METADATA).expect("sample metadata");
    let now = Instant::parse("2026-11-28T09:05:00Z").unwrap();
    let mut options = LintOptions::new(now);
    options.profile = Profile::AmazonQBusiness;
    options.sp_entity_id = Some("https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml".into());
    options.acs_url = options.sp_entity_id.clone();
    options.idp_entity_id =
        Some("https://sts.windows.net/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/".into());
    let verify_options = VerifyOptions {
        now: now.unix_seconds(),
    };

    let mut group = c.benchmark_group("explain");
    group.throughput(Throughput::Elements(1));
    group.bench_function("entra-response", |b| {
        b.iter(|| {
            let messages = decode_input(black_box(RESPONSE_B64.as_bytes()), None, &limits).unwrap();
            let doc = parse_xml(&messages[0].xml, &limits).unwrap();
            let message = read_message(&doc).unwrap();
            let SamlMessage::Response(response) = &message else {
                panic!("not a response")
            };
            let verification = verify_document(&doc, &trust, &verify_options);
            let report = lint_response(response, &verification, &options);
            assert!(report.signature.verified);
            black_box(report.findings.len())
        })
    });
    group.finish();
}

criterion_group!(benches, explain);
criterion_main!(benches);
