//! Property tests of decoding: a SAML message written in any form an administrator may capture
//! (raw XML, UTF-16, base64 in every layout, URL-encoded base64, a form body, an HTTP-Redirect
//! URL, a HAR file, a SAML-tracer export) decodes back to exactly the text that was encoded,
//! with the form, binding, RelayState and Redirect-binding signed octets it was written with.
//! The decoded text is also parsed and modelled, so every generated value, special characters
//! included, is read back unchanged.

use std::io::Write;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use flate2::write::{DeflateEncoder, ZlibEncoder};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use samlkit_parse::decode::{decode_input, Binding, Compression, DecodedMessage, InputForm};
use samlkit_parse::{parse_xml, read_message, Limits, SamlMessage};
use serde_json::{json, Value};

const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

/// What JavaScript's `encodeURIComponent` leaves as it is, which is how browsers and most SAML
/// libraries write query values.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// `cases` unless `PROPTEST_CASES` asks for more or fewer (for a longer search); failures are
/// reported with their minimal input and nothing is written next to the sources.
fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            cases
        },
        failure_persistence: None,
        ..default
    }
}

// ---------------------------------------------------------------------------------------------
// Generated documents

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Characters XML allows, weighted towards the ones that need escaping or that decoders treat
/// specially (`%`, `+`, `&`, `=`, line breaks, non-ASCII, the byte-order mark).
fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '&', '<', '>', '"', '\'', ' ', '\t', '\n', '\r', ']', '%', '+', '=', '?', '#', '/',
            ';', 'é', '€', '\u{85}', '\u{2028}', '\u{FEFF}', '😀',
        ]),
        5 => any::<char>().prop_filter("a character XML 1.0 allows", |&c| is_xml_char(c)),
        2 => proptest::char::range('a', 'z'),
    ]
}

fn xml_string(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    vec(xml_char(), len).prop_map(|chars| chars.into_iter().collect())
}

/// Text content escaped so that the parser returns it unchanged (`\r` would otherwise be
/// normalised to `\n`).
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
    out
}

/// An attribute value escaped so that attribute-value normalisation leaves it unchanged.
fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
    out
}

/// A SAML Response with one assertion whose issuer and attribute values are arbitrary text.
#[derive(Debug, Clone)]
struct ResponseDocument {
    declaration: &'static str,
    /// Prefix of the assertion namespace; `None` declares it as the default namespace.
    prefix: Option<String>,
    line_end: &'static str,
    issuer: String,
    claims: Vec<(String, Vec<String>)>,
}

impl ResponseDocument {
    fn render(&self) -> String {
        let (p, declaration) = match &self.prefix {
            Some(prefix) => (format!("{prefix}:"), format!("xmlns:{prefix}")),
            None => (String::new(), "xmlns".to_string()),
        };
        let nl = self.line_end;
        let mut xml = String::new();
        xml.push_str(self.declaration);
        xml.push_str(&format!(
            "<samlp:Response xmlns:samlp=\"{PROTOCOL_NS}\" ID=\"_r1\" Version=\"2.0\" \
             IssueInstant=\"2026-11-28T09:00:00Z\">{nl}"
        ));
        xml.push_str(&format!(
            "<{p}Assertion {declaration}=\"{ASSERTION_NS}\" ID=\"_a1\" Version=\"2.0\" \
             IssueInstant=\"2026-11-28T09:00:00Z\">{nl}<{p}Issuer>{}</{p}Issuer>{nl}\
             <{p}AttributeStatement>{nl}",
            escape_text(&self.issuer)
        ));
        for (name, values) in &self.claims {
            xml.push_str(&format!(
                "<{p}Attribute Name=\"{}\">",
                escape_attribute(name)
            ));
            for value in values {
                xml.push_str(&format!(
                    "<{p}AttributeValue>{}</{p}AttributeValue>",
                    escape_text(value)
                ));
            }
            xml.push_str(&format!("</{p}Attribute>{nl}"));
        }
        xml.push_str(&format!(
            "</{p}AttributeStatement>{nl}</{p}Assertion>{nl}</samlp:Response>"
        ));
        xml
    }

