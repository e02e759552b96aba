//! Secure XML parsing and the small vocabulary every later step uses to walk the tree.
//!
//! The tree is a `roxmltree::Document` built with DTDs refused, a node limit, and a depth
//! limit checked right after parsing (roxmltree builds its tree without recursion, so a deep
//! document cannot overflow the stack while parsing; our own recursive code relies on the cap).

use std::borrow::Cow;
use std::ops::Range;

use roxmltree::{Document, Node, ParsingOptions};

use crate::error::InputError;

/// Namespace URIs samlkit matches elements against. Prefixes are never compared.
pub mod ns {
    pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
    pub const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
    pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
    pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
    pub const DS11: &str = "http://www.w3.org/2009/xmldsig11#";
    pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
    pub const XENC11: &str = "http://www.w3.org/2009/xmlenc11#";
    pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
    pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
    pub const FED: &str = "http://docs.oasis-open.org/wsfed/federation/200706";
    pub const MDUI: &str = "urn:oasis:names:tc:SAML:metadata:ui";
}

/// Bounds applied to every document before and while it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest XML text accepted, in bytes.
    pub max_bytes: usize,
    /// Largest number of nodes (elements, attributes' owners, text, comments) in one tree.
    pub max_nodes: u32,
    /// Deepest element nesting accepted.
    pub max_depth: usize,
    /// Largest output of one inflate (HTTP-Redirect DEFLATE) or base64 decode.
    pub max_inflated_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // Large enough for federation aggregates of tens of thousands of entities,
        // small enough that a hostile input cannot exhaust memory.
        Limits {
            max_bytes: 64 * 1024 * 1024,
            max_nodes: 8_000_000,
            max_depth: 256,
            max_inflated_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Parses XML text into a tree with DTDs refused and the given limits enforced.
pub fn parse_xml<'i>(text: &'i str, limits: &Limits) -> Result<Document<'i>, InputError> {
    if text.len() > limits.max_bytes {
        return Err(InputError::TooLarge {
            what: "XML document",
            size: text.len(),
            limit: limits.max_bytes,
        });
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_nodes,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|err| InputError::from_xml_error(text, err, limits))?;
    check_depth(&doc, limits.max_depth)?;
    Ok(doc)
}

fn check_depth(doc: &Document<'_>, max_depth: usize) -> Result<(), InputError> {
    // Depth of every node from its parent's, in document order (parents come first).
    let mut depths: Vec<u32> = Vec::with_capacity(doc.descendants().len());
    for node in doc.descendants() {
        let depth = match node.parent() {
            Some(parent) => depths[parent.id().get_usize()] + 1,
            None => 0,
        };
        debug_assert_eq!(depths.len(), node.id().get_usize());
        depths.push(depth);
        if depth as usize > max_depth {
            let pos = doc.text_pos_at(node.range().start);
            return Err(InputError::TooDeep {
                limit: max_depth,
                line: pos.row,
                column: pos.col,
            });
        }
    }
    Ok(())
}

/// True when `node` is the element `{namespace}local`.
pub fn is_element(node: Node<'_, '_>, namespace: &str, local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && node.tag_name().namespace() == Some(namespace)
}

/// Element children of `node` named `{namespace}local`, in document order.
pub fn children_named<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    namespace: &'static str,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |child| is_element(*child, namespace, local))
}

/// The first element child of `node` named `{namespace}local`.
pub fn child_named<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    namespace: &'static str,
    local: &'static str,
) -> Option<Node<'a, 'i>> {
    children_named(node, namespace, local).next()
}

/// Element children of `node`, skipping text, comments and processing instructions.
pub fn element_children<'a, 'i: 'a>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(|child| child.is_element())
}

/// An attribute without a namespace, e.g. `ID`. `roxmltree`'s own lookup by bare name would
/// also match `p:ID`, which lets an attacker shadow the real ID; this one never does.
pub fn plain_attribute<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &str,
) -> Option<roxmltree::Attribute<'a, 'i>> {
    node.attributes()
        .find(|attr| attr.namespace().is_none() && attr.name() == name)
}

/// The value of a namespaced attribute such as `xsi:type`.
pub fn namespaced_attribute<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    namespace: &str,
    name: &str,
) -> Option<roxmltree::Attribute<'a, 'i>> {
    node.attributes()
        .find(|attr| attr.namespace() == Some(namespace) && attr.name() == name)
}

/// The whole text content of an element: every descendant text node concatenated, so that a
/// comment or nested element in the middle cannot truncate what is read.
pub fn text_content<'a>(node: Node<'a, '_>) -> Cow<'a, str> {
    let mut texts = node.descendants().filter(|n| n.is_text());
    let first = match texts.next() {
        Some(first) => first.text().unwrap_or(""),
        None => return Cow::Borrowed(""),
    };
    match texts.next() {
        None => Cow::Borrowed(first),
        Some(second) => {
            let mut joined = String::from(first);
            joined.push_str(second.text().unwrap_or(""));
            for rest in texts {
                joined.push_str(rest.text().unwrap_or(""));
            }
            Cow::Owned(joined)
        }
    }
}

/// True when the element's content holds comments, processing instructions or child elements
/// between its text: the shape of comment-injection attacks.
pub fn has_mixed_content(node: Node<'_, '_>) -> bool {
    node.descendants()
        .skip(1)
        .any(|n| n.is_comment() || n.is_pi() || n.is_element())
}

/// Byte range of an element's text content (all text descendants), or of the element itself
/// when it has none.
pub fn text_span(node: Node<'_, '_>) -> Range<usize> {
    let mut texts = node.descendants().filter(|n| n.is_text());
    match texts.next() {
        Some(first) => {
            let start = first.range().start;
            let end = texts.next_back().unwrap_or(first).range().end;
            start..end
        }
        None => node.range(),
    }
}

/// The prefix an element was written with in the source, recovered from the text because
/// roxmltree does not keep it. Empty for an unprefixed element.
pub fn element_prefix<'i>(node: Node<'_, 'i>, source: &'i str) -> &'i str {
    let start = node.range().start + 1; // skip '<'
    let qname_end = source[start..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .map_or(source.len(), |offset| start + offset);
    let qname = &source[start..qname_end];
    match qname.find(':') {
        Some(colon) => &qname[..colon],
        None => "",
    }
}

/// The qualified name (`prefix:local` or `local`) of an element as written in the source.
pub fn element_qname<'i>(node: Node<'_, 'i>, source: &'i str) -> &'i str {
    let start = node.range().start + 1;
    let end = source[start..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .map_or(source.len(), |offset| start + offset);
    &source[start..end]
}

/// One-based line and column of a byte offset, for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineColumn {
    pub line: u32,
    pub column: u32,
}

/// Converts a byte offset in `text` to a one-based line and column (columns count characters).
pub fn line_column(text: &str, offset: usize) -> LineColumn {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = text
        .get(line_start..offset)
        .map_or(offset - line_start, |s| s.chars().count()) as u32
        + 1;
    LineColumn { line, column }
}

/// Byte offset just past the `>` that ends the start tag beginning at `tag_start` (a `<`),
/// skipping quoted attribute values. `None` when the tag never ends.
pub fn start_tag_end(text: &str, tag_start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    for (offset, &b) in bytes.get(tag_start..)?.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(tag_start + offset + 1),
            None => {}
        }
    }
    None
}
