//! Input decoding in every form: arbitrary bytes as a capture (XML, base64, form body, URL,
//! HAR, SAML-tracer) and as each forced form. Must return, never panic or allocate unbounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit_parse::decode::{decode_input, InputForm};
use samlkit_parse::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_inflated_bytes: 1 << 20,
        ..Limits::default()
    };
    let _ = decode_input(data, None, &limits);
    if let Some((&selector, rest)) = data.split_first() {
        let form = InputForm::ALL[selector as usize % InputForm::ALL.len()];
        let _ = decode_input(rest, Some(form), &limits);
    }
});
