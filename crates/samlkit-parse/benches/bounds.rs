//! How long each hostile input takes to be refused by the bound it hits. The tests in
//! `tests/bounds.rs` assert which error each one gets; this measures the cost of getting it.

use std::hint::black_box;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use samlkit_parse::decode::{decode_input, DecodeError};
use samlkit_parse::{parse_xml, InputError, Limits};

const MB: usize = 1024 * 1024;

/// Writes DEFLATE bits least significant first; Huffman codes most significant bit first.
struct BitWriter {
    bytes: Vec<u8>,
    bit: u32,
}

impl BitWriter {
    fn bits(&mut self, value: u32, count: u32) {
        for i in 0..count {
            if self.bit == 0 {
                self.bytes.push(0);
            }
            let last = self.bytes.len() - 1;
            self.bytes[last] |= (((value >> i) & 1) as u8) << self.bit;
            self.bit = (self.bit + 1) % 8;
        }
    }

    fn code(&mut self, code: u32, length: u32) {
        for i in (0..length).rev() {
            self.bits((code >> i) & 1, 1);
        }
    }
}

/// Raw DEFLATE inflating to about 1 GiB of `<`: a literal, then back-references of length 258
/// at distance 1 in one fixed-Huffman block.
fn deflate_bomb() -> Vec<u8> {
    let repeats = (1 << 30) / 258;
    let mut writer = BitWriter {
        bytes: Vec::with_capacity(repeats * 13 / 8 + 8),
        bit: 0,
    };
    writer.bits(1, 1);
    writer.bits(1, 2);
    writer.code(0x30 + u32::from(b'<'), 8);
    for _ in 0..repeats {
        writer.code(0xC5, 8);
        writer.code(0, 5);
    }
    writer.code(0, 7);
    writer.bytes
}

fn bounded_failures(c: &mut Criterion) {
    let limits = Limits::default();
    let mut group = c.benchmark_group("refusal");
    // Each input is megabytes; a few flat samples give stable numbers in seconds.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);

    let large = "<r>".to_string() + &" ".repeat(100 * MB) + "</r>";
    group.bench_function("100 MB XML, parse_xml", |b| {
        b.iter(|| {
            let err = parse_xml(black_box(&large), &limits).unwrap_err();
            assert!(matches!(err, InputError::TooLarge { .. }));
        })
    });

    let large_base64 = "PHNh".repeat(100 * MB / 4);
    group.bench_function("100 MB base64, decode_input", |b| {
        b.iter(|| {
            let err = decode_input(black_box(large_base64.as_bytes()), None, &limits).unwrap_err();
            assert!(matches!(err, DecodeError::TooLarge { .. }));
        })
    });

    let deep = "<a>".repeat(1_000_000) + &"</a>".repeat(1_000_000);
    group.bench_function("1M-deep nesting, parse_xml", |b| {
        b.iter(|| {
            let err = parse_xml(black_box(&deep), &limits).unwrap_err();
            assert!(matches!(err, InputError::TooDeep { .. }));
        })
    });

    let bomb = STANDARD.encode(deflate_bomb());
    group.bench_function("1 GiB deflate bomb in base64, decode_input", |b| {
        b.iter(|| {
            let err = decode_input(black_box(bomb.as_bytes()), None, &limits).unwrap_err();
            assert!(matches!(err, DecodeError::InflateLimit { .. }));
        })
    });

    let mut wide = String::from("<r");
    for i in 0..100_000 {
        wide.push_str(&format!(" a{i}=\"v\""));
    }
    wide.push_str("/>");
    group.bench_function("100k attributes on one element, parse_xml", |b| {
        b.iter(|| {
            let err = parse_xml(black_box(&wide), &limits).unwrap_err();
            assert!(matches!(err, InputError::TooManyAttributes { .. }));
        })
    });

    let many = "<r>".to_string() + &"<e/>".repeat(10_000_000) + "</r>";
    group.bench_function("10M nodes, parse_xml", |b| {
        b.iter(|| {
            let err = parse_xml(black_box(&many), &limits).unwrap_err();
            assert!(matches!(err, InputError::TooManyNodes { .. }));
        })
    });
    group.finish();
}

criterion_group!(benches, bounded_failures);
criterion_main!(benches);
