//! Turns one captured input into the XML text of each SAML message it holds.
//!
//! An administrator pastes whatever they captured: the XML itself, the base64 value of a
//! `SAMLResponse` copied from browser dev tools, a whole form body, an HTTP-Redirect URL, a HAR
//! file or a SAML-tracer export. [`decode_input`] recognises the form (or takes the one the user
//! forced), finds every message and decodes it down to XML text, keeping the facts later steps
//! need: binding, RelayState, the Redirect-binding signature with its exact signed octets, and
//! where in a capture the message was found.
//!
//! Detection order (first match wins), after skipping leading whitespace:
//!
//! 1. empty input → [`DecodeError::Empty`];
//! 2. `<` (UTF-8, with or without byte-order mark, or UTF-16 with or without one) → an HTML page
//!    (a doctype, `<html>`, `<form>`, … first) → [`InputForm::HtmlForm`], the auto-submit page
//!    of the HTTP-POST binding; otherwise [`InputForm::Xml`];
//! 3. `{` → JSON: `log.entries` → [`InputForm::Har`], `requests` → [`InputForm::SamlTracer`];
//! 4. `http://`, `https://`, `?…` or `host/path?…` → [`InputForm::RedirectUrl`];
//! 5. only base64 characters and whitespace → [`InputForm::Base64`], or
//!    [`InputForm::Base64Deflate`] when the decoded bytes had to be inflated;
//! 6. base64 characters with `%XX` escapes → [`InputForm::UrlEncodedBase64`];
//! 7. `name=value&…` pairs with a SAML parameter → [`InputForm::FormBody`] (HTTP-POST, or
//!    HTTP-POST-SimpleSign when `SigAlg`/`Signature` come with an uncompressed message), or
//!    [`InputForm::RedirectUrl`] when it carries `SAMLEncoding` or the value is
//!    DEFLATE-compressed (an HTTP-Redirect query string without the `?`);
//! 8. base64 characters with `=` inside → base64, so the error can point at the `=`;
//! 9. anything else → [`DecodeError::Unrecognized`].
//!
//! A `+` inside a SAML parameter value is always read as the base64 character it almost
//! certainly is (browsers send it as `%2B`; a space is never meaningful in base64). When a value
//! has spaces between base64 characters and no `+`, a form-decoding step probably turned every
//! `+` into a space; both readings are tried and the one that yields well-formed text wins.
//! RelayState, which is ordinary text, is form-decoded (`+` is a space).

use std::collections::HashSet;
use std::fmt;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use encoding_rs::{DecoderResult, Encoding};
use flate2::{Decompress, FlushDecompress, Status};
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::xml::Limits;

mod html;

/// How an input (or one message inside it) was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputForm {
    /// The XML text itself.
    Xml,
    /// Base64 of the XML (as in an HTTP-POST `SAMLResponse` value).
    Base64,
    /// Base64 of DEFLATE-compressed XML (HTTP-Redirect encoding, or a compressed POST body).
    Base64Deflate,
    /// Base64 that is also URL-encoded (`%2B`, `%2F`, `%3D`).
    UrlEncodedBase64,
    /// A whole `application/x-www-form-urlencoded` body: `SAMLResponse=…&RelayState=…`.
    FormBody,
    /// An HTTP-Redirect binding URL, or just its query string.
    RedirectUrl,
    /// A HAR (HTTP Archive 1.2) file saved from browser dev tools.
    Har,
    /// A JSON export of the SAML-tracer browser extension.
    SamlTracer,
    /// The HTML auto-submit page of the HTTP-POST binding (a form with a `SAMLResponse` or
    /// `SAMLRequest` input), saved from the browser.
    HtmlForm,
}

impl InputForm {
    /// Every form, in detection order of the kinds they belong to.
    pub const ALL: &[InputForm] = &[
        InputForm::Xml,
        InputForm::Base64,
        InputForm::Base64Deflate,
        InputForm::UrlEncodedBase64,
        InputForm::FormBody,
        InputForm::RedirectUrl,
        InputForm::Har,
        InputForm::SamlTracer,
        InputForm::HtmlForm,
    ];

    /// The name used on the command line and in JSON output (`base64-deflate`, …).
    pub fn name(self) -> &'static str {
        match self {
            InputForm::Xml => "xml",
            InputForm::Base64 => "base64",
            InputForm::Base64Deflate => "base64-deflate",
            InputForm::UrlEncodedBase64 => "url-encoded-base64",
            InputForm::FormBody => "form-body",
            InputForm::RedirectUrl => "redirect-url",
            InputForm::Har => "har",
            InputForm::SamlTracer => "saml-tracer",
            InputForm::HtmlForm => "html-form",
        }
    }

    /// Reads a form name: the canonical [`name`](Self::name) or a few obvious aliases
    /// (`url`, `redirect`, `form`, `post`, `deflate`, `tracer`, `b64`), in any case, with `_`
    /// or `-`.
    pub fn from_name(s: &str) -> Option<Self> {
        let normalized = s.trim().to_ascii_lowercase().replace('_', "-");
        if let Some(form) = InputForm::ALL.iter().find(|f| f.name() == normalized) {
            return Some(*form);
        }
        Some(match normalized.as_str() {
            "b64" => InputForm::Base64,
            "deflate" | "b64-deflate" | "base64deflate" => InputForm::Base64Deflate,
            "url-encoded" | "urlencoded" | "urlencoded-base64" => InputForm::UrlEncodedBase64,
            "form" | "post" | "formbody" => InputForm::FormBody,
            "url" | "redirect" | "query" | "query-string" => InputForm::RedirectUrl,
            "tracer" | "samltracer" => InputForm::SamlTracer,
            "html" | "page" | "htmlform" | "html-page" => InputForm::HtmlForm,
            _ => return None,
        })
    }
}

