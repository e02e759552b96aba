//! Input decoding: every form, its detection, and the exact text of every error.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
use samlkit_parse::decode::{
    decode_input, xml_text_from_bytes, Binding, Compression, DecodeError, DecodedMessage, InputForm,
};
use samlkit_parse::Limits;
use serde_json::json;

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/decode")
        .join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("reading fixture {name}: {e}"))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).expect("fixture is UTF-8")
}

fn response_xml() -> String {
    fixture_text("response.xml")
}

fn authn_xml() -> String {
    fixture_text("authn_request.xml")
}

fn raw_deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut enc = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// Percent-encodes everything but unreserved characters, as browsers do for form values.
fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(input: impl AsRef<[u8]>) -> Result<Vec<DecodedMessage>, DecodeError> {
    decode_input(input.as_ref(), None, &Limits::default())
}

fn decode_one(input: impl AsRef<[u8]>) -> DecodedMessage {
    let mut messages = decode(input).unwrap_or_else(|e| panic!("decoding failed: {e}"));
    assert_eq!(messages.len(), 1, "expected exactly one message");
    messages.remove(0)
}

fn error_text(input: impl AsRef<[u8]>) -> String {
    match decode(input) {
        Ok(messages) => panic!("expected an error, got {} message(s)", messages.len()),
        Err(e) => e.to_string(),
    }
}

fn forced_error(input: impl AsRef<[u8]>, form: InputForm) -> String {
    match decode_input(input.as_ref(), Some(form), &Limits::default()) {
        Ok(_) => panic!("expected forced form {form} to fail"),
        Err(e) => e.to_string(),
    }
}

/// A base64 encoding of some XML that contains `+`, to exercise the `+`/space handling.
fn xml_with_plus_in_base64() -> (String, String) {
    for i in 0..500 {
        let xml = format!(
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_{i}\"><x>{}{}</x></samlp:Response>",
            "~>?".repeat(i % 7 + 1),
            "z".repeat(i % 3)
        );
        let b64 = STANDARD.encode(&xml);
        // A '+' at the very end would be lost with the surrounding whitespace.
        if b64.contains('+') && b64.contains('/') && !b64.trim_end_matches('=').ends_with('+') {
            return (xml, b64);
        }
    }
    panic!("no sample with '+' found");
}

// ---------------------------------------------------------------------------------------------
// Form names

#[test]
fn form_names_round_trip() {
    assert_eq!(InputForm::ALL.len(), 9);
    for form in InputForm::ALL {
        assert_eq!(InputForm::from_name(form.name()), Some(*form));
        let json = serde_json::to_string(form).unwrap();
        assert_eq!(json, format!("\"{}\"", form.name()));
    }
    assert_eq!(InputForm::from_name("URL"), Some(InputForm::RedirectUrl));
    assert_eq!(
        InputForm::from_name("saml_tracer"),
        Some(InputForm::SamlTracer)
    );
    assert_eq!(InputForm::from_name("post"), Some(InputForm::FormBody));
    assert_eq!(
        InputForm::from_name("deflate"),
        Some(InputForm::Base64Deflate)
    );
    assert_eq!(InputForm::from_name("HTML"), Some(InputForm::HtmlForm));
    assert_eq!(InputForm::from_name("nonsense"), None);
}

// ---------------------------------------------------------------------------------------------
// Raw XML and text encodings

#[test]
fn raw_xml_with_declaration() {
    let xml = response_xml();
    let m = decode_one(&xml);
    assert_eq!(m.form, InputForm::Xml);
    assert_eq!(m.xml, xml);
    assert_eq!(m.bytes(), xml.as_bytes());
    assert_eq!(m.encoding_note, None);
    assert_eq!(m.binding, None);
    assert_eq!(m.parameter, None);
}

#[test]
fn raw_xml_without_declaration() {
    let xml = authn_xml();
    let m = decode_one(&xml);
    assert_eq!(m.form, InputForm::Xml);
    assert_eq!(m.xml, xml);
}

#[test]
fn raw_xml_with_utf8_bom() {
    let xml = response_xml();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(xml.as_bytes());
    let m = decode_one(&bytes);
    assert_eq!(m.form, InputForm::Xml);
    assert_eq!(m.xml, xml);
    assert_eq!(m.bytes(), bytes);
    assert_eq!(
        m.encoding_note.as_deref(),
        Some("UTF-8 byte-order mark removed")
    );
}

#[test]
fn whitespace_before_declaration_is_removed() {
    let xml = response_xml();
    let m = decode_one(format!("\n\n  {xml}"));
    assert_eq!(m.xml, xml);
    assert_eq!(
        m.encoding_note.as_deref(),
        Some("whitespace before the XML declaration removed")
    );
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if little_endian {
            &[0xFF, 0xFE]
        } else {
            &[0xFE, 0xFF]
        });
    }
    for unit in text.encode_utf16() {
        let pair = if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        };
        out.extend_from_slice(&pair);
    }
    out
}

#[test]
fn utf16_is_transcoded() {
    let xml = response_xml().replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    for (le, bom, note) in [
        (true, true, "transcoded from UTF-16LE (byte-order mark)"),
        (false, true, "transcoded from UTF-16BE (byte-order mark)"),
        (true, false, "transcoded from UTF-16LE (no byte-order mark)"),
        (
            false,
            false,
            "transcoded from UTF-16BE (no byte-order mark)",
        ),
    ] {
        let bytes = utf16(&xml, le, bom);
        let m = decode_one(&bytes);
        assert_eq!(m.form, InputForm::Xml);
        assert_eq!(m.xml, xml);
        assert_eq!(m.bytes(), bytes);
        assert_eq!(m.encoding_note.as_deref(), Some(note));
    }
}

#[test]
fn utf16_with_a_utf8_declaration_is_read_by_its_bom_and_noted() {
    // What PowerShell's Out-File makes of a UTF-8 document.
    let xml = response_xml();
    let m = decode_one(utf16(&xml, true, true));
    assert_eq!(m.xml, xml);
    assert_eq!(
        m.encoding_note.as_deref(),
        Some("transcoded from UTF-16LE (byte-order mark); the XML declaration says encoding=\"UTF-8\", but the bytes are UTF-16LE; read as UTF-16LE")
    );
}

#[test]
fn base64_of_utf16_xml_is_transcoded() {
    let xml = authn_xml();
    let bytes = utf16(&xml, true, true);
    let m = decode_one(STANDARD.encode(&bytes));
    assert_eq!(m.form, InputForm::Base64);
    assert_eq!(m.bytes(), bytes);
    assert_eq!(m.xml, xml);
    assert_eq!(
        m.encoding_note.as_deref(),
        Some("transcoded from UTF-16LE (byte-order mark)")
    );
}

