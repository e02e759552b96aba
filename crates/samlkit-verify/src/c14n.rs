//! Canonical XML (C14N 1.0, 1.1, exclusive 1.0) over a roxmltree tree.
//!
//! The canonical form is produced straight from the parsed tree, so the bytes that are digested
//! are derived from the same nodes the claims are later read from. roxmltree keeps no prefixes,
//! so qualified names are recovered from the source text and checked against the parsed names.
//!
//! Document subsets are limited to what XML-DSig needs for SAML: a whole document or one element
//! subtree, optionally minus one excluded subtree (the enveloped signature).

use std::borrow::Cow;

use roxmltree::{Document, Node, NodeId, NodeType};

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A W3C canonicalization algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum C14nMethod {
    /// Canonical XML 1.0, comments omitted.
    Inclusive10,
    /// Canonical XML 1.0 with comments.
    Inclusive10WithComments,
    /// Canonical XML 1.1, comments omitted.
    Inclusive11,
    /// Canonical XML 1.1 with comments.
    Inclusive11WithComments,
    /// Exclusive XML Canonicalization 1.0, comments omitted.
    Exclusive10,
    /// Exclusive XML Canonicalization 1.0 with comments.
    Exclusive10WithComments,
}

impl C14nMethod {
    /// All six methods, in a stable order.
    pub const ALL: [C14nMethod; 6] = [
        C14nMethod::Inclusive10,
        C14nMethod::Inclusive10WithComments,
        C14nMethod::Inclusive11,
        C14nMethod::Inclusive11WithComments,
        C14nMethod::Exclusive10,
        C14nMethod::Exclusive10WithComments,
    ];

    /// The method named by an XML-DSig algorithm URI, if it is one of the six W3C ones.
    pub fn from_uri(uri: &str) -> Option<C14nMethod> {
        C14nMethod::ALL.into_iter().find(|m| m.uri() == uri)
    }

    /// The algorithm URI used in `CanonicalizationMethod` and `Transform` elements.
    pub fn uri(self) -> &'static str {
        match self {
            C14nMethod::Inclusive10 => "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
            C14nMethod::Inclusive10WithComments => {
                "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
            }
            C14nMethod::Inclusive11 => "http://www.w3.org/2006/12/xml-c14n11",
            C14nMethod::Inclusive11WithComments => {
                "http://www.w3.org/2006/12/xml-c14n11#WithComments"
            }
            C14nMethod::Exclusive10 => "http://www.w3.org/2001/10/xml-exc-c14n#",
            C14nMethod::Exclusive10WithComments => {
                "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
            }
        }
    }

    /// Whether comment nodes are part of the canonical form.
    pub fn with_comments(self) -> bool {
        matches!(
            self,
            C14nMethod::Inclusive10WithComments
                | C14nMethod::Inclusive11WithComments
                | C14nMethod::Exclusive10WithComments
        )
    }

    /// The same family with comments off (XML-DSig drops comments for same-document `#id`
    /// references).
    pub fn without_comments(self) -> C14nMethod {
        match self {
            C14nMethod::Inclusive10 | C14nMethod::Inclusive10WithComments => {
                C14nMethod::Inclusive10
            }
            C14nMethod::Inclusive11 | C14nMethod::Inclusive11WithComments => {
                C14nMethod::Inclusive11
            }
            C14nMethod::Exclusive10 | C14nMethod::Exclusive10WithComments => {
                C14nMethod::Exclusive10
            }
        }
    }

    /// Whether this is Exclusive XML Canonicalization.
    pub fn is_exclusive(self) -> bool {
        matches!(
            self,
            C14nMethod::Exclusive10 | C14nMethod::Exclusive10WithComments
        )
    }

    fn is_11(self) -> bool {
        matches!(
            self,
            C14nMethod::Inclusive11 | C14nMethod::Inclusive11WithComments
        )
    }
}

/// What to canonicalize and how.
#[derive(Debug, Clone, Copy)]
pub struct C14nOptions<'a> {
    /// The algorithm.
    pub method: C14nMethod,
    /// Exclusive C14N's InclusiveNamespaces PrefixList; `"#default"` names the default
    /// namespace. Ignored by the inclusive methods.
    pub inclusive_prefixes: &'a [&'a str],
    /// A subtree left out of the output (the enveloped-signature transform).
    pub exclude: Option<NodeId>,
}

impl C14nOptions<'_> {
    /// Options for `method` with no prefix list and nothing excluded.
    pub fn new(method: C14nMethod) -> C14nOptions<'static> {
        C14nOptions {
            method,
            inclusive_prefixes: &[],
            exclude: None,
        }
    }
}

/// Why a node could not be canonicalized.
#[derive(Debug, thiserror::Error)]
pub enum C14nError {
    /// The subtree root handed in is not an element.
    #[error("canonicalization of a subtree needs an element node, got {0}")]
    NotAnElement(&'static str),
    /// A namespace URI without a scheme; Canonical XML requires failing on those.
    #[error(
        "namespace URI {uri:?} (prefix {prefix}) is relative; canonical XML does not accept relative namespace URIs"
    )]
    RelativeNamespaceUri {
        /// The declared prefix, or `(default)`.
        prefix: String,
        /// The URI as written.
        uri: String,
    },
    /// The qualified name in the source text does not match the parsed name (for example a
    /// name produced by entity expansion, or an attribute name longer than the parser records).
    #[error("cannot recover the qualified name of {0} from the source text")]
    NameUnavailable(String),
    /// A prefix is used by a name but no namespace is in scope for it.
    #[error("prefix {0:?} is used but not declared")]
    UndeclaredPrefix(String),
}