impl fmt::Display for InputForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The SAML binding a message travelled by, when the input shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    HttpPost,
    HttpRedirect,
    /// HTTP-POST-SimpleSign: a POST form whose `SigAlg` and `Signature` fields sign the
    /// message text itself instead of an XML signature inside it.
    HttpPostSimpleSign,
}

/// The compression a message was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compression {
    /// Raw DEFLATE (RFC 1951), as the HTTP-Redirect binding prescribes.
    Deflate,
    /// DEFLATE inside a zlib header and checksum (RFC 1950); tolerated, but not what SAML says.
    Zlib,
    /// DEFLATE inside a gzip wrapper (RFC 1952); tolerated, but not what SAML says.
    Gzip,
}

/// Where in a capture a message was found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Origin {
    /// Position of the request in a HAR or SAML-tracer capture, 1-based.
    pub index: Option<usize>,
    pub url: Option<String>,
    pub method: Option<String>,
    /// `startedDateTime` (HAR) or a per-request `timestamp` (SAML-tracer), as found.
    pub time: Option<String>,
}

/// The HTTP-Redirect binding signature of a message (SAML bindings §3.4.4.1).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RedirectSignature {
    /// The `SigAlg` URI, URL-decoded.
    pub sig_alg: String,
    /// The `Signature` value: base64 as received, URL-decoded.
    pub signature: String,
    /// The octets the signature was computed over, `SAMLRequest=…&RelayState=…&SigAlg=…` (or
    /// `SAMLResponse=…`), RelayState only when present. HTTP-Redirect: the still URL-encoded
    /// values as they appeared in the query. HTTP-POST-SimpleSign: the message's XML text and
    /// the fields' values as the form carried them.
    pub signed_octets: String,
}

/// One message found in the input, decoded down to XML text.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DecodedMessage {
    /// How this message was found or decoded.
    pub form: InputForm,
    pub binding: Option<Binding>,
    /// `SAMLResponse` / `SAMLRequest` when the message came from a parameter.
    pub parameter: Option<String>,
    pub relay_state: Option<String>,
    pub redirect_signature: Option<RedirectSignature>,
    pub origin: Origin,
    /// The decoded message bytes exactly (before any transcoding).
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// The message as UTF-8 text (transcoded when needed).
    pub xml: String,
    /// How the text was obtained from the bytes, when that was not plain UTF-8.
    pub encoding_note: Option<String>,
    /// The compression the message was found in, if any.
    pub compression: Option<Compression>,
    /// Other facts noticed while decoding that may explain a failed sign-in (a zlib wrapper, a
    /// compressed POST body, the URL-safe base64 alphabet, …).
    pub notes: Vec<String>,
}