#[test]
fn latin1_declaration_is_transcoded() {
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>Zo".to_vec();
    bytes.push(0xEB); // ë
    bytes.extend_from_slice(b"</a>");
    let m = decode_one(&bytes);
    assert_eq!(m.form, InputForm::Xml);
    assert_eq!(
        m.xml,
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>Zoë</a>"
    );
    assert_eq!(m.bytes(), bytes);
    assert_eq!(
        m.encoding_note.as_deref(),
        Some("transcoded from windows-1252 (declared as \"ISO-8859-1\")")
    );
}

#[test]
fn windows_1252_declaration_is_transcoded() {
    let mut bytes = b"<?xml version='1.0' encoding='windows-1252'?><a>".to_vec();
    bytes.push(0x80); // euro sign
    bytes.extend_from_slice(b"</a>");
    let (text, note) = xml_text_from_bytes(&bytes).unwrap();
    assert_eq!(
        text,
        "<?xml version='1.0' encoding='windows-1252'?><a>€</a>"
    );
    assert_eq!(note.as_deref(), Some("transcoded from windows-1252"));
}

#[test]
fn ascii_only_document_with_other_declared_encoding_needs_no_note() {
    let (text, note) =
        xml_text_from_bytes(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>").unwrap();
    assert_eq!(text, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>");
    assert_eq!(note, None);
}

#[test]
fn unknown_declared_encoding_is_rejected() {
    assert_eq!(
        error_text("<?xml version=\"1.0\" encoding=\"x-klingon\"?><a/>"),
        "unknown character encoding \"x-klingon\" named in the XML declaration"
    );
}

#[test]
fn utf32_is_rejected() {
    let mut bytes = vec![0xFF, 0xFE, 0, 0];
    bytes.extend_from_slice(&[b'<', 0, 0, 0]);
    assert_eq!(
        xml_text_from_bytes(&bytes).unwrap_err().to_string(),
        "the character encoding UTF-32 (found its byte-order mark) is not supported"
    );
}

#[test]
fn invalid_utf8_without_declaration_names_the_offset() {
    let mut bytes = b"<a>Zo".to_vec();
    bytes.push(0xEB);
    bytes.extend_from_slice(b"</a>");
    assert_eq!(
        error_text(&bytes),
        "invalid UTF-8 at byte offset 5 (byte 0xEB); the XML declares no encoding, so it must be UTF-8 (if it was saved as Latin-1 or windows-1252, declare that encoding or re-save it as UTF-8)"
    );
}

#[test]
fn invalid_utf8_with_utf8_declaration_names_the_offset() {
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>".to_vec();
    bytes.extend_from_slice(&[0xE2, 0x82]);
    bytes.extend_from_slice(b"</a>");
    assert_eq!(
        error_text(&bytes),
        "invalid UTF-8 at byte offset 41 (bytes 0xE2 0x82); the XML declaration says encoding=\"utf-8\""
    );
}

#[test]
fn invalid_bytes_for_declared_encoding_name_the_offset() {
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>".to_vec();
    bytes.extend_from_slice(&[0x82, 0xA0, 0x82, 0x20]);
    bytes.extend_from_slice(b"</a>");
    let err = error_text(&bytes);
    assert!(
        err.starts_with("invalid Shift_JIS at byte offset 47 (byte"),
        "{err}"
    );
    assert!(
        err.ends_with("; the XML declaration says encoding=\"Shift_JIS\""),
        "{err}"
    );
}

#[test]
fn invalid_utf16_names_the_offset() {
    // An unpaired high surrogate right after "<a>".
    let mut bytes = utf16("<a>", true, true);
    bytes.extend_from_slice(&[0x00, 0xD8, b'x', 0]);
    assert_eq!(
        xml_text_from_bytes(&bytes).unwrap_err().to_string(),
        "invalid UTF-16LE at byte offset 8 (bytes 0x00 0xD8)"
    );
}

#[test]
fn utf16_declaration_on_8bit_bytes_is_read_as_utf8_and_noted() {
    let xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><a>Zoë</a>";
    let (text, note) = xml_text_from_bytes(xml.as_bytes()).unwrap();
    assert_eq!(text, xml);
    assert_eq!(
        note.as_deref(),
        Some("the XML declaration says encoding=\"utf-16\", but the bytes are 8-bit (no byte-order mark, no NUL bytes); read as UTF-8")
    );
}

#[test]
fn utf8_bom_with_other_declaration_is_read_as_utf8_and_noted() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>ë</a>".as_bytes());
    let (text, note) = xml_text_from_bytes(&bytes).unwrap();
    assert_eq!(
        text,
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>ë</a>"
    );
    assert_eq!(
        note.as_deref(),
        Some("UTF-8 byte-order mark removed; the XML declaration says encoding=\"ISO-8859-1\", but the bytes are UTF-8; read as UTF-8")
    );
}

// ---------------------------------------------------------------------------------------------
// base64

#[test]
fn plain_base64() {
    let xml = response_xml();
    let m = decode_one(STANDARD.encode(&xml));
    assert_eq!(m.form, InputForm::Base64);
    assert_eq!(m.xml, xml);
    assert_eq!(m.bytes(), xml.as_bytes());
    assert_eq!(m.compression, None);
    assert!(m.notes.is_empty(), "{:?}", m.notes);
}

#[test]
fn folded_base64_with_stray_whitespace_and_no_padding() {
    let xml = response_xml();
    let b64 = STANDARD.encode(&xml);
    let folded: Vec<String> = b64
        .trim_end_matches('=')
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let input = format!("  \t{}\r\n\n", folded.join("\r\n"));
    let m = decode_one(input);
    assert_eq!(m.form, InputForm::Base64);
    assert_eq!(m.xml, xml);
}

#[test]
fn url_safe_base64_is_accepted_and_noted() {
    let (xml, _) = xml_with_plus_in_base64();
    let m = decode_one(URL_SAFE_NO_PAD.encode(&xml));
    assert_eq!(m.form, InputForm::Base64);
    assert_eq!(m.xml, xml);
    assert_eq!(
        m.notes,
        vec!["the base64 uses the URL-safe alphabet ('-' and '_'); SAML requires the standard alphabet ('+' and '/')"]
    );
}

#[test]
fn base64_whose_plus_signs_became_spaces() {
    let (xml, b64) = xml_with_plus_in_base64();
    let m = decode_one(b64.replace('+', " "));
    assert_eq!(m.xml, xml);
    assert_eq!(
        m.notes,
        vec!["spaces in the base64 text were read as '+' (a form-decoding step had turned '+' into spaces)"]
    );
}

#[test]
fn base64_deflate_raw_zlib_and_gzip() {
    let xml = authn_xml();
    for (data, compression, note) in [
        (raw_deflate(xml.as_bytes()), Compression::Deflate, None),
        (
            zlib(xml.as_bytes()),
            Compression::Zlib,
            Some("zlib header and checksum around the DEFLATE data; the SAML bindings expect raw DEFLATE (RFC 1951), and some receivers reject anything else"),
        ),
        (
            gzip(xml.as_bytes()),
            Compression::Gzip,
            Some("gzip wrapper around the DEFLATE data; the SAML bindings expect raw DEFLATE (RFC 1951), and some receivers reject anything else"),
        ),
    ] {
        let m = decode_one(STANDARD.encode(&data));
        assert_eq!(m.form, InputForm::Base64Deflate);
        assert_eq!(m.compression, Some(compression));
        assert_eq!(m.xml, xml);
        assert_eq!(m.bytes(), xml.as_bytes());
        assert_eq!(m.notes.first().map(String::as_str), note);
    }
}

#[test]
fn base64_of_something_else() {
    assert_eq!(
        error_text(STANDARD.encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR and some more bytes")),
        "base64 decoded, but the result is not XML (starts with \"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR and som\"…); it is not DEFLATE data either (the DEFLATE data is corrupt at byte 5 of the compressed data, after 0 bytes of output)"
    );
}

#[test]
fn base64_of_deflated_non_xml() {
    assert_eq!(
        error_text(STANDARD.encode(raw_deflate(b"hello, this is not a SAML message"))),
        "base64 decoded and inflated, but the result is not XML (starts with \"hello, this is not a SAM\"…)"
    );
}

#[test]
fn base64_errors_name_the_offset() {
    let b64 = STANDARD.encode(authn_xml());
    let mut bad = b64.clone();
    bad.insert(10, '*');
    assert_eq!(
        forced_error(format!("\n  {bad}"), InputForm::Base64),
        "forced form base64: invalid base64: character '*' at offset 13 is not in the base64 alphabet"
    );

    let run_together = format!("{}==PHNh", &b64[..b64.len() - 2].trim_end_matches('='));
    assert!(
        error_text(&run_together).starts_with("invalid base64: the padding '=' at offset "),
        "{}",
        error_text(&run_together)
    );

    let mut short = b64.trim_end_matches('=').to_string();
    while short.len() % 4 != 1 {
        short.pop();
    }
    assert_eq!(
        error_text(&short),
        format!("invalid base64: {} base64 characters leave one character over, which cannot encode anything (cut short, or a stray character?)", short.len())
    );
}

#[test]
fn base64_over_the_limit_is_refused_before_decoding() {
    let limits = Limits {
        max_inflated_bytes: 100,
        ..Limits::default()
    };
    let err = decode_input(STANDARD.encode(authn_xml()).as_bytes(), None, &limits).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the base64 text decodes to about "),
        "{err}"
    );
    assert!(
        err.to_string()
            .ends_with("bytes, over the limit of 100 bytes"),
        "{err}"
    );
}

#[test]
fn url_encoded_base64() {
    let (xml, b64) = xml_with_plus_in_base64();
    let m = decode_one(url_encode(&b64));
    assert_eq!(m.form, InputForm::UrlEncodedBase64);
    assert_eq!(m.xml, xml);
    assert!(m.notes.is_empty(), "{:?}", m.notes);

    // Encoded twice: %252B.
    let m = decode_one(url_encode(&url_encode(&b64)));
    assert_eq!(m.form, InputForm::UrlEncodedBase64);
    assert_eq!(m.xml, xml);
    assert_eq!(m.notes, vec!["the text was URL-encoded twice"]);
}

#[test]
fn url_encoded_deflated_base64() {
    let xml = authn_xml();
    let m = decode_one(url_encode(&STANDARD.encode(raw_deflate(xml.as_bytes()))));
    assert_eq!(m.form, InputForm::UrlEncodedBase64);
    assert_eq!(m.compression, Some(Compression::Deflate));
    assert_eq!(m.xml, xml);
}

// ---------------------------------------------------------------------------------------------
// The HTTP-POST auto-submit page

/// The page an IdP sends the browser, with `+` and `=` written as character references the
/// way some IdPs write them, and a RelayState holding `&` and `+`.
fn autosubmit_page(b64: &str) -> String {
    let value = b64.replace('+', "&#x2b;").replace('=', "&#61;");
    format!(
        "<!DOCTYPE html>\n<HTML><Head><title>Working...</title></head><body onload=\"document.forms[0].submit()\">\n\
         <form method='post' action=\"https://sp.example.com/saml/acs\">\n\
         <input type=\"hidden\" name=\"SAMLResponse\" value=\"{value}\"/>\n\
         <INPUT TYPE=hidden NAME=RelayState VALUE=\"/app?a=1&amp;b=c+d\">\n\
         <noscript><input type=\"submit\" value=\"Continue\"></noscript></form></body></HTML>\n"
    )
}

#[test]
fn autosubmit_page_yields_its_message_relay_state_and_target() {
    let (xml, b64) = xml_with_plus_in_base64();
    let page = autosubmit_page(&b64);
    let m = decode_one(&page);
    assert_eq!(m.form, InputForm::HtmlForm);
    assert_eq!(m.binding, Some(Binding::HttpPost));
    assert_eq!(m.parameter.as_deref(), Some("SAMLResponse"));
    // Plain text: entities decoded, a `+` kept.
    assert_eq!(m.relay_state.as_deref(), Some("/app?a=1&b=c+d"));
    assert_eq!(
        m.origin.url.as_deref(),
        Some("https://sp.example.com/saml/acs")
    );
    assert_eq!(m.origin.method.as_deref(), Some("POST"));
    assert_eq!(m.xml, xml);

    // Forced, and with a UTF-8 byte-order mark (as some editors save it).
    let forced = decode_input(
        page.as_bytes(),
        Some(InputForm::HtmlForm),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(forced[0].xml, xml);
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(page.as_bytes());
    assert_eq!(decode_one(&with_bom).xml, xml);
}

#[test]
fn autosubmit_page_errors_name_what_the_form_holds() {
    assert_eq!(
        error_text("<html><form action=\"/login\"><input name=\"username\"><input name=\"password\" type=\"password\"></form></html>"),
        "the HTML form has no SAMLRequest or SAMLResponse parameter (its parameters: username, password)"
    );
    assert_eq!(
        error_text("<html><body><p>Sorry, something went wrong.</p></body></html>"),
        "the HTML form has no SAMLRequest or SAMLResponse parameter (it has no parameters)"
    );
    assert_eq!(
        error_text("<html><form><input name=\"SAMLResponse\" value=\"\"></form></html>"),
        "the parameter SAMLResponse is empty"
    );
    assert_eq!(
        error_text("<html><form><input name=\"SAMLart\" value=\"AAQAA\"></form></html>"),
        "the HTML form carries a SAMLart artifact (HTTP-Artifact binding): the message itself is not in it and must be fetched from the issuer's artifact resolution service"
    );
    // An XML message is never read as a page.
    let xml = response_xml();
    assert_eq!(decode_one(&xml).form, InputForm::Xml);
}

// ---------------------------------------------------------------------------------------------
// Form bodies (HTTP-POST)

#[test]
fn form_body_with_relay_state() {
    let (xml, b64) = xml_with_plus_in_base64();
    let body = format!(
        "SAMLResponse={}&RelayState={}",
        url_encode(&b64),
        "https%3A%2F%2Fsp.example.com%2Fapp%3Fa%3D1+2"
    );
    let m = decode_one(&body);
    assert_eq!(m.form, InputForm::FormBody);
    assert_eq!(m.binding, Some(Binding::HttpPost));
    assert_eq!(m.parameter.as_deref(), Some("SAMLResponse"));
    assert_eq!(
        m.relay_state.as_deref(),
        Some("https://sp.example.com/app?a=1 2")
    );
    assert!(m.redirect_signature.is_none());
    assert_eq!(m.xml, xml);
}

#[test]
fn form_body_relay_state_first_and_raw_plus() {
    // A hand-built body that did not encode '+': it is the base64 character, not a space.
    let (xml, b64) = xml_with_plus_in_base64();
    let m = decode_one(format!("RelayState=token&SAMLRequest={b64}\n"));
    assert_eq!(m.form, InputForm::FormBody);
    assert_eq!(m.parameter.as_deref(), Some("SAMLRequest"));
    assert_eq!(m.relay_state.as_deref(), Some("token"));
    assert_eq!(m.xml, xml);
}

#[test]
fn deflated_form_body_is_an_http_redirect_query() {
    let xml = authn_xml();
    let b64 = STANDARD.encode(raw_deflate(xml.as_bytes()));
    let m = decode_one(format!("SAMLRequest={}&RelayState=x", url_encode(&b64)));
    assert_eq!(m.form, InputForm::RedirectUrl);
    assert_eq!(m.binding, Some(Binding::HttpRedirect));
    assert_eq!(m.xml, xml);
}

#[test]
fn forced_form_body_keeps_post_and_notes_compression() {
    let xml = authn_xml();
    let b64 = STANDARD.encode(raw_deflate(xml.as_bytes()));
    let messages = decode_input(
        format!("SAMLResponse={}", url_encode(&b64)).as_bytes(),
        Some(InputForm::FormBody),
        &Limits::default(),
    )
    .unwrap();
    let m = &messages[0];
    assert_eq!(m.form, InputForm::FormBody);
    assert_eq!(m.binding, Some(Binding::HttpPost));
    assert_eq!(m.compression, Some(Compression::Deflate));
    assert_eq!(
        m.notes,
        vec!["the message is DEFLATE-compressed, although the HTTP-POST binding sends plain base64 (some libraries accept it, most do not)"]
    );
}

#[test]
fn signed_form_body_is_simplesign_with_the_message_text_as_signed_octets() {
    let xml = response_xml();
    let b64 = STANDARD.encode(&xml);
    let sig_alg = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    let body = format!(
        "SAMLResponse={}&RelayState=a+b%26c&SigAlg={}&Signature=c2ln%2Bbg%3D%3D",
        url_encode(&b64),
        url_encode(sig_alg)
    );
    let m = decode_one(&body);
    assert_eq!(m.form, InputForm::FormBody);
    assert_eq!(m.binding, Some(Binding::HttpPostSimpleSign));
    assert_eq!(m.relay_state.as_deref(), Some("a b&c"));
    let signature = m.redirect_signature.expect("the SimpleSign signature");
    assert_eq!(signature.sig_alg, sig_alg);
    assert_eq!(signature.signature, "c2ln+bg==");
    assert_eq!(
        signature.signed_octets,
        format!("SAMLResponse={xml}&RelayState=a b&c&SigAlg={sig_alg}")
    );
    // Without SigAlg/Signature it is plain HTTP-POST, and DEFLATE still means HTTP-Redirect.
    let plain = decode_one(format!("SAMLResponse={}", url_encode(&b64)));
    assert_eq!(plain.binding, Some(Binding::HttpPost));
    assert!(plain.redirect_signature.is_none());
}

#[test]
fn form_body_errors() {
    let b64 = STANDARD.encode(authn_xml());
    assert_eq!(
        error_text(format!("SAMLResponse={b64}&SAMLResponse={b64}")),
        "the parameter SAMLResponse appears 2 times in the form body; it must appear once"
    );
    assert_eq!(
        error_text(format!("SAMLResponse={b64}&SAMLRequest={b64}")),
        "the form body has both a SAMLRequest and a SAMLResponse parameter; only one message can travel at a time"
    );
    assert_eq!(
        error_text("SAMLResponse=&RelayState=abc"),
        "the parameter SAMLResponse is empty"
    );
    assert_eq!(
        error_text("RelayState=abc&foo=bar"),
        "the form body has no SAMLRequest or SAMLResponse parameter (its parameters: RelayState, foo)"
    );
    assert_eq!(
        error_text("SAMLResponse=PHNhbWxw!!&RelayState=abc"),
        "parameter SAMLResponse: invalid base64: character '!' at offset 8 is not in the base64 alphabet"
    );
    assert_eq!(
        forced_error(
            "https://sp.example.com/acs?SAMLResponse=x",
            InputForm::FormBody
        ),
        "forced form form-body: the input is a URL, not a form body (use redirect-url)"
    );
}

// ---------------------------------------------------------------------------------------------
// HTTP-Redirect

#[test]
fn redirect_url_with_signature() {
    let url = fixture_text("idp_url.txt");
    let m = decode_one(&url);
    assert_eq!(m.form, InputForm::RedirectUrl);
    assert_eq!(m.binding, Some(Binding::HttpRedirect));
    assert_eq!(m.parameter.as_deref(), Some("SAMLRequest"));
    assert_eq!(m.relay_state.as_deref(), Some("/dashboard?tab=1"));
    assert_eq!(m.compression, Some(Compression::Deflate));
    assert_eq!(m.xml, authn_xml());
    assert!(m.notes.is_empty(), "{:?}", m.notes);
    let sig = m.redirect_signature.expect("signature");
    assert_eq!(
        sig.sig_alg,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    );
    let query = url.split_once('?').unwrap().1;
    let (signed, signature) = query.split_once("&Signature=").unwrap();
    assert_eq!(sig.signed_octets, signed);
    assert_eq!(
        sig.signature,
        STANDARD.encode([(200..=255).collect::<Vec<u8>>(), (200..=255).collect()].concat())
    );
    assert_ne!(
        sig.signature, signature,
        "the signature is reported URL-decoded"
    );
}

#[test]
fn redirect_signed_octets_follow_the_spec_order() {
    let xml = authn_xml();
    let req = url_encode(&STANDARD.encode(raw_deflate(xml.as_bytes())));
    let url = format!(
        "https://idp.example.org/sso?Signature=c2ln%2B&SigAlg=http%3A%2F%2Fwww.w3.org%2F2000%2F09%2Fxmldsig%23rsa-sha1&foo=bar&RelayState=a%20b&SAMLRequest={req}#frag"
    );
    let m = decode_one(&url);
    let sig = m.redirect_signature.unwrap();
    assert_eq!(
        sig.signed_octets,
        format!("SAMLRequest={req}&RelayState=a%20b&SigAlg=http%3A%2F%2Fwww.w3.org%2F2000%2F09%2Fxmldsig%23rsa-sha1")
    );
    assert_eq!(sig.signature, "c2ln+");
    assert_eq!(sig.sig_alg, "http://www.w3.org/2000/09/xmldsig#rsa-sha1");
    assert_eq!(m.relay_state.as_deref(), Some("a b"));

    // Without RelayState the octets leave it out.
    let url = format!("?SAMLResponse={req}&SigAlg=alg&Signature=c2ln");
    let m = decode_one(&url);
    assert_eq!(m.parameter.as_deref(), Some("SAMLResponse"));
    assert_eq!(
        m.redirect_signature.unwrap().signed_octets,
        format!("SAMLResponse={req}&SigAlg=alg")
    );
}

#[test]
fn redirect_query_string_without_question_mark() {
    let xml = authn_xml();
    let req = url_encode(&STANDARD.encode(raw_deflate(xml.as_bytes())));
    let m = decode_one(format!("SAMLRequest={req}&SigAlg=alg&Signature=c2ln"));
    assert_eq!(m.form, InputForm::RedirectUrl);
    assert_eq!(m.binding, Some(Binding::HttpRedirect));
    assert_eq!(m.xml, xml);
    assert_eq!(
        m.redirect_signature.unwrap().signed_octets,
        format!("SAMLRequest={req}&SigAlg=alg")
    );
}

#[test]
fn redirect_url_without_scheme() {
    let xml = authn_xml();
    let req = url_encode(&STANDARD.encode(raw_deflate(xml.as_bytes())));
    let m = decode_one(format!("idp.example.org/sso?SAMLRequest={req}"));
    assert_eq!(m.form, InputForm::RedirectUrl);
    assert_eq!(m.xml, xml);
}

#[test]
fn redirect_with_zlib_wrapper_or_no_compression_is_noted() {
    let xml = authn_xml();
    let req = url_encode(&STANDARD.encode(zlib(xml.as_bytes())));
    let m = decode_one(format!("https://idp.example.org/sso?SAMLRequest={req}"));
    assert_eq!(m.compression, Some(Compression::Zlib));
    assert_eq!(m.xml, xml);
    assert_eq!(
        m.notes,
        vec!["zlib header and checksum around the DEFLATE data; the SAML bindings expect raw DEFLATE (RFC 1951), and some receivers reject anything else"]
    );

    let req = url_encode(&STANDARD.encode(&xml));
    let m = decode_one(format!("https://idp.example.org/sso?SAMLRequest={req}"));
    assert_eq!(m.compression, None);
    assert_eq!(m.xml, xml);
    assert_eq!(
        m.notes,
        vec![
            "the message is not DEFLATE-compressed, although the HTTP-Redirect binding requires it"
        ]
    );
}

#[test]
fn redirect_url_errors() {
    assert_eq!(
        error_text("https://idp.example.org/sso?foo=1&bar=2"),
        "the URL has no SAMLRequest or SAMLResponse parameter (its parameters: foo, bar)"
    );
    assert_eq!(
        error_text("https://idp.example.org/sso"),
        "the URL has no SAMLRequest or SAMLResponse parameter (it has no query string)"
    );
    assert_eq!(
        error_text("https://sp.example.com/acs?SAMLart=AAQAAMh48%2FjQmN0Q"),
        "the URL carries a SAMLart artifact (HTTP-Artifact binding): the message itself is not in it and must be fetched from the issuer's artifact resolution service"
    );
    let truncated = {
        let full = STANDARD.encode(raw_deflate(authn_xml().as_bytes()));
        let cut = &full[..full.len() / 2];
        let cut = &cut[..cut.len() / 4 * 4];
        url_encode(cut)
    };
    let err = error_text(format!(
        "https://idp.example.org/sso?SAMLRequest={truncated}"
    ));
    assert!(
        err.starts_with(
            "parameter SAMLRequest: base64 decoded, but the result is not XML (starts with "
        ),
        "{err}"
    );
    assert!(
        err.contains("; it is not DEFLATE data either (the DEFLATE data ends after "),
        "{err}"
    );
    assert!(
        err.ends_with(" bytes of output, before the end of the compressed stream (cut short?))"),
        "{err}"
    );
}

#[test]
fn deflate_bomb_is_stopped_at_the_limit() {
    // 8 MiB of zeros compress to a few KiB.
    let bomb = raw_deflate(&vec![0u8; 8 << 20]);
    assert!(bomb.len() < 64 * 1024);
    let limits = Limits {
        max_inflated_bytes: 1 << 20,
        ..Limits::default()
    };
    let url = format!(
        "https://idp.example.org/sso?SAMLRequest={}",
        url_encode(&STANDARD.encode(&bomb))
    );
    let err = decode_input(url.as_bytes(), None, &limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "parameter SAMLRequest: the DEFLATE data inflates to more than 1048576 bytes; refusing to go on (decompression bomb?)"
    );
    // The same through plain base64, forced and detected.
    let b64 = STANDARD.encode(&bomb);
    let err = decode_input(b64.as_bytes(), None, &limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the DEFLATE data inflates to more than 1048576 bytes; refusing to go on (decompression bomb?)"
    );
    let err = decode_input(b64.as_bytes(), Some(InputForm::Base64Deflate), &limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "forced form base64-deflate: the DEFLATE data inflates to more than 1048576 bytes; refusing to go on (decompression bomb?)"
    );
}

// ---------------------------------------------------------------------------------------------
// HAR

fn har_entry(method: &str, url: &str, time: &str) -> serde_json::Value {
    json!({
        "startedDateTime": time,
        "request": {"method": method, "url": url, "headers": [], "queryString": []},
        "response": {"status": 200, "headers": [], "redirectURL": ""}
    })
}

#[test]
fn har_fixture() {
    let messages = decode(fixture("capture.har")).unwrap();
    assert_eq!(
        messages.len(),
        2,
        "the Location of entry 1 is the request of entry 2"
    );

    let first = &messages[0];
    assert_eq!(first.form, InputForm::Har);
    assert_eq!(first.binding, Some(Binding::HttpRedirect));
    assert_eq!(first.parameter.as_deref(), Some("SAMLRequest"));
    assert_eq!(first.xml, authn_xml());
    assert_eq!(first.relay_state.as_deref(), Some("/dashboard?tab=1"));
    assert_eq!(first.origin.index, Some(2));
    assert_eq!(first.origin.method.as_deref(), Some("GET"));
    assert_eq!(
        first.origin.time.as_deref(),
        Some("2024-05-06T09:59:58.300Z")
    );
    assert_eq!(
        first.origin.url.as_deref(),
        Some(fixture_text("idp_url.txt").as_str())
    );
    let url = fixture_text("idp_url.txt");
    let signed = url
        .split_once('?')
        .unwrap()
        .1
        .split_once("&Signature=")
        .unwrap()
        .0;
    assert_eq!(
        first.redirect_signature.as_ref().unwrap().signed_octets,
        signed
    );

    let second = &messages[1];
    assert_eq!(second.form, InputForm::Har);
    assert_eq!(second.binding, Some(Binding::HttpPost));
    assert_eq!(second.parameter.as_deref(), Some("SAMLResponse"));
    assert_eq!(second.xml, response_xml());
    assert_eq!(second.relay_state.as_deref(), Some("/dashboard?tab=1"));
    assert_eq!(second.origin.index, Some(3));
    assert_eq!(second.origin.method.as_deref(), Some("POST"));
    assert_eq!(
        second.origin.url.as_deref(),
        Some("https://sp.example.com/acs")
    );
    assert_eq!(
        second.origin.time.as_deref(),
        Some("2024-05-06T10:00:04.900Z")
    );
}

#[test]
fn har_params_location_and_base64_bodies() {
    let (xml, b64) = xml_with_plus_in_base64();
    let logout = fixture_text("logout_request.xml");
    let logout_query = url_encode(&STANDARD.encode(raw_deflate(logout.as_bytes())));

    // Entry 1: body only as params, URL-encoded (Chrome style).
    let mut chrome = har_entry("POST", "https://sp.example.com/acs", "t1");
    chrome["request"]["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "params": [{"name": "SAMLResponse", "value": url_encode(&b64)}, {"name": "RelayState", "value": "a%2Fb"}]
    });
    // Entry 2: params not encoded (Firefox style).
    let mut firefox = har_entry("POST", "https://sp.example.com/acs", "t2");
    firefox["request"]["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "params": [{"name": "SAMLResponse", "value": b64}, {"name": "RelayState", "value": "a/b"}]
    });
    // Entry 3: body text stored as base64.
    let mut encoded = har_entry("POST", "https://sp.example.com/acs", "t3");
    encoded["request"]["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "encoding": "base64",
        "text": STANDARD.encode(format!("SAMLResponse={}", url_encode(&b64)))
    });
    // Entry 4: a logout redirect the browser never followed.
    let mut logout_entry = har_entry("GET", "https://sp.example.com/logout", "t4");
    logout_entry["response"]["status"] = json!(302);
    logout_entry["response"]["headers"] = json!([{"name": "location", "value": format!("https://idp.example.org/slo?SAMLRequest={logout_query}")}]);

    let har =
        json!({"log": {"version": "1.2", "entries": [chrome, firefox, encoded, logout_entry]}});
    let messages = decode(har.to_string()).unwrap();
    assert_eq!(messages.len(), 4);
    for (i, m) in messages.iter().take(3).enumerate() {
        assert_eq!(m.xml, xml, "entry {}", i + 1);
        assert_eq!(m.binding, Some(Binding::HttpPost));
        assert_eq!(m.origin.index, Some(i + 1));
    }
    assert_eq!(messages[0].relay_state.as_deref(), Some("a/b"));
    assert_eq!(messages[1].relay_state.as_deref(), Some("a/b"));
    let last = &messages[3];
    assert_eq!(last.xml, logout);
    assert_eq!(last.binding, Some(Binding::HttpRedirect));
    assert_eq!(last.origin.index, Some(4));
    assert_eq!(
        last.origin.url,
        Some(format!(
            "https://idp.example.org/slo?SAMLRequest={logout_query}"
        ))
    );
    assert_eq!(
        last.notes,
        vec!["found in the Location header of the response to HAR entry 4; no later request in the capture follows it"]
    );
}

