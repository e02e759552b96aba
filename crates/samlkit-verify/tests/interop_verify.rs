//! Every document of the interop corpus (tests/corpus-interop: signed SAML 2.0 and 1.x
//! messages and federation metadata from nineteen other projects), verified with the trust its
//! MANIFEST.tsv row names and compared with the xmlsec1 verdict recorded there.
//!
//! Held per file: samlkit never accepts what xmlsec1 rejects; it accepts what xmlsec1 accepts
//! unless the file is in [`REFUSED`] with a SAML-profile reason (checked both ways, so a stale
//! entry fails too); whole-document references on the document element verify; SAML 1.x
//! documents are read as SAML 1.x; nothing panics.

mod common;

use common::*;
use samlkit_verify::{
    verify_document, FindingCode, Severity, Stage, TrustStore, Verdict, VerifyOptions,
};

/// Documents xmlsec1 verifies and samlkit refuses, with the reason a reader would agree with.
/// xmlsec1 applies XML-DSig only; these fail SAML's signature profile.
const REFUSED: &[(&str, &str)] = &[
    ("java-saml/wrong_signed_element.xml.base64",
     "the only signature sits in saml:Subject: SAML signs a Response or an Assertion, so nothing an SP reads is covered"),
    ("java-saml/signed_assertion_response_with_2_assertions.xml.base64",
     "an unsigned assertion beside the signed one (CVE-2022-41912 shape): an SP may read the unsigned one"),
    ("java-saml/signed_assertion_response_with_2_assertions_differrent_order.xml.base64",
     "an unsigned assertion beside the signed one, placed first (CVE-2022-41912 shape)"),
    ("dex/two-assertions-first-signed.xml",
     "the signed assertion is hidden inside an <AttackersElement> (signature wrapping); the math holds, the placement does not"),
    ("clever-saml2/good_assertion_commented_out_digest.xml",
     "a comment inside DigestValue (CVE-2025-29775 shape): libraries that read the first text node see another value than the one checked"),
    ("clever-saml2/response_unsigned_assertion.xml",
     "the assertion's signature references another element (#_5, a <Data>), not the assertion it sits in, so the assertion is not covered"),
];

struct Row {
    file: String,
    kind: String,
    trust: String,
    xmlsec1: String,
    note: String,
}

fn manifest() -> Vec<Row> {
    let text = String::from_utf8(read(&interop_dir().join("MANIFEST.tsv"))).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Row {
                file: cols[0].to_string(),
                kind: cols[1].to_string(),
                trust: cols[6].to_string(),
                xmlsec1: cols[7].to_string(),
                note: cols.get(8).unwrap_or(&"").to_string(),
            }
        })
        .filter(|row| row.kind != "cert")
        .collect()
}

/// The trust a user would configure: the certificate files the row names, or the certificate
/// of the document's own signature pinned by fingerprint (the upstream tests trust it).
fn trust_for(row: &Row, xml: &str) -> TrustStore {
    let mut trust = TrustStore::new();
    if row.trust == "embedded" {
        if let Some(pin) = pinned_keyinfo_fingerprint(xml, None) {
            trust.add_fingerprint(&pin).unwrap();
        }
    } else {
        for file in row.trust.split('|') {
            add_trust_file(&mut trust, &interop_dir().join(file));
        }
    }
    trust
}

#[derive(Default)]
struct Tally {
    documents: usize,
    unparseable: usize,
    both_verified: usize,
    both_refused: usize,
    refused_for_profile: usize,
    whole_document: usize,
    saml1: usize,
}

