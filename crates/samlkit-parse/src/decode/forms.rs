//! Detection of the input's form, and decoding in the form found or forced: XML, an HTML
//! auto-submit page, base64, URL-encoded base64, a URL, a form body.

use std::borrow::Cow;

use crate::xml::Limits;

use super::capture::decode_json;
use super::encoding::{decode_strict, starts_like_xml, xml_text_from_bytes};
use super::html;
use super::params::{
    decode_params, lookup, parse_pairs, seen_names, url_decode_value, Lookup, Param,
};
use super::payload::{
    decode_canonical_payload, decode_payload, message_from_payload, Inflate, Payload,
};
use super::recognise::{
    is_base64_like, is_loose_base64, is_url_encoded_base64, is_url_like, looks_like_pairs,
    trim_bytes,
};
use super::{hex_bytes, preview, Binding, DecodeError, DecodedMessage, InputForm, Origin};

pub(super) fn detect(bytes: &[u8], limits: &Limits) -> Result<Vec<DecodedMessage>, DecodeError> {
    if starts_like_xml(bytes) {
        if let Some(page) = html_page(bytes) {
            return decode_html_form(&page, limits).map(|m| vec![m]);
        }
        return decode_xml(bytes).map(|m| vec![m]);
    }
    let input = match InputText::read(bytes) {
        Ok(input) => input,
        Err(_) => {
            return Err(DecodeError::Unrecognized {
                start: preview(trim_bytes(bytes)),
            })
        }
    };
    let (text, base) = input.trimmed();
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut messages =
        if let Some(payload) = decode_canonical_payload(text, Inflate::Allowed, limits) {
            // What the checks below would conclude, found by decoding it.
            vec![plain_base64_message(payload.map_err(|e| e.shifted(base))?)?]
        } else if text.starts_with('{') {
            decode_json(text, None, limits)?
        } else if is_url_like(text) {
            vec![decode_url(text, limits)?]
        } else if is_base64_like(text) {
            vec![decode_plain_base64(text, base, Inflate::Allowed, limits)?]
        } else if looks_like_pairs(text) {
            // Before URL-encoded base64: `SAMLResponse=<percent-encoded base64>` alone is a form
            // body, though its characters would also pass for URL-encoded base64.
            vec![decode_pairs(text, None, limits)?]
        } else if is_url_encoded_base64(text) {
            vec![decode_url_encoded_base64(text, limits)?]
        } else if is_loose_base64(text) {
            // Base64 with '=' inside: let the decoder say where the two values meet.
            vec![decode_plain_base64(text, base, Inflate::Allowed, limits)?]
        } else {
            return Err(DecodeError::Unrecognized {
                start: preview(text.as_bytes()),
            });
        };
    input.annotate(&mut messages);
    Ok(messages)
}

pub(super) fn decode_as(
    bytes: &[u8],
    form: InputForm,
    limits: &Limits,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    if form == InputForm::Xml {
        if !starts_like_xml(bytes) {
            return Err(DecodeError::mismatch(format!(
                "the input does not start with '<' (starts with {})",
                preview(trim_bytes(bytes))
            )));
        }
        return decode_xml(bytes).map(|m| vec![m]);
    }
    let input = InputText::read(bytes)?;
    let (text, base) = input.trimmed();
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut messages = match form {
        // Read as bytes above, never as text.
        InputForm::Xml => return decode_xml(bytes).map(|m| vec![m]),
        InputForm::Base64 => vec![decode_plain_base64(text, base, Inflate::Never, limits)?],
        InputForm::Base64Deflate => {
            vec![decode_plain_base64(text, base, Inflate::Required, limits)?]
        }
        InputForm::UrlEncodedBase64 => vec![decode_url_encoded_base64(text, limits)?],
        InputForm::FormBody => {
            if is_url_like(text) && !text.starts_with('?') {
                return Err(DecodeError::mismatch(
                    "the input is a URL, not a form body (use redirect-url)",
                ));
            }
            let body = text.strip_prefix('?').unwrap_or(text);
            vec![decode_pairs(body, Some(Binding::HttpPost), limits)?]
        }
        InputForm::RedirectUrl => {
            if is_url_like(text) {
                vec![decode_url(text, limits)?]
            } else if text.contains('=') && !is_base64_like(text) {
                vec![decode_pairs(text, Some(Binding::HttpRedirect), limits)?]
            } else {
                return Err(DecodeError::mismatch(format!(
                    "the input is neither a URL nor a query string (starts with {})",
                    preview(text.as_bytes())
                )));
            }
        }
        InputForm::HtmlForm => vec![decode_html_form(text, limits)?],
        InputForm::Har | InputForm::SamlTracer => {
            if !text.starts_with('{') {
                return Err(DecodeError::mismatch(format!(
                    "the input is not a JSON object (starts with {})",
                    preview(text.as_bytes())
                )));
            }
            decode_json(text, Some(form), limits)?
        }
    };
    input.annotate(&mut messages);
    Ok(messages)
}