#[test]
fn har_without_messages() {
    let har = json!({"log": {"entries": [
        har_entry("GET", "https://sp.example.com/", "t1"),
        har_entry("GET", "https://sp.example.com/app.js?v=1", "t2"),
    ]}});
    assert_eq!(
        error_text(har.to_string()),
        "no SAML message found in this HAR (2 requests scanned); record the sign-in again with \
         \"Preserve log\" ticked in the browser's network panel (the SAML POST is dropped from \
         the log when the page moves on), then save it as HAR"
    );
}

#[test]
fn har_errors_name_the_entry() {
    let mut bad = har_entry("POST", "https://sp.example.com/acs", "t2");
    bad["request"]["postData"] = json!({"mimeType": "application/x-www-form-urlencoded", "text": "SAMLResponse=PHNh%21bWw&RelayState=x"});
    let har = json!({"log": {"entries": [har_entry("GET", "https://sp.example.com/", "t1"), bad]}});
    assert_eq!(
        error_text(har.to_string()),
        "HAR entry 2 (POST https://sp.example.com/acs), request body: parameter SAMLResponse: invalid base64: character '!' at offset 4 is not in the base64 alphabet"
    );
}

// ---------------------------------------------------------------------------------------------
// SAML-tracer

#[test]
fn saml_tracer_fixture() {
    let messages = decode(fixture("saml-tracer-export.json")).unwrap();
    assert_eq!(messages.len(), 2);

    let first = &messages[0];
    assert_eq!(first.form, InputForm::SamlTracer);
    assert_eq!(first.binding, Some(Binding::HttpRedirect));
    assert_eq!(first.parameter.as_deref(), Some("SAMLRequest"));
    assert_eq!(first.xml, authn_xml());
    assert_eq!(first.origin.index, Some(2));
    assert_eq!(first.origin.method.as_deref(), Some("GET"));
    assert_eq!(first.relay_state.as_deref(), Some("/dashboard?tab=1"));
    assert!(first.redirect_signature.is_some());
    assert!(first.notes.is_empty(), "{:?}", first.notes);

    let second = &messages[1];
    assert_eq!(second.form, InputForm::SamlTracer);
    assert_eq!(second.binding, Some(Binding::HttpPost));
    assert_eq!(second.parameter.as_deref(), Some("SAMLResponse"));
    assert_eq!(second.xml, response_xml());
    assert_eq!(second.origin.index, Some(3));
    assert_eq!(second.relay_state.as_deref(), Some("/dashboard?tab=1"));
}