/// Canonicalizes the subtree rooted at element `node` (a document subset: the element, its
/// descendants, its attributes and in-scope namespaces).
///
/// The inclusive methods render every namespace in scope at `node`, including those declared on
/// ancestors; C14N 1.0 also copies inherited `xml:*` attributes onto `node`, and C14N 1.1 copies
/// `xml:lang` and `xml:space` and joins `xml:base`.
pub fn canonicalize_subtree(
    node: Node<'_, '_>,
    options: &C14nOptions<'_>,
    out: &mut Vec<u8>,
) -> Result<(), C14nError> {
    if !node.is_element() {
        return Err(C14nError::NotAnElement(node_kind_name(node.node_type())));
    }
    if let Some(ex) = options.exclude {
        // An excluded ancestor takes the whole subtree out of the node-set.
        if node.ancestors().any(|a| a.id() == ex) {
            return Ok(());
        }
    }
    let mut c = Canonicalizer::new(node.document(), options);
    c.element_tree(node, true, out)
}

/// Canonicalizes a whole document (comments/PIs outside the root included per the spec rules).
pub fn canonicalize_document(
    doc: &Document<'_>,
    options: &C14nOptions<'_>,
    out: &mut Vec<u8>,
) -> Result<(), C14nError> {
    let mut c = Canonicalizer::new(doc, options);
    let mut before_root = true;
    for child in doc.root().children() {
        if options.exclude == Some(child.id()) {
            continue;
        }
        match child.node_type() {
            NodeType::Element => {
                c.element_tree(child, false, out)?;
                before_root = false;
            }
            NodeType::Comment | NodeType::PI => {
                if child.is_comment() && !c.comments {
                    continue;
                }
                // Nodes before the document element are followed by a line feed, nodes after
                // it are preceded by one.
                if !before_root {
                    out.push(b'\n');
                }
                c.leaf(child, out);
                if before_root {
                    out.push(b'\n');
                }
            }
            // Whitespace outside the document element is not part of the data model.
            NodeType::Text | NodeType::Root => {}
        }
    }
    Ok(())
}

fn node_kind_name(t: NodeType) -> &'static str {
    match t {
        NodeType::Root => "the document root",
        NodeType::Element => "an element",
        NodeType::PI => "a processing instruction",
        NodeType::Comment => "a comment",
        NodeType::Text => "a text node",
    }
}

/// An attribute ready for sorting and output.
struct OutAttr<'a> {
    ns: &'a str,
    local: &'a str,
    qname: &'a str,
    value: Cow<'a, str>,
}

/// One element's namespace declaration to output: prefix (`None` = default) and URI.
type NsDecl<'a> = (Option<&'a str>, &'a str);

struct Canonicalizer<'a, 'o> {
    text: &'a str,
    method: C14nMethod,
    comments: bool,
    exclusive: bool,
    exclude: Option<NodeId>,
    prefix_list: &'o [&'o str],
    prefix_list_default: bool,
    /// Exclusive only: declarations rendered by output ancestors, innermost last.
    rendered: Vec<NsDecl<'a>>,
    /// Exclusive only: length of `rendered` at each open element.
    frames: Vec<usize>,
    ns_out: Vec<NsDecl<'a>>,
    attrs: Vec<OutAttr<'a>>,
}

