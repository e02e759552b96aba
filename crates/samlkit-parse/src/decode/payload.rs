//! A parameter's value down to XML text: base64, then DEFLATE (raw, zlib or gzip) when the
//! bytes are compressed, never inflating past the limit.

use flate2::{Decompress, FlushDecompress, Status};

use crate::xml::Limits;

use super::base64_text::{decode_base64, decode_canonical, decodes_within_limit};
use super::encoding::{looks_like_xml, plausible_text, xml_text_from_owned, OwnedXmlText};
use super::recognise::is_base64_char;
use super::{preview, Compression, DecodeError, DecodedMessage, InputForm, Origin};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inflate {
    /// Plain base64 only.
    Never,
    /// Inflate when the decoded bytes are not XML.
    Allowed,
    /// The decoded bytes must be DEFLATE data.
    Required,
}

pub(super) struct Payload {
    pub(super) bytes: Vec<u8>,
    pub(super) compression: Option<Compression>,
    pub(super) notes: Vec<String>,
    /// Whether `bytes` were already found to be plausible text (so it is not judged twice).
    plausible: bool,
}

impl Payload {
    /// XML carried as it is (form-decoded, not base64): WS-Federation's `wresult`.
    pub(super) fn plain_xml(bytes: Vec<u8>) -> Payload {
        Payload {
            bytes,
            compression: None,
            notes: Vec::new(),
            plausible: true,
        }
    }
}

pub(super) fn message_from_payload(
    form: InputForm,
    payload: Payload,
    origin: Origin,
) -> Result<DecodedMessage, DecodeError> {
    let OwnedXmlText {
        xml,
        encoding_note,
        original_bytes,
    } = xml_text_from_owned(payload.bytes)?;
    Ok(DecodedMessage {
        form,
        binding: None,
        parameter: None,
        relay_state: None,
        redirect_signature: None,
        origin,
        original_bytes,
        xml,
        encoding_note,
        compression: payload.compression,
        notes: payload.notes,
    })
}

/// Decodes base64 text (then DEFLATE, per `inflate`) into the message bytes.
pub(super) fn decode_payload(
    text: &str,
    inflate: Inflate,
    limits: &Limits,
) -> Result<Payload, DecodeError> {
    // Spaces between base64 characters with no '+' anywhere: a form-decoding step most likely
    // turned each '+' into a space. Try that reading first, and keep whichever gives sane text.
    let restored = restore_plus(text);
    let mut attempts: Vec<(&str, bool)> = vec![(text, false)];
    if let Some(restored) = restored.as_deref() {
        if text.contains('+') {
            attempts.push((restored, true));
        } else {
            attempts.insert(0, (restored, true));
        }
    }
    let mut first: Option<Result<Payload, DecodeError>> = None;
    for (candidate, is_restored) in attempts {
        let result = decode_payload_once(candidate, inflate, limits);
        if let Ok(payload) = &result {
            if payload.plausible || plausible_text(&payload.bytes) {
                let mut payload = result?;
                if is_restored {
                    payload.notes.insert(
                        0,
                        "spaces in the base64 text were read as '+' (a form-decoding step had turned '+' into spaces)".into(),
                    );
                }
                return Ok(payload);
            }
        }
        if matches!(result, Err(DecodeError::InflateLimit { .. })) {
            return result;
        }
        if first.is_none() {
            first = Some(result);
        }
    }
    first.unwrap_or(Err(DecodeError::Base64Empty))
}

/// `text` with spaces that sit between two base64 characters turned back into `+`, when there
/// are such spaces.
fn restore_plus(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    memchr::memchr(b' ', bytes)?;
    let mut changed = false;
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let between = b == b' '
            && i > 0
            && bytes.get(i - 1).copied().is_some_and(is_base64_char)
            && bytes
                .get(i + 1)
                .copied()
                .is_some_and(|next| is_base64_char(next) || next == b'=');
        if between {
            changed = true;
            out.push(b'+');
        } else {
            out.push(b);
        }
    }
    if changed {
        String::from_utf8(out).ok()
    } else {
        None
    }
}