#[test]
fn saml_tracer_filtered_export_uses_its_saml_text() {
    let xml = response_xml();
    let export = json!({
        "requests": [
            {"method": "POST", "url": "https://sp.example.com/acs", "id": "77",
             "requestHeaders": [["Host", "sp.example.com"]],
             "post": [["SAMLResponse", "{hash:3f786850e387550fdab836ed7e6dc881de23001b}"], ["RelayState", "{obf:alternative_0}"]],
             "postData": "{overwritten}",
             "saml": xml}
        ],
        "timestamp": "2024-05-06T10:00:05.123Z"
    });
    let messages = decode(export.to_string()).unwrap();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m.form, InputForm::SamlTracer);
    assert_eq!(m.xml, xml);
    assert_eq!(m.parameter.as_deref(), Some("SAMLResponse"));
    assert_eq!(m.binding, Some(Binding::HttpPost));
    assert_eq!(
        m.notes,
        vec!["taken from the export's own decoded 'saml' text, because the export replaced the parameter value"]
    );
}

#[test]
fn saml_tracer_undecodable_value_falls_back_to_saml_text() {
    let xml = response_xml();
    let cut = STANDARD.encode(&xml)[..101].to_string();
    let export = json!({"requests": [
        {"method": "POST", "url": "https://sp.example.com/acs", "requestId": "5",
         "post": [["SAMLResponse", cut]], "saml": xml}
    ]});
    let messages = decode(export.to_string()).unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].xml, xml);
    assert_eq!(messages[0].parameter.as_deref(), Some("SAMLResponse"));
    assert_eq!(
        messages[0].notes,
        vec!["taken from the export's own decoded 'saml' text, because the parameter could not be decoded (SAML-tracer request 1 (POST https://sp.example.com/acs), POST parameters: parameter SAMLResponse: invalid base64: 101 base64 characters leave one character over, which cannot encode anything (cut short, or a stray character?))"]
    );
}

