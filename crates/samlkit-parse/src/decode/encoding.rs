//! Text encodings: bytes to XML text by byte-order mark, XML declaration or UTF-8, strictly
//! (a byte that does not belong to the encoding is an error, never a replacement character).

use encoding_rs::{DecoderResult, Encoding};

use super::recognise::{all_bytes, trim_bytes};
use super::{hex_bytes, DecodeError};

/// Turns the bytes of one XML document into text.
///
/// A byte-order mark decides the encoding (UTF-8, UTF-16LE, UTF-16BE); without one, UTF-16 is
/// recognised from `<` next to a NUL byte; otherwise the XML declaration's `encoding` is used
/// (UTF-8 when absent) and the bytes are transcoded through `encoding_rs`. Unknown labels and
/// bytes invalid for the encoding are errors naming the label or the byte offset. Whitespace
/// before the XML declaration, which XML forbids but pasting often adds, is removed.
///
/// The second value notes what was done, when anything beyond reading UTF-8 was needed.
/// The text of a message read from bytes the caller owned.
pub(super) struct OwnedXmlText {
    pub(super) xml: String,
    pub(super) encoding_note: Option<String>,
    /// The bytes, when the text is not exactly them.
    pub(super) original_bytes: Option<Vec<u8>>,
}

/// [`xml_text_from_bytes`] for bytes the caller owns: the bytes become the text when they are
/// it already (UTF-8 from the first `<`, declaring UTF-8 or nothing), and are handed back
/// otherwise, for whoever needs them exactly as they were.
pub(super) fn xml_text_from_owned(bytes: Vec<u8>) -> Result<OwnedXmlText, DecodeError> {
    let bytes = if already_utf8_text(&bytes) {
        match String::from_utf8(bytes) {
            Ok(xml) => {
                return Ok(OwnedXmlText {
                    xml,
                    encoding_note: None,
                    original_bytes: None,
                })
            }
            // The general reading below says where the bytes went wrong.
            Err(err) => err.into_bytes(),
        }
    } else {
        bytes
    };
    let (xml, encoding_note) = xml_text_from_bytes(&bytes)?;
    Ok(OwnedXmlText {
        xml,
        encoding_note,
        original_bytes: Some(bytes),
    })
}

/// True when [`xml_text_from_bytes`] would read `bytes` as UTF-8 exactly as they are (if they
/// are valid UTF-8): they start with `<` (no byte-order mark, no whitespace to remove), the
/// second byte is not UTF-16's NUL, and the declaration names UTF-8 or no encoding.
fn already_utf8_text(bytes: &[u8]) -> bool {
    bytes.first() == Some(&b'<')
        && bytes.get(1) != Some(&0)
        && declared_encoding(bytes).is_none_or(|label| {
            Encoding::for_label(label.trim().as_bytes()) == Some(encoding_rs::UTF_8)
        })
}

pub fn xml_text_from_bytes(bytes: &[u8]) -> Result<(String, Option<String>), DecodeError> {
    let mut notes: Vec<String> = Vec::new();
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Err(DecodeError::UnsupportedEncoding {
            label: "UTF-32 (found its byte-order mark)".into(),
        });
    }
    let unicode = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        notes.push("UTF-8 byte-order mark removed".into());
        Some((
            decode_strict(encoding_rs::UTF_8, rest, 3, "")?,
            encoding_rs::UTF_8,
        ))
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        notes.push("transcoded from UTF-16LE (byte-order mark)".into());
        Some((
            decode_strict(encoding_rs::UTF_16LE, rest, 2, "")?,
            encoding_rs::UTF_16LE,
        ))
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        notes.push("transcoded from UTF-16BE (byte-order mark)".into());
        Some((
            decode_strict(encoding_rs::UTF_16BE, rest, 2, "")?,
            encoding_rs::UTF_16BE,
        ))
    } else {
        match utf16_without_bom(bytes) {
            Some(enc) => {
                notes.push(format!(
                    "transcoded from {} (no byte-order mark)",
                    enc.name()
                ));
                Some((decode_strict(enc, bytes, 0, "")?, enc))
            }
            None => None,
        }
    };

    let text = match unicode {
        Some((text, actual)) => {
            // The byte-order mark (or NUL pattern) is unambiguous evidence of how the file was
            // saved; a declaration saying otherwise is reported, not obeyed.
            if let Some(label) = declared_encoding(text.as_bytes()) {
                let declared = Encoding::for_label(label.trim().as_bytes());
                let same_family =
                    declared.is_some_and(|d| d == actual || (is_utf16(d) && is_utf16(actual)));
                if !same_family {
                    notes.push(format!(
                        "the XML declaration says encoding=\"{label}\", but the bytes are {}; read as {}",
                        actual.name(),
                        actual.name()
                    ));
                }
            }
            text
        }
        None => declared_text(bytes, &mut notes)?,
    };

    let text = strip_space_before_declaration(text, &mut notes);
    let note = if notes.is_empty() {
        None
    } else {
        Some(notes.join("; "))
    };
    Ok((text, note))
}

