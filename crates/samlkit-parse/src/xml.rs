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
    /// SAML 1.0 and 1.1 assertions (1.1 kept the 1.0 namespace).
    pub const SAML1: &str = "urn:oasis:names:tc:SAML:1.0:assertion";
    /// SAML 1.0 and 1.1 protocol messages.
    pub const SAML1P: &str = "urn:oasis:names:tc:SAML:1.0:protocol";
    /// WS-Trust 1.2 (February 2005), which WS-Federation sign-in responses use.
    pub const WST: &str = "http://schemas.xmlsoap.org/ws/2005/02/trust";
    /// WS-Trust 1.3 (OASIS).
    pub const WST13: &str = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
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
    /// Most attributes (namespace declarations included) on one element. roxmltree checks
    /// for duplicates pairwise, so this bound keeps hostile start tags from costing
    /// quadratic time.
    pub max_attributes: usize,
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
            max_attributes: 256,
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
    check_attribute_counts(text, limits.max_attributes)?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_nodes,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|err| InputError::from_xml_error(text, err, limits))?;
    check_depth(&doc, limits.max_depth, may_hold_bad_names(text))?;
    Ok(doc)
}

/// False when no `:` in the text could begin or end a name (`<:a`, `</:a`, ` :a=`, `a:=`,
/// `<a: `, `<a:>`, `<a:/>`): then no name has an empty prefix or local part and the exact
/// check of every start tag is skipped. Colons inside URIs (`urn:oasis:…`, `https://`) and
/// prefixed names (`saml:Assertion`) do not match; `Note: …` in a text does, and only costs
/// the exact check.
fn may_hold_bad_names(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|at| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + 1).copied();
        matches!(before, Some(b'<' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
            || matches!(after, Some(b'=' | b'>' | b' ' | b'\t' | b'\n' | b'\r'))
            || bytes[at + 1..].starts_with(b"/>")
    })
}

/// Refuses start tags with more than `limit` attributes, before roxmltree sees them. A quick
/// count of `=` between `>` characters finds candidates (SAML has few attributes per element);
/// only then is the text scanned exactly, tag by tag, with quoted values skipped.
fn check_attribute_counts(text: &str, limit: usize) -> Result<(), InputError> {
    let bytes = text.as_bytes();
    // No more `=` in the whole text than the limit (a message has a few dozen): no tag can
    // hold too many attributes, and counting is quicker than stopping at every `=` and `>`.
    if memchr::memchr_iter(b'=', bytes).count() <= limit {
        return Ok(());
    }
    let mut equals_since_close = 0usize;
    let mut suspicious = false;
    for at in memchr::memchr2_iter(b'=', b'>', bytes) {
        if bytes[at] == b'>' {
            equals_since_close = 0;
        } else {
            equals_since_close += 1;
            if equals_since_close > limit {
                suspicious = true;
                break;
            }
        }
    }
    if !suspicious {
        return Ok(());
    }
    let mut position = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[position..]) {
        let start = position + offset;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") || rest.starts_with(b"<![CDATA[") || rest.starts_with(b"<?") {
            // Skipped: they hold no attributes; the parser judges them.
            position = start + 1;
            continue;
        }
        let mut quote: Option<u8> = None;
        let mut attributes = 0usize;
        let mut end = bytes.len();
        for (index, &b) in rest.iter().enumerate().skip(1) {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'=' => attributes += 1,
                None if b == b'>' => {
                    end = start + index;
                    break;
                }
                None => {}
            }
        }
        if attributes > limit {
            let pos = line_column(text, start);
            let declarations = attribute_names(&text[start..end.min(text.len())])
                .filter(|(name, _)| *name == "xmlns" || name.starts_with("xmlns:"))
                .count();
            if declarations * 2 > attributes {
                return Err(InputError::TooManyNamespaceDeclarations {
                    count: declarations,
                    limit,
                    line: pos.line,
                    column: pos.column,
                });
            }
            return Err(InputError::TooManyAttributes {
                limit,
                line: pos.line,
                column: pos.column,
            });
        }
        position = end.max(start + 1);
    }
    Ok(())
}

fn check_depth(
    doc: &Document<'_>,
    max_depth: usize,
    check_each_name: bool,
) -> Result<(), InputError> {
    // A node has fewer ancestors than the document has nodes: a document of at most
    // `max_depth + 1` nodes cannot nest too deep, and a typical message (a few hundred nodes
    // against a limit of 256) is not walked unless its names need the exact check.
    let nodes = doc.descendants().len();
    if nodes <= max_depth + 1 && !check_each_name {
        return Ok(());
    }
    // Depth of every node from its parent's, in document order (parents come first).
    let mut depths: Vec<u32> = Vec::with_capacity(nodes);
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
        if check_each_name && node.is_element() {
            check_names(doc, node)?;
        }
    }
    Ok(())
}

