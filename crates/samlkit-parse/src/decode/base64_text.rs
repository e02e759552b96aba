//! base64 readers: the message decoder for what people copy (either alphabet, any whitespace,
//! padding optional, with notes and size limits), and the lenient reader for base64 inside
//! XML text and PEM bodies that every other part of samlkit uses.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

use crate::xml::Limits;

use super::recognise::{BASE64_CHAR, BASE64_CLASS};
use super::DecodeError;

/// Decodes base64 as copied from anywhere: either alphabet, any whitespace, padding optional.
pub(super) fn decode_base64(
    text: &str,
    limits: &Limits,
) -> Result<(Vec<u8>, Vec<String>), DecodeError> {
    // Fast path: one unbroken run of the standard alphabet, as browsers post it. Anything else
    // (folding, URL-safe alphabet, stray characters) goes through the tolerant scan below,
    // which also says precisely what is wrong.
    let trimmed = text.trim_ascii();
    if decodes_within_limit(trimmed, limits) {
        if let Some(decoded) = decode_canonical(trimmed.as_bytes()) {
            return Ok((decoded, Vec::new()));
        }
        const STRICT: GeneralPurpose = GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            GeneralPurposeConfig::new()
                .with_decode_padding_mode(DecodePaddingMode::Indifferent)
                .with_decode_allow_trailing_bits(true),
        );
        if let Ok(decoded) = STRICT.decode(trimmed) {
            if !decoded.is_empty() {
                return Ok((decoded, Vec::new()));
            }
        }
    }
    let mut clean: Vec<u8> = Vec::with_capacity(text.len());
    let mut padding_at: Option<usize> = None;
    let mut url_safe = false;
    for (offset, b) in text.bytes().enumerate() {
        // Fast path for the standard alphabet before any padding.
        if padding_at.is_none() && BASE64_CLASS[b as usize] == BASE64_CHAR && b != b'-' && b != b'_'
        {
            clean.push(b);
            continue;
        }
        let mapped = match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => b,
            b'-' => {
                url_safe = true;
                b'+'
            }
            b'_' => {
                url_safe = true;
                b'/'
            }
            b'=' => {
                padding_at.get_or_insert(offset);
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' | 0x0C | 0x0B => continue,
            _ => {
                let found = text
                    .get(offset..)
                    .and_then(|rest| rest.chars().next())
                    .map(|c| format!("{c:?}"))
                    .unwrap_or_else(|| format!("0x{b:02X}"));
                return Err(DecodeError::Base64Char { found, offset });
            }
        };
        if let Some(offset) = padding_at {
            return Err(DecodeError::Base64Padding { offset });
        }
        clean.push(mapped);
    }
    if clean.is_empty() {
        return Err(DecodeError::Base64Empty);
    }
    if clean.len() % 4 == 1 {
        return Err(DecodeError::Base64Length { count: clean.len() });
    }
    let size = clean.len() / 4 * 3 + (clean.len() % 4).saturating_sub(1);
    if size > limits.max_inflated_bytes {
        return Err(DecodeError::TooLarge {
            size,
            limit: limits.max_inflated_bytes,
        });
    }
    let engine = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    let decoded = engine.decode(&clean).map_err(|e| DecodeError::Base64 {
        detail: e.to_string(),
    })?;
    let mut notes = Vec::new();
    if url_safe {
        notes.push(
            "the base64 uses the URL-safe alphabet ('-' and '_'); SAML requires the standard alphabet ('+' and '/')"
                .into(),
        );
    }
    Ok((decoded, notes))
}

/// Whether `text`, read as base64, decodes to no more than the limit on decoded bytes (the
/// readers that decode at once, before looking at the bytes, take only such text).
pub(super) fn decodes_within_limit(text: &str, limits: &Limits) -> bool {
    text.len() / 4 * 3 <= limits.max_inflated_bytes
}

/// Canonical, padded base64 of the standard alphabet (what IdPs and browsers send), decoded
/// with vector instructions; `None` for anything else, which the readers above and below then
/// take (or refuse) in their own terms. What this accepts, they accept too, with the same bytes.
pub(super) fn decode_canonical(text: &[u8]) -> Option<Vec<u8>> {
    base64_simd::STANDARD
        .decode_to_vec(text)
        .ok()
        .filter(|decoded| !decoded.is_empty())
}

/// Why [`decode_base64_lenient`] could not read its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error(String);

impl std::fmt::Display for Base64Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Base64Error {}

/// base64 as it sits in XML text and PEM bodies: the standard alphabet, wrapped over lines or
/// indented, padding optional. The one reader for certificates, keys, digest, signature and
/// cipher values; whole captured messages go through the more forgiving message decoder.
pub fn decode_base64_lenient(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    // Most values (signatures, digests, the certificates of a message) are one unbroken line,
    // decoded where they lie; text folded every 64 or 76 characters is joined first.
    let folded = text
        .iter()
        .fold(false, |seen, byte| seen | byte.is_ascii_whitespace());
    let compact: std::borrow::Cow<'_, [u8]> = if folded {
        text.iter()
            .copied()
            .filter(|byte| !byte.is_ascii_whitespace())
            .collect()
    } else {
        text.into()
    };
    match decode_canonical(&compact) {
        Some(decoded) => Ok(decoded),
        None => LENIENT
            .decode(&compact)
            .map_err(|err| Base64Error(err.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The vector decoder is only a shortcut: whatever it accepts, the general readers
        /// accept with the same bytes (encodings with one character changed included, which
        /// are often not canonical).
        #[test]
        fn the_vector_decoder_agrees_with_the_general_readers(
            bytes in proptest::collection::vec(any::<u8>(), 0..96),
            change in any::<(usize, usize)>(),
        ) {
            const ALPHABET: &[u8] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
            let canonical = base64::engine::general_purpose::STANDARD.encode(&bytes);
            let mut changed = canonical.clone().into_bytes();
            if !changed.is_empty() {
                let at = change.0 % changed.len();
                changed[at] = ALPHABET[change.1 % ALPHABET.len()];
            }
            for text in [canonical.into_bytes(), changed] {
                if let Some(decoded) = decode_canonical(&text) {
                    // The message reader's and the lenient reader's general engines.
                    let config = GeneralPurposeConfig::new()
                        .with_decode_padding_mode(DecodePaddingMode::Indifferent);
                    let message = GeneralPurpose::new(
                        &base64::alphabet::STANDARD,
                        config.with_decode_allow_trailing_bits(true),
                    );
                    let lenient = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
                    prop_assert_eq!(&message.decode(&text).unwrap(), &decoded);
                    prop_assert_eq!(&lenient.decode(&text).unwrap(), &decoded);
                }
            }
        }
    }

    #[test]
    fn lenient_reader_takes_wrapped_and_unpadded_text() {
        assert_eq!(decode_base64_lenient(b"aGVsbG8=").unwrap(), b"hello");
        assert_eq!(
            decode_base64_lenient(b" aGVs\n  bG8=\r\n").unwrap(),
            b"hello"
        );
        assert_eq!(decode_base64_lenient(b"aGVsbG8").unwrap(), b"hello");
        assert!(decode_base64_lenient(b"aGVsbG8=x").is_err());
        assert!(decode_base64_lenient(b"a!b=").is_err());
        assert!(
            decode_base64_lenient(b"aGVs-G8=").is_err(),
            "URL-safe alphabet refused"
        );
    }
}