/// An XML declaration that names another encoding than the bytes are in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodingMismatch {
    /// The `encoding` label as the declaration writes it.
    pub declared: String,
    /// What the bytes are: "UTF-8", "UTF-16LE", "8-bit text", …
    pub actual: String,
    /// The encoding samlkit read the text with.
    pub read_as: String,
}

/// Whether the XML declaration of a document contradicts its bytes: a byte-order mark (or
/// UTF-16's NUL pattern) of another encoding, UTF-16 declared on 8-bit bytes, or a single-byte
/// encoding (ISO-8859-1, windows-1252, …) declared on bytes that are UTF-8 with multibyte
/// sequences. A service provider that obeys the declaration reads other characters, or
/// nothing, where samlkit reads the bytes as what they are (or, for the last case, as
/// declared).
pub fn encoding_declaration_mismatch(bytes: &[u8]) -> Option<EncodingMismatch> {
    let unicode = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some((
            String::from_utf8_lossy(rest).into_owned(),
            encoding_rs::UTF_8,
        ))
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        Some((
            encoding_rs::UTF_16LE
                .decode_without_bom_handling(rest)
                .0
                .into_owned(),
            encoding_rs::UTF_16LE,
        ))
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some((
            encoding_rs::UTF_16BE
                .decode_without_bom_handling(rest)
                .0
                .into_owned(),
            encoding_rs::UTF_16BE,
        ))
    } else {
        utf16_without_bom(bytes)
            .map(|enc| (enc.decode_without_bom_handling(bytes).0.into_owned(), enc))
    };
    if let Some((text, actual)) = unicode {
        let label = declared_encoding(text.as_bytes())?;
        let declared = Encoding::for_label(label.trim().as_bytes());
        let same = declared.is_some_and(|d| d == actual || (is_utf16(d) && is_utf16(actual)));
        return (!same).then(|| EncodingMismatch {
            declared: label,
            actual: actual.name().to_string(),
            read_as: actual.name().to_string(),
        });
    }
    let label = declared_encoding(bytes)?;
    let declared = Encoding::for_label(label.trim().as_bytes())?;
    let is_utf8 = std::str::from_utf8(bytes).is_ok();
    if is_utf16(declared) {
        return Some(EncodingMismatch {
            declared: label,
            actual: if is_utf8 { "UTF-8" } else { "8-bit text" }.to_string(),
            read_as: "UTF-8".to_string(),
        });
    }
    if declared != encoding_rs::UTF_8
        && declared != encoding_rs::REPLACEMENT
        && !bytes.is_ascii()
        && is_utf8
    {
        return Some(EncodingMismatch {
            declared: label,
            actual: "UTF-8".to_string(),
            read_as: declared.name().to_string(),
        });
    }
    None
}

fn is_utf16(enc: &'static Encoding) -> bool {
    enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE
}

/// UTF-16 without a byte-order mark, recognised from an ASCII character (`<` or whitespace)
/// next to a NUL byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let ascii_start = |b: u8| b == b'<' || b.is_ascii_whitespace();
    match bytes {
        [a, 0, ..] if ascii_start(*a) => Some(encoding_rs::UTF_16LE),
        [0, b, ..] if ascii_start(*b) => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// Decodes `bytes` strictly; an invalid sequence is reported at its offset (plus `base`).
pub(super) fn decode_strict(
    enc: &'static Encoding,
    bytes: &[u8],
    base: usize,
    hint: &str,
) -> Result<String, DecodeError> {
    if enc == encoding_rs::UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_owned()),
            Err(err) => {
                let at = err.valid_up_to();
                let len = err.error_len().unwrap_or(bytes.len() - at).clamp(1, 4);
                Err(DecodeError::InvalidBytes {
                    encoding: "UTF-8".into(),
                    offset: base + at,
                    bytes: hex_bytes(bytes.get(at..at + len).unwrap_or_default()),
                    hint: hint.to_string(),
                })
            }
        };
    }
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let mut read_total = 0usize;
    loop {
        let rest = bytes.get(read_total..).unwrap_or_default();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(rest.len().saturating_mul(3).max(16)),
            DecoderResult::Malformed(bad, after) => {
                let end = read_total.saturating_sub(usize::from(after));
                let start = end.saturating_sub(usize::from(bad));
                return Err(DecodeError::InvalidBytes {
                    encoding: enc.name().to_string(),
                    offset: base + start,
                    bytes: hex_bytes(bytes.get(start..end).unwrap_or_default()),
                    hint: hint.to_string(),
                });
            }
        }
    }
}