/// Refuses names with an empty prefix or local part (`:ID`, `saml:`), which roxmltree
/// tolerates but which are not namespace-well-formed: other parsers read them differently,
/// and `:ID` would otherwise pass for an `ID` attribute.
fn check_names(doc: &Document<'_>, element: Node<'_, '_>) -> Result<(), InputError> {
    let source = doc.input_text();
    let bad = |qname: &str| qname.starts_with(':') || qname.ends_with(':');
    let element_name = element_qname(element, source);
    let start = element.range().start;
    let offending = if bad(element_name) {
        Some((element_name, start))
    } else {
        // Attribute names are read from the start tag itself, since roxmltree does not list
        // namespace declarations as attributes (`:xmlns=""` would go unseen).
        let end = start_tag_end(source, start).unwrap_or(element.range().end);
        attribute_names(&source[start..end])
            .find(|(name, _)| bad(name))
            .map(|(name, offset)| (name, start + offset))
    };
    match offending {
        None => Ok(()),
        Some((name, offset)) => {
            let pos = line_column(source, offset);
            Err(InputError::Malformed {
                message: format!("the name '{name}' has an empty prefix or local part"),
                line: pos.line,
                column: pos.column,
            })
        }
    }
}

/// The attribute names written in a start tag (`<qname a="…" b:c='…'>`), with their offsets,
/// quoted values skipped.
pub(crate) fn attribute_names(tag: &str) -> impl Iterator<Item = (&str, usize)> {
    let bytes = tag.as_bytes();
    let mut names = Vec::new();
    let mut quote: Option<u8> = None;
    let mut name_start: Option<usize> = None;
    // Skip `<` and the element's own name.
    let mut index = bytes
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        .unwrap_or(bytes.len());
    while index < bytes.len() {
        let b = bytes[index];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'=' || b.is_ascii_whitespace() || b == b'>' || b == b'/' => {
                if let Some(begin) = name_start.take() {
                    names.push((&tag[begin..index], begin));
                }
            }
            None => {
                name_start.get_or_insert(index);
            }
        }
        index += 1;
    }
    names.into_iter()
}

/// True when `node` is the element `{namespace}local`.
#[inline]
pub fn is_element(node: Node<'_, '_>, namespace: &str, local: &str) -> bool {
    if !node.is_element() {
        return false;
    }
    // The local name first: it is short and tells most elements apart.
    let name = node.tag_name();
    name.name() == local && name.namespace() == Some(namespace)
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
    let line = memchr::memchr_iter(b'\n', before).count() as u32 + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = count_chars(&before[line_start..]) as u32 + 1;
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

/// Line and column of many offsets in one text, each in about constant time: line starts are
/// found once, and character counts are kept per 4 KiB block so that a column on a very long
/// line (IdPs often send a whole message on one) is not counted from the line's start.
pub struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    /// Characters before each 4 KiB block.
    block_chars: Vec<usize>,
}

const BLOCK: usize = 4096;

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut block_chars = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0;
        for block in bytes.chunks(BLOCK) {
            block_chars.push(chars);
            chars += count_chars(block);
        }
        LineIndex {
            text,
            line_starts,
            block_chars,
        }
    }

    /// Characters before byte `offset` (which need not be a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let block = offset / BLOCK;
        let base = self.block_chars.get(block).copied().unwrap_or(0);
        base + count_chars(&self.text.as_bytes()[block * BLOCK..offset])
    }

    pub fn position(&self, offset: usize) -> LineColumn {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line.saturating_sub(1)];
        LineColumn {
            line: line as u32,
            column: (self.chars_before(offset) - self.chars_before(line_start)) as u32 + 1,
        }
    }
}

/// Characters in UTF-8 bytes: every byte that is not a continuation byte starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod line_index_tests {
    use super::*;

    #[test]
    fn agrees_with_line_column_everywhere() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(if i % 7 == 0 {
                "é€x\n"
            } else {
                "<a b=\"ü\">"
            });
        }
        let index = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(13).chain([text.len()]) {
            assert_eq!(
                index.position(offset),
                line_column(&text, offset),
                "at {offset}"
            );
        }
    }
}