impl<'a, 'o> Canonicalizer<'a, 'o> {
    fn new(doc: &'a Document<'_>, options: &C14nOptions<'o>) -> Self {
        let exclusive = options.method.is_exclusive();
        let prefix_list: &'o [&'o str] = if exclusive {
            options.inclusive_prefixes
        } else {
            &[]
        };
        Canonicalizer {
            text: doc.input_text(),
            method: options.method,
            comments: options.method.with_comments(),
            exclusive,
            exclude: options.exclude,
            prefix_list,
            prefix_list_default: prefix_list.contains(&"#default"),
            rendered: Vec::new(),
            frames: Vec::new(),
            ns_out: Vec::with_capacity(8),
            attrs: Vec::with_capacity(8),
        }
    }

    /// Writes `apex` and everything below it, walking iteratively so that nesting depth costs
    /// heap, not stack.
    fn element_tree(
        &mut self,
        apex: Node<'a, '_>,
        subset: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), C14nError> {
        self.open(apex, None, subset, out)?;
        let mut parent = apex;
        let mut cur = apex.first_child();
        loop {
            let Some(n) = cur else {
                self.close(parent, out)?;
                if parent == apex {
                    return Ok(());
                }
                cur = parent.next_sibling();
                // The walk never leaves the apex's subtree, so a parent always exists here.
                parent = parent.parent().unwrap_or(apex);
                continue;
            };
            if self.exclude == Some(n.id()) {
                cur = n.next_sibling();
                continue;
            }
            match n.node_type() {
                NodeType::Element => {
                    self.open(n, Some(parent), false, out)?;
                    parent = n;
                    cur = n.first_child();
                    continue;
                }
                NodeType::Text => escape_text(out, n.text().unwrap_or("")),
                NodeType::Comment if !self.comments => {}
                NodeType::Comment | NodeType::PI => self.leaf(n, out),
                NodeType::Root => {}
            }
            cur = n.next_sibling();
        }
    }

    /// A comment or processing instruction.
    fn leaf(&self, n: Node<'_, '_>, out: &mut Vec<u8>) {
        if let Some(pi) = n.pi() {
            out.extend_from_slice(b"<?");
            out.extend_from_slice(pi.target.as_bytes());
            if let Some(v) = pi.value.filter(|v| !v.is_empty()) {
                out.push(b' ');
                write_raw_data(out, v);
            }
            out.extend_from_slice(b"?>");
        } else if n.is_comment() {
            out.extend_from_slice(b"<!--");
            write_raw_data(out, n.text().unwrap_or(""));
            out.extend_from_slice(b"-->");
        }
    }

    fn open(
        &mut self,
        n: Node<'a, '_>,
        out_parent: Option<Node<'a, '_>>,
        subset: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), C14nError> {
        let qname = self.element_qname(n)?;
        out.push(b'<');
        out.extend_from_slice(qname.as_bytes());

        self.check_declared_uris(n)?;
        self.ns_out.clear();
        if self.exclusive {
            self.frames.push(self.rendered.len());
            self.exclusive_namespaces(n, prefix_of(qname))?;
        } else {
            inclusive_namespaces(n, out_parent, &mut self.ns_out);
        }
        self.ns_out
            .sort_unstable_by(|a, b| a.0.unwrap_or("").cmp(b.0.unwrap_or("")));
        for &(prefix, uri) in &self.ns_out {
            check_absolute(prefix, uri)?;
            out.extend_from_slice(b" xmlns");
            if let Some(p) = prefix {
                out.push(b':');
                out.extend_from_slice(p.as_bytes());
            }
            out.extend_from_slice(b"=\"");
            escape_attr(out, uri);
            out.push(b'"');
        }

        self.attrs.clear();
        for a in n.attributes() {
            let qname = self
                .text
                .get(a.range_qname())
                .filter(|q| local_of(q) == a.name())
                .ok_or_else(|| C14nError::NameUnavailable(format!("attribute {:?}", a.name())))?;
            self.attrs.push(OutAttr {
                ns: a.namespace().unwrap_or(""),
                local: a.name(),
                qname,
                value: Cow::Borrowed(a.value()),
            });
        }
        if subset && !self.exclusive {
            self.inherit_xml_attrs(n)?;
        }
        self.attrs
            .sort_unstable_by(|a, b| (a.ns, a.local).cmp(&(b.ns, b.local)));
        for a in &self.attrs {
            out.push(b' ');
            out.extend_from_slice(a.qname.as_bytes());
            out.extend_from_slice(b"=\"");
            escape_attr(out, &a.value);
            out.push(b'"');
        }
        out.push(b'>');
        Ok(())
    }

    fn close(&mut self, n: Node<'a, '_>, out: &mut Vec<u8>) -> Result<(), C14nError> {
        if self.exclusive {
            if let Some(len) = self.frames.pop() {
                self.rendered.truncate(len);
            }
        }
        let qname = self.element_qname(n)?;
        out.extend_from_slice(b"</");
        out.extend_from_slice(qname.as_bytes());
        out.push(b'>');
        Ok(())
    }

    /// The element's qualified name as written, read from the source at its start tag.
    fn element_qname(&self, n: Node<'_, '_>) -> Result<&'a str, C14nError> {
        let start = n.range().start + 1;
        let rest = self.text.get(start..).unwrap_or("");
        let len = rest
            .bytes()
            .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))
            .unwrap_or(rest.len());
        let qname = &rest[..len];
        if self.text.as_bytes().get(start - 1) != Some(&b'<')
            || local_of(qname) != n.tag_name().name()
        {
            return Err(C14nError::NameUnavailable(format!(
                "element {:?}",
                n.tag_name().name()
            )));
        }
        Ok(qname)
    }

    /// Exclusive C14N: declare only what this element visibly uses (plus the prefix list), and
    /// only where the nearest output ancestor did not already render the same binding.
    fn exclusive_namespaces(
        &mut self,
        n: Node<'a, '_>,
        elem_prefix: Option<&str>,
    ) -> Result<(), C14nError> {
        self.exclusive_use(n, elem_prefix, true)?;
        for a in n.attributes() {
            // Unprefixed attributes are in no namespace and do not use the default one.
            let Some(q) = self.text.get(a.range_qname()) else {
                continue;
            };
            if let Some(p) = prefix_of(q) {
                if p != "xml" {
                    self.exclusive_use(n, Some(p), true)?;
                }
            }
        }
        if self.prefix_list_default {
            self.exclusive_use(n, None, false)?;
        }
        for &p in self.prefix_list {
            if p != "#default" && p != "xml" && p != "xmlns" {
                self.exclusive_use(n, Some(p), false)?;
            }
        }
        Ok(())
    }

    fn exclusive_use(
        &mut self,
        n: Node<'a, '_>,
        prefix: Option<&str>,
        required: bool,
    ) -> Result<(), C14nError> {
        let decl: NsDecl<'a> = match n.namespaces().find(|ns| ns.name() == prefix) {
            Some(ns) => (ns.name(), ns.uri()),
            None if prefix.is_none() => (None, ""),
            None if required => {
                return Err(C14nError::UndeclaredPrefix(
                    prefix.unwrap_or_default().to_owned(),
                ))
            }
            None => return Ok(()),
        };
        if decl.0.is_some() && decl.1.is_empty() {
            // An undeclared prefix (XML 1.1 `xmlns:p=""`) has nothing to render.
            return Ok(());
        }
        let current = self
            .rendered
            .iter()
            .rev()
            .find(|r| r.0 == decl.0)
            .map_or("", |r| r.1);
        if current != decl.1 {
            self.rendered.push(decl);
            self.ns_out.push(decl);
        }
        Ok(())
    }

    /// Canonical XML requires failing on relative namespace URIs; every declaration written on
    /// an output element is checked, whether or not it ends up rendered.
    fn check_declared_uris(&self, n: Node<'_, '_>) -> Result<(), C14nError> {
        let parent = n.parent_element();
        for ns in n.namespaces() {
            if ns.uri().is_empty() {
                continue;
            }
            let inherited = parent.is_some_and(|p| {
                p.namespaces()
                    .any(|pn| pn.name() == ns.name() && pn.uri() == ns.uri())
            });
            if !inherited {
                check_absolute(ns.name(), ns.uri())?;
            }
        }
        Ok(())
    }

    /// Inclusive C14N of a subtree: `xml:*` attributes in scope from ancestors are copied onto
    /// the apex (C14N 1.1: only `xml:lang` and `xml:space`, and `xml:base` is joined).
    fn inherit_xml_attrs(&mut self, apex: Node<'a, '_>) -> Result<(), C14nError> {
        let own = self.attrs.len();
        for anc in apex.ancestors().skip(1).filter(|a| a.is_element()) {
            for a in anc.attributes() {
                if a.namespace() != Some(XML_NS) {
                    continue;
                }
                let local = a.name();
                if self.method.is_11() && local != "lang" && local != "space" {
                    continue;
                }
                // The nearest declaration wins, and the apex's own beats any ancestor's.
                if self.attrs.iter().any(|x| x.ns == XML_NS && x.local == local) {
                    continue;
                }
                let qname = self
                    .text
                    .get(a.range_qname())
                    .filter(|q| local_of(q) == local)
                    .ok_or_else(|| C14nError::NameUnavailable(format!("attribute {local:?}")))?;
                self.attrs.push(OutAttr {
                    ns: XML_NS,
                    local,
                    qname,
                    value: Cow::Borrowed(a.value()),
                });
            }
        }
        if self.method.is_11() {
            self.fixup_xml_base(apex, own)?;
        }
        Ok(())
    }

    /// C14N 1.1 §2.4: the apex's `xml:base` becomes its own value joined onto the values of its
    /// omitted ancestors.
    fn fixup_xml_base(&mut self, apex: Node<'a, '_>, own: usize) -> Result<(), C14nError> {
        let bases: Vec<&str> = apex
            .ancestors()
            .skip(1)
            .filter(|a| a.is_element())
            .filter_map(|a| a.attribute((XML_NS, "base")))
            .collect();
        if bases.is_empty() {
            return Ok(());
        }
        let own_idx = self.attrs[..own]
            .iter()
            .position(|x| x.ns == XML_NS && x.local == "base");
        // Reduced from the innermost value outward: each value is resolved against the next
        // outer one.
        let mut joined = match own_idx {
            Some(i) => join_uri_references(bases[0], &self.attrs[i].value),
            None => bases[0].to_owned(),
        };
        for outer in &bases[1..] {
            joined = join_uri_references(outer, &joined);
        }
        if let Some(i) = own_idx {
            self.attrs[i].value = Cow::Owned(joined);
        } else {
            self.attrs.push(OutAttr {
                ns: XML_NS,
                local: "base",
                qname: "xml:base",
                value: Cow::Owned(joined),
            });
        }
        Ok(())
    }
}