/// The `encoding` pseudo-attribute of an XML declaration at the start of `bytes` (after
/// optional whitespace), read as ASCII.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = bytes.get(start..)?;
    if !rest.starts_with(b"<?xml") || !rest.get(5).is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let window = rest.get(..rest.len().min(512))?;
    let end = window.windows(2).position(|w| w == b"?>")?;
    let decl = window.get(..end)?;
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let mut tail = decl.get(at + 8..)?;
    tail = tail.get(tail.iter().position(|b| !b.is_ascii_whitespace())?..)?;
    tail = tail.strip_prefix(b"=")?;
    tail = tail.get(tail.iter().position(|b| !b.is_ascii_whitespace())?..)?;
    let quote = *tail.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = tail.get(1..)?;
    let close = value.iter().position(|&b| b == quote)?;
    Some(String::from_utf8_lossy(value.get(..close)?).into_owned())
}

/// Text of an ASCII-compatible document, per its declaration (UTF-8 when it declares none).
fn declared_text(bytes: &[u8], notes: &mut Vec<String>) -> Result<String, DecodeError> {
    let Some(label) = declared_encoding(bytes) else {
        return decode_strict(
            encoding_rs::UTF_8,
            bytes,
            0,
            "; the XML declares no encoding, so it must be UTF-8 (if it was saved as Latin-1 or windows-1252, declare that encoding or re-save it as UTF-8)",
        );
    };
    let Some(enc) = Encoding::for_label(label.trim().as_bytes()) else {
        return Err(DecodeError::UnknownEncoding { label });
    };
    if enc == encoding_rs::REPLACEMENT {
        return Err(DecodeError::UnsupportedEncoding {
            label: format!("{label:?} named in the XML declaration"),
        });
    }
    if enc == encoding_rs::UTF_8 {
        return decode_strict(
            enc,
            bytes,
            0,
            &format!("; the XML declaration says encoding=\"{label}\""),
        );
    }
    if is_utf16(enc) {
        // Common when XML built as a UTF-16 string was written out as UTF-8: the declaration
        // kept saying UTF-16. The bytes (no byte-order mark, no NULs) cannot be UTF-16.
        notes.push(format!(
            "the XML declaration says encoding=\"{label}\", but the bytes are 8-bit (no byte-order mark, no NUL bytes); read as UTF-8"
        ));
        return decode_strict(
            encoding_rs::UTF_8,
            bytes,
            0,
            &format!("; the XML declaration says encoding=\"{label}\", but the bytes are not UTF-16 either"),
        );
    }
    let text = decode_strict(
        enc,
        bytes,
        0,
        &format!("; the XML declaration says encoding=\"{label}\""),
    )?;
    if !bytes.is_ascii() {
        if enc.name().eq_ignore_ascii_case(label.trim()) {
            notes.push(format!("transcoded from {}", enc.name()));
        } else {
            notes.push(format!(
                "transcoded from {} (declared as \"{label}\")",
                enc.name()
            ));
        }
    }
    Ok(text)
}

pub(super) fn strip_space_before_declaration(text: String, notes: &mut Vec<String>) -> String {
    let trimmed = text.trim_start();
    if trimmed.len() != text.len() && trimmed.starts_with("<?xml") {
        notes.push("whitespace before the XML declaration removed".into());
        trimmed.to_string()
    } else {
        text
    }
}

/// The first two characters after whitespace (and any byte-order mark), when they are ASCII,
/// reading UTF-16 (with or without a byte-order mark) as such.
fn leading_chars(bytes: &[u8]) -> Vec<u8> {
    let units: Box<dyn Iterator<Item = u16> + '_> = match bytes {
        [0xFF, 0xFE, rest @ ..] => Box::new(
            rest.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]])),
        ),
        [0xFE, 0xFF, rest @ ..] => Box::new(
            rest.chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]])),
        ),
        _ => match utf16_without_bom(bytes) {
            Some(enc) if enc == encoding_rs::UTF_16LE => Box::new(
                bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]])),
            ),
            Some(_) => Box::new(
                bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]])),
            ),
            None => Box::new(trim_bytes(bytes).iter().map(|&b| u16::from(b))),
        },
    };
    units
        .skip_while(|&u| u8::try_from(u).is_ok_and(|b| b.is_ascii_whitespace()))
        .take(2)
        .map_while(|u| u8::try_from(u).ok().filter(u8::is_ascii))
        .collect()
}

