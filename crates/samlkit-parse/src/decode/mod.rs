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

use std::fmt;

use crate::xml::Limits;

use forms::{decode_as, detect};
use recognise::is_blank;

mod base64_text;
mod capture;
mod encoding;
mod forms;
mod html;
mod params;
mod payload;
mod recognise;

pub use base64_text::{decode_base64_lenient, Base64Error};
pub use encoding::{encoding_declaration_mismatch, xml_text_from_bytes, EncodingMismatch};

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
    /// The decoded message bytes exactly, when they differ from `xml` (transcoded, or a
    /// byte-order mark or leading whitespace removed); see [`DecodedMessage::bytes`].
    #[serde(skip)]
    pub original_bytes: Option<Vec<u8>>,
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

impl DecodedMessage {
    /// The decoded message bytes exactly (before any transcoding). Most messages are UTF-8
    /// text as decoded, and then these are the bytes of `xml`, kept once.
    pub fn bytes(&self) -> &[u8] {
        self.original_bytes
            .as_deref()
            .unwrap_or(self.xml.as_bytes())
    }
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
    #[error(
        "no SAML message found in this HAR ({scanned} requests scanned); record the sign-in \
         again with \"Preserve log\" ticked in the browser's network panel (the SAML POST is \
         dropped from the log when the page moves on), then save it as HAR"
    )]
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
