//! The plaintext: it must be exactly the SAML element expected, read with the namespaces in
//! scope where the encrypted element stood.

use std::ops::Range;

use roxmltree::Node;
use samlkit_parse::xml::{self};
use samlkit_parse::{parse_xml, InputError, Limits};

use crate::report::Severity;

use super::ciphers::{DataCipher, KeyTransport};
use super::element::{KeyCandidate, WrapperKind};
use super::keys::DecryptionKey;
use super::results::{Decrypted, EncryptionFinding, EncryptionFindingCode};
use super::CHECK_WRAPPER;

pub(super) struct Content {
    plaintext: String,
    replacement: String,
    element: String,
    had_declaration: bool,
}

pub(super) enum ContentProblem {
    /// Not text that could be XML: the key or the ciphertext is wrong.
    Garbage,
    /// XML-looking text that is not well-formed or not the expected element.
    Invalid(String),
}

pub(super) fn check_content(
    bytes: Vec<u8>,
    wrapper: Node<'_, '_>,
    kind: &WrapperKind,
) -> Result<Content, ContentProblem> {
    let text = String::from_utf8(bytes).map_err(|_| ContentProblem::Garbage)?;
    let mut body = text.trim_start_matches('\u{feff}').trim();
    let mut had_declaration = false;
    if body.starts_with("<?xml") && body[5..].starts_with(|c: char| c.is_ascii_whitespace()) {
        let end = body.find("?>").ok_or(ContentProblem::Garbage)?;
        body = body[end + 2..].trim_start();
        had_declaration = true;
    }
    if !body.starts_with('<') {
        return Err(ContentProblem::Garbage);
    }

    // Checked inside an element that declares what is in scope where the encrypted element
    // stands, which is where the plaintext will be read.
    let in_scope = namespaces_in_scope(wrapper);
    let mut open = format!("<{CHECK_WRAPPER}");
    for (prefix, uri) in &in_scope {
        push_declaration(&mut open, prefix.as_deref(), uri);
    }
    open.push('>');
    let wrapped = format!("{open}{body}</{CHECK_WRAPPER}>");
    let doc = parse_xml(&wrapped, &Limits::default())
        .map_err(|err| ContentProblem::Invalid(plaintext_error(err, open.chars().count())))?;

    let holder = doc.root_element();
    let elements: Vec<Node<'_, '_>> = xml::element_children(holder).collect();
    let stray_text = holder
        .children()
        .any(|n| n.is_text() && !n.text().unwrap_or("").trim().is_empty());
    let expected = format!(
        "<{}> in {}",
        kind.content.join("> or <"),
        kind.content_namespace
    );
    let root = match elements.as_slice() {
        [one] if !stray_text => *one,
        _ => {
            return Err(ContentProblem::Invalid(format!(
                "the decrypted content is {} element(s){}, not one {expected}",
                elements.len(),
                if stray_text { " and text" } else { "" }
            )))
        }
    };
    let local = root.tag_name().name();
    if root.tag_name().namespace() != Some(kind.content_namespace) || !kind.content.contains(&local)
    {
        return Err(ContentProblem::Invalid(format!(
            "the decrypted content is <{}> in {}, but <{}> must hold {expected}",
            xml::element_qname(root, &wrapped),
            root.tag_name()
                .namespace()
                .map_or("no namespace".to_string(), |ns| format!(
                    "the namespace {ns}"
                )),
            kind.name
        )));
    }

    // Offsets in `body` of the decrypted root's start tag.
    let root_start = root.range().start - open.len();
    let qname_end = root_start + 1 + xml::element_qname(root, &wrapped).len();
    let tag_end = xml::start_tag_end(body, root_start)
        .unwrap_or(body.len())
        .max(qname_end);
    let declared = declared_prefixes(&body[qname_end..tag_end]);
    let mut injected = String::new();
    for (prefix, uri) in own_declarations(wrapper) {
        if !declared.contains(&prefix) {
            push_declaration(&mut injected, prefix.as_deref(), &uri);
        }
    }
    let replacement = format!("{}{injected}{}", &body[..qname_end], &body[qname_end..]);
    Ok(Content {
        plaintext: body.to_string(),
        replacement,
        element: local.to_string(),
        had_declaration,
    })
}