fn decode_payload_once(
    text: &str,
    inflate: Inflate,
    limits: &Limits,
) -> Result<Payload, DecodeError> {
    let (decoded, notes) = decode_base64(text, limits)?;
    payload_from_decoded(decoded, notes, inflate, limits)
}

/// [`decode_payload`] of canonical, padded base64 of the standard alphabet (what browsers
/// post), decoded once: `None` when `text` is not that, or too long to decode here, and the
/// general readers must judge it.
pub(super) fn decode_canonical_payload(
    text: &str,
    inflate: Inflate,
    limits: &Limits,
) -> Option<Result<Payload, DecodeError>> {
    // Such text has no spaces, so `decode_payload` would try it once, as is.
    if !text.len().is_multiple_of(4) || !decodes_within_limit(text, limits) {
        return None;
    }
    let decoded = decode_canonical(text.as_bytes())?;
    Some(payload_from_decoded(decoded, Vec::new(), inflate, limits))
}

fn payload_from_decoded(
    decoded: Vec<u8>,
    mut notes: Vec<String>,
    inflate: Inflate,
    limits: &Limits,
) -> Result<Payload, DecodeError> {
    let is_xml = looks_like_xml(&decoded);
    let plain = |notes: Vec<String>, decoded: Vec<u8>| Payload {
        bytes: decoded,
        compression: None,
        notes,
        plausible: false,
    };
    match inflate {
        Inflate::Never => {
            if is_xml {
                Ok(plain(notes, decoded))
            } else {
                Err(DecodeError::NotXml {
                    start: preview(&decoded),
                    inflate: String::new(),
                })
            }
        }
        Inflate::Allowed if is_xml && plausible_text(&decoded) => {
            let mut payload = plain(notes, decoded);
            payload.plausible = true;
            Ok(payload)
        }
        Inflate::Allowed | Inflate::Required => {
            match inflate_any(&decoded, limits.max_inflated_bytes) {
                Ok((inflated, compression, inflate_notes)) => {
                    if looks_like_xml(&inflated) {
                        notes.extend(inflate_notes);
                        Ok(Payload {
                            bytes: inflated,
                            compression: Some(compression),
                            notes,
                            plausible: false,
                        })
                    } else if is_xml && inflate == Inflate::Allowed {
                        Ok(plain(notes, decoded))
                    } else {
                        Err(DecodeError::InflatedNotXml {
                            start: preview(&inflated),
                        })
                    }
                }
                Err(err @ DecodeError::InflateLimit { .. }) => Err(err),
                Err(_) if is_xml && inflate == Inflate::Allowed => Ok(plain(notes, decoded)),
                Err(err) if inflate == Inflate::Required => {
                    if is_xml {
                        Err(err.context("base64 decoded to XML, not DEFLATE data (use base64)"))
                    } else {
                        Err(err)
                    }
                }
                Err(err) => Err(DecodeError::NotXml {
                    start: preview(&decoded),
                    inflate: format!("; it is not DEFLATE data either ({err})"),
                }),
            }
        }
    }
}

/// Inflates raw DEFLATE, tolerating zlib and gzip wrappers, never producing more than `limit`
/// bytes.
fn inflate_any(
    data: &[u8],
    limit: usize,
) -> Result<(Vec<u8>, Compression, Vec<String>), DecodeError> {
    const WRAPPER_NOTE: &str =
        "around the DEFLATE data; the SAML bindings expect raw DEFLATE (RFC 1951), and some receivers reject anything else";
    if data.starts_with(&[0x1F, 0x8B]) {
        let start = gzip_header_len(data)?;
        let body = data.get(start..).unwrap_or_default();
        let (out, _) = inflate_stream(body, false, limit)?;
        return Ok((
            out,
            Compression::Gzip,
            vec![format!("gzip wrapper {WRAPPER_NOTE}")],
        ));
    }
    if is_zlib_header(data) {
        match inflate_stream(data, true, limit) {
            Ok((out, rest)) => {
                let mut notes = vec![format!("zlib header and checksum {WRAPPER_NOTE}")];
                notes.extend(trailing_note(rest));
                return Ok((out, Compression::Zlib, notes));
            }
            Err(err @ DecodeError::InflateLimit { .. }) => return Err(err),
            // A raw stream can begin with bytes that pass the zlib header check.
            Err(_) => {}
        }
    }
    let (out, rest) = inflate_stream(data, false, limit)?;
    Ok((
        out,
        Compression::Deflate,
        trailing_note(rest).into_iter().collect(),
    ))
}

