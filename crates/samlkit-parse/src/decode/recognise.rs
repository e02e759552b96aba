//! Recognising text forms from their characters alone: blank, URL-like, base64-like,
//! URL-encoded base64, `name=value` pairs carrying a SAML parameter.

use super::params::parse_pairs;

pub(super) fn is_blank(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    bytes.iter().all(u8::is_ascii_whitespace)
}

pub(super) fn trim_bytes(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

pub(super) fn is_url_like(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || text.starts_with('?') {
        return true;
    }
    // `host/path?query` without a scheme: a `?` before any `=`, `&` or whitespace.
    match text.find('?') {
        Some(q) => {
            let head = text.get(..q).unwrap_or_default();
            q > 0
                && head.contains('/')
                && !head.contains(['=', '&'])
                && !head.contains(|c: char| c.is_whitespace())
                && text.get(q..).is_some_and(|rest| rest.contains('='))
        }
        None => false,
    }
}

/// Byte classes for the base64 scans, by table lookup since they run over every input.
pub(super) const BASE64_CHAR: u8 = 1;

const BASE64_SPACE: u8 = 2;

pub(super) const BASE64_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_') {
            BASE64_CHAR
        } else if c.is_ascii_whitespace() {
            BASE64_SPACE
        } else {
            0
        };
        b += 1;
    }
    table
};

pub(super) fn is_base64_char(b: u8) -> bool {
    BASE64_CLASS[b as usize] == BASE64_CHAR
}

pub(super) fn is_base64_like(text: &str) -> bool {
    let bytes = text.as_bytes();
    // '=' is only padding: after the first one, only '=' and whitespace may follow.
    let body_end = memchr::memchr(b'=', bytes).unwrap_or(bytes.len());
    let (body, tail) = bytes.split_at(body_end);
    all_bytes(body, |b| {
        is_base64_char_branchless(b) | b.is_ascii_whitespace()
    }) && tail.iter().all(|&b| b == b'=' || b.is_ascii_whitespace())
        && body.iter().any(|&b| is_base64_char(b))
}

/// Whether `ok` holds for every byte, judged 32 bytes at a time without a branch per byte so
/// that the scans over a whole response (they run on every input) become vector code.
pub(super) fn all_bytes(bytes: &[u8], ok: impl Fn(u8) -> bool) -> bool {
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |bad, &b| bad | !ok(b)) {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| ok(b))
}

/// [`is_base64_char`] by comparisons, which a loop over many bytes turns into vector code.
fn is_base64_char_branchless(b: u8) -> bool {
    ((b | 0x20).wrapping_sub(b'a') < 26)
        | (b.wrapping_sub(b'0') < 10)
        | (b == b'+')
        | (b == b'/')
        | (b == b'-')
        | (b == b'_')
}

pub(super) fn is_loose_base64(text: &str) -> bool {
    text.bytes()
        .all(|b| is_base64_char(b) || b == b'=' || b.is_ascii_whitespace())
}

pub(super) fn is_url_encoded_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut escapes = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).unwrap_or_default();
            if hex.len() != 2 || !hex.iter().all(u8::is_ascii_hexdigit) {
                return false;
            }
            escapes += 1;
            i += 3;
        } else if is_base64_char(b) || b == b'=' || b.is_ascii_whitespace() {
            i += 1;
        } else {
            return false;
        }
    }
    escapes > 0
}

/// Parameters that make a text a SAML form body or query string (WS-Federation's `wresult`
/// included: its sign-in response carries a SAML assertion).
const SAML_PARAMETERS: [&str; 8] = [
    "SAMLRequest",
    "SAMLResponse",
    "RelayState",
    "SigAlg",
    "Signature",
    "SAMLart",
    "SAMLEncoding",
    "wresult",
];

pub(super) fn looks_like_pairs(text: &str) -> bool {
    if !text.contains('=') {
        return false;
    }
    parse_pairs(text)
        .iter()
        .any(|p| SAML_PARAMETERS.contains(&p.name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use proptest::prelude::*;

    use super::super::base64_text::decode_canonical;

    fn is_canonical_base64(text: &str) -> bool {
        decode_canonical(text.as_bytes()).is_some()
    }

    proptest! {
        /// The shortcut of detection: what the canonical decoder takes (padded base64 of the
        /// standard alphabet in one unbroken run, as a browser posts it) is base64-like and
        /// never URL-like or JSON (`{`, `:` and `?` are not base64 characters), so decoding it
        /// first decides what the full order of checks would.
        #[test]
        fn canonical_base64_is_what_the_full_detection_finds(
            bytes in proptest::collection::vec(any::<u8>(), 1..200),
        ) {
            let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
            prop_assert!(is_canonical_base64(&text));
            prop_assert!(is_base64_like(&text));
            prop_assert!(!is_url_like(&text));
            prop_assert!(!text.starts_with('{'), "starts like JSON");
        }
    }

    #[test]
    fn only_padded_unbroken_standard_base64_is_canonical() {
        assert!(is_canonical_base64("PHNhbWxwOlJlc3BvbnNlLz4="));
        assert!(
            !is_canonical_base64("PHNhbWxwOlJlc3BvbnNlLz4"),
            "padding missing"
        );
        assert!(!is_canonical_base64("PHNhbWxw\nOlJlc3BvbnNlLz4="), "folded");
        assert!(
            !is_canonical_base64("PHNhbWxw-lJlc3BvbnNlLz4="),
            "URL-safe alphabet"
        );
        assert!(!is_canonical_base64(""));
    }
}