/// Namespace declarations in scope at `node`, without the implicit `xml` prefix.
fn namespaces_in_scope(node: Node<'_, '_>) -> Vec<(Option<String>, String)> {
    node.namespaces()
        .filter(|n| n.name() != Some("xml"))
        .map(|n| (n.name().map(str::to_string), n.uri().to_string()))
        .collect()
}

/// Declarations made by `node`'s own start tag (those not inherited unchanged).
fn own_declarations(node: Node<'_, '_>) -> Vec<(Option<String>, String)> {
    let inherited = node
        .parent_element()
        .map(namespaces_in_scope)
        .unwrap_or_default();
    namespaces_in_scope(node)
        .into_iter()
        .filter(|declaration| !inherited.contains(declaration))
        .collect()
}

fn push_declaration(out: &mut String, prefix: Option<&str>, uri: &str) {
    let escaped = uri
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    match prefix {
        Some(prefix) => out.push_str(&format!(" xmlns:{prefix}=\"{escaped}\"")),
        None => out.push_str(&format!(" xmlns=\"{escaped}\"")),
    }
}

/// Prefixes declared in the attribute part of a well-formed start tag (`None` for `xmlns=`).
fn declared_prefixes(attributes: &str) -> Vec<Option<String>> {
    let mut declared = Vec::new();
    let mut rest = attributes;
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else {
            break;
        };
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(value_len) = after[1..].find(quote) else {
            break;
        };
        if name == "xmlns" {
            declared.push(None);
        } else if let Some(prefix) = name.strip_prefix("xmlns:") {
            declared.push(Some(prefix.to_string()));
        }
        rest = &after[1 + value_len + 1..];
    }
    declared
}

/// A parse error of the checked plaintext, with line 1 columns counted from the plaintext's
/// own start rather than from the wrapper element added around it.
fn plaintext_error(err: InputError, wrapper_chars: usize) -> String {
    let shift = |line: u32, column: u32| {
        let column = if line == 1 {
            column.saturating_sub(wrapper_chars as u32).max(1)
        } else {
            column
        };
        format!("line {line}, column {column} of the decrypted text")
    };
    match err {
        InputError::Malformed {
            message,
            line,
            column,
        } => format!(
            "the decrypted content is not well-formed XML ({message} at {})",
            shift(line, column)
        ),
        InputError::Truncated {
            element,
            line,
            column,
        } if element != CHECK_WRAPPER => format!(
            "the decrypted content is not well-formed XML: <{element}>, opened at {}, is never \
             closed",
            shift(line, column)
        ),
        other => format!("the decrypted content cannot be read as XML: {other}"),
    }
}