fn trailing_note(rest: usize) -> Option<String> {
    (rest > 0).then(|| format!("{rest} bytes after the end of the DEFLATE data were ignored"))
}

fn is_zlib_header(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => {
            cmf & 0x0F == 8
                && cmf >> 4 <= 7
                && flg & 0x20 == 0
                && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

fn gzip_header_len(data: &[u8]) -> Result<usize, DecodeError> {
    let flags = match data.get(..10) {
        Some([0x1F, 0x8B, 8, flags, ..]) => *flags,
        _ => return Err(DecodeError::GzipHeader),
    };
    let mut pos = 10usize;
    if flags & 0x04 != 0 {
        let len = data
            .get(pos..pos + 2)
            .map(|b| usize::from(b[0]) | usize::from(b[1]) << 8)
            .ok_or(DecodeError::GzipHeader)?;
        pos += 2 + len;
    }
    for flag in [0x08, 0x10] {
        if flags & flag != 0 {
            let end = data
                .get(pos..)
                .and_then(|rest| rest.iter().position(|&b| b == 0))
                .ok_or(DecodeError::GzipHeader)?;
            pos += end + 1;
        }
    }
    if flags & 0x02 != 0 {
        pos += 2;
    }
    if pos > data.len() {
        return Err(DecodeError::GzipHeader);
    }
    Ok(pos)
}

/// Inflates one stream in bounded steps; returns the output and how many input bytes were left
/// after the end of the stream.
fn inflate_stream(data: &[u8], zlib: bool, limit: usize) -> Result<(Vec<u8>, usize), DecodeError> {
    let mut inflater = Decompress::new(zlib);
    let mut out: Vec<u8> = Vec::new();
    loop {
        if out.len() > limit {
            return Err(DecodeError::InflateLimit { limit });
        }
        if out.len() == out.capacity() {
            // Grow geometrically, but never past one byte over the limit: that byte is how a
            // bomb is recognised without inflating it.
            let room = limit.saturating_add(1) - out.len();
            out.reserve_exact(out.len().clamp(4096, 1 << 20).min(room));
        }
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let input = data.get(consumed..).unwrap_or_default();
        let out_before = out.len();
        let status = inflater
            .decompress_vec(input, &mut out, FlushDecompress::None)
            .map_err(|_| DecodeError::InflateCorrupt {
                offset: usize::try_from(inflater.total_in()).unwrap_or(usize::MAX),
                produced: out.len(),
            })?;
        let consumed_now = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        match status {
            Status::StreamEnd => {
                if out.len() > limit {
                    return Err(DecodeError::InflateLimit { limit });
                }
                return Ok((out, data.len().saturating_sub(consumed_now)));
            }
            Status::Ok | Status::BufError => {
                let progressed = consumed_now != consumed || out.len() != out_before;
                if !progressed && out.len() < out.capacity() {
                    return Err(DecodeError::InflateTruncated {
                        produced: out.len(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zlib_header_check() {
        assert!(is_zlib_header(&[0x78, 0x9C]));
        assert!(is_zlib_header(&[0x78, 0xDA]));
        assert!(!is_zlib_header(&[0x78, 0x00]));
        assert!(!is_zlib_header(&[0x78]));
    }

    #[test]
    fn plus_is_restored_only_between_base64_characters() {
        assert_eq!(restore_plus("ab cd").as_deref(), Some("ab+cd"));
        assert_eq!(restore_plus("abcd \nef"), None);
        assert_eq!(restore_plus(" abcd"), None);
    }
}