/// Why an input could not be decoded. Every message says what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    #[error("the input is empty")]
    Empty,
    #[error(
        "not XML, base64, a form body, a URL, a HAR or a SAML-tracer export (starts with {start})"
    )]
    Unrecognized { start: String },
    #[error("forced form {form}: {inner}")]
    Forced {
        form: InputForm,
        inner: Box<DecodeError>,
    },
    /// A failure inside one part of the input: a parameter, a HAR entry, a request body.
    #[error("{context}: {inner}")]
    Context {
        context: String,
        inner: Box<DecodeError>,
    },
    /// The input is not of the form it was forced to be.
    #[error("{reason}")]
    Mismatch { reason: String },
    #[error("the input is not UTF-8 text: invalid byte{s} {bytes} at byte offset {offset}", s = if bytes.contains(' ') { "s" } else { "" })]
    NotText { offset: usize, bytes: String },
    #[error("invalid base64: character {found} at offset {offset} is not in the base64 alphabet")]
    Base64Char { found: String, offset: usize },
    #[error("invalid base64: the padding '=' at offset {offset} is followed by more base64 text (two values run together?)")]
    Base64Padding { offset: usize },
    #[error("invalid base64: {count} base64 characters leave one character over, which cannot encode anything (cut short, or a stray character?)")]
    Base64Length { count: usize },
    #[error("invalid base64: there are no base64 characters")]
    Base64Empty,
    #[error("invalid base64: {detail}")]
    Base64 { detail: String },
    #[error("the input is {size} bytes, over the limit of {limit} bytes; refusing to read it")]
    InputTooLarge { size: usize, limit: usize },
    #[error("the base64 text decodes to about {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("base64 decoded, but the result is not XML (starts with {start}){inflate}")]
    NotXml { start: String, inflate: String },
    #[error("base64 decoded and inflated, but the result is not XML (starts with {start})")]
    InflatedNotXml { start: String },
    #[error("the DEFLATE data inflates to more than {limit} bytes; refusing to go on (decompression bomb?)")]
    InflateLimit { limit: usize },
    #[error("the DEFLATE data is corrupt at byte {offset} of the compressed data, after {produced} bytes of output")]
    InflateCorrupt { offset: usize, produced: usize },
    #[error("the DEFLATE data ends after {produced} bytes of output, before the end of the compressed stream (cut short?)")]
    InflateTruncated { produced: usize },
    #[error("the gzip header is cut short or malformed")]
    GzipHeader,
    #[error("the {what} has no SAMLRequest or SAMLResponse parameter{seen}")]
    NoSamlParameter { what: &'static str, seen: String },
    #[error("the {what} carries a SAMLart artifact (HTTP-Artifact binding): the message itself is not in it and must be fetched from the issuer's artifact resolution service")]
    Artifact { what: &'static str },
    #[error("the {what} has both a SAMLRequest and a SAMLResponse parameter; only one message can travel at a time")]
    BothParameters { what: &'static str },
    #[error("the parameter {name} appears {count} times in the {what}; it must appear once")]
    DuplicateParameter {
        name: &'static str,
        count: usize,
        what: &'static str,
    },
    #[error("the parameter {name} is empty")]
    EmptyParameter { name: &'static str },
    #[error("unknown character encoding {label:?} named in the XML declaration")]
    UnknownEncoding { label: String },
    #[error("the character encoding {label} is not supported")]
    UnsupportedEncoding { label: String },
    #[error("invalid {encoding} at byte offset {offset} (byte{s} {bytes}){hint}", s = if bytes.contains(' ') { "s" } else { "" })]
    InvalidBytes {
        encoding: String,
        offset: usize,
        bytes: String,
        hint: String,
    },
    #[error("invalid JSON at line {line}, column {column}: {detail}")]
    Json {
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("the JSON is neither a HAR file (no log.entries array) nor a SAML-tracer export (no requests array); its top-level {keys}")]
    UnknownJson { keys: String },
    #[error("no SAML message found in this HAR ({scanned} requests scanned)")]
    NoMessageInHar { scanned: usize },
    #[error("no SAML message found in this SAML-tracer export ({scanned} requests scanned)")]
    NoMessageInTracer { scanned: usize },
}

impl DecodeError {
    fn context(self, context: impl Into<String>) -> DecodeError {
        DecodeError::Context {
            context: context.into(),
            inner: Box::new(self),
        }
    }

    fn mismatch(reason: impl Into<String>) -> DecodeError {
        DecodeError::Mismatch {
            reason: reason.into(),
        }
    }

    /// Moves base64 offsets from a slice of the input to the whole input.
    fn shifted(self, base: usize) -> DecodeError {
        match self {
            DecodeError::Base64Char { found, offset } => DecodeError::Base64Char {
                found,
                offset: offset + base,
            },
            DecodeError::Base64Padding { offset } => DecodeError::Base64Padding {
                offset: offset + base,
            },
            other => other,
        }
    }
}

/// Decodes one input (a file or stdin) into the messages it holds, in order.
///
/// With `forced`, the input is read as that form only; an input that does not fit gets
/// [`DecodeError::Forced`] naming the form and why. Without it, the form is detected as
/// described in the [module documentation](self).
pub fn decode_input(
    bytes: &[u8],
    forced: Option<InputForm>,
    limits: &Limits,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    if is_blank(bytes) {
        return Err(DecodeError::Empty);
    }
    // Bound the work before anything is copied or parsed (the CLI also caps what it reads).
    if bytes.len() > limits.max_bytes {
        return Err(DecodeError::InputTooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    match forced {
        None => detect(bytes, limits),
        Some(form) => decode_as(bytes, form, limits).map_err(|err| match err {
            DecodeError::Empty => DecodeError::Empty,
            other => DecodeError::Forced {
                form,
                inner: Box::new(other),
            },
        }),
    }
}

/// Turns the bytes of one XML document into text.
///
/// A byte-order mark decides the encoding (UTF-8, UTF-16LE, UTF-16BE); without one, UTF-16 is
/// recognised from `<` next to a NUL byte; otherwise the XML declaration's `encoding` is used
/// (UTF-8 when absent) and the bytes are transcoded through `encoding_rs`. Unknown labels and
/// bytes invalid for the encoding are errors naming the label or the byte offset. Whitespace
/// before the XML declaration, which XML forbids but pasting often adds, is removed.
///
/// The second value notes what was done, when anything beyond reading UTF-8 was needed.
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

// ---------------------------------------------------------------------------------------------
// Detection and forced forms

fn detect(bytes: &[u8], limits: &Limits) -> Result<Vec<DecodedMessage>, DecodeError> {
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
    let mut messages = if text.starts_with('{') {
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

fn decode_as(
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
    html::looks_like_html(&input.text).then_some(input.text)
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
struct InputText {
    text: String,
    note: Option<&'static str>,
    /// Offset of `text` in the input bytes (the length of a removed UTF-8 byte-order mark).
    base: usize,
}

impl InputText {
    fn read(bytes: &[u8]) -> Result<InputText, DecodeError> {
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
                    text,
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
                text: text.to_owned(),
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
        bytes: bytes.to_vec(),
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

// ---------------------------------------------------------------------------------------------
// Recognising text forms

fn is_blank(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    bytes.iter().all(u8::is_ascii_whitespace)
}

fn trim_bytes(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

fn is_url_like(text: &str) -> bool {
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
const BASE64_CHAR: u8 = 1;
const BASE64_SPACE: u8 = 2;
const BASE64_CLASS: [u8; 256] = {
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

fn is_base64_char(b: u8) -> bool {
    BASE64_CLASS[b as usize] == BASE64_CHAR
}

fn is_base64_like(text: &str) -> bool {
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
fn all_bytes(bytes: &[u8], ok: impl Fn(u8) -> bool) -> bool {
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

fn is_loose_base64(text: &str) -> bool {
    text.bytes()
        .all(|b| is_base64_char(b) || b == b'=' || b.is_ascii_whitespace())
}

fn is_url_encoded_base64(text: &str) -> bool {
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

const SAML_PARAMETERS: [&str; 7] = [
    "SAMLRequest",
    "SAMLResponse",
    "RelayState",
    "SigAlg",
    "Signature",
    "SAMLart",
    "SAMLEncoding",
];

fn looks_like_pairs(text: &str) -> bool {
    if !text.contains('=') {
        return false;
    }
    parse_pairs(text)
        .iter()
        .any(|p| SAML_PARAMETERS.contains(&p.name.as_str()))
}

// ---------------------------------------------------------------------------------------------
// Parameters

/// One `name=value` pair: the name form-decoded, the value exactly as it appeared.
struct Param<'a> {
    name: String,
    raw: &'a str,
}

fn parse_pairs(query: &str) -> Vec<Param<'_>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            Param {
                name: form_decode(name.trim()),
                raw,
            }
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space.
fn form_decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// URL-decodes a base64 value, keeping `+` (see the module documentation). Decodes again when
/// the result is still URL-encoded, reporting it (`%252B` happens when a value is encoded twice).
fn url_decode_value(s: &str) -> (String, bool) {
    let once = percent_decode_str(s).decode_utf8_lossy().into_owned();
    if once.contains('%') && is_url_encoded_base64(&once) {
        (
            percent_decode_str(&once).decode_utf8_lossy().into_owned(),
            true,
        )
    } else {
        (once, false)
    }
}

fn seen_names(params: &[Param<'_>]) -> String {
    if params.is_empty() {
        return " (it has no parameters)".into();
    }
    let mut names: Vec<String> = Vec::new();
    for p in params {
        let shown = truncate(&p.name, 40);
        if !names.contains(&shown) {
            names.push(shown);
        }
        if names.len() == 10 {
            names.push("…".into());
            break;
        }
    }
    format!(" (its parameters: {})", names.join(", "))
}

/// The SAML parameters of one query string, form body or HTML form; values as they appeared
/// (URL-encoded unless `form_encoded` is false).
struct SamlParams<'a> {
    /// False for the inputs of an HTML page, whose values are plain text.
    form_encoded: bool,
    name: &'static str,
    value: &'a str,
    relay_state: Option<&'a str>,
    sig_alg: Option<&'a str>,
    signature: Option<&'a str>,
    encoding: Option<&'a str>,
}

impl SamlParams<'_> {
    /// A text field's value (RelayState, SigAlg) as the form control held it.
    fn text(&self, raw: &str) -> String {
        if self.form_encoded {
            form_decode(raw)
        } else {
            raw.to_string()
        }
    }
}

enum Lookup<'a> {
    Message(SamlParams<'a>),
    Artifact,
    Nothing,
}

fn lookup<'a>(params: &'a [Param<'a>], what: &'static str) -> Result<Lookup<'a>, DecodeError> {
    let one = |name: &'static str| -> Result<Option<&'a str>, DecodeError> {
        let mut found = params.iter().filter(|p| p.name == name);
        let first = found.next();
        let more = found.count();
        if more > 0 {
            return Err(DecodeError::DuplicateParameter {
                name,
                count: more + 1,
                what,
            });
        }
        Ok(first.map(|p| p.raw))
    };
    let request = one("SAMLRequest")?;
    let response = one("SAMLResponse")?;
    let (name, value) = match (request, response) {
        (Some(_), Some(_)) => return Err(DecodeError::BothParameters { what }),
        (Some(v), None) => ("SAMLRequest", v),
        (None, Some(v)) => ("SAMLResponse", v),
        (None, None) => {
            return Ok(if params.iter().any(|p| p.name == "SAMLart") {
                Lookup::Artifact
            } else {
                Lookup::Nothing
            })
        }
    };
    Ok(Lookup::Message(SamlParams {
        form_encoded: true,
        name,
        value,
        relay_state: one("RelayState")?,
        sig_alg: one("SigAlg")?,
        signature: one("Signature")?,
        encoding: one("SAMLEncoding")?,
    }))
}

const DEFLATE_ENCODING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE";

/// A message decoded from parameters, before its form and origin are known.
struct Found {
    parameter: &'static str,
    binding: Binding,
    relay_state: Option<String>,
    redirect_signature: Option<RedirectSignature>,
    payload: Payload,
}

impl Found {
    fn into_message(self, form: InputForm, origin: Origin) -> Result<DecodedMessage, DecodeError> {
        let parameter = self.parameter;
        let mut message = message_from_payload(form, self.payload, origin)
            .map_err(|e| e.context(format!("parameter {parameter}")))?;
        message.binding = Some(self.binding);
        message.parameter = Some(parameter.to_string());
        message.relay_state = self.relay_state;
        message.redirect_signature = self.redirect_signature;
        Ok(message)
    }
}

/// `SAMLRequest=…&RelayState=…&SigAlg=…` (or `SAMLResponse=…`), RelayState only when present:
/// the octets a binding's detached signature covers.
fn binding_octets(name: &str, message: &str, relay_state: Option<&str>, sig_alg: &str) -> String {
    let mut octets = format!("{name}={message}");
    if let Some(relay) = relay_state {
        octets.push_str("&RelayState=");
        octets.push_str(relay);
    }
    octets.push_str("&SigAlg=");
    octets.push_str(sig_alg);
    octets
}

/// Decodes the message of a parameter set. Without a `binding`: HTTP-Redirect when
/// `SAMLEncoding` or DEFLATE compression say so, HTTP-POST-SimpleSign when `SigAlg`/`Signature`
/// accompany an uncompressed message, HTTP-POST otherwise. An HTTP-POST form that carries
/// `SigAlg`/`Signature` is HTTP-POST-SimpleSign.
fn decode_params(
    sp: &SamlParams<'_>,
    binding: Option<Binding>,
    limits: &Limits,
) -> Result<Found, DecodeError> {
    let name = sp.name;
    let in_param = |e: DecodeError| e.context(format!("parameter {name}"));
    if sp.value.trim().is_empty() {
        return Err(DecodeError::EmptyParameter { name });
    }
    let (value, twice) = url_decode_value(sp.value);
    let mut payload = decode_payload(&value, Inflate::Allowed, limits).map_err(in_param)?;
    if twice {
        payload
            .notes
            .insert(0, format!("the {name} value was URL-encoded twice"));
    }
    let signed = sp.sig_alg.is_some() || sp.signature.is_some();
    let binding = match binding {
        Some(Binding::HttpPost) if signed => Binding::HttpPostSimpleSign,
        Some(binding) => binding,
        // DEFLATE belongs to HTTP-Redirect; a signature beside an uncompressed message is
        // what HTTP-POST-SimpleSign sends.
        None if sp.encoding.is_some() || payload.compression.is_some() => Binding::HttpRedirect,
        None if signed => Binding::HttpPostSimpleSign,
        None => Binding::HttpPost,
    };

    match (binding, payload.compression) {
        (Binding::HttpRedirect, None) => payload.notes.push(
            "the message is not DEFLATE-compressed, although the HTTP-Redirect binding requires it"
                .into(),
        ),
        (Binding::HttpPost | Binding::HttpPostSimpleSign, Some(_)) => payload.notes.push(
            "the message is DEFLATE-compressed, although the HTTP-POST binding sends plain base64 (some libraries accept it, most do not)"
                .into(),
        ),
        _ => {}
    }
    if let Some(raw) = sp.encoding {
        let encoding = form_decode(raw);
        if encoding != DEFLATE_ENCODING {
            payload.notes.push(format!(
                "SAMLEncoding is \"{encoding}\", not the DEFLATE encoding {DEFLATE_ENCODING}"
            ));
        }
    }

    let redirect_signature = match (binding, sp.sig_alg, sp.signature) {
        (Binding::HttpPost, _, _) => None,
        (_, Some(sig_alg), Some(signature)) => {
            let signed_octets = match binding {
                Binding::HttpRedirect => {
                    Some(binding_octets(name, sp.value, sp.relay_state, sig_alg))
                }
                _ => match std::str::from_utf8(&payload.bytes) {
                    Ok(xml) => Some(binding_octets(
                        name,
                        xml,
                        sp.relay_state.map(|r| sp.text(r)).as_deref(),
                        &sp.text(sig_alg),
                    )),
                    Err(_) => {
                        payload.notes.push(
                            "the SimpleSign signature cannot be checked: the message is not UTF-8 text"
                                .into(),
                        );
                        None
                    }
                },
            };
            signed_octets.map(|signed_octets| RedirectSignature {
                sig_alg: sp.text(sig_alg),
                signature: url_decode_value(signature).0,
                signed_octets,
            })
        }
        (_, Some(_), None) => {
            payload
                .notes
                .push("SigAlg is present but Signature is missing".into());
            None
        }
        (_, None, Some(_)) => {
            payload
                .notes
                .push("Signature is present but SigAlg is missing".into());
            None
        }
        (_, None, None) => None,
    };

    Ok(Found {
        parameter: name,
        binding,
        relay_state: sp.relay_state.map(|r| sp.text(r)),
        redirect_signature,
        payload,
    })
}

// ---------------------------------------------------------------------------------------------
// base64 and DEFLATE

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inflate {
    /// Plain base64 only.
    Never,
    /// Inflate when the decoded bytes are not XML.
    Allowed,
    /// The decoded bytes must be DEFLATE data.
    Required,
}

struct Payload {
    bytes: Vec<u8>,
    compression: Option<Compression>,
    notes: Vec<String>,
    /// Whether `bytes` were already found to be plausible text (so it is not judged twice).
    plausible: bool,
}

fn message_from_payload(
    form: InputForm,
    payload: Payload,
    origin: Origin,
) -> Result<DecodedMessage, DecodeError> {
    let (xml, encoding_note) = xml_text_from_bytes(&payload.bytes)?;
    Ok(DecodedMessage {
        form,
        binding: None,
        parameter: None,
        relay_state: None,
        redirect_signature: None,
        origin,
        bytes: payload.bytes,
        xml,
        encoding_note,
        compression: payload.compression,
        notes: payload.notes,
    })
}

/// Decodes base64 text (then DEFLATE, per `inflate`) into the message bytes.
fn decode_payload(text: &str, inflate: Inflate, limits: &Limits) -> Result<Payload, DecodeError> {
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
    let (decoded, mut notes) = decode_base64(text, limits)?;
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

/// Decodes base64 as copied from anywhere: either alphabet, any whitespace, padding optional.
fn decode_base64(text: &str, limits: &Limits) -> Result<(Vec<u8>, Vec<String>), DecodeError> {
    // Fast path: one unbroken run of the standard alphabet, as browsers post it. Anything else
    // (folding, URL-safe alphabet, stray characters) goes through the tolerant scan below,
    // which also says precisely what is wrong.
    let trimmed = text.trim_ascii();
    if trimmed.len() / 4 * 3 <= limits.max_inflated_bytes {
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

// ---------------------------------------------------------------------------------------------
// Text encodings

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
fn decode_strict(
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

fn strip_space_before_declaration(text: String, notes: &mut Vec<String>) -> String {
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
fn starts_like_xml(bytes: &[u8]) -> bool {
    leading_chars(bytes).first() == Some(&b'<')
}

/// Stricter than [`starts_like_xml`]: `<` must open a tag, declaration, comment or
/// instruction, which tells XML from binary data that happens to start with `<`.
fn looks_like_xml(bytes: &[u8]) -> bool {
    match leading_chars(bytes).as_slice() {
        [b'<', next] => next.is_ascii_alphabetic() || matches!(next, b'_' | b':' | b'?' | b'!'),
        _ => false,
    }
}

/// Whether decoded bytes read as text without invalid sequences or control characters; used to
/// choose between readings of an ambiguous value (garbage from a wrong reading fails this).
fn plausible_text(bytes: &[u8]) -> bool {
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

// ---------------------------------------------------------------------------------------------
// JSON captures: HAR and SAML-tracer

fn decode_json(
    text: &str,
    forced: Option<InputForm>,
    limits: &Limits,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let root: Value = serde_json::from_str(text).map_err(|e| DecodeError::Json {
        line: e.line(),
        column: e.column(),
        detail: json_error_detail(&e),
    })?;
    let entries = root
        .get("log")
        .and_then(|log| log.get("entries"))
        .and_then(Value::as_array);
    let requests = root.get("requests").and_then(Value::as_array);
    match (forced, entries, requests) {
        (Some(InputForm::Har) | None, Some(entries), _) => decode_har(entries, limits),
        (Some(InputForm::SamlTracer) | None, _, Some(requests)) => decode_tracer(requests, limits),
        (Some(InputForm::Har), None, _) => Err(DecodeError::mismatch(
            "the JSON has no log.entries array, so it is not a HAR file",
        )),
        (Some(InputForm::SamlTracer), _, None) => Err(DecodeError::mismatch(
            "the JSON has no requests array, so it is not a SAML-tracer export",
        )),
        _ => Err(DecodeError::UnknownJson {
            keys: match root.as_object() {
                Some(object) if !object.is_empty() => format!(
                    "keys are: {}",
                    object
                        .keys()
                        .take(10)
                        .map(|k| truncate(k, 40))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(_) => "object is empty".into(),
                None => "value is not an object".into(),
            },
        }),
    }
}

fn json_error_detail(err: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; the variant already says where.
    let full = err.to_string();
    match full.rfind(" at line ") {
        Some(at) => full.get(..at).unwrap_or(&full).to_string(),
        None => full,
    }
}

fn json_str<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// A description of a captured request for error messages: `HAR entry 3 (POST https://…)`.
fn request_label(kind: &str, index: usize, method: Option<&str>, url: Option<&str>) -> String {
    let mut label = format!("{kind} {index}");
    match (method, url) {
        (Some(m), Some(u)) => label.push_str(&format!(" ({m} {})", truncate(u, 120))),
        (None, Some(u)) => label.push_str(&format!(" ({})", truncate(u, 120))),
        (Some(m), None) => label.push_str(&format!(" ({m})")),
        (None, None) => {}
    }
    label
}

/// The base64 value of a SAML parameter in a query, without URL-encoding or whitespace, to
/// recognise the same message seen twice (a redirect and the request that followed it).
fn message_key(params: &[Param<'_>]) -> Option<String> {
    let p = params
        .iter()
        .find(|p| p.name == "SAMLRequest" || p.name == "SAMLResponse")?;
    let value = url_decode_value(p.raw).0;
    Some(format!(
        "{}={}",
        p.name,
        value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    ))
}

fn query_of(url: &str) -> Option<&str> {
    let without_fragment = url.split('#').next().unwrap_or(url);
    without_fragment.split_once('?').map(|(_, q)| q)
}

/// Messages in the request URLs, request bodies and (when no request carries the same
/// message) redirect `Location`s of a HAR 1.2 capture, in entry order.
///
/// Body parameters are read from `postData.text` (decoded first when `postData.encoding` is
/// `base64`); when there is no text, from `postData.params`, whose values are URL-encoded by
/// some browsers and not by others — both are accepted.
fn decode_har(entries: &[Value], limits: &Limits) -> Result<Vec<DecodedMessage>, DecodeError> {
    // Messages the browser actually sent in a URL; a Location carrying one of them is the same
    // message, already reported from the request that followed the redirect.
    let mut sent: HashSet<String> = HashSet::new();
    for entry in entries {
        if let Some(query) = json_str(entry, "/request/url").and_then(query_of) {
            if let Some(key) = message_key(&parse_pairs(query)) {
                sent.insert(key);
            }
        }
    }

    let mut messages = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let index = i + 1;
        let url = json_str(entry, "/request/url");
        let method = json_str(entry, "/request/method");
        let label = request_label("HAR entry", index, method, url);
        let origin = Origin {
            index: Some(index),
            url: url.map(str::to_string),
            method: method.map(str::to_string),
            time: json_str(entry, "/startedDateTime").map(str::to_string),
        };

        if let Some(query) = url.and_then(query_of) {
            let params = parse_pairs(query);
            if let Some(message) =
                message_from_params(&params, "URL", Some(Binding::HttpRedirect), &origin, limits)
                    .map_err(|e| e.context(format!("{label}, URL")))?
            {
                messages.push(message);
            }
        }

        if let Some(post) = entry.pointer("/request/postData") {
            let body = har_body(post).map_err(|e| e.context(format!("{label}, request body")))?;
            let owned: Vec<(String, String)>;
            let params: Vec<Param<'_>> = match &body {
                Some(text) => parse_pairs(text),
                None => {
                    owned = post
                        .get("params")
                        .and_then(Value::as_array)
                        .map(|list| {
                            list.iter()
                                .filter_map(|p| {
                                    Some((
                                        p.get("name")?.as_str()?.to_string(),
                                        p.get("value")
                                            .and_then(Value::as_str)
                                            .unwrap_or("")
                                            .to_string(),
                                    ))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    owned
                        .iter()
                        .map(|(name, value)| Param {
                            name: name.clone(),
                            raw: value.as_str(),
                        })
                        .collect()
                }
            };
            if let Some(message) = message_from_params(
                &params,
                "request body",
                Some(Binding::HttpPost),
                &origin,
                limits,
            )
            .map_err(|e| e.context(format!("{label}, request body")))?
            {
                messages.push(message);
            }
        }

        if let Some(location) = har_location(entry) {
            if let Some(query) = query_of(location) {
                let params = parse_pairs(query);
                let already_sent = message_key(&params).is_some_and(|key| !sent.insert(key));
                if !already_sent {
                    let location_origin = Origin {
                        url: Some(location.to_string()),
                        method: None,
                        ..origin.clone()
                    };
                    if let Some(mut message) = message_from_params(
                        &params,
                        "Location",
                        Some(Binding::HttpRedirect),
                        &location_origin,
                        limits,
                    )
                    .map_err(|e| e.context(format!("{label}, response Location header")))?
                    {
                        message.notes.insert(
                            0,
                            format!("found in the Location header of the response to HAR entry {index}; no later request in the capture follows it"),
                        );
                        messages.push(message);
                    }
                }
            }
        }
    }
    for message in &mut messages {
        message.form = InputForm::Har;
    }
    if messages.is_empty() {
        return Err(DecodeError::NoMessageInHar {
            scanned: entries.len(),
        });
    }
    Ok(messages)
}

/// The request body text of a HAR entry, when it has one.
fn har_body(post: &Value) -> Result<Option<String>, DecodeError> {
    let Some(text) = post.get("text").and_then(Value::as_str) else {
        return Ok(None);
    };
    if text.is_empty() {
        return Ok(None);
    }
    if post.get("encoding").and_then(Value::as_str) == Some("base64") {
        let unlimited = Limits {
            max_inflated_bytes: usize::MAX,
            ..Limits::default()
        };
        let (bytes, _) = decode_base64(text, &unlimited)
            .map_err(|e| e.context("postData.text (encoding base64)"))?;
        return Ok(Some(String::from_utf8_lossy(&bytes).into_owned()));
    }
    Ok(Some(text.to_string()))
}

fn har_location(entry: &Value) -> Option<&str> {
    if let Some(url) = json_str(entry, "/response/redirectURL").filter(|u| !u.is_empty()) {
        return Some(url);
    }
    entry
        .pointer("/response/headers")?
        .as_array()?
        .iter()
        .find(|h| {
            h.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("location"))
        })?
        .get("value")?
        .as_str()
}

/// The message in one parameter set of a capture, if it has one. Artifacts carry no message
/// and are passed over.
fn message_from_params(
    params: &[Param<'_>],
    what: &'static str,
    binding: Option<Binding>,
    origin: &Origin,
    limits: &Limits,
) -> Result<Option<DecodedMessage>, DecodeError> {
    match lookup(params, what)? {
        Lookup::Message(sp) => {
            let found = decode_params(&sp, binding, limits)?;
            // The form is set by the caller (har / saml-tracer).
            found.into_message(InputForm::Har, origin.clone()).map(Some)
        }
        Lookup::Artifact | Lookup::Nothing => Ok(None),
    }
}

/// Messages in a SAML-tracer export.
///
/// The export (SAML-tracer's `SAMLTraceIO.exportRequests`) is `{"requests": [...],
/// "timestamp": "…"}`; each request has `method`, `url`, `requestId` (`id` in exports older
/// than 1.0), `requestHeaders`, `responseStatus`, `responseHeaders`, for GET requests `get`
/// (`[name, value]` pairs, URL-decoded), for POST requests `post` (`[name, value]` pairs,
/// URL-decoded) and `postData` (`{name: [values]}`), and, when the extension decoded a
/// message, `saml` (its XML text) or `samlart`. Requests carry no time of their own; a
/// per-request `timestamp`, if present, is reported.
///
/// GET messages are decoded from `url`, whose query keeps the exact encoded values the
/// Redirect-binding signature covers. POST messages are decoded from `post` (else `postData`).
/// The extension's own `saml` text is used when no parameter can be decoded: the export's
/// privacy filters replace values with `{hash:…}`, `{obf:…}` or `{overwritten}`, and WS-Fed
/// `wresult` tokens are only there. That text is second-best: for GET messages the extension
/// builds it byte by byte, so non-ASCII characters arrive garbled.
fn decode_tracer(requests: &[Value], limits: &Limits) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut messages = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        let index = i + 1;
        let url = request.get("url").and_then(Value::as_str);
        let method = request.get("method").and_then(Value::as_str);
        let label = request_label("SAML-tracer request", index, method, url);
        let origin = Origin {
            index: Some(index),
            url: url.map(str::to_string),
            method: method.map(str::to_string),
            time: request.get("timestamp").and_then(|t| match t {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }),
        };
        let saml_text = request
            .get("saml")
            .and_then(Value::as_str)
            .filter(|s| s.trim_start().starts_with('<'));

        let mut found_here = false;
        let mut failure: Option<DecodeError> = None;
        let mut url_parameter: Option<String> = None;

        if let Some(query) = url.and_then(query_of) {
            let params = parse_pairs(query);
            url_parameter = params
                .iter()
                .find(|p| p.name == "SAMLRequest" || p.name == "SAMLResponse")
                .map(|p| p.name.clone());
            match message_from_params(&params, "URL", Some(Binding::HttpRedirect), &origin, limits)
            {
                Ok(Some(message)) => {
                    messages.push(message);
                    found_here = true;
                }
                Ok(None) => {}
                Err(err) => failure = Some(err.context(format!("{label}, URL"))),
            }
        }

        // SAML-tracer stores POST values already URL-decoded; encode them again so that the
        // shared parameter decoding (which expects values as they travel) gives them back
        // unchanged — a RelayState of `+` or `%41` stays what it was.
        let raw_pairs = tracer_post_pairs(request);
        let filtered = raw_pairs.iter().any(|(name, value)| {
            (name == "SAMLRequest" || name == "SAMLResponse") && is_filtered_value(value)
        });
        let pairs: Vec<(String, String)> = raw_pairs
            .into_iter()
            .map(|(name, value)| {
                let encoded = percent_encoding::utf8_percent_encode(
                    &value,
                    percent_encoding::NON_ALPHANUMERIC,
                )
                .to_string();
                (name, encoded)
            })
            .collect();
        let params: Vec<Param<'_>> = pairs
            .iter()
            .map(|(name, value)| Param {
                name: name.clone(),
                raw: value.as_str(),
            })
            .collect();
        let carries_wresult = params.iter().any(|p| p.name == "wresult");
        if !filtered {
            match message_from_params(
                &params,
                "POST parameters",
                Some(Binding::HttpPost),
                &origin,
                limits,
            ) {
                Ok(Some(message)) => {
                    messages.push(message);
                    found_here = true;
                }
                Ok(None) => {}
                Err(err) => {
                    failure.get_or_insert(err.context(format!("{label}, POST parameters")));
                }
            }
        }

        // The extension's own text stands in only for a message that could not be read at all.
        let fallback = if found_here { None } else { saml_text };
        match (fallback, failure) {
            (None, Some(err)) => return Err(err),
            (Some(text), failure) => {
                let mut message = text_message(text, origin.clone());
                let post_param = params
                    .iter()
                    .find(|p| p.name == "SAMLRequest" || p.name == "SAMLResponse")
                    .map(|p| p.name.clone());
                message.binding = if url_parameter.is_some() {
                    Some(Binding::HttpRedirect)
                } else if post_param.is_some() || carries_wresult {
                    Some(Binding::HttpPost)
                } else {
                    None
                };
                message.parameter = url_parameter
                    .or(post_param)
                    .or_else(|| carries_wresult.then(|| "wresult".to_string()));
                let why = match failure {
                    Some(err) => format!("the parameter could not be decoded ({err})"),
                    None if filtered => "the export replaced the parameter value".into(),
                    None => "no SAML parameter was found in the request".into(),
                };
                message.notes.push(format!(
                    "taken from the export's own decoded 'saml' text, because {why}"
                ));
                messages.push(message);
            }
            (None, None) => {}
        }
    }
    for message in &mut messages {
        message.form = InputForm::SamlTracer;
    }
    if messages.is_empty() {
        return Err(DecodeError::NoMessageInTracer {
            scanned: requests.len(),
        });
    }
    Ok(messages)
}

fn is_filtered_value(value: &str) -> bool {
    value.starts_with("{hash:") || value.starts_with("{obf:") || value == "{overwritten}"
}

/// `[name, value]` pairs of a tracer request's POST parameters.
fn tracer_post_pairs(request: &Value) -> Vec<(String, String)> {
    if let Some(post) = request.get("post").and_then(Value::as_array) {
        return post
            .iter()
            .filter_map(|pair| {
                let pair = pair.as_array()?;
                let name = pair.first()?.as_str()?;
                let value = pair.get(1).and_then(Value::as_str).unwrap_or("");
                Some((name.to_string(), value.to_string()))
            })
            .collect();
    }
    if let Some(data) = request.get("postData").and_then(Value::as_object) {
        return data
            .iter()
            .flat_map(|(name, values)| {
                let values: Vec<String> = match values {
                    Value::Array(list) => list
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    Value::String(s) => vec![s.clone()],
                    _ => Vec::new(),
                };
                values.into_iter().map(move |v| (name.clone(), v))
            })
            .collect();
    }
    Vec::new()
}

/// A message that is already text (the tracer's `saml` field): not transcoded again.
fn text_message(text: &str, origin: Origin) -> DecodedMessage {
    let mut notes = Vec::new();
    let xml = strip_space_before_declaration(text.to_string(), &mut notes);
    DecodedMessage {
        form: InputForm::SamlTracer,
        binding: None,
        parameter: None,
        relay_state: None,
        redirect_signature: None,
        origin,
        bytes: text.as_bytes().to_vec(),
        xml,
        encoding_note: if notes.is_empty() {
            None
        } else {
            Some(notes.join("; "))
        },
        compression: None,
        notes: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Showing bytes in messages

/// The first bytes, escaped, in quotes: `"\x1f\x8b\x08\x00..."`.
fn preview(bytes: &[u8]) -> String {
    const SHOWN: usize = 24;
    let head = bytes.get(..SHOWN).unwrap_or(bytes);
    let more = if bytes.len() > SHOWN { "…" } else { "" };
    format!("\"{}\"{more}", head.escape_ascii())
}

fn hex_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("0x{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", s.get(..at).unwrap_or(s)),
        None => s.to_string(),
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

    #[test]
    fn plus_is_restored_only_between_base64_characters() {
        assert_eq!(restore_plus("ab cd").as_deref(), Some("ab+cd"));
        assert_eq!(restore_plus("abcd \nef"), None);
        assert_eq!(restore_plus(" abcd"), None);
    }
}