#[test]
fn saml_tracer_without_messages_and_errors() {
    let export = json!({"requests": [{"method": "GET", "url": "https://a.example/"}, {"method": "GET", "url": "https://b.example/x?y=1"}]});
    assert_eq!(
        error_text(export.to_string()),
        "no SAML message found in this SAML-tracer export (2 requests scanned)"
    );
    let export = json!({"requests": [{"method": "POST", "url": "https://sp.example.com/acs", "post": [["SAMLResponse", "PHN*"]]}]});
    assert_eq!(
        error_text(export.to_string()),
        "SAML-tracer request 1 (POST https://sp.example.com/acs), POST parameters: parameter SAMLResponse: invalid base64: character '*' at offset 3 is not in the base64 alphabet"
    );
}

// ---------------------------------------------------------------------------------------------
// JSON that is neither, empty and unrecognised input, forced forms

#[test]
fn other_json() {
    assert_eq!(
        error_text("{\"name\": \"x\", \"entries\": []}"),
        "the JSON is neither a HAR file (no log.entries array) nor a SAML-tracer export (no requests array); its top-level keys are: entries, name"
    );
    assert_eq!(
        error_text("{\"log\": {\"entries\": [}"),
        "invalid JSON at line 1, column 22: expected value"
    );
}

#[test]
fn empty_input() {
    for input in [&b""[..], b"   \n\t", b"\xEF\xBB\xBF", b"\xEF\xBB\xBF \n"] {
        assert_eq!(error_text(input), "the input is empty");
        assert_eq!(
            decode_input(input, Some(InputForm::Har), &Limits::default())
                .unwrap_err()
                .to_string(),
            "the input is empty"
        );
    }
}

