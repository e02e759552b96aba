//! XML Encryption: any document's encrypted elements decrypted with a fixed SP key. Must end
//! in a result or a failure with a stage, never a panic; whatever is decrypted must be spliced
//! into text that stays inside the input's bounds.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use samlkit_parse::Limits;
use samlkit_verify::xmlenc::{decrypt_document, DecryptionKeys};

static KEYS: OnceLock<DecryptionKeys> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let keys = KEYS.get_or_init(|| {
        let mut keys = DecryptionKeys::new();
        keys.add_pem(
            include_bytes!("../../crates/samlkit-verify/tests/fixtures/xmlenc/test-only-sp.key.pem"),
            "test-only-sp",
        )
        .expect("fixture key");
        keys
    });
    let Ok(text) = std::str::from_utf8(data) else { return };
    let limits = Limits::default();
    if let Ok(result) = decrypt_document(text, keys, &limits) {
        for element in &result.elements {
            if let Err(failure) = &element.result {
                assert!(!failure.message.is_empty());
            }
        }
    }
});