    /// Parses and models `xml`, and checks every generated value is read back exactly.
    fn check_model(&self, xml: &str) -> Result<(), TestCaseError> {
        let tree = parse_xml(xml, &Limits::default())
            .map_err(|err| TestCaseError::fail(format!("the decoded XML does not parse: {err}")))?;
        let message = read_message(&tree)
            .map_err(|err| TestCaseError::fail(format!("the decoded XML is not SAML: {err}")))?;
        let SamlMessage::Response(response) = message else {
            return Err(TestCaseError::fail("not read as a Response"));
        };
        prop_assert_eq!(response.assertions.len(), 1);
        let assertion = &response.assertions[0];
        prop_assert_eq!(
            assertion
                .issuer
                .as_ref()
                .map(|issuer| issuer.value.as_str()),
            Some(self.issuer.as_str())
        );
        prop_assert_eq!(assertion.attributes.len(), self.claims.len());
        for (attribute, (name, values)) in assertion.attributes.iter().zip(&self.claims) {
            prop_assert_eq!(
                attribute.name.as_ref().map(|n| n.value),
                Some(name.as_str())
            );
            let read: Vec<&str> = attribute.values.iter().map(|v| v.text.as_str()).collect();
            prop_assert_eq!(read, values.iter().map(String::as_str).collect::<Vec<_>>());
        }
        Ok(())
    }
}

prop_compose! {
    fn response_document()(
        declaration in prop::sample::select(vec![
            "",
            "<?xml version=\"1.0\"?>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        ]),
        // Prefixes starting with "xml" are reserved.
        prefix in prop::option::of("[a-wyz][a-z0-9]{0,5}"),
        line_end in prop::sample::select(vec!["", "\n", "\r\n"]),
        issuer in xml_string(0..20),
        claims in vec((xml_string(1..16), vec(xml_string(0..24), 0..4)), 0..5),
    ) -> ResponseDocument {
        ResponseDocument { declaration, prefix, line_end, issuer, claims }
    }
}

// ---------------------------------------------------------------------------------------------
// Encoders

fn raw_deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("deflate");
    encoder.finish().expect("deflate")
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("zlib");
    encoder.finish().expect("zlib")
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    bytes
}

fn component(value: &str) -> String {
    utf8_percent_encode(value, URI_COMPONENT).to_string()
}

/// `application/x-www-form-urlencoded`, with a space written as `+` or as `%20`.
fn form_encode(value: &str, space_as_plus: bool) -> String {
    let encoded = component(value);
    if space_as_plus {
        encoded.replace("%20", "+")
    } else {
        encoded
    }
}

/// How a base64 value is laid out when pasted.
#[derive(Debug, Clone, Copy)]
struct Base64Layout {
    url_safe: bool,
    padded: bool,
    /// Line length and line break, as MIME (76) and PEM-style (64) folding write it.
    fold: Option<(usize, &'static str)>,
    trailing_newline: bool,
}

fn base64_layout() -> impl Strategy<Value = Base64Layout> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::option::of((
            prop::sample::select(vec![64usize, 76]),
            prop::sample::select(vec!["\r\n", "\n"]),
        )),
        any::<bool>(),
    )
        .prop_map(|(url_safe, padded, fold, trailing_newline)| Base64Layout {
            url_safe,
            padded,
            fold,
            trailing_newline,
        })
}

