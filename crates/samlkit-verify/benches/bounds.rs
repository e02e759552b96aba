//! How long verification of documents with many signatures takes, in the two shapes
//! `tests/bounds.rs` checks: one signature in each of many assertions, and many signatures in
//! one assertion. Two sizes each, so the growth with the count shows.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use samlkit_parse::{parse_xml, Limits};
use samlkit_verify::{verify_document, TrustStore, Verdict, VerifyOptions};

const SAMPLE: &str = include_str!("../../../samples/entra-response.xml");
const SAMPLE_CERTIFICATE: &[u8] = include_bytes!("../../../samples/keys/idp-signing.crt");
const NOW: i64 = 1_795_856_700;
const SAMPLE_ID: &str = "_8e1c4a7b-2f6d-4c93-a5e8-0b7d3f9c1e26";

fn sample_signature() -> (&'static str, &'static str, &'static str) {
    let start = SAMPLE.find("<Signature ").expect("a signature");
    let end = SAMPLE.find("</Signature>").expect("its end") + "</Signature>".len();
    (&SAMPLE[..start], &SAMPLE[start..end], &SAMPLE[end..])
}

/// A Response with `count` assertions, each carrying the sample's signature (without its
/// certificate) pointed at it.
fn signed_assertions(count: usize) -> String {
    let (_, signature, _) = sample_signature();
    let key_info = signature.find("<KeyInfo>").expect("KeyInfo");
    let signature = format!("{}</Signature>", &signature[..key_info]);
    let mut xml = String::from(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\">",
    );
    for i in 0..count {
        let id = format!("_a{i}");
        xml.push_str(&format!(
            "<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{id}\">\
             <Issuer>https://idp/</Issuer>{}<Subject><NameID>user{i}</NameID></Subject>\
             </Assertion>",
            signature.replace(SAMPLE_ID, &id)
        ));
    }
    xml.push_str("</samlp:Response>");
    xml
}

/// The sample with its assertion's signature repeated `count` times.
fn sibling_signatures(count: usize) -> String {
    let (before, signature, after) = sample_signature();
    let mut xml = String::from(before);
    for _ in 0..count {
        xml.push_str(signature);
    }
    xml.push_str(after);
    xml
}

fn many_signatures(c: &mut Criterion) {
    let mut trust = TrustStore::new();
    trust
        .add_certificates(SAMPLE_CERTIFICATE, "idp-signing.crt")
        .expect("the sample certificate loads");
    let limits = Limits::default();
    let options = VerifyOptions { now: NOW };
    let mut group = c.benchmark_group("many-signatures");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    for count in [1_000, 10_000] {
        let xml = signed_assertions(count);
        group.bench_with_input(
            BenchmarkId::new("one per assertion, parse+verify", count),
            &xml,
            |b, xml| {
                b.iter(|| {
                    let doc = parse_xml(black_box(xml), &limits).unwrap();
                    let report = verify_document(&doc, &trust, &options);
                    assert_eq!(report.verdict, Verdict::Rejected);
                })
            },
        );
        let xml = sibling_signatures(count);
        group.bench_with_input(
            BenchmarkId::new("all in one assertion, parse+verify", count),
            &xml,
            |b, xml| {
                b.iter(|| {
                    let doc = parse_xml(black_box(xml), &limits).unwrap();
                    let report = verify_document(&doc, &trust, &options);
                    assert_eq!(report.verdict, Verdict::NotVerified);
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, many_signatures);
criterion_main!(benches);