#[test]
fn unrecognised_input() {
    assert_eq!(
        error_text("Hello, this is not anything!"),
        "not XML, base64, a form body, a URL, a HAR or a SAML-tracer export (starts with \"Hello, this is not anyth\"…)"
    );
    assert_eq!(
        error_text(b"\x00\x01\x02\xFF\xFE\xFD"),
        "not XML, base64, a form body, a URL, a HAR or a SAML-tracer export (starts with \"\\x00\\x01\\x02\\xff\\xfe\\xfd\")"
    );
}

#[test]
fn forced_forms_that_do_not_fit() {
    let xml = authn_xml();
    let b64 = STANDARD.encode(&xml);
    assert_eq!(
        forced_error(&b64, InputForm::Xml),
        "forced form xml: the input does not start with '<' (starts with \"PHNhbWxwOkF1dGhuUmVxdWVz\"…)"
    );
    let deflated = STANDARD.encode(raw_deflate(xml.as_bytes()));
    assert!(forced_error(&deflated, InputForm::Base64).starts_with(
        "forced form base64: base64 decoded, but the result is not XML (starts with \""
    ));
    assert_eq!(
        forced_error(&b64, InputForm::Base64Deflate),
        "forced form base64-deflate: base64 decoded to XML, not DEFLATE data (use base64): the DEFLATE data is corrupt at byte 8 of the compressed data, after 0 bytes of output"
    );
    assert_eq!(
        forced_error(fixture("saml-tracer-export.json"), InputForm::Har),
        "forced form har: the JSON has no log.entries array, so it is not a HAR file"
    );
    assert_eq!(
        forced_error(fixture("capture.har"), InputForm::SamlTracer),
        "forced form saml-tracer: the JSON has no requests array, so it is not a SAML-tracer export"
    );
    assert_eq!(
        forced_error(&b64, InputForm::Har),
        "forced form har: the input is not a JSON object (starts with \"PHNhbWxwOkF1dGhuUmVxdWVz\"…)"
    );
    assert_eq!(
        forced_error(&b64, InputForm::RedirectUrl),
        "forced form redirect-url: the input is neither a URL nor a query string (starts with \"PHNhbWxwOkF1dGhuUmVxdWVz\"…)"
    );
    let encoded = url_encode(&b64);
    assert_eq!(
        forced_error(&encoded, InputForm::Base64),
        format!("forced form base64: the text is URL-encoded (use url-encoded-base64): invalid base64: character '%' at offset {} is not in the base64 alphabet", encoded.find('%').unwrap())
    );
    assert_eq!(
        forced_error(b"\xFFabc", InputForm::Base64),
        "forced form base64: the input is not UTF-8 text: invalid byte 0xFF at byte offset 0"
    );
}