fn lay_out_base64(bytes: &[u8], layout: Base64Layout) -> String {
    let encoded = match (layout.url_safe, layout.padded) {
        (false, true) => STANDARD.encode(bytes),
        (false, false) => STANDARD_NO_PAD.encode(bytes),
        (true, true) => URL_SAFE.encode(bytes),
        (true, false) => URL_SAFE_NO_PAD.encode(bytes),
    };
    let mut text = match layout.fold {
        None => encoded,
        Some((width, line_break)) => encoded
            .as_bytes()
            .chunks(width)
            .map(|line| std::str::from_utf8(line).expect("base64 is ASCII"))
            .collect::<Vec<_>>()
            .join(line_break),
    };
    if layout.trailing_newline {
        text.push('\n');
    }
    text
}

/// An HTTP-Redirect binding message as a sender would write it.
#[derive(Debug, Clone)]
struct RedirectMessage {
    parameter: &'static str,
    zlib_wrapped: bool,
    relay_state: Option<String>,
    /// Raw bytes of the Redirect-binding signature, when the query is signed.
    signature: Option<Vec<u8>>,
    /// Order in which the parameters appear in the query (the signed octets have a fixed order).
    order: Vec<usize>,
    /// Text before the query: a URL, a host and path, a bare `?`, or nothing.
    prefix: &'static str,
}

fn redirect_message() -> impl Strategy<Value = RedirectMessage> {
    (
        prop::sample::select(vec!["SAMLRequest", "SAMLResponse"]),
        any::<bool>(),
        prop::option::of(xml_string(0..24)),
        prop::option::of(vec(any::<u8>(), 1..300)),
        Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        prop::sample::select(vec![
            "https://idp.example.com/saml2/sso?",
            "http://localhost:8080/sso?",
            "idp.example.com/saml2/sso?",
            "?",
            "",
        ]),
    )
        .prop_map(
            |(parameter, zlib_wrapped, relay_state, signature, order, prefix)| RedirectMessage {
                parameter,
                zlib_wrapped,
                relay_state,
                signature,
                order,
                prefix,
            },
        )
}

/// The encoded query parts and what the decoder must report for them.
struct EncodedRedirect {
    url: String,
    value: String,
    relay_state: Option<String>,
    sig_alg: Option<String>,
    signature: Option<String>,
}

impl RedirectMessage {
    fn encode(&self, xml: &str) -> EncodedRedirect {
        let compressed = if self.zlib_wrapped {
            zlib(xml.as_bytes())
        } else {
            raw_deflate(xml.as_bytes())
        };
        let value = component(&STANDARD.encode(compressed));
        let relay_state = self.relay_state.as_deref().map(|r| form_encode(r, false));
        let sig_alg = self.signature.as_ref().map(|_| component(RSA_SHA256));
        let signature = self
            .signature
            .as_ref()
            .map(|bytes| component(&STANDARD.encode(bytes)));
        let parts = [
            Some(format!("{}={value}", self.parameter)),
            relay_state.as_ref().map(|r| format!("RelayState={r}")),
            sig_alg.as_ref().map(|a| format!("SigAlg={a}")),
            signature.as_ref().map(|s| format!("Signature={s}")),
        ];
        let query: Vec<String> = self
            .order
            .iter()
            .filter_map(|&index| parts[index].clone())
            .collect();
        EncodedRedirect {
            url: format!("{}{}", self.prefix, query.join("&")),
            value,
            relay_state,
            sig_alg,
            signature,
        }
    }

