//! Resource bounds: hostile inputs are refused with the specific error of the bound they hit
//! (size, depth, inflation, attributes per element, nodes), and a large but legitimate message
//! is read whole. How long each refusal takes is measured by `benches/bounds.rs`, not here.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use samlkit_parse::decode::{decode_input, DecodeError, InputForm};
use samlkit_parse::{parse_xml, read_message, InputError, Limits, SamlMessage};
use serde_json::json;

const MB: usize = 1024 * 1024;

/// The decoding error behind any context the decoder wrapped it in.
fn innermost(err: &DecodeError) -> &DecodeError {
    match err {
        DecodeError::Context { inner, .. } | DecodeError::Forced { inner, .. } => innermost(inner),
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Size

#[test]
fn a_100_mb_document_is_refused_by_size_before_parsing() {
    let limits = Limits::default();
    let mut xml = String::with_capacity(100 * MB);
    xml.push_str("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">");
    while xml.len() < 100 * MB - 32 {
        xml.push_str("<!-- padding padding padding -->");
    }
    xml.push_str("</samlp:Response>");
    let size = xml.len();

    let err = parse_xml(&xml, &limits).expect_err("over the size limit");
    assert_eq!(
        err,
        InputError::TooLarge {
            what: "XML document",
            size,
            limit: limits.max_bytes,
        }
    );
    assert_eq!(
        err.to_string(),
        format!("the XML document is {size} bytes, over the limit of 67108864 bytes")
    );

    // Decoding refuses it first, before copying or scanning it.
    let err = decode_input(xml.as_bytes(), None, &limits).expect_err("over the input limit");
    assert_eq!(
        err,
        DecodeError::InputTooLarge {
            size,
            limit: limits.max_bytes,
        }
    );
    assert!(err.to_string().contains("refusing to read it"));
    // Under the input limit, the parser's own bound still applies.
    let small = Limits {
        max_bytes: 1024,
        ..Limits::default()
    };
    let messages = decode_input(&xml.as_bytes()[..900], None, &limits).expect("a prefix decodes");
    assert_eq!(messages[0].form, InputForm::Xml);
    assert!(matches!(
        parse_xml(&xml[..2000], &small),
        Err(InputError::TooLarge { size: 2000, .. })
    ));
}

#[test]
fn a_100_mb_base64_value_is_refused_by_its_decoded_size() {
    let limits = Limits::default();
    // Under the 64 MiB input limit, over the 16 MiB decoded limit.
    let text = "PHNh".repeat(60 * MB / 4);
    let expected = text.len() / 4 * 3;

    let err = decode_input(text.as_bytes(), None, &limits).expect_err("over the limit");
    assert_eq!(
        err,
        DecodeError::TooLarge {
            size: expected,
            limit: limits.max_inflated_bytes,
        }
    );
    assert!(err.to_string().contains("over the limit of 16777216 bytes"));

    // The same value posted in a form body.
    let body = format!("SAMLResponse={text}&RelayState=x");
    let err = decode_input(body.as_bytes(), None, &limits).expect_err("over the limit");
    assert!(
        matches!(innermost(&err), DecodeError::TooLarge { .. }),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("parameter SAMLResponse: "),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Depth

#[test]
fn a_million_deep_nesting_is_refused_as_too_deep() {
    const DEPTH: usize = 1_000_000;
    let limits = Limits::default();
    let mut xml = String::with_capacity(DEPTH * 7);
    xml.push_str(&"<a>".repeat(DEPTH));
    xml.push_str(&"</a>".repeat(DEPTH));

    let err = parse_xml(&xml, &limits).expect_err("too deep");
    // The first element past the limit is reported: the 257th, after 256 start tags of 3
    // characters.
    assert_eq!(
        err,
        InputError::TooDeep {
            limit: 256,
            line: 1,
            column: 3 * 256 + 1,
        }
    );
    assert!(err
        .to_string()
        .starts_with("elements nest deeper than 256 levels"));

    // Base64 of the same document decodes (its size is within bounds) and is then refused.
    let posted = STANDARD.encode(&xml);
    let messages = decode_input(posted.as_bytes(), None, &limits).expect("decodes");
    assert!(matches!(
        parse_xml(&messages[0].xml, &limits),
        Err(InputError::TooDeep { limit: 256, .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Decompression bombs

/// Writes a DEFLATE stream bit by bit (RFC 1951 packs bits from the least significant end;
/// Huffman codes go most significant bit first).
struct BitWriter {
    bytes: Vec<u8>,
    bit: u32,
}

impl BitWriter {
    fn bits(&mut self, value: u32, count: u32) {
        for i in 0..count {
            if self.bit == 0 {
                self.bytes.push(0);
            }
            let last = self.bytes.len() - 1;
            self.bytes[last] |= (((value >> i) & 1) as u8) << self.bit;
            self.bit = (self.bit + 1) % 8;
        }
    }

    fn code(&mut self, code: u32, length: u32) {
        for i in (0..length).rev() {
            self.bits((code >> i) & 1, 1);
        }
    }
}

/// Raw DEFLATE that inflates to `1 + 258 * repeats` bytes of `<`: one fixed-Huffman block of
/// a literal and `repeats` back-references of length 258 at distance 1 (13 bits each), so
/// about 160 output bytes per input byte.
fn deflate_bomb(repeats: usize) -> Vec<u8> {
    let mut writer = BitWriter {
        bytes: Vec::with_capacity(repeats * 13 / 8 + 8),
        bit: 0,
    };
    writer.bits(1, 1); // final block
    writer.bits(1, 2); // fixed Huffman codes
    writer.code(0x30 + u32::from(b'<'), 8); // literal '<'
    for _ in 0..repeats {
        writer.code(0xC0 + (285 - 280), 8); // length 258
        writer.code(0, 5); // distance 1
    }
    writer.code(0, 7); // end of block
    writer.bytes
}

/// Inflates to about 1 GiB; the decoder must give up at its 16 MiB limit.
const BOMB_REPEATS: usize = (1 << 30) / 258;

fn zlib_wrapped(deflate: &[u8]) -> Vec<u8> {
    // The Adler-32 trailer is left zero: inflation stops at the limit long before it.
    [&[0x78, 0x9C][..], deflate, &[0, 0, 0, 0]].concat()
}

fn gzip_wrapped(deflate: &[u8]) -> Vec<u8> {
    // CRC-32 and size left zero, for the same reason.
    let header = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF];
    [&header[..], deflate, &[0; 8]].concat()
}

fn query_encode(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

#[test]
fn deflate_bombs_are_refused_at_the_inflate_limit_in_every_wrapper_and_carrier() {
    let limits = Limits::default();
    let raw = deflate_bomb(BOMB_REPEATS);
    assert!(raw.len() < 8 * MB, "the bomb itself is small");
    for (wrapper, compressed) in [
        ("raw DEFLATE", raw.clone()),
        ("zlib", zlib_wrapped(&raw)),
        ("gzip", gzip_wrapped(&raw)),
    ] {
        let base64 = STANDARD.encode(&compressed);
        let redirect = format!(
            "https://idp.example.com/sso?SAMLRequest={}&RelayState=r",
            query_encode(&base64)
        );
        let form_body = format!("SAMLResponse={}", query_encode(&base64));
        let har = json!({"log": {"version": "1.2", "entries": [
            {"request": {"method": "GET", "url": redirect}},
        ]}});
        let har_post = json!({"log": {"version": "1.2", "entries": [
            {"request": {"method": "POST", "url": "https://sp.example.com/acs",
                         "postData": {"mimeType": "application/x-www-form-urlencoded",
                                      "text": form_body}}},
        ]}});
        for (carrier, input) in [
            ("base64", base64.clone()),
            ("Redirect URL", redirect.clone()),
            ("form body", form_body.clone()),
            ("HAR URL", har.to_string()),
            ("HAR POST body", har_post.to_string()),
        ] {
            let err = decode_input(input.as_bytes(), None, &limits).expect_err("a bomb is refused");
            assert_eq!(
                innermost(&err),
                &DecodeError::InflateLimit {
                    limit: limits.max_inflated_bytes
                },
                "{wrapper} in a {carrier}: {err}"
            );
            assert!(
                err.to_string().ends_with(
                    "inflates to more than 16777216 bytes; refusing to go on (decompression bomb?)"
                ),
                "{wrapper} in a {carrier}: {err}"
            );
        }
    }
}

#[test]
fn a_forced_deflate_form_refuses_a_bomb_the_same_way() {
    let limits = Limits::default();
    let base64 = STANDARD.encode(deflate_bomb(BOMB_REPEATS / 16));
    let err = decode_input(base64.as_bytes(), Some(InputForm::Base64Deflate), &limits)
        .expect_err("a bomb is refused");
    assert_eq!(
        err,
        DecodeError::Forced {
            form: InputForm::Base64Deflate,
            inner: Box::new(DecodeError::InflateLimit {
                limit: limits.max_inflated_bytes
            }),
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Attributes

// The attribute limit at its boundary: exactly the limit passes and one more is refused,
// whether the document holds few `=` in all (the quick count decides) or many spread over
// elements that each stay within the limit (the tags are then looked at one by one).
#[test]
fn the_attribute_limit_holds_exactly_at_its_boundary() {
    let limits = Limits {
        max_attributes: 3,
        ..Limits::default()
    };
    let element = |attributes: usize| {
        let list: String = (0..attributes).map(|i| format!(" a{i}=\"v\"")).collect();
        format!("<e{list}/>")
    };
    let alone = |attributes: usize| format!("<r>{}</r>", element(attributes));
    let among_many =
        |attributes: usize| format!("<r>{}{}</r>", element(3).repeat(10), element(attributes));
    let shapes: [&dyn Fn(usize) -> String; 2] = [&alone, &among_many];
    for document in shapes {
        assert!(parse_xml(&document(3), &limits).is_ok(), "{}", document(3));
        let err = parse_xml(&document(4), &limits).expect_err("one attribute too many");
        assert!(
            matches!(err, InputError::TooManyAttributes { limit: 3, .. }),
            "{}: {err}",
            document(4)
        );
    }
    // `=` in text and quoted values is not an attribute.
    let texts = format!("<r a=\"x=y=z\">{}</r>", "a=b ".repeat(10));
    assert!(parse_xml(&texts, &limits).is_ok());
}

#[test]
fn a_hundred_thousand_attributes_on_one_element_are_refused() {
    let limits = Limits::default();
    let mut xml =
        String::from("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"");
    for i in 0..100_000 {
        xml.push_str(&format!(" a{i}=\"v\""));
    }
    xml.push_str("/>");
    let err = parse_xml(&xml, &limits).expect_err("too many attributes");
    assert_eq!(
        err,
        InputError::TooManyAttributes {
            limit: 256,
            line: 1,
            column: 1,
        }
    );
    assert_eq!(
        err.to_string(),
        "an element at line 1, column 1 has more than 256 attributes; refusing to go on"
    );

    // Namespace declarations count too, are named as such, and a later element is located
    // exactly.
    let mut xml = String::from("<r>\n  <e");
    for i in 0..100_000 {
        xml.push_str(&format!(" xmlns:p{i}='urn:p:{i}'"));
    }
    xml.push_str(" xmlns='urn:default'/></r>");
    let err = parse_xml(&xml, &limits).expect_err("too many declarations");
    assert_eq!(
        err,
        InputError::TooManyNamespaceDeclarations {
            count: 100_001,
            limit: 256,
            line: 2,
            column: 3,
        }
    );
    assert!(
        err.to_string()
            .contains("carries 100001 namespace declarations (xmlns)"),
        "{err}"
    );
}

#[test]
fn a_hundred_thousand_saml_attributes_are_parsed_and_modelled() {
    const COUNT: usize = 100_000;
    let limits = Limits::default();
    let mut xml = String::from(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\" \
         Version=\"2.0\" IssueInstant=\"2026-11-28T09:00:00Z\"><saml:Assertion \
         xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a\" Version=\"2.0\" \
         IssueInstant=\"2026-11-28T09:00:00Z\"><saml:AttributeStatement>",
    );
    for i in 0..COUNT {
        xml.push_str(&format!(
            "<saml:Attribute Name=\"claim{i}\"><saml:AttributeValue>value {i}</saml:AttributeValue></saml:Attribute>"
        ));
    }
    xml.push_str("</saml:AttributeStatement></saml:Assertion></samlp:Response>");
    assert!(xml.len() < limits.max_bytes);

    let doc = parse_xml(&xml, &limits).expect("within every bound");
    // Root, Response, Assertion, AttributeStatement, then three nodes per attribute.
    assert_eq!(doc.descendants().count(), 4 + 3 * COUNT);
    let message = read_message(&doc).expect("a SAML message");
    let SamlMessage::Response(response) = message else {
        panic!("not read as a Response");
    };
    let attributes = &response.assertions[0].attributes;
    assert_eq!(attributes.len(), COUNT);
    for i in [0, 1, COUNT / 2, COUNT - 1] {
        assert_eq!(
            attributes[i].name.as_ref().map(|n| n.value),
            Some(format!("claim{i}").as_str())
        );
        assert_eq!(attributes[i].values.len(), 1);
        assert_eq!(attributes[i].values[0].text.as_str(), format!("value {i}"));
    }
    let last = format!("claim{}", COUNT - 1);
    assert_eq!(
        response.assertions[0].attributes_named(&last).count(),
        1,
        "lookup by name over the whole list"
    );
}

// ---------------------------------------------------------------------------------------------
// Nodes

#[test]
fn ten_million_nodes_are_refused_at_the_node_limit() {
    const NODES: usize = 10_000_000;
    let limits = Limits::default();
    let mut xml = String::with_capacity(NODES * 4 + 16);
    xml.push_str("<r>");
    xml.push_str(&"<e/>".repeat(NODES));
    xml.push_str("</r>");
    assert!(
        xml.len() < limits.max_bytes,
        "refused for its nodes, not its size"
    );

    let err = parse_xml(&xml, &limits).expect_err("too many nodes");
    assert_eq!(err, InputError::TooManyNodes { limit: 8_000_000 });
    assert_eq!(
        err.to_string(),
        "the XML has more than 8000000 nodes; refusing to go on"
    );
}

#[test]
fn an_attribute_written_twice_is_named_a_duplicate_with_both_places() {
    let xml = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"\n  ID=\"_a\" Version=\"2.0\"\n  ID=\"_b\"/>";
    let err = parse_xml(xml, &Limits::default()).expect_err("duplicate attribute");
    assert_eq!(
        err.to_string(),
        "the attribute 'ID' is written twice on one element, at line 2, column 3 and at line 3, \
         column 3; parsers disagree about which value counts, so one can be signed while the \
         other is read (a duplicate ID: the shape of signature-wrapping attacks)"
    );
    // Any other attribute is a duplicate too, without the ID note.
    let err = parse_xml("<r a='1' b='2' a='3'/>", &Limits::default()).expect_err("duplicate");
    assert!(
        err.to_string().starts_with(
            "the attribute 'a' is written twice on one element, at line 1, column 4 and at line \
             1, column 16;"
        ),
        "{err}"
    );
    assert!(!err.to_string().contains("duplicate ID"));
}