#[test]
fn forced_forms_that_fit() {
    let xml = authn_xml();
    let limits = Limits::default();
    let b64 = STANDARD.encode(&xml);
    let deflated = STANDARD.encode(raw_deflate(xml.as_bytes()));
    for (input, form) in [
        (xml.clone(), InputForm::Xml),
        (b64.clone(), InputForm::Base64),
        (deflated.clone(), InputForm::Base64Deflate),
        (url_encode(&b64), InputForm::UrlEncodedBase64),
        (
            format!("SAMLRequest={}", url_encode(&b64)),
            InputForm::FormBody,
        ),
        (
            format!("SAMLRequest={}", url_encode(&deflated)),
            InputForm::RedirectUrl,
        ),
    ] {
        let messages = decode_input(input.as_bytes(), Some(form), &limits)
            .unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(messages[0].form, form);
        assert_eq!(messages[0].xml, xml);
    }
}

#[test]
fn messages_serialize_without_bytes() {
    let m = decode_one(fixture_text("idp_url.txt"));
    let value = serde_json::to_value(&m).unwrap();
    assert_eq!(value["form"], "redirect-url");
    assert_eq!(value["binding"], "http-redirect");
    assert_eq!(value["compression"], "deflate");
    assert_eq!(value["parameter"], "SAMLRequest");
    assert!(value.get("bytes").is_none());
    assert!(value["redirect_signature"]["signed_octets"]
        .as_str()
        .unwrap()
        .starts_with("SAMLRequest="));
}