    fn check(
        &self,
        message: &DecodedMessage,
        encoded: &EncodedRedirect,
        xml: &str,
        form: InputForm,
    ) -> Result<(), TestCaseError> {
        prop_assert_eq!(message.xml.as_str(), xml);
        prop_assert_eq!(message.form, form);
        prop_assert_eq!(message.binding, Some(Binding::HttpRedirect));
        prop_assert_eq!(message.parameter.as_deref(), Some(self.parameter));
        prop_assert_eq!(&message.relay_state, &self.relay_state);
        prop_assert_eq!(
            message.compression,
            Some(if self.zlib_wrapped {
                Compression::Zlib
            } else {
                Compression::Deflate
            })
        );
        match (&self.signature, &message.redirect_signature) {
            (None, None) => {}
            (Some(bytes), Some(found)) => {
                // Exactly the octets the sender signed: the values as they appear in the query.
                let mut signed = format!("{}={}", self.parameter, encoded.value);
                if let Some(relay) = &encoded.relay_state {
                    signed.push_str(&format!("&RelayState={relay}"));
                }
                signed.push_str(&format!(
                    "&SigAlg={}",
                    encoded.sig_alg.as_deref().unwrap_or_default()
                ));
                prop_assert_eq!(&found.signed_octets, &signed);
                prop_assert_eq!(found.sig_alg.as_str(), RSA_SHA256);
                prop_assert_eq!(&found.signature, &STANDARD.encode(bytes));
                prop_assert!(encoded.signature.is_some());
            }
            (expected, found) => {
                return Err(TestCaseError::fail(format!(
                    "signature expected: {}, found: {}",
                    expected.is_some(),
                    found.is_some()
                )))
            }
        }
        Ok(())
    }
}

/// An HTTP-POST binding message: base64 of the XML in a form body.
#[derive(Debug, Clone)]
struct PostMessage {
    parameter: &'static str,
    relay_state: Option<String>,
    relay_first: bool,
    space_as_plus: bool,
    /// Whether `+`, `/` and `=` of the base64 value are percent-encoded, as browsers do.
    escape_base64: bool,
}

fn post_message() -> impl Strategy<Value = PostMessage> {
    (
        prop::sample::select(vec!["SAMLResponse", "SAMLRequest"]),
        prop::option::of(xml_string(0..24)),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(parameter, relay_state, relay_first, space_as_plus, escape_base64)| PostMessage {
                parameter,
                relay_state,
                relay_first,
                space_as_plus,
                escape_base64,
            },
        )
}

impl PostMessage {
    fn body(&self, xml: &str) -> String {
        let base64 = STANDARD.encode(xml);
        let value = if self.escape_base64 {
            component(&base64)
        } else {
            base64
        };
        let message = format!("{}={value}", self.parameter);
        match &self.relay_state {
            None => message,
            Some(relay) => {
                let relay = format!("RelayState={}", form_encode(relay, self.space_as_plus));
                if self.relay_first {
                    format!("{relay}&{message}")
                } else {
                    format!("{message}&{relay}")
                }
            }
        }
    }

    fn check(
        &self,
        message: &DecodedMessage,
        xml: &str,
        form: InputForm,
    ) -> Result<(), TestCaseError> {
        prop_assert_eq!(message.xml.as_str(), xml);
        prop_assert_eq!(message.form, form);
        prop_assert_eq!(message.binding, Some(Binding::HttpPost));
        prop_assert_eq!(message.parameter.as_deref(), Some(self.parameter));
        prop_assert_eq!(&message.relay_state, &self.relay_state);
        prop_assert_eq!(message.compression, None);
        prop_assert!(message.redirect_signature.is_none());
        Ok(())
    }
}

/// What one decoded message of a capture must be.
type MessageCheck = Box<dyn Fn(&DecodedMessage) -> Result<(), TestCaseError>>;

fn decode(bytes: &[u8]) -> Result<Vec<DecodedMessage>, TestCaseError> {
    decode_input(bytes, None, &Limits::default())
        .map_err(|err| TestCaseError::fail(format!("decoding failed: {err}")))
}

