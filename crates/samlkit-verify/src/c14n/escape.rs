//! Escaping text and attribute values the way canonical XML writes them, and the byte order
//! in which it sorts names.

/// Byte-wise (code point) order. Names and URIs are short and often share a prefix or are both
/// empty; an inline loop beats a library `memcmp` call per comparison while sorting.
#[inline]
pub(super) fn cmp_bytes(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

#[inline]
pub(super) fn eq_str(a: &str, b: &str) -> bool {
    a.len() == b.len() && cmp_bytes(a, b).is_eq()
}

#[inline]
pub(super) fn eq_prefix(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => eq_str(a, b),
        _ => false,
    }
}

/// Bytes needing a reference in text (`& < > CR`) and in attribute values (`& < " TAB LF CR`).
const TEXT_SPECIAL: [bool; 256] = special_table(b"&<>\r");

const ATTR_SPECIAL: [bool; 256] = special_table(b"&<\"\t\n\r");

const fn special_table(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

/// Writes `s`, replacing the bytes marked in `special` by their references.
#[inline]
fn escape_with(out: &mut Vec<u8>, s: &str, special: &[bool; 256]) {
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if !special[usize::from(c)] {
            continue;
        }
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(match c {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\t' => b"&#x9;",
            b'\n' => b"&#xA;",
            _ => b"&#xD;",
        });
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
}

pub(super) fn escape_text(out: &mut Vec<u8>, s: &str) {
    escape_with(out, s, &TEXT_SPECIAL);
}

pub(super) fn escape_attr(out: &mut Vec<u8>, s: &str) {
    escape_with(out, s, &ATTR_SPECIAL);
}

/// Comment and PI data are written as is; the parser hands them over raw, so XML's line-end
/// normalization (CRLF and lone CR become LF) is applied here.
pub(super) fn write_raw_data(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' {
            out.extend_from_slice(&b[start..i]);
            out.push(b'\n');
            i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            start = i;
        } else {
            i += 1;
        }
    }
    out.extend_from_slice(&b[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(s: &str, attribute: bool) -> String {
        s.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' if !attribute => "&gt;".to_string(),
                '"' if attribute => "&quot;".to_string(),
                '\t' if attribute => "&#x9;".to_string(),
                '\n' if attribute => "&#xA;".to_string(),
                '\r' => "&#xD;".to_string(),
                other => other.to_string(),
            })
            .collect()
    }

    /// Every special character, alone or among others, at every place of texts shorter and
    /// longer than one vector step, is written as its reference; other text is copied.
    #[test]
    fn every_special_character_is_escaped_wherever_it_sits() {
        for special in ['&', '<', '>', '"', '\t', '\n', '\r', 'é', 'x'] {
            for len in [0, 1, 15, 16, 17, 31, 32, 33, 70] {
                for at in [0, len / 2, len] {
                    let mut text: String = "a".repeat(len);
                    text.insert(at, special);
                    let (mut as_text, mut as_attr) = (Vec::new(), Vec::new());
                    escape_text(&mut as_text, &text);
                    escape_attr(&mut as_attr, &text);
                    assert_eq!(String::from_utf8(as_text).unwrap(), reference(&text, false));
                    assert_eq!(String::from_utf8(as_attr).unwrap(), reference(&text, true));
                }
            }
        }
    }
}
