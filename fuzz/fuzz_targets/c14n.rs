//! Canonicalization of any parsed document with every method: never panics, and is idempotent
//! (canonical XML parsed and canonicalized again gives the same bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit_parse::{parse_xml, Limits};
use samlkit_verify::c14n::{canonicalize_document, canonicalize_subtree, C14nMethod, C14nOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let Ok(doc) = parse_xml(text, &Limits::default()) else { return };
    let method = C14nMethod::ALL[selector as usize % C14nMethod::ALL.len()];
    let options = C14nOptions::new(method);
    let mut first = Vec::new();
    if canonicalize_document(&doc, &options, &mut first).is_err() {
        return;
    }
    let canonical = String::from_utf8(first.clone()).expect("canonical XML is UTF-8");
    if let Ok(again) = parse_xml(&canonical, &Limits::default()) {
        let mut second = Vec::new();
        canonicalize_document(&again, &options, &mut second).expect("canonical XML canonicalizes");
        assert_eq!(first, second, "canonicalization is not idempotent");
    }
    // Every element as a subtree, too.
    for node in doc.descendants().filter(|n| n.is_element()).take(32) {
        let mut out = Vec::new();
        let _ = canonicalize_subtree(node, &options, &mut out);
    }
});
