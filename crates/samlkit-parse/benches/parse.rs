//! Decode + parse + model of a typical Entra-shaped SAMLResponse, as a browser posts it
//! (base64 of the XML). Target: ≤ 12 µs on one core.

use std::hint::black_box;

use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use samlkit_parse::decode::decode_input;
use samlkit_parse::{parse_xml, read_message, Limits, SamlMessage};

// The allocator the samlkit binary runs with (src/allocator.rs): the figures are the command's.
#[path = "../../../src/allocator.rs"]
mod allocator;
#[global_allocator]
static ALLOCATOR: allocator::SplitBySize = allocator::SplitBySize;

const ENTRA_SIGNED: &str = include_str!("../../../samples/entra-response.xml");

fn decode_parse_model(c: &mut Criterion) {
    let posted = base64::engine::general_purpose::STANDARD.encode(ENTRA_SIGNED);
    let limits = Limits::default();
    let mut group = c.benchmark_group("entra-response");
    group.throughput(Throughput::Bytes(posted.len() as u64));
    group.bench_function("decode+parse+model", |b| {
        b.iter(|| {
            let messages = decode_input(black_box(posted.as_bytes()), None, &limits).unwrap();
            let doc = parse_xml(&messages[0].xml, &limits).unwrap();
            let message = read_message(&doc).unwrap();
            let SamlMessage::Response(response) = &message else {
                panic!("not a response")
            };
            black_box(response.assertions[0].attributes.len())
        })
    });
    group.bench_function("parse+model", |b| {
        b.iter(|| {
            let doc = parse_xml(black_box(ENTRA_SIGNED), &limits).unwrap();
            let message = read_message(&doc).unwrap();
            black_box(message.kind())
        })
    });
    group.bench_function("parse (limits, no model)", |b| {
        b.iter(|| {
            let doc = parse_xml(black_box(ENTRA_SIGNED), &limits).unwrap();
            black_box(doc.descendants().len())
        })
    });
    // The floor under the ones above: roxmltree's own parse, no limits, no model.
    group.bench_function("roxmltree alone", |b| {
        b.iter(|| {
            let doc = roxmltree::Document::parse(black_box(ENTRA_SIGNED)).unwrap();
            black_box(doc.descendants().len())
        })
    });
    group.finish();
}

criterion_group!(benches, decode_parse_model);
criterion_main!(benches);