/// Inclusive C14N: the apex renders every namespace in scope; a descendant renders the bindings
/// that differ from its parent's, including `xmlns=""` when it leaves a non-empty default.
fn inclusive_namespaces<'a>(
    n: Node<'a, '_>,
    out_parent: Option<Node<'a, '_>>,
    ns_out: &mut Vec<NsDecl<'a>>,
) {
    for ns in n.namespaces() {
        let parent_uri = match out_parent {
            None => "",
            Some(p) => p
                .namespaces()
                .find(|pn| pn.name() == ns.name())
                .map_or("", |pn| pn.uri()),
        };
        if parent_uri == ns.uri() || (ns.name().is_some() && ns.uri().is_empty()) {
            continue;
        }
        ns_out.push((ns.name(), ns.uri()));
    }
}

/// RFC 3986 scheme check: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`.
fn check_absolute(prefix: Option<&str>, uri: &str) -> Result<(), C14nError> {
    if uri.is_empty() {
        return Ok(());
    }
    let b = uri.as_bytes();
    let scheme_len = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))
        .unwrap_or(b.len());
    if scheme_len > 0 && b[0].is_ascii_alphabetic() && b.get(scheme_len) == Some(&b':') {
        return Ok(());
    }
    Err(C14nError::RelativeNamespaceUri {
        prefix: prefix.unwrap_or("(default)").to_owned(),
        uri: uri.to_owned(),
    })
}