/// True when the bytes start (after whitespace and any byte-order mark) with `<`.
pub(super) fn starts_like_xml(bytes: &[u8]) -> bool {
    leading_chars(bytes).first() == Some(&b'<')
}

/// Stricter than [`starts_like_xml`]: `<` must open a tag, declaration, comment or
/// instruction, which tells XML from binary data that happens to start with `<`.
pub(super) fn looks_like_xml(bytes: &[u8]) -> bool {
    match leading_chars(bytes).as_slice() {
        [b'<', next] => next.is_ascii_alphabetic() || matches!(next, b'_' | b':' | b'?' | b'!'),
        _ => false,
    }
}

/// Whether decoded bytes read as text without invalid sequences or control characters; used to
/// choose between readings of an ambiguous value (garbage from a wrong reading fails this).
pub(super) fn plausible_text(bytes: &[u8]) -> bool {
    // The common case, ASCII XML, is judged on the bytes without decoding.
    if all_bytes(bytes, |b| {
        (b.wrapping_sub(0x20) < 0x5f) | (b == b'\t') | (b == b'\n') | (b == b'\r')
    }) {
        return true;
    }
    if bytes.is_ascii() {
        // Control characters (DEL included).
        return false;
    }
    match xml_text_from_bytes(bytes) {
        Ok((text, _)) => !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declaration_encoding_is_found() {
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding = 'ISO-8859-1' ?><a/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(
            declared_encoding(b"<?xml-stylesheet encoding=\"x\"?>"),
            None
        );
        assert_eq!(declared_encoding(b"<?xml encoding=\"x"), None);
    }

    /// Reading owned bytes is only a shortcut: the text, the note and the error are those of
    /// the general reading, and the bytes are handed back whenever the text is not exactly
    /// them.
    #[test]
    fn owned_bytes_read_as_the_general_reading_does() {
        let starts: [&[u8]; 11] = [
            b"",
            b"<?xml version=\"1.0\"?>",
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            b"<?xml version='1.0' encoding='utf8'?>",
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
            b"<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
            b"<?xml version=\"1.0\" encoding=\"nonsense\"?>",
            b"\xEF\xBB\xBF",
            b" \n<?xml version=\"1.0\"?>",
            b"<\0",
            b"\xFF\xFE<\0",
        ];
        let bodies: [&[u8]; 4] = [
            b"<a>x</a>",
            b"<a>Jos\xC3\xA9</a>",
            b"<a>Jos\xE9</a>",
            b"<a/>\xF0",
        ];
        for start in starts {
            for body in bodies {
                let bytes = [start, body].concat();
                let general = xml_text_from_bytes(&bytes);
                match (xml_text_from_owned(bytes.clone()), general) {
                    (Ok(owned), Ok((expected, expected_note))) => {
                        assert_eq!(
                            (&owned.xml, &owned.encoding_note),
                            (&expected, &expected_note),
                            "{bytes:?}"
                        );
                        match owned.original_bytes {
                            Some(original) => assert_eq!(original, bytes),
                            None => assert_eq!(owned.xml.as_bytes(), bytes, "{bytes:?}"),
                        }
                    }
                    (Err(err), Err(expected)) => assert_eq!(err, expected, "{bytes:?}"),
                    (Ok(_), Err(expected)) => panic!("{bytes:?}: read, but {expected:?}"),
                    (Err(err), Ok(_)) => panic!("{bytes:?}: {err:?}, but read"),
                }
            }
        }
    }
}

#[cfg(test)]
mod mismatch_tests {
    use super::*;

    #[test]
    fn declarations_that_contradict_the_bytes_are_found() {
        let utf16_declared = b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>x</a>";
        let found = encoding_declaration_mismatch(utf16_declared).unwrap();
        assert_eq!(
            (found.declared.as_str(), found.actual.as_str()),
            ("UTF-16", "UTF-8")
        );
        let latin1_declared = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Jos\u{e9}</a>";
        let found = encoding_declaration_mismatch(latin1_declared.as_bytes()).unwrap();
        assert_eq!(found.read_as, "windows-1252");
        // Honest declarations, and Latin-1 bytes that are not UTF-8, are not mismatches.
        assert_eq!(
            encoding_declaration_mismatch(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>"),
            None
        );
        assert_eq!(
            encoding_declaration_mismatch(
                b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Jos\xe9</a>"
            ),
            None
        );
        assert_eq!(encoding_declaration_mismatch(b"<a>x</a>"), None);
        let mut bom_utf8 = vec![0xEF, 0xBB, 0xBF];
        bom_utf8.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>");
        assert_eq!(
            encoding_declaration_mismatch(&bom_utf8).unwrap().read_as,
            "UTF-8"
        );
    }
}
