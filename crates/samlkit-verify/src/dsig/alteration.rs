//! Why a signed element no longer matches its digest (or `SignedInfo` its signature value):
//! the changes copies of a message commonly go through — pretty-printing, re-indented text,
//! converted line endings, text re-encoded — are undone on the canonical bytes one at a time,
//! and the one whose undoing makes the digest (or the signature) match is the cause. When none
//! does, the content itself was edited.
//!
//! Working on canonical bytes keeps this exact: in canonical XML a literal `<` only starts
//! markup and attribute values are always in `"` quotes, so text nodes can be told from tags
//! with a small state machine.

/// A change made to a copy of the message after it was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alteration {
    /// Whitespace-only text between elements added or changed (re-indented, pretty-printed).
    Reformatted,
    /// Text values moved onto their own indented lines (as some pretty-printers do).
    TextReindented,
    /// Line endings converted (CR LF and LF) inside text.
    LineEndings,
    /// UTF-8 text decoded as Latin-1 / Windows-1252 and written out again.
    Reencoded,
}

impl Alteration {
    const ALL: [Alteration; 4] = [
        Alteration::Reformatted,
        Alteration::TextReindented,
        Alteration::LineEndings,
        Alteration::Reencoded,
    ];

    /// What happened, for the finding's message.
    pub(crate) fn cause(self) -> &'static str {
        match self {
            Alteration::Reformatted => {
                "the XML was re-indented or pretty-printed after it was signed (with the \
                 whitespace between elements removed, the digest matches)"
            }
            Alteration::TextReindented => {
                "the XML was pretty-printed after it was signed, text values included (with \
                 whitespace around text removed, the digest matches)"
            }
            Alteration::LineEndings => {
                "the line endings were converted after it was signed (CR LF and LF swapped; \
                 with them restored, the digest matches)"
            }
            Alteration::Reencoded => {
                "the text was re-encoded after it was signed (UTF-8 read as Latin-1 or \
                 Windows-1252; with it undone, the digest matches)"
            }
        }
    }

    /// What to do about it.
    pub(crate) fn fix(self) -> &'static str {
        match self {
            Alteration::Reformatted | Alteration::TextReindented => {
                "paste the original base64 value (the SAMLResponse form field), not a \
                 pretty-printed copy (samlkit decode, samltool.com and SAML-tracer show \
                 re-indented XML)"
            }
            Alteration::LineEndings => {
                "paste the original base64 value; do not save the XML through an editor or a \
                 transfer that converts line endings"
            }
            Alteration::Reencoded => {
                "paste the original base64 value; the XML was saved in another character \
                 encoding on the way"
            }
        }
    }

    /// The canonical bytes as they may have been before this change.
    fn undo(self, canonical: &[u8]) -> Vec<Vec<u8>> {
        match self {
            Alteration::Reformatted => vec![map_text(canonical, |text| {
                if text.iter().all(u8::is_ascii_whitespace) {
                    Vec::new()
                } else {
                    text.to_vec()
                }
            })],
            Alteration::TextReindented => {
                vec![map_text(canonical, |text| text.trim_ascii().to_vec())]
            }
            Alteration::LineEndings => vec![
                replace(canonical, b"&#xD;\n", b"\n"),
                map_text(canonical, |text| replace(text, b"\n", b"&#xD;\n")),
            ],
            Alteration::Reencoded => undo_latin1_reading(canonical).into_iter().collect(),
        }
    }
}

/// The first alteration whose undoing makes `matches` true, trying each on its own and then
/// each together with the whitespace clean-up (a reformatted copy of a re-encoded message).
pub(crate) fn find_alteration(
    canonical: &[u8],
    matches: &mut dyn FnMut(&[u8]) -> bool,
) -> Option<Alteration> {
    for alteration in Alteration::ALL {
        for undone in alteration.undo(canonical) {
            if undone != canonical && matches(&undone) {
                return Some(alteration);
            }
        }
    }
    let reformatted = Alteration::Reformatted.undo(canonical).remove(0);
    for alteration in [Alteration::LineEndings, Alteration::Reencoded] {
        for undone in alteration.undo(&reformatted) {
            if undone != reformatted && matches(&undone) {
                return Some(alteration);
            }
        }
    }
    None
}

/// The canonical bytes with every text node (outside tags) replaced by `edit(text)`.
fn map_text(canonical: &[u8], edit: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(canonical.len());
    let mut text_start = 0;
    let mut in_tag = false;
    let mut in_quotes = false;
    for (index, &byte) in canonical.iter().enumerate() {
        if in_tag {
            match byte {
                b'"' => in_quotes = !in_quotes,
                b'>' if !in_quotes => {
                    in_tag = false;
                    out.extend_from_slice(&canonical[text_start..=index]);
                    text_start = index + 1;
                }
                _ => {}
            }
        } else if byte == b'<' {
            out.extend(edit(&canonical[text_start..index]));
            text_start = index;
            in_tag = true;
        }
    }
    if in_tag {
        out.extend_from_slice(&canonical[text_start..]);
    } else {
        out.extend(edit(&canonical[text_start..]));
    }
    out
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// UTF-8 text that was read as Latin-1 (each byte became one character) and written out as
/// UTF-8 again: taking each character back to its byte restores the original, when every
/// character fits in a byte and the result is UTF-8.
fn undo_latin1_reading(canonical: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(canonical).ok()?;
    if text.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = text.chars().map(|c| u8::try_from(c).ok()).collect();
    let bytes = bytes?;
    std::str::from_utf8(&bytes).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_between_elements_is_undone_but_not_inside_attributes() {
        let pretty = b"<a x=\"1 > 2\">\n  <b>v w</b>\n</a>";
        let undone = Alteration::Reformatted.undo(pretty).remove(0);
        assert_eq!(undone, b"<a x=\"1 > 2\"><b>v w</b></a>");
    }

    #[test]
    fn text_on_its_own_lines_is_trimmed() {
        let pretty = b"<a>\n  <b>\n    v\n  </b>\n</a>";
        let undone = Alteration::TextReindented.undo(pretty).remove(0);
        assert_eq!(undone, b"<a><b>v</b></a>");
    }

    #[test]
    fn the_matching_alteration_is_named() {
        let original = b"<a><b>v</b></a>".to_vec();
        let mut matches = |bytes: &[u8]| bytes == original.as_slice();
        assert_eq!(
            find_alteration(b"<a>\n\t<b>v</b>\n</a>", &mut matches),
            Some(Alteration::Reformatted)
        );
        assert_eq!(find_alteration(b"<a><b>w</b></a>", &mut matches), None);
    }

    #[test]
    fn latin1_mojibake_is_undone() {
        let original = "<a>Zoë</a>".as_bytes().to_vec();
        let garbled: String = original.iter().map(|&b| char::from(b)).collect();
        let mut matches = |bytes: &[u8]| bytes == original.as_slice();
        assert_eq!(
            find_alteration(garbled.as_bytes(), &mut matches),
            Some(Alteration::Reencoded)
        );
    }
}