fn prefix_of(qname: &str) -> Option<&str> {
    qname.split_once(':').map(|(p, _)| p)
}

fn local_of(qname: &str) -> &str {
    qname.split_once(':').map_or(qname, |(_, l)| l)
}

/// Writes `s` with the bytes selected by `map` replaced.
#[inline]
fn escape_with(out: &mut Vec<u8>, s: &str, map: fn(u8) -> Option<&'static [u8]>) {
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if let Some(rep) = map(c) {
            out.extend_from_slice(&b[start..i]);
            out.extend_from_slice(rep);
            start = i + 1;
        }
    }
    out.extend_from_slice(&b[start..]);
}

fn escape_text(out: &mut Vec<u8>, s: &str) {
    escape_with(out, s, |c| match c {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'>' => Some(b"&gt;"),
        b'\r' => Some(b"&#xD;"),
        _ => None,
    });
}

fn escape_attr(out: &mut Vec<u8>, s: &str) {
    escape_with(out, s, |c| match c {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'"' => Some(b"&quot;"),
        b'\t' => Some(b"&#x9;"),
        b'\n' => Some(b"&#xA;"),
        b'\r' => Some(b"&#xD;"),
        _ => None,
    });
}

/// Comment and PI data are written as is; the parser hands them over raw, so XML's line-end
/// normalization (CRLF and lone CR become LF) is applied here.
fn write_raw_data(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' {
            out.extend_from_slice(&b[start..i]);
            out.push(b'\n');
            i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            start = i;
        } else {
            i += 1;
        }
    }
    out.extend_from_slice(&b[start..]);
}

/// C14N 1.1 §2.4 join-URI-References: resolve `reference` against `base` as RFC 3986 §5.2.2
/// does, modified so that two relative values join into a relative value: the base needs no
/// scheme, a trailing `..` in the base path counts as `../`, dot-segment removal keeps the
/// leading `..` segments of a relative path and collapses runs of `/`, and the reference's
/// fragment is dropped.
fn join_uri_references(base: &str, reference: &str) -> String {
    let b = UriParts::split(base);
    let r = UriParts::split(reference);
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        (scheme, authority) = (r.scheme, r.authority);
        path = remove_dot_segments(r.path);
        query = r.query;
    } else if r.authority.is_some() {
        (scheme, authority) = (b.scheme, r.authority);
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        (scheme, authority) = (b.scheme, b.authority);
        if r.path.is_empty() {
            path = b.path.to_owned();
            query = r.query.or(b.query);
        } else {
            path = if r.path.starts_with('/') {
                remove_dot_segments(r.path)
            } else {
                remove_dot_segments(&merge_paths(&b, r.path))
            };
            query = r.query;
        }
    }
    let mut out = String::with_capacity(base.len() + reference.len());
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// RFC 3986 §5.2.3 merge, with a base path ending in `..` treated as the directory `../`.
fn merge_paths(base: &UriParts<'_>, reference_path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{reference_path}");
    }
    let base_dir = if base.path == ".." || base.path.ends_with("/..") {
        base.path
    } else {
        base.path.rfind('/').map_or("", |i| &base.path[..i])
    };
    if base_dir.is_empty() && !base.path.starts_with('/') {
        return reference_path.to_owned();
    }
    format!("{base_dir}/{reference_path}")
}

/// Dot-segment removal as modified by C14N 1.1: `..` that cannot be cancelled stays at the front
/// of a relative path, a final `.` or `..` leaves a trailing `/`, and empty segments collapse.
fn remove_dot_segments(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut segments: Vec<&str> = Vec::new();
    let mut trailing_slash = path.ends_with('/');
    let mut parts = path.split('/').filter(|s| !s.is_empty()).peekable();
    while let Some(seg) = parts.next() {
        let last = parts.peek().is_none();
        match seg {
            "." => {}
            ".." => {
                if segments.last().is_some_and(|s| *s != "..") {
                    segments.pop();
                } else if !absolute {
                    segments.push("..");
                }
            }
            _ => {
                segments.push(seg);
                continue;
            }
        }
        if last {
            trailing_slash = true;
        }
    }
    let mut out = String::with_capacity(path.len());
    if absolute {
        out.push('/');
    }
    out.push_str(&segments.join("/"));
    if trailing_slash && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// A URI reference split as in RFC 3986 appendix B; the fragment is not kept.
struct UriParts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
}