/// The input as text when it is an HTML page rather than an XML message.
fn html_page(bytes: &[u8]) -> Option<String> {
    // Judged on the first bytes (UTF-16 aside), so that an XML message, however large, is not
    // copied just to find out.
    let head = &bytes[..bytes.len().min(4096)];
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if !utf16 {
        let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
        if !html::looks_like_html(&String::from_utf8_lossy(head)) {
            return None;
        }
    }
    let input = InputText::read(bytes).ok()?;
    html::looks_like_html(&input.text).then(|| input.text.into_owned())
}

/// The message in an HTTP-POST auto-submit page: the form's `SAMLResponse` or `SAMLRequest`
/// input, with its RelayState, and the form's action and method as where it was going.
fn decode_html_form(page: &str, limits: &Limits) -> Result<DecodedMessage, DecodeError> {
    const WHAT: &str = "HTML form";
    let form = html::read_form(page);
    let params: Vec<Param<'_>> = form
        .inputs
        .iter()
        .map(|(name, value)| Param {
            name: name.clone(),
            raw: value.as_str(),
        })
        .collect();
    let found = match lookup(&params, WHAT)? {
        // A page's values are base64 as is (entities were decoded), never URL-encoded.
        Lookup::Message(mut sp) => {
            sp.form_encoded = false;
            let binding = match form.method.as_deref() {
                Some("GET") => None,
                _ => Some(Binding::HttpPost),
            };
            decode_params(&sp, binding, limits)?
        }
        Lookup::Artifact => return Err(DecodeError::Artifact { what: WHAT }),
        Lookup::Nothing => {
            return Err(DecodeError::NoSamlParameter {
                what: WHAT,
                seen: seen_names(&params),
            })
        }
    };
    let origin = Origin {
        url: form.action.clone(),
        method: form.method.clone(),
        ..Origin::default()
    };
    found.into_message(InputForm::HtmlForm, origin)
}

/// The input read as text for the non-XML forms, with how it was read.
pub(super) struct InputText<'b> {
    /// Borrowed from the input when it is UTF-8 already (nearly always): no copy is made.
    text: Cow<'b, str>,
    note: Option<&'static str>,
    /// Offset of `text` in the input bytes (the length of a removed UTF-8 byte-order mark).
    base: usize,
}

impl<'b> InputText<'b> {
    fn read(bytes: &'b [u8]) -> Result<InputText<'b>, DecodeError> {
        // Text saved by Windows tools (Notepad, PowerShell) may be UTF-16 with a byte-order mark.
        for (bom, enc, note) in [
            (
                &[0xFF, 0xFE][..],
                encoding_rs::UTF_16LE,
                "the input file was UTF-16LE text",
            ),
            (
                &[0xFE, 0xFF][..],
                encoding_rs::UTF_16BE,
                "the input file was UTF-16BE text",
            ),
        ] {
            if let Some(rest) = bytes.strip_prefix(bom) {
                let text = decode_strict(enc, rest, bom.len(), "")?;
                return Ok(InputText {
                    text: Cow::Owned(text),
                    note: Some(note),
                    base: 0,
                });
            }
        }
        let (rest, base) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
            Some(rest) => (rest, 3),
            None => (bytes, 0),
        };
        match std::str::from_utf8(rest) {
            Ok(text) => Ok(InputText {
                text: Cow::Borrowed(text),
                note: None,
                base,
            }),
            Err(err) => {
                let at = err.valid_up_to();
                let len = err.error_len().unwrap_or(rest.len() - at).clamp(1, 4);
                Err(DecodeError::NotText {
                    offset: base + at,
                    bytes: hex_bytes(rest.get(at..at + len).unwrap_or_default()),
                })
            }
        }
    }