fn decode_one(bytes: &[u8]) -> Result<DecodedMessage, TestCaseError> {
    let mut messages = decode(bytes)?;
    prop_assert_eq!(messages.len(), 1, "one message expected");
    Ok(messages.remove(0))
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config(512))]

    /// Raw XML, with or without a UTF-8 byte-order mark, and UTF-16 in either byte order.
    #[test]
    fn xml_text_round_trips(
        document in response_document(),
        encoding in 0..4u8,
    ) {
        let xml = document.render();
        let bytes = match encoding {
            0 => xml.as_bytes().to_vec(),
            1 => [&[0xEF, 0xBB, 0xBF][..], xml.as_bytes()].concat(),
            2 => utf16(&xml, false),
            _ => utf16(&xml, true),
        };
        let message = decode_one(&bytes)?;
        prop_assert_eq!(message.xml.as_str(), xml.as_str());
        prop_assert_eq!(message.form, InputForm::Xml);
        prop_assert_eq!(message.binding, None);
        prop_assert_eq!(message.relay_state, None);
        document.check_model(&message.xml)?;
    }

    /// Base64 in either alphabet, padded or not, folded at 64 or 76 columns or not.
    #[test]
    fn base64_round_trips(document in response_document(), layout in base64_layout()) {
        let xml = document.render();
        let text = lay_out_base64(xml.as_bytes(), layout);
        let message = decode_one(text.as_bytes())?;
        prop_assert_eq!(message.xml.as_str(), xml.as_str());
        prop_assert_eq!(message.form, InputForm::Base64);
        prop_assert_eq!(message.compression, None);
        document.check_model(&message.xml)?;
    }

    /// Base64 percent-encoded once or twice (`%2B`, or `%252B` when a value went through two
    /// encoders).
    #[test]
    fn url_encoded_base64_round_trips(document in response_document(), twice in any::<bool>()) {
        let xml = document.render();
        let mut text = component(&STANDARD.encode(&xml));
        if twice {
            text = component(&text);
        }
        let message = decode_one(text.as_bytes())?;
        prop_assert_eq!(message.xml.as_str(), xml.as_str());
        // Base64 without `+`, `/` or `=` has nothing to escape and is plain base64.
        let expected = if text.contains('%') { InputForm::UrlEncodedBase64 } else { InputForm::Base64 };
        prop_assert_eq!(message.form, expected);
        document.check_model(&message.xml)?;
    }

    /// A form body with the message and an arbitrary RelayState, in either order.
    #[test]
    fn form_body_round_trips(document in response_document(), post in post_message()) {
        let xml = document.render();
        let body = post.body(&xml);
        let message = decode_one(body.as_bytes())?;
        post.check(&message, &xml, InputForm::FormBody)?;
        document.check_model(&message.xml)?;
    }

    /// HTTP-Redirect URLs and bare query strings: raw DEFLATE or zlib, RelayState, SigAlg and
    /// Signature in any order; the signed octets are rebuilt exactly as the sender signed them.
    #[test]
    fn redirect_url_round_trips(document in response_document(), redirect in redirect_message()) {
        let xml = document.render();
        let encoded = redirect.encode(&xml);
        let message = decode_one(encoded.url.as_bytes())?;
        redirect.check(&message, &encoded, &xml, InputForm::RedirectUrl)?;
        document.check_model(&message.xml)?;
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// A HAR capture with the message in a POST body (plain or base64 `postData`), in a GET
    /// URL, or both, in entry order.
    #[test]
    fn har_round_trips(
        posted in prop::option::of((response_document(), post_message(), any::<bool>())),
        redirected in prop::option::of((response_document(), redirect_message())),
        redirect_first in any::<bool>(),
    ) {
        prop_assume!(posted.is_some() || redirected.is_some());
        let mut entries: Vec<(Value, MessageCheck)> =
            Vec::new();
        if let Some((document, post, body_in_base64)) = posted {
            let xml = document.render();
            let body = post.body(&xml);
            let post_data = if body_in_base64 {
                json!({"mimeType": "application/x-www-form-urlencoded", "encoding": "base64",
                       "text": STANDARD.encode(&body)})
            } else {
                json!({"mimeType": "application/x-www-form-urlencoded", "text": body})
            };
            let entry = json!({
                "startedDateTime": "2026-11-28T09:00:01.000Z",
                "request": {"method": "POST", "url": "https://sp.example.com/saml/acs",
                            "postData": post_data},
                "response": {"status": 200, "headers": []},
            });
            entries.push((entry, Box::new(move |message| {
                post.check(message, &xml, InputForm::Har)?;
                document.check_model(&message.xml)
            })));
        }
        if let Some((document, mut redirect)) = redirected {
            let xml = document.render();
            // A request line always carries a full URL.
            redirect.prefix = "https://idp.example.com/saml2/sso?";
            let encoded = redirect.encode(&xml);
            let entry = json!({
                "startedDateTime": "2026-11-28T09:00:00.000Z",
                "request": {"method": "GET", "url": encoded.url},
                "response": {"status": 200, "headers": []},
            });
            let check: MessageCheck =
                Box::new(move |message| {
                    redirect.check(message, &encoded, &xml, InputForm::Har)?;
                    document.check_model(&message.xml)
                });
            if redirect_first {
                entries.insert(0, (entry, check));
            } else {
                entries.push((entry, check));
            }
        }
        let har = json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
            "entries": entries.iter().map(|(entry, _)| entry.clone()).collect::<Vec<_>>()}});
        let messages = decode(har.to_string().as_bytes())?;
        prop_assert_eq!(messages.len(), entries.len());
        for (index, (message, (_, check))) in messages.iter().zip(&entries).enumerate() {
            prop_assert_eq!(message.origin.index, Some(index + 1));
            check(message)?;
        }
    }

    /// A SAML-tracer export with a Redirect-binding GET (decoded from its URL) and an HTTP-POST
    /// (decoded from the extension's `post` pairs, which hold URL-decoded values, or from its
    /// `postData` object, which holds the same).
    #[test]
    fn saml_tracer_round_trips(
        redirected in prop::option::of((response_document(), redirect_message())),
        posted in prop::option::of((response_document(), post_message(), any::<bool>())),
    ) {
        prop_assume!(posted.is_some() || redirected.is_some());
        let mut requests: Vec<Value> = Vec::new();
        let mut expected: Vec<MessageCheck> =
            Vec::new();
        if let Some((document, mut redirect)) = redirected {
            let xml = document.render();
            redirect.prefix = "https://idp.example.com/saml2/sso?";
            let encoded = redirect.encode(&xml);
            requests.push(json!({
                "method": "GET", "url": encoded.url, "requestId": "1",
                "requestHeaders": [], "responseStatus": 200, "responseHeaders": [],
            }));
            expected.push(Box::new(move |message| {
                redirect.check(message, &encoded, &xml, InputForm::SamlTracer)?;
                document.check_model(&message.xml)
            }));
        }
        if let Some((document, post, as_post_data)) = posted {
            let xml = document.render();
            let base64 = STANDARD.encode(&xml);
            let mut pairs = vec![json!([post.parameter, base64])];
            let mut object = serde_json::Map::new();
            object.insert(post.parameter.to_string(), json!([base64]));
            if let Some(relay) = &post.relay_state {
                pairs.push(json!(["RelayState", relay]));
                object.insert("RelayState".to_string(), json!([relay]));
            }
            let mut request = json!({
                "method": "POST", "url": "https://sp.example.com/saml/acs", "requestId": "2",
                "requestHeaders": [], "responseStatus": 200, "responseHeaders": [],
            });
            if as_post_data {
                request["postData"] = Value::Object(object);
            } else {
                request["post"] = Value::Array(pairs);
            }
            requests.push(request);
            expected.push(Box::new(move |message| {
                post.check(message, &xml, InputForm::SamlTracer)?;
                document.check_model(&message.xml)
            }));
        }
        let export = json!({"requests": requests, "timestamp": "2026-11-28T09:00:02Z"});
        let messages = decode(export.to_string().as_bytes())?;
        prop_assert_eq!(messages.len(), expected.len());
        for (message, check) in messages.iter().zip(&expected) {
            check(message)?;
        }
    }
}