#[test]
fn every_interop_document_is_verified_like_xmlsec1_or_refused_for_a_profile_reason() {
    let rows = manifest();
    assert_eq!(rows.len(), 157, "the interop corpus holds 157 documents");
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for row in &rows {
        tally.documents += 1;
        let xml = decode_message(&read(&interop_dir().join(&row.file)));
        let document = match samlkit_parse::parse_xml(&xml, &Default::default()) {
            Ok(document) => document,
            Err(err) => {
                if !row.xmlsec1.starts_with("unparseable") {
                    failures.push(format!("{}: cannot be parsed: {err}", row.file));
                }
                tally.unparseable += 1;
                continue;
            }
        };
        let trust = trust_for(row, &xml);
        let report = verify_document(&document, &trust, &VerifyOptions { now: NOW });
        let samlkit_verified = report.verdict == Verdict::Verified;
        let xmlsec1_verified = row.xmlsec1 == "verified";
        let refused = REFUSED.iter().find(|(file, _)| *file == row.file);
        let findings = || {
            report
                .all_findings()
                .map(|f| format!("{}: {}", f.code, f.message))
                .collect::<Vec<_>>()
        };
        match (samlkit_verified, xmlsec1_verified, refused) {
            (true, false, _) => failures.push(format!(
                "{}: samlkit verifies what xmlsec1 rejects ({})",
                row.file, row.xmlsec1
            )),
            (false, true, None) => failures.push(format!(
                "{}: xmlsec1 verifies it, samlkit says {:?}; fix the verifier or list it in \
                 REFUSED with the reason: {:?}",
                row.file,
                report.verdict,
                findings()
            )),
            (true, _, Some(_)) => failures.push(format!(
                "{}: listed in REFUSED, but samlkit verifies it",
                row.file
            )),
            (false, false, Some(_)) => failures.push(format!(
                "{}: listed in REFUSED, but xmlsec1 rejects it too",
                row.file
            )),
            (true, true, None) => tally.both_verified += 1,
            (false, true, Some(_)) => tally.refused_for_profile += 1,
            (false, false, None) => tally.both_refused += 1,
        }

        if row.note.contains("empty/absent URI") && xmlsec1_verified && refused.is_none() {
            tally.whole_document += 1;
            let noted = report.all_findings().any(|f| {
                f.code == FindingCode::ReferenceWholeDocument && f.severity == Severity::Info
            });
            if !noted {
                failures.push(format!(
                    "{}: a whole-document reference on the document element should be accepted \
                     with an info note: {:?}",
                    row.file,
                    findings()
                ));
            }
            let absent = xml.contains("<ds:Reference>") || xml.contains("<Reference>");
            if absent
                && !report
                    .all_findings()
                    .any(|f| f.message.contains("no URI attribute"))
            {
                failures.push(format!(
                    "{}: a reference without URI should be named as such",
                    row.file
                ));
            }
        }
        if row.kind.starts_with("saml1-") || row.note.contains("SAML 1.x") {
            tally.saml1 += 1;
            let misread = report.all_findings().any(|f| {
                matches!(
                    f.code,
                    FindingCode::LookalikeNamespace
                        | FindingCode::SignatureMisplaced
                        | FindingCode::ElementMisplaced
                )
            });
            if misread || report.signatures.is_empty() {
                failures.push(format!(
                    "{}: a SAML 1.x document is not read as one: {:?}",
                    row.file,
                    findings()
                ));
            }
        }
    }
    for (file, reason) in REFUSED {
        assert!(!reason.is_empty(), "{file}: REFUSED needs a reason");
        if !rows.iter().any(|row| row.file == *file) {
            failures.push(format!("{file}: in REFUSED but not in the manifest"));
        }
    }
    println!(
        "interop corpus: {} documents; {} verified by both samlkit and xmlsec1, {} refused by \
         both, {} refused by samlkit for a SAML-profile reason, {} unparseable by both; {} \
         whole-document references verified, {} SAML 1.x documents",
        tally.documents,
        tally.both_verified,
        tally.both_refused,
        tally.refused_for_profile,
        tally.unparseable,
        tally.whole_document,
        tally.saml1
    );
    assert!(
        failures.is_empty(),
        "{} interop mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every document edited after signing (xmlsec1: "data and digest do not match") fails at the
/// digest in samlkit too: the headline an administrator needs is "modified after signing", not
/// a key problem.
#[test]
fn documents_edited_after_signing_fail_at_the_digest() {
    let mut failures = Vec::new();
    let mut edited = 0;
    for row in manifest() {
        if !row.xmlsec1.contains("data and digest do not match") {
            continue;
        }
        let xml = decode_message(&read(&interop_dir().join(&row.file)));
        let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
        let trust = trust_for(&row, &xml);
        let report = verify_document(&document, &trust, &VerifyOptions { now: NOW });
        let stages: Vec<Stage> = report
            .signatures
            .iter()
            .filter_map(|sig| sig.stage)
            .filter(|stage| matches!(stage, Stage::DigestMismatch | Stage::SignatureMismatch))
            .collect();
        // Signatures refused by the profile never reach the cryptography.
        if stages.is_empty() {
            continue;
        }
        edited += 1;
        // Expected value: the digest stage, for every signature that reached the cryptography.
        if stages.iter().any(|stage| *stage != Stage::DigestMismatch) {
            failures.push(format!("{}: failing stages {stages:?}", row.file));
        }
    }
    assert!(
        edited >= 18,
        "the corpus holds at least 18 edited documents"
    );
    assert!(
        failures.is_empty(),
        "{} edited documents not reported at the digest:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
