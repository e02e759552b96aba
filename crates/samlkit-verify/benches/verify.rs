//! Cost of verifying one Entra-shaped signed response (~8 KB, assertion signed with RSA-2048
//! RSA-SHA256 and exclusive C14N), beside the cost of parsing it and of one bare RSA-2048
//! verification, which bounds what verification can cost at best.
//!
//! Run: `cargo bench -p samlkit-verify --bench verify`

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use openssl::hash::MessageDigest;
use openssl::sign::Verifier;
use samlkit_verify::c14n::{canonicalize_subtree, C14nMethod, C14nOptions};
use samlkit_verify::{verify_document, TrustStore, Verdict, VerifyOptions};

// The allocator the samlkit binary runs with (src/allocator.rs): the figures are the command's.
#[path = "../../../src/allocator.rs"]
mod allocator;
#[global_allocator]
static ALLOCATOR: allocator::SplitBySize = allocator::SplitBySize;

const NOW: i64 = 1_767_225_600;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn verification(c: &mut Criterion) {
    let xml = String::from_utf8(fixture("signed/entra_response.xml")).unwrap();
    let mut trust = TrustStore::new();
    trust
        .add_certificates(&fixture("keys/idp.crt.pem"), "idp.crt.pem")
        .unwrap();
    let limits = samlkit_parse::Limits::default();
    let options = VerifyOptions { now: NOW };

    let document = samlkit_parse::parse_xml(&xml, &limits).unwrap();
    assert_eq!(
        verify_document(&document, &trust, &options).verdict,
        Verdict::Verified
    );

    c.bench_function("parse entra response (8 KB)", |b| {
        b.iter(|| samlkit_parse::parse_xml(black_box(&xml), &limits).unwrap())
    });
    c.bench_function(
        "verify entra response (parsed, 1 RSA-2048 signature)",
        |b| b.iter(|| verify_document(black_box(&document), &trust, &options)),
    );

    // The canonicalization and digest the reference needs, for the breakdown.
    let assertion = document
        .root_element()
        .children()
        .find(|node| node.tag_name().name() == "Assertion")
        .unwrap();
    let signature = assertion
        .children()
        .find(|node| node.tag_name().name() == "Signature")
        .unwrap();
    let c14n = C14nOptions {
        method: C14nMethod::Exclusive10,
        inclusive_prefixes: &[],
        exclude: Some(signature.id()),
    };
    c.bench_function("exc-c14n + SHA-256 of the assertion", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(8192);
            canonicalize_subtree(black_box(assertion), &c14n, &mut out).unwrap();
            openssl::sha::sha256(&out)
        })
    });

    // One RSA-2048 PKCS#1 v1.5 SHA-256 verification of a SignedInfo-sized message.
    let key = openssl::rsa::Rsa::generate(2048).unwrap();
    let private = openssl::pkey::PKey::from_rsa(key).unwrap();
    let public =
        openssl::pkey::PKey::public_key_from_der(&private.public_key_to_der().unwrap()).unwrap();
    let message = vec![b'x'; 600];
    let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), &private).unwrap();
    signer.update(&message).unwrap();
    let signature = signer.sign_to_vec().unwrap();
    c.bench_function("one RSA-2048 SHA-256 verify (openssl)", |b| {
        b.iter(|| {
            let mut verifier = Verifier::new(MessageDigest::sha256(), &public).unwrap();
            verifier.update(black_box(&message)).unwrap();
            assert!(verifier.verify(&signature).unwrap());
        })
    });
}

criterion_group!(benches, verification);
criterion_main!(benches);