    /// The text without surrounding whitespace, and its offset in the input bytes.
    fn trimmed(&self) -> (&str, usize) {
        let start = self.text.len() - self.text.trim_start().len();
        (self.text.trim(), self.base + start)
    }

    fn annotate(&self, messages: &mut [DecodedMessage]) {
        if let Some(note) = self.note {
            for message in messages {
                message.notes.insert(0, note.to_string());
            }
        }
    }
}

fn decode_xml(bytes: &[u8]) -> Result<DecodedMessage, DecodeError> {
    let (xml, encoding_note) = xml_text_from_bytes(bytes)?;
    Ok(DecodedMessage {
        form: InputForm::Xml,
        binding: None,
        parameter: None,
        relay_state: None,
        redirect_signature: None,
        origin: Origin::default(),
        original_bytes: (xml.as_bytes() != bytes).then(|| bytes.to_vec()),
        xml,
        encoding_note,
        compression: None,
        notes: Vec::new(),
    })
}

fn decode_plain_base64(
    text: &str,
    base: usize,
    inflate: Inflate,
    limits: &Limits,
) -> Result<DecodedMessage, DecodeError> {
    if inflate == Inflate::Never || inflate == Inflate::Required {
        if let Some(offset) = text.find('%') {
            return Err(DecodeError::Base64Char {
                found: "'%'".into(),
                offset: base + offset,
            }
            .context("the text is URL-encoded (use url-encoded-base64)"));
        }
    }
    let payload = decode_payload(text, inflate, limits).map_err(|e| e.shifted(base))?;
    plain_base64_message(payload)
}

fn plain_base64_message(payload: Payload) -> Result<DecodedMessage, DecodeError> {
    let form = if payload.compression.is_some() {
        InputForm::Base64Deflate
    } else {
        InputForm::Base64
    };
    message_from_payload(form, payload, Origin::default())
}

fn decode_url_encoded_base64(text: &str, limits: &Limits) -> Result<DecodedMessage, DecodeError> {
    let (value, twice) = url_decode_value(text);
    let mut payload = decode_payload(&value, Inflate::Allowed, limits)
        .map_err(|e| e.context("the URL-decoded text"))?;
    if twice {
        payload
            .notes
            .insert(0, "the text was URL-encoded twice".into());
    }
    message_from_payload(InputForm::UrlEncodedBase64, payload, Origin::default())
}

fn decode_url(text: &str, limits: &Limits) -> Result<DecodedMessage, DecodeError> {
    let without_fragment = text.split('#').next().unwrap_or(text);
    let query = match without_fragment.split_once('?') {
        Some((_, query)) => query,
        None => {
            return Err(DecodeError::NoSamlParameter {
                what: "URL",
                seen: " (it has no query string)".into(),
            })
        }
    };
    let params = parse_pairs(query);
    let found = match lookup(&params, "URL")? {
        Lookup::Message(sp) => decode_params(&sp, Some(Binding::HttpRedirect), limits)?,
        Lookup::Artifact => return Err(DecodeError::Artifact { what: "URL" }),
        Lookup::Nothing => {
            return Err(DecodeError::NoSamlParameter {
                what: "URL",
                seen: seen_names(&params),
            })
        }
    };
    found.into_message(InputForm::RedirectUrl, Origin::default())
}

fn decode_pairs(
    text: &str,
    binding: Option<Binding>,
    limits: &Limits,
) -> Result<DecodedMessage, DecodeError> {
    let what = if binding == Some(Binding::HttpRedirect) {
        "query string"
    } else {
        "form body"
    };
    let params = parse_pairs(text);
    let found = match lookup(&params, what)? {
        Lookup::Message(sp) => decode_params(&sp, binding, limits)?,
        Lookup::Artifact => return Err(DecodeError::Artifact { what }),
        Lookup::Nothing => {
            return Err(DecodeError::NoSamlParameter {
                what,
                seen: seen_names(&params),
            })
        }
    };
    let form = match found.binding {
        Binding::HttpRedirect => InputForm::RedirectUrl,
        Binding::HttpPost | Binding::HttpPostSimpleSign => InputForm::FormBody,
    };
    found.into_message(form, Origin::default())
}