impl<'a> UriParts<'a> {
    fn split(uri: &'a str) -> UriParts<'a> {
        let uri = uri.split_once('#').map_or(uri, |(u, _)| u);
        let (uri, query) = match uri.split_once('?') {
            Some((u, q)) => (u, Some(q)),
            None => (uri, None),
        };
        let scheme_end = uri.find(|c: char| matches!(c, ':' | '/' | '?' | '#'));
        let (scheme, rest) = match scheme_end {
            Some(i) if i > 0 && uri.as_bytes()[i] == b':' => (Some(&uri[..i]), &uri[i + 1..]),
            _ => (None, uri),
        };
        let (authority, path) = match rest.strip_prefix("//") {
            Some(after) => {
                let end = after.find('/').unwrap_or(after.len());
                (Some(&after[..end]), &after[end..])
            }
            None => (None, rest),
        };
        UriParts {
            scheme,
            authority,
            path,
            query,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESPONSE: &str = r##"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_r1" Version="2.0">
  <saml:Issuer>https://idp.example.com</saml:Issuer>
  <saml:Assertion ID="_a1" Version="2.0" IssueInstant="2024-01-01T00:00:00Z">
    <saml:Issuer>https://idp.example.com</saml:Issuer>
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
      <ds:SignedInfo><ds:Reference URI="#_a1"/></ds:SignedInfo>
      <!-- inside the signature -->
    </ds:Signature>
    <saml:Subject><saml:NameID>user@example.com</saml:NameID></saml:Subject>
    <saml:AttributeStatement>
      <saml:Attribute Name="mail"><saml:AttributeValue xsi:type="xs:string">user@example.com</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>"##;

    fn element<'a, 'i>(doc: &'a Document<'i>, local: &str) -> Node<'a, 'i> {
        doc.descendants()
            .find(|n| n.is_element() && n.tag_name().name() == local)
            .expect("element present")
    }

    fn subtree(
        node: Node<'_, '_>,
        method: C14nMethod,
        prefixes: &[&str],
        exclude: Option<NodeId>,
    ) -> String {
        let options = C14nOptions {
            method,
            inclusive_prefixes: prefixes,
            exclude,
        };
        let mut out = Vec::new();
        canonicalize_subtree(node, &options, &mut out).expect("canonicalizes");
        String::from_utf8(out).expect("utf-8")
    }

    fn document(text: &str, method: C14nMethod, exclude: Option<&str>) -> String {
        let doc = Document::parse(text).expect("parses");
        let options = C14nOptions {
            method,
            inclusive_prefixes: &[],
            exclude: exclude.map(|l| element(&doc, l).id()),
        };
        let mut out = Vec::new();
        canonicalize_document(&doc, &options, &mut out).expect("canonicalizes");
        String::from_utf8(out).expect("utf-8")
    }

    const ASSERTION_BODY: &str = r#"
    <saml:Issuer>https://idp.example.com</saml:Issuer>
    
    <saml:Subject><saml:NameID>user@example.com</saml:NameID></saml:Subject>
    <saml:AttributeStatement>
      <saml:Attribute Name="mail"><saml:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">user@example.com</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>"#;

    #[test]
    fn exclusive_assertion_in_response_drops_unused_response_namespaces() {
        let doc = Document::parse(RESPONSE).unwrap();
        let assertion = element(&doc, "Assertion");
        let sig = element(&doc, "Signature").id();
        let got = subtree(assertion, C14nMethod::Exclusive10, &[], Some(sig));
        let want = format!(
            r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" IssueInstant="2024-01-01T00:00:00Z" Version="2.0">{ASSERTION_BODY}"#
        );
        assert_eq!(got, want);
    }

    #[test]
    fn inclusive_namespaces_prefix_list_brings_in_a_prefix_used_only_in_content() {
        // xs appears only inside the xsi:type value, so only the PrefixList makes it visible.
        let doc = Document::parse(RESPONSE).unwrap();
        let assertion = element(&doc, "Assertion");
        let sig = element(&doc, "Signature").id();
        let got = subtree(assertion, C14nMethod::Exclusive10, &["xs"], Some(sig));
        let want = format!(
            r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="_a1" IssueInstant="2024-01-01T00:00:00Z" Version="2.0">{ASSERTION_BODY}"#
        );
        assert_eq!(got, want);
        // A listed prefix that is not in scope, and #default with no default namespace, add
        // nothing.
        let got = subtree(
            assertion,
            C14nMethod::Exclusive10,
            &["xs", "nope", "#default"],
            Some(sig),
        );
        assert_eq!(got, want);
    }

    #[test]
    fn inclusive_namespaces_default_renders_and_resets_the_default_namespace() {
        let text = r#"<r xmlns="urn:d" xmlns:p="urn:p"><p:a><p:b xmlns=""><c/></p:b></p:a></r>"#;
        let doc = Document::parse(text).unwrap();
        let a = element(&doc, "a");
        assert_eq!(
            subtree(a, C14nMethod::Exclusive10, &[], None),
            r#"<p:a xmlns:p="urn:p"><p:b><c></c></p:b></p:a>"#
        );
        assert_eq!(
            subtree(a, C14nMethod::Exclusive10, &["#default"], None),
            r#"<p:a xmlns="urn:d" xmlns:p="urn:p"><p:b xmlns=""><c></c></p:b></p:a>"#
        );
        assert_eq!(
            subtree(a, C14nMethod::Inclusive10, &[], None),
            r#"<p:a xmlns="urn:d" xmlns:p="urn:p"><p:b xmlns=""><c></c></p:b></p:a>"#
        );
    }

    #[test]
    fn inclusive_assertion_carries_every_namespace_in_scope() {
        let doc = Document::parse(RESPONSE).unwrap();
        let assertion = element(&doc, "Assertion");
        let sig = element(&doc, "Signature").id();
        let got = subtree(assertion, C14nMethod::Inclusive10, &[], Some(sig));
        let want = format!(
            r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_a1" IssueInstant="2024-01-01T00:00:00Z" Version="2.0">{}"#,
            // Inside, xsi is already rendered on the apex.
            ASSERTION_BODY.replace(
                r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#,
                ""
            )
        );
        assert_eq!(got, want);
        assert_eq!(
            subtree(assertion, C14nMethod::Inclusive11, &[], Some(sig)),
            want
        );
    }

    #[test]
    fn enveloped_exclusion_equals_removing_the_signature_from_the_text() {
        let start = RESPONSE.find("<ds:Signature").unwrap();
        let end = RESPONSE.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
        let stripped = format!("{}{}", &RESPONSE[..start], &RESPONSE[end..]);
        let with_sig = Document::parse(RESPONSE).unwrap();
        let without_sig = Document::parse(&stripped).unwrap();
        let sig = element(&with_sig, "Signature").id();
        for method in C14nMethod::ALL {
            for prefixes in [&[][..], &["xs", "#default"][..]] {
                let got = subtree(element(&with_sig, "Assertion"), method, prefixes, Some(sig));
                let want = subtree(element(&without_sig, "Assertion"), method, prefixes, None);
                assert_eq!(got, want, "{method:?} {prefixes:?}");
                assert!(!got.contains("Signature") && !got.contains("inside the signature"));
            }
            // Whole-document (URI="") form of the same transform.
            assert_eq!(
                document(RESPONSE, method, Some("Signature")),
                document(&stripped, method, None),
                "{method:?}"
            );
        }
    }

    #[test]
    fn excluding_the_apex_or_an_ancestor_yields_nothing() {
        let doc = Document::parse(RESPONSE).unwrap();
        let sig = element(&doc, "Signature");
        let signed_info = element(&doc, "SignedInfo");
        assert_eq!(
            subtree(signed_info, C14nMethod::Exclusive10, &[], Some(sig.id())),
            ""
        );
        assert_eq!(subtree(sig, C14nMethod::Exclusive10, &[], Some(sig.id())), "");
    }

    #[test]
    fn signed_info_under_exclusive_c14n() {
        let doc = Document::parse(RESPONSE).unwrap();
        let si = element(&doc, "SignedInfo");
        assert_eq!(
            subtree(si, C14nMethod::Exclusive10, &[], None),
            r##"<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Reference URI="#_a1"></ds:Reference></ds:SignedInfo>"##
        );
    }

    #[test]
    fn comments_only_in_the_with_comments_variants() {
        let doc = Document::parse(RESPONSE).unwrap();
        let sig = element(&doc, "Signature");
        assert!(subtree(sig, C14nMethod::Exclusive10WithComments, &[], None)
            .contains("<!-- inside the signature -->"));
        assert!(!subtree(sig, C14nMethod::Exclusive10, &[], None).contains("<!--"));
        assert!(!subtree(sig, C14nMethod::Inclusive11, &[], None).contains("<!--"));
    }

    #[test]
    fn xml_attributes_inherited_per_method() {
        let text = r#"<a xml:lang="en" xml:space="preserve" xml:id="A" xml:base="http://ex.org/dir/"><b xml:lang="de"><c x="1"/></b></a>"#;
        let doc = Document::parse(text).unwrap();
        let c = element(&doc, "c");
        assert_eq!(
            subtree(c, C14nMethod::Inclusive10, &[], None),
            r#"<c x="1" xml:base="http://ex.org/dir/" xml:id="A" xml:lang="de" xml:space="preserve"></c>"#
        );
        assert_eq!(
            subtree(c, C14nMethod::Inclusive11, &[], None),
            r#"<c x="1" xml:base="http://ex.org/dir/" xml:lang="de" xml:space="preserve"></c>"#
        );
        assert_eq!(
            subtree(c, C14nMethod::Exclusive10, &[], None),
            r#"<c x="1"></c>"#
        );
        // The apex's own value beats the inherited one.
        let b = element(&doc, "b");
        assert!(subtree(b, C14nMethod::Inclusive10, &[], None).contains(r#"xml:lang="de""#));
    }

    #[test]
    fn c14n11_xml_base_fixup() {
        let text = r#"<r xml:base="http://xmlbase.example.org/xmlbase0/"><e1 xml:base="/xmlbase1/"><e11 xml:base="/xmlbase11/"><e111 xml:base="/xmlbase111/"/></e11><e12><e121 xml:base="/xmlbase121/"/></e12></e1><e3><e31/></e3></r>"#;
        let doc = Document::parse(text).unwrap();
        let c11 = |local: &str| subtree(element(&doc, local), C14nMethod::Inclusive11, &[], None);
        assert_eq!(
            c11("e111"),
            r#"<e111 xml:base="http://xmlbase.example.org/xmlbase111/"></e111>"#
        );
        assert_eq!(
            c11("e12"),
            r#"<e12 xml:base="http://xmlbase.example.org/xmlbase1/"><e121 xml:base="/xmlbase121/"></e121></e12>"#
        );
        assert_eq!(
            c11("e31"),
            r#"<e31 xml:base="http://xmlbase.example.org/xmlbase0/"></e31>"#
        );
        // Relative values join into a relative value.
        let text = r#"<a xml:base="foo/bar"><b xml:base=".."><c xml:base=".."><d xml:base="x"/></c></b></a>"#;
        let doc = Document::parse(text).unwrap();
        assert_eq!(
            subtree(element(&doc, "d"), C14nMethod::Inclusive11, &[], None),
            r#"<d xml:base="../x"></d>"#
        );
        // C14N 1.0 copies the nearest value unchanged.
        assert_eq!(
            subtree(element(&doc, "d"), C14nMethod::Inclusive10, &[], None),
            r#"<d xml:base="x"></d>"#
        );
    }

    #[test]
    fn join_uri_references_cases() {
        let cases = [
            ("http://a/b/c/d;p?q", "g", "http://a/b/c/g"),
            ("http://a/b/c/d;p?q", "../g", "http://a/b/g"),
            ("http://a/b/c/d;p?q", "../../../g", "http://a/g"),
            ("http://a/b/c/d;p?q", "/./g", "http://a/g"),
            ("http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"),
            ("http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"),
            ("http://a/b/c/d;p?q", "g#s", "http://a/b/c/g"),
            ("http://a/b/c/d;p?q", "//g/x", "http://g/x"),
            ("http://a/b/c/d;p?q", "https://z/y", "https://z/y"),
            ("http://a", "g", "http://a/g"),
            ("foo/bar", "baz", "foo/baz"),
            ("..", "x", "../x"),
            ("..", "../x", "../../x"),
            ("foo/bar", "../../x", "../x"),
            ("a//b/", "c", "a/b/c"),
            ("a/b/", "..", "a/"),
        ];
        for (base, reference, want) in cases {
            assert_eq!(join_uri_references(base, reference), want, "{base} + {reference}");
        }
    }

    #[test]
    fn relative_namespace_uri_is_refused() {
        let doc = Document::parse(r#"<a xmlns:p="rel/ns"><p:b/></a>"#).unwrap();
        for method in C14nMethod::ALL {
            let mut out = Vec::new();
            let err = canonicalize_document(&doc, &C14nOptions::new(method), &mut out)
                .expect_err("relative URI");
            assert!(matches!(err, C14nError::RelativeNamespaceUri { .. }), "{err}");
        }
        let doc = Document::parse(r#"<a xmlns="urn:ok" xmlns:q="http://x/"/>"#).unwrap();
        let mut out = Vec::new();
        canonicalize_document(&doc, &C14nOptions::new(C14nMethod::Inclusive10), &mut out)
            .expect("absolute URIs are fine");
    }

    #[test]
    fn subtree_root_must_be_an_element() {
        let doc = Document::parse("<a>t</a>").unwrap();
        let text = doc.root_element().first_child().unwrap();
        let mut out = Vec::new();
        let err = canonicalize_subtree(text, &C14nOptions::new(C14nMethod::Exclusive10), &mut out)
            .expect_err("text node");
        assert!(matches!(err, C14nError::NotAnElement(_)));
    }

    #[test]
    fn method_uris_round_trip() {
        for m in C14nMethod::ALL {
            assert_eq!(C14nMethod::from_uri(m.uri()), Some(m));
            assert!(!m.without_comments().with_comments());
            assert_eq!(m.without_comments().is_exclusive(), m.is_exclusive());
            assert_eq!(m.uri().ends_with("#WithComments"), m.with_comments());
        }
        assert_eq!(C14nMethod::from_uri("http://www.w3.org/2001/10/xml-exc-c14n"), None);
    }

    #[test]
    fn deep_nesting_uses_no_call_stack() {
        let depth = 20_000;
        let mut text = String::new();
        for _ in 0..depth {
            text.push_str("<p:e xmlns:p=\"urn:p\">");
        }
        for _ in 0..depth {
            text.push_str("</p:e>");
        }
        let opt = roxmltree::ParsingOptions {
            nodes_limit: u32::MAX,
            ..Default::default()
        };
        let Ok(doc) = Document::parse_with_options(&text, opt) else {
            // The parser itself caps nesting; then there is nothing deeper to canonicalize.
            return;
        };
        for method in [C14nMethod::Exclusive10, C14nMethod::Inclusive10] {
            let mut out = Vec::new();
            canonicalize_document(&doc, &C14nOptions::new(method), &mut out).unwrap();
            let s = String::from_utf8(out).unwrap();
            assert!(s.starts_with(r#"<p:e xmlns:p="urn:p"><p:e><p:e>"#));
            assert_eq!(s.matches("xmlns").count(), 1);
            assert_eq!(s.matches("</p:e>").count(), depth);
        }
    }
}