// ---------------------------------------------------------------------------------------------
// Robustness

/// xorshift64*: deterministic, dependency-free random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn arbitrary_input_never_panics() {
    let xml = authn_xml();
    let b64 = STANDARD.encode(&xml);
    let deflated = STANDARD.encode(raw_deflate(xml.as_bytes()));
    let seeds: Vec<Vec<u8>> = vec![
        xml.clone().into_bytes(),
        utf16(&xml, true, true),
        b64.clone().into_bytes(),
        deflated.clone().into_bytes(),
        format!("SAMLResponse={}&RelayState=x", url_encode(&b64)).into_bytes(),
        fixture("idp_url.txt"),
        fixture("capture.har"),
        fixture("saml-tracer-export.json"),
        b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>".to_vec(),
    ];
    let alphabet: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_%&?<>{}[]\":,\0\xFF\xFE \n";
    let small = Limits {
        max_inflated_bytes: 4096,
        ..Limits::default()
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..3000 {
        let input: Vec<u8> = match round % 3 {
            0 => (0..rng.below(200)).map(|_| rng.next() as u8).collect(),
            1 => (0..rng.below(200))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect(),
            _ => {
                let mut seed = seeds[rng.below(seeds.len())].clone();
                for _ in 0..1 + rng.below(4) {
                    if seed.is_empty() {
                        break;
                    }
                    let at = rng.below(seed.len());
                    match rng.below(3) {
                        0 => seed[at] = rng.next() as u8,
                        1 => seed.truncate(at),
                        _ => seed.insert(at, alphabet[rng.below(alphabet.len())]),
                    }
                }
                seed
            }
        };
        let forced = match rng.below(10) {
            i if i < InputForm::ALL.len() => Some(InputForm::ALL[i]),
            _ => None,
        };
        let limits = if round % 2 == 0 {
            &small
        } else {
            &Limits::default()
        };
        // Only the absence of a panic is under test; errors must still render.
        match decode_input(&input, forced, limits) {
            Ok(messages) => assert!(!messages.is_empty()),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
        let _ = xml_text_from_bytes(&input);
    }
}

// ---------------------------------------------------------------------------------------------
// Captured messages from other SAML libraries (the repository's tests/corpus)

/// The corpus folder; a missing MANIFEST fails the test (the corpus is part of the repository).
fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "{} is missing: the corpus checks cannot run",
        dir.join("MANIFEST.tsv").display()
    );
    dir
}

#[test]
fn corpus_messages_decode_in_their_recorded_form() {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (file, kind, expectation) =
            (fields[0], fields[1], fields.get(6).copied().unwrap_or(""));
        if !matches!(kind, "response" | "assertion" | "metadata" | "redirect") {
            continue;
        }
        let expected = if expectation.contains("encoding=base64(DEFLATE)") {
            InputForm::Base64Deflate
        } else if expectation.contains("encoding=base64") {
            InputForm::Base64
        } else if kind == "redirect" {
            InputForm::RedirectUrl
        } else {
            InputForm::Xml
        };
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let messages = decode(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(messages.len(), 1, "{file}");
        assert_eq!(messages[0].form, expected, "{file}");
        assert!(
            messages[0].xml.trim_start().starts_with('<'),
            "{file}: decoded text does not start with '<'"
        );
        checked += 1;
    }
    assert!(checked > 200, "only {checked} corpus messages checked");
}

#[test]
fn corpus_redirect_captures() {
    let dir = corpus_dir();
    // A signed query string: the signed octets are the query up to "&Signature=".
    let query = std::fs::read_to_string(
        dir.join("crewjam-saml/TestSPCanProduceSignedRequestRedirectBinding_rsa-sha1_queryString"),
    )
    .unwrap();
    let m = decode_one(&query);
    assert_eq!(m.form, InputForm::RedirectUrl);
    assert_eq!(m.relay_state.as_deref(), Some("relayState"));
    let sig = m.redirect_signature.unwrap();
    assert_eq!(sig.sig_alg, "http://www.w3.org/2000/09/xmldsig#rsa-sha1");
    assert_eq!(
        sig.signed_octets,
        query.trim().split_once("&Signature=").unwrap().0
    );
    assert!(m.xml.contains("AuthnRequest"));

    // RelayState comes first in this URL; the signed octets would put it second.
    let url = std::fs::read_to_string(dir.join("crewjam-saml/authn_request.url")).unwrap();
    let m = decode_one(&url);
    assert_eq!(m.form, InputForm::RedirectUrl);
    assert_eq!(m.binding, Some(Binding::HttpRedirect));
    assert!(m
        .relay_state
        .as_deref()
        .unwrap()
        .starts_with("eyJhbGciOiJIUzI1NiIs"));
    assert!(m.redirect_signature.is_none());
    assert!(m.xml.contains("AuthnRequest"));

    // A compressed POST body; with a 2048-byte limit it is refused as a bomb.
    let compressed = std::fs::read(dir.join("gosaml2/saml_compressed.post")).unwrap();
    let m = decode_one(&compressed);
    assert_eq!(m.form, InputForm::Base64Deflate);
    let limits = Limits {
        max_inflated_bytes: 2048,
        ..Limits::default()
    };
    assert_eq!(
        decode_input(&compressed, None, &limits).unwrap_err().to_string(),
        "the DEFLATE data inflates to more than 2048 bytes; refusing to go on (decompression bomb?)"
    );
}
