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

use escape::{cmp_bytes, eq_prefix, eq_str, escape_attr, escape_text, write_raw_data};
use xml_base::join_uri_references;

mod escape;
mod xml_base;

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
    subtree(node, options, out, &mut |_| {})
}

/// [`canonicalize_subtree`], handing the canonical bytes to `sink` in pieces of about `chunk`
/// bytes instead of building them whole: digesting a large signed aggregate then needs no
/// second copy of it in memory. The pieces, joined, are exactly the bytes
/// [`canonicalize_subtree`] writes.
pub fn canonicalize_subtree_in_pieces(
    node: Node<'_, '_>,
    options: &C14nOptions<'_>,
    chunk: usize,
    sink: &mut dyn FnMut(&[u8]),
) -> Result<(), C14nError> {
    let chunk = chunk.max(1);
    let mut buffer = Vec::with_capacity(chunk.min(node.range().len()) + 1024);
    subtree(node, options, &mut buffer, &mut |buffer: &mut Vec<u8>| {
        if buffer.len() >= chunk {
            sink(buffer);
            buffer.clear();
        }
    })?;
    if !buffer.is_empty() {
        sink(&buffer);
    }
    Ok(())
}

/// The subtree's canonical form into `out`; `spill` is offered `out` between nodes, to take
/// what has been written so far.
fn subtree(
    node: Node<'_, '_>,
    options: &C14nOptions<'_>,
    out: &mut Vec<u8>,
    spill: &mut dyn FnMut(&mut Vec<u8>),
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
    c.element_tree(node, true, out, spill)
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
        let excluded = options.exclude == Some(child.id());
        match child.node_type() {
            NodeType::Element => {
                if !excluded {
                    c.element_tree(child, false, out, &mut |_| {})?;
                }
                before_root = false;
            }
            _ if excluded => {}
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
    /// Exclusive only: the InclusiveNamespaces prefixes, sorted, without `#default`.
    prefix_list: Vec<&'o str>,
    prefix_list_default: bool,
    /// Exclusive only: declarations rendered by output ancestors, innermost last.
    rendered: Vec<NsDecl<'a>>,
    /// Exclusive only: length of `rendered` at each open element.
    frames: Vec<usize>,
    /// Qualified names of the open elements, for their end tags.
    open_names: Vec<&'a str>,
    /// The current element's own namespace declarations.
    own: Vec<NsDecl<'a>>,
    ns_out: Vec<NsDecl<'a>>,
    attrs: Vec<OutAttr<'a>>,
}

impl<'a, 'o> Canonicalizer<'a, 'o> {
    fn new(doc: &'a Document<'_>, options: &C14nOptions<'o>) -> Self {
        let exclusive = options.method.is_exclusive();
        let listed: &'o [&'o str] = if exclusive {
            options.inclusive_prefixes
        } else {
            &[]
        };
        let mut prefix_list: Vec<&'o str> = listed
            .iter()
            .copied()
            .filter(|p| !matches!(*p, "#default" | "xml" | "xmlns" | ""))
            .collect();
        prefix_list.sort_unstable_by(|a, b| cmp_bytes(a, b));
        Canonicalizer {
            text: doc.input_text(),
            method: options.method,
            comments: options.method.with_comments(),
            exclusive,
            exclude: options.exclude,
            prefix_list,
            prefix_list_default: listed.contains(&"#default"),
            rendered: Vec::new(),
            frames: Vec::new(),
            open_names: Vec::with_capacity(16),
            own: Vec::with_capacity(8),
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
        spill: &mut dyn FnMut(&mut Vec<u8>),
    ) -> Result<(), C14nError> {
        self.open(apex, None, subset, out)?;
        let mut parent = apex;
        let mut cur = apex.first_child();
        loop {
            spill(out);
            let Some(n) = cur else {
                self.close(out);
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
        self.open_names.push(qname);

        self.attrs.clear();
        for a in n.attributes() {
            let qname = self
                .text
                .get(a.range_qname())
                .filter(|q| eq_str(local_of(q), a.name()))
                .ok_or_else(|| C14nError::NameUnavailable(format!("attribute {:?}", a.name())))?;
            self.attrs.push(OutAttr {
                ns: a.namespace().unwrap_or(""),
                local: a.name(),
                qname,
                value: Cow::Borrowed(a.value()),
            });
        }

        own_bindings(n, &mut self.own);
        self.check_declared_uris()?;
        self.ns_out.clear();
        if self.exclusive {
            self.frames.push(self.rendered.len());
            let elem_ns = n.tag_name().namespace().unwrap_or("");
            self.exclusive_namespaces(n, (prefix_of(qname), elem_ns), out_parent.is_none());
        } else {
            inclusive_namespaces(n, out_parent, &self.own, &mut self.ns_out);
            if subset {
                self.inherit_xml_attrs(n)?;
            }
        }

        out.push(b'<');
        out.extend_from_slice(qname.as_bytes());
        self.ns_out
            .sort_unstable_by(|a, b| cmp_bytes(a.0.unwrap_or(""), b.0.unwrap_or("")));
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
        self.attrs.sort_unstable_by(|a, b| {
            cmp_bytes(a.ns, b.ns).then_with(|| cmp_bytes(a.local, b.local))
        });
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

    fn close(&mut self, out: &mut Vec<u8>) {
        if self.exclusive {
            if let Some(len) = self.frames.pop() {
                self.rendered.truncate(len);
            }
        }
        let qname = self.open_names.pop().unwrap_or_default();
        out.extend_from_slice(b"</");
        out.extend_from_slice(qname.as_bytes());
        out.push(b'>');
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
            || !eq_str(local_of(qname), n.tag_name().name())
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
    ///
    /// The bindings come from the names as parsed (element and attribute namespaces), so no
    /// lookup in the in-scope list is needed per use.
    fn exclusive_namespaces(&mut self, n: Node<'a, '_>, element: NsDecl<'a>, apex: bool) {
        self.exclusive_render(element);
        for i in 0..self.attrs.len() {
            let a = &self.attrs[i];
            // Unprefixed attributes are in no namespace and do not use the default one.
            if !a.ns.is_empty() {
                let decl = (prefix_of(a.qname), a.ns);
                self.exclusive_render(decl);
            }
        }
        if self.prefix_list.is_empty() && !self.prefix_list_default {
            return;
        }
        // Listed prefixes follow the inclusive rules: all of them in scope on the apex, below
        // it only where an element declares a different binding. Walking the in-scope list (or
        // the own declarations) and looking each up in the sorted list keeps a long
        // attacker-supplied PrefixList from costing its length on every element.
        if apex {
            for ns in n.namespaces() {
                if self.is_listed(ns.name()) {
                    self.exclusive_render((ns.name(), ns.uri()));
                }
            }
        } else {
            for i in 0..self.own.len() {
                let decl = self.own[i];
                if self.is_listed(decl.0) {
                    self.exclusive_render(decl);
                }
            }
        }
    }

    fn is_listed(&self, prefix: Option<&str>) -> bool {
        match prefix {
            None => self.prefix_list_default,
            Some(p) => self
                .prefix_list
                .binary_search_by(|x| cmp_bytes(x, p))
                .is_ok(),
        }
    }

    /// Renders `decl` unless the nearest output ancestor already rendered the same binding.
    fn exclusive_render(&mut self, decl: NsDecl<'a>) {
        if decl.0 == Some("xml") || (decl.0.is_some() && decl.1.is_empty()) {
            // `xml` is bound by definition; an undeclared prefix (XML 1.1 `xmlns:p=""`) has
            // nothing to render.
            return;
        }
        let current = self
            .rendered
            .iter()
            .rev()
            .find(|r| eq_prefix(r.0, decl.0))
            .map_or("", |r| r.1);
        if !eq_str(current, decl.1) {
            self.rendered.push(decl);
            self.ns_out.push(decl);
        }
    }

    /// Canonical XML requires failing on relative namespace URIs: every declaration written on
    /// an output element is checked, whether or not it ends up rendered (rendered ones are
    /// checked again as they are written, which covers bindings inherited by the apex).
    fn check_declared_uris(&self) -> Result<(), C14nError> {
        for &(prefix, uri) in &self.own {
            check_absolute(prefix, uri)?;
        }
        Ok(())
    }

    /// Inclusive C14N of a subtree: `xml:*` attributes in scope from ancestors are copied onto
    /// the apex (C14N 1.1: only `xml:lang` and `xml:space`, and `xml:base` is joined).
    fn inherit_xml_attrs(&mut self, apex: Node<'a, '_>) -> Result<(), C14nError> {
        let own_attrs = self.attrs.len();
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
                if self
                    .attrs
                    .iter()
                    .any(|x| x.ns == XML_NS && x.local == local)
                {
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
            self.fixup_xml_base(apex, own_attrs);
        }
        Ok(())
    }

    /// C14N 1.1 §2.4: the apex's `xml:base` becomes its own value joined onto the values of its
    /// omitted ancestors.
    fn fixup_xml_base(&mut self, apex: Node<'a, '_>, own_attrs: usize) {
        let bases: Vec<&str> = apex
            .ancestors()
            .skip(1)
            .filter(|a| a.is_element())
            .filter_map(|a| a.attribute((XML_NS, "base")))
            .collect();
        if bases.is_empty() {
            return;
        }
        let own_idx = self.attrs[..own_attrs]
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
    }
}

/// Inclusive C14N: the apex renders every namespace in scope; a descendant renders the bindings
/// it declares that differ from its parent's, including `xmlns=""` when it leaves a non-empty
/// default.
fn inclusive_namespaces<'a>(
    n: Node<'a, '_>,
    out_parent: Option<Node<'a, '_>>,
    own: &[NsDecl<'a>],
    ns_out: &mut Vec<NsDecl<'a>>,
) {
    let Some(parent) = out_parent else {
        ns_out.extend(
            n.namespaces()
                .filter(|ns| !ns.uri().is_empty())
                .map(|ns| (ns.name(), ns.uri())),
        );
        return;
    };
    for &(prefix, uri) in own {
        let parent_uri = parent
            .namespaces()
            .find(|pn| pn.name() == prefix)
            .map_or("", |pn| pn.uri());
        if parent_uri != uri && !(prefix.is_some() && uri.is_empty()) {
            ns_out.push((prefix, uri));
        }
    }
}

/// Fills `out` with the bindings of `n` not inherited unchanged from its parent element, that is
/// its own declarations (superfluous ones may be included).
///
/// roxmltree lists an element's own declarations first and then the parent's bindings it keeps,
/// in the parent's order and sharing the parent's entries, so matching from the back finds the
/// kept ones in linear time. Comparing every binding with every parent binding would cost
/// in-scope² per element, which a document declaring many namespaces on its root turns into a
/// denial of service. Should the order ever differ, more bindings are reported, never fewer:
/// callers still compare values with the parent's.
fn own_bindings<'a>(n: Node<'a, '_>, out: &mut Vec<NsDecl<'a>>) {
    out.clear();
    let mine = n.namespaces();
    let mut i = mine.len();
    if let Some(parent) = n.parent_element() {
        let theirs = parent.namespaces();
        let mut j = theirs.len();
        while i > 0 && j > 0 {
            let (Some(a), Some(b)) = (mine.clone().nth(i - 1), theirs.clone().nth(j - 1)) else {
                break;
            };
            if std::ptr::eq(a, b) {
                i -= 1;
            }
            j -= 1;
        }
    }
    out.extend(mine.take(i).map(|ns| (ns.name(), ns.uri())));
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
    // A letter first (so the scheme is not empty), then the scheme's characters up to `:`.
    if b[0].is_ascii_alphabetic() && b.get(scheme_len) == Some(&b':') {
        return Ok(());
    }
    Err(C14nError::RelativeNamespaceUri {
        prefix: prefix.unwrap_or("(default)").to_owned(),
        uri: uri.to_owned(),
    })
}

fn prefix_of(qname: &str) -> Option<&str> {
    let colon = qname.bytes().position(|b| b == b':')?;
    Some(&qname[..colon])
}

fn local_of(qname: &str) -> &str {
    match qname.bytes().position(|b| b == b':') {
        Some(colon) => &qname[colon + 1..],
        None => qname,
    }
}

#[cfg(test)]
mod tests;