pub(super) fn decrypted(
    content: Content,
    kind: &WrapperKind,
    cipher: DataCipher,
    data_uri: &str,
    candidate: &KeyCandidate,
    key: &DecryptionKey,
    span: Range<usize>,
) -> Decrypted {
    let mut findings = Vec::new();
    let finding = |code, severity, message: String, fix: &str| EncryptionFinding {
        code,
        severity,
        message,
        fix: Some(fix.to_string()),
        span: Some(span.clone().into()),
    };
    if candidate.transport == KeyTransport::RsaPkcs1 {
        findings.push(finding(
            EncryptionFindingCode::WeakKeyTransport,
            Severity::Warning,
            format!(
                "the key of this {} is transported with RSA PKCS#1 v1.5 (rsa-1_5), which is \
                 open to padding-oracle (Bleichenbacher) attacks and disallowed by XML \
                 Encryption 1.1",
                kind.noun
            ),
            "configure the IdP to use rsa-oaep-mgf1p or rsa-oaep for key transport",
        ));
    }
    if cipher == DataCipher::TripleDesCbc {
        findings.push(finding(
            EncryptionFindingCode::WeakDataCipher,
            Severity::Warning,
            format!(
                "this {} is encrypted with Triple DES, a deprecated 64-bit-block cipher",
                kind.noun
            ),
            "configure the IdP to encrypt with aes256-gcm or aes128-gcm",
        ));
    }
    if !matches!(cipher, DataCipher::AesGcm { .. }) {
        findings.push(finding(
            EncryptionFindingCode::UnauthenticatedCipherMode,
            Severity::Info,
            format!(
                "{} has no integrity protection of its own: only a valid signature over the \
                 decrypted {} or the message around it shows it was not altered",
                cipher.name(),
                kind.noun
            ),
            "prefer aes256-gcm or aes128-gcm, and have the IdP sign the assertion",
        ));
    }
    if let Some(cert) = &candidate.recipient {
        if !key.matches(cert) {
            findings.push(finding(
                EncryptionFindingCode::RecipientCertificateMismatch,
                Severity::Warning,
                format!(
                    "the EncryptedKey names the certificate {}, but it was decrypted with {}, \
                     whose public key is different",
                    cert.facts().short_description(),
                    key.description()
                ),
                "give the IdP the SP's current encryption certificate so the message names \
                 the right one",
            ));
        }
    }
    if content.had_declaration {
        findings.push(finding(
            EncryptionFindingCode::XmlDeclarationInContent,
            Severity::Info,
            format!(
                "the decrypted {} began with an XML declaration, which was removed so it can \
                 stand inside the message",
                kind.noun
            ),
            "nothing to do; the IdP serialized the element as a document",
        ));
    }
    Decrypted {
        plaintext: content.plaintext,
        replacement: content.replacement,
        element: content.element,
        data_algorithm: data_uri.to_string(),
        key_transport: candidate.algorithm.clone(),
        description: format!(
            "{}, key transported with {}",
            cipher.name(),
            candidate.transport.name()
        ),
        key_label: key.label().to_string(),
        recipient: candidate.recipient.as_ref().map(|c| c.facts().clone()),
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_prefixes_reads_start_tag_attributes() {
        let found = declared_prefixes(r#" ID="x" xmlns:saml='urn:a' xmlns="urn:b" a:b="xmlns:c=""#);
        assert_eq!(found, vec![Some("saml".to_string()), None]);
    }

    /// `check_content` of `plaintext` as the content of an EncryptedAssertion.
    fn check_assertion_plaintext(plaintext: &str) -> Result<Content, ContentProblem> {
        let text =
            r#"<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/>"#;
        let doc = parse_xml(text, &Limits::default()).unwrap();
        let wrapper = doc.root_element();
        let kind = super::super::element::wrapper_kind(wrapper).unwrap();
        check_content(plaintext.as_bytes().to_vec(), wrapper, kind)
    }

    #[test]
    fn an_xml_declaration_is_set_aside_but_other_processing_instructions_are_content() {
        let assertion = r#"<saml:Assertion ID="_a" Version="2.0"/>"#;
        let declared = check_assertion_plaintext(&format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>{assertion}"#
        ))
        .ok()
        .unwrap();
        assert!(declared.had_declaration);
        assert_eq!(declared.plaintext, assertion);
        let stylesheet = format!(r#"<?xml-stylesheet href="a.xsl"?>{assertion}"#);
        let kept = check_assertion_plaintext(&stylesheet).ok().unwrap();
        assert!(!kept.had_declaration);
        assert_eq!(kept.plaintext, stylesheet);
    }

    #[test]
    fn text_beside_the_decrypted_element_is_refused() {
        let plaintext = r#"<saml:Assertion ID="_a" Version="2.0"/>trailing words"#;
        match check_assertion_plaintext(plaintext) {
            Err(ContentProblem::Invalid(message)) => {
                assert!(message.contains("1 element(s) and text"), "{message}")
            }
            _ => panic!("text beside the assertion was accepted"),
        }
        assert!(check_assertion_plaintext(r#"<saml:Assertion ID="_a" Version="2.0"/>"#).is_ok());
    }
}
