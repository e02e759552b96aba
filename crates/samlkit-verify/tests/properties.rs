//! Property tests of canonicalization and signature verification.
//!
//! * Canonicalization is idempotent: for generated documents (prefixes, default namespaces,
//!   redeclarations, attributes in several namespaces, `xml:*` attributes, comments, PIs, CDATA,
//!   special characters, CRLF), canonicalizing the parsed canonical form gives the same bytes,
//!   for every method, for the whole document and for a subtree.
//! * The digested bytes of a verified element re-parse to the same tree as the element (minus
//!   its signature): for the Entra sample and for documents `xmlsec1 --sign` signs here with the
//!   sample key.
//! * Mutations of the signed Entra sample never verify unless the canonical forms of the signed
//!   assertion and of SignedInfo are unchanged, and `xmlsec1 --verify` (libxml2's
//!   canonicalization, not samlkit's) verifies every mutation samlkit verifies.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{TestCaseError, TestRunner};
use roxmltree::{Document, Node, NodeId};
use samlkit_parse::xml::{element_qname, ns};
use samlkit_parse::{parse_xml, Limits};
use samlkit_verify::c14n::{canonicalize_document, canonicalize_subtree, C14nMethod, C14nOptions};
use samlkit_verify::{verify_document, SignatureOutcome, TrustStore, Verdict, VerifyOptions};

const SAMPLE: &str = include_str!("../../../samples/entra-response.xml");
const SAMPLE_CERTIFICATE: &[u8] = include_bytes!("../../../samples/keys/idp-signing.crt");
/// 2026-11-28T09:05:00Z, while the sample's certificate is valid.
const NOW: i64 = 1_795_856_700;

const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XS: &str = "http://www.w3.org/2001/XMLSchema";

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

fn parse(text: &str) -> Result<Document<'_>, TestCaseError> {
    parse_xml(text, &Limits::default())
        .map_err(|err| TestCaseError::fail(format!("does not parse: {err}\n{text}")))
}

fn sample_trust() -> TrustStore {
    let mut trust = TrustStore::new();
    trust
        .add_certificates(SAMPLE_CERTIFICATE, "idp-signing.crt")
        .expect("the sample certificate loads");
    trust
}

/// Exclusive C14N without comments, as the sample's and the generated signatures use it.
fn exclusive(node: Node<'_, '_>, exclude: Option<NodeId>) -> Vec<u8> {
    let options = C14nOptions {
        method: C14nMethod::Exclusive10,
        inclusive_prefixes: &[],
        exclude,
    };
    let mut out = Vec::new();
    canonicalize_subtree(node, &options, &mut out).expect("canonicalizable");
    out
}

fn is_ds(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(ns::DS)
        && node.tag_name().name() == local
}

fn ds_child<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|child| is_ds(*child, local))
}

// ---------------------------------------------------------------------------------------------
// Generated text

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '&', '<', '>', '"', '\'', ' ', '\t', '\n', '\r', ']', '-', '?', 'é', '€', '\u{85}',
            '\u{2028}', '😀',
        ]),
        4 => any::<char>().prop_filter("a character XML 1.0 allows", |&c| is_xml_char(c)),
        3 => proptest::char::range('a', 'z'),
    ]
}

fn xml_string(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    vec(xml_char(), len).prop_map(|chars| chars.into_iter().collect())
}

/// Text content with markup escaped. Carriage returns are written raw (the parser turns CRLF
/// and CR into LF) or as `&#xD;` (kept), so both paths are exercised.
fn escape_text(value: &str, raw_cr: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' if !raw_cr => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
    out
}

/// An attribute value for the given quote. Tabs and line breaks are written raw (normalised to
/// spaces by the parser) or as character references (kept).
fn escape_attribute(value: &str, quote: char, raw_whitespace: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' if quote == '"' => out.push_str("&quot;"),
            '\'' if quote == '\'' => out.push_str("&apos;"),
            '\t' if !raw_whitespace => out.push_str("&#x9;"),
            '\n' if !raw_whitespace => out.push_str("&#xA;"),
            '\r' if !raw_whitespace => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
    out
}

/// Comment text: no `--` and no trailing `-`.
fn comment_text(value: &str) -> String {
    let mut text = value.to_string();
    while text.contains("--") {
        text = text.replace("--", "- -");
    }
    if text.ends_with('-') {
        text.push(' ');
    }
    text
}

// ---------------------------------------------------------------------------------------------
// Generated documents for canonicalization

const PREFIXES: [&str; 4] = ["a", "b", "ds", "saml"];
const NAMESPACE_URIS: [&str; 7] = [
    "http://example.com/one",
    "urn:example:two",
    "http://www.w3.org/2000/09/xmldsig#",
    "urn:oasis:names:tc:SAML:2.0:assertion",
    "http://example.com/q?x=1&y=\"2\"<3>",
    "urn:ünï:cødé",
    "http://example.com/one/",
];
const ELEMENT_NAMES: [&str; 5] = ["e", "Assertion", "x-y.z", "Élément", "_u"];
const ATTRIBUTE_NAMES: [&str; 5] = ["id", "ID", "v", "a-b", "ñ"];
const XML_ATTRIBUTES: [&str; 3] = ["lang", "space", "base"];
const XML_BASES: [&str; 6] = ["http://example.com/a/b/", "c/d", "../e/", "#f", "", "/g?h"];
const PI_TARGETS: [&str; 3] = ["pi", "x-target", "ß"];

#[derive(Debug, Clone)]
enum Content {
    Element(ElementPlan),
    Text(String),
    CData(String),
    Comment(String),
    Pi(usize, String),
}

#[derive(Debug, Clone)]
enum AttributeName {
    Plain(usize),
    Prefixed(usize, usize),
    Xml(usize),
}

#[derive(Debug, Clone)]
struct AttributePlan {
    name: AttributeName,
    value: String,
    single_quoted: bool,
}

#[derive(Debug, Clone)]
struct ElementPlan {
    prefix: Option<usize>,
    name: usize,
    /// Extra declarations: a prefix (or the default namespace) and a URI (or none, which for
    /// the default namespace writes `xmlns=""`).
    declarations: Vec<(Option<usize>, Option<usize>)>,
    attributes: Vec<AttributePlan>,
    children: Vec<Content>,
}

#[derive(Debug, Clone)]
struct DocumentPlan {
    declaration: bool,
    before: Vec<Content>,
    root: ElementPlan,
    after: Vec<Content>,
    raw_cr: bool,
    raw_whitespace: bool,
}

fn leaf() -> impl Strategy<Value = Content> {
    prop_oneof![
        4 => xml_string(0..12).prop_map(Content::Text),
        1 => xml_string(0..8).prop_map(Content::CData),
        1 => xml_string(0..8).prop_map(Content::Comment),
        1 => (0..PI_TARGETS.len(), xml_string(0..8)).prop_map(|(t, d)| Content::Pi(t, d)),
    ]
}

fn attribute_plan() -> impl Strategy<Value = AttributePlan> {
    let name = prop_oneof![
        3 => (0..ATTRIBUTE_NAMES.len()).prop_map(AttributeName::Plain),
        3 => (0..PREFIXES.len(), 0..ATTRIBUTE_NAMES.len())
            .prop_map(|(p, n)| AttributeName::Prefixed(p, n)),
        1 => (0..XML_ATTRIBUTES.len()).prop_map(AttributeName::Xml),
    ];
    (name, xml_string(0..10), any::<bool>()).prop_map(|(name, value, single_quoted)| {
        AttributePlan {
            name,
            value,
            single_quoted,
        }
    })
}

fn element_plan(
    children: impl Strategy<Value = Vec<Content>>,
) -> impl Strategy<Value = ElementPlan> {
    (
        prop::option::of(0..PREFIXES.len()),
        0..ELEMENT_NAMES.len(),
        vec(
            (
                prop::option::of(0..PREFIXES.len()),
                prop::option::of(0..NAMESPACE_URIS.len()),
            ),
            0..3,
        ),
        vec(attribute_plan(), 0..4),
        children,
    )
        .prop_map(
            |(prefix, name, declarations, attributes, children)| ElementPlan {
                prefix,
                name,
                declarations,
                attributes,
                children,
            },
        )
}

fn content() -> impl Strategy<Value = Content> {
    leaf().prop_recursive(5, 48, 5, |inner| {
        element_plan(vec(inner, 0..5)).prop_map(Content::Element)
    })
}

fn outside_root() -> impl Strategy<Value = Vec<Content>> {
    vec(
        prop_oneof![
            xml_string(0..6).prop_map(Content::Comment),
            (0..PI_TARGETS.len(), xml_string(0..6)).prop_map(|(t, d)| Content::Pi(t, d)),
        ],
        0..3,
    )
}

fn document_plan() -> impl Strategy<Value = DocumentPlan> {
    (
        any::<bool>(),
        outside_root(),
        element_plan(vec(content(), 0..6)),
        outside_root(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(declaration, before, root, after, raw_cr, raw_whitespace)| DocumentPlan {
                declaration,
                before,
                root,
                after,
                raw_cr,
                raw_whitespace,
            },
        )
}

struct Renderer {
    raw_cr: bool,
    raw_whitespace: bool,
    /// In-scope bindings, innermost last: prefix (`None` for the default namespace) and URI.
    scope: Vec<(Option<&'static str>, &'static str)>,
    out: String,
}

impl Renderer {
    fn lookup(&self, prefix: Option<&str>) -> Option<&'static str> {
        self.scope
            .iter()
            .rev()
            .find(|(p, _)| *p == prefix)
            .map(|(_, uri)| *uri)
    }

    fn leaf(&mut self, content: &Content) {
        match content {
            Content::Text(text) => self.out.push_str(&escape_text(text, self.raw_cr)),
            Content::CData(text) => {
                let mut text = text.clone();
                while text.contains("]]>") {
                    text = text.replace("]]>", "]] >");
                }
                self.out.push_str(&format!("<![CDATA[{text}]]>"));
            }
            Content::Comment(text) => {
                self.out.push_str(&format!("<!--{}-->", comment_text(text)));
            }
            Content::Pi(target, data) => {
                let mut data = data.clone();
                while data.contains("?>") {
                    data = data.replace("?>", "? >");
                }
                self.out
                    .push_str(&format!("<?{} {data}?>", PI_TARGETS[*target]));
            }
            Content::Element(element) => self.element(element),
        }
    }

    /// Writes an element, declaring every prefix it uses that is not in scope, and dropping
    /// attributes whose expanded name repeats one already written.
    fn element(&mut self, plan: &ElementPlan) {
        let frame = self.scope.len();
        let mut declared: Vec<(Option<&'static str>, &'static str)> = Vec::new();
        for &(prefix, uri) in &plan.declarations {
            let prefix = prefix.map(|p| PREFIXES[p]);
            let uri = match (prefix, uri) {
                (_, Some(u)) => NAMESPACE_URIS[u],
                (None, None) => "",
                // XML 1.0 cannot undeclare a prefix.
                (Some(_), None) => NAMESPACE_URIS[0],
            };
            if !declared.iter().any(|(p, _)| *p == prefix) {
                declared.push((prefix, uri));
            }
        }
        let mut needed: Vec<usize> = Vec::new();
        needed.extend(plan.prefix);
        for attribute in &plan.attributes {
            if let AttributeName::Prefixed(p, _) = attribute.name {
                needed.push(p);
            }
        }
        for p in needed {
            let prefix = Some(PREFIXES[p]);
            if !declared.iter().any(|(d, _)| *d == prefix) && self.lookup(prefix).is_none() {
                declared.push((
                    prefix,
                    NAMESPACE_URIS[(p + plan.name) % NAMESPACE_URIS.len()],
                ));
            }
        }
        self.scope.extend(declared.iter().copied());

        let qname = match plan.prefix {
            Some(p) => format!("{}:{}", PREFIXES[p], ELEMENT_NAMES[plan.name]),
            None => ELEMENT_NAMES[plan.name].to_string(),
        };
        self.out.push('<');
        self.out.push_str(&qname);
        for (prefix, uri) in &declared {
            let name = prefix.map_or("xmlns".to_string(), |p| format!("xmlns:{p}"));
            self.out.push_str(&format!(
                " {name}=\"{}\"",
                escape_attribute(uri, '"', false)
            ));
        }
        let mut written: Vec<(&str, &str)> = Vec::new();
        for attribute in &plan.attributes {
            let (qname, expanded) = match attribute.name {
                AttributeName::Plain(n) => {
                    (ATTRIBUTE_NAMES[n].to_string(), ("", ATTRIBUTE_NAMES[n]))
                }
                AttributeName::Prefixed(p, n) => (
                    format!("{}:{}", PREFIXES[p], ATTRIBUTE_NAMES[n]),
                    (
                        self.lookup(Some(PREFIXES[p])).unwrap_or_default(),
                        ATTRIBUTE_NAMES[n],
                    ),
                ),
                AttributeName::Xml(n) => (
                    format!("xml:{}", XML_ATTRIBUTES[n]),
                    ("xml", XML_ATTRIBUTES[n]),
                ),
            };
            if written.contains(&expanded) {
                continue;
            }
            written.push(expanded);
            let value = match attribute.name {
                // Meaningful references, so that C14N 1.1 has something to join.
                AttributeName::Xml(2) => {
                    XML_BASES[attribute.value.len() % XML_BASES.len()].to_string()
                }
                _ => attribute.value.clone(),
            };
            let quote = if attribute.single_quoted { '\'' } else { '"' };
            self.out.push_str(&format!(
                " {qname}={quote}{}{quote}",
                escape_attribute(&value, quote, self.raw_whitespace)
            ));
        }
        if plan.children.is_empty() {
            self.out.push_str("/>");
        } else {
            self.out.push('>');
            for child in &plan.children {
                self.leaf(child);
            }
            self.out.push_str(&format!("</{qname}>"));
        }
        self.scope.truncate(frame);
    }

    fn document(plan: &DocumentPlan) -> String {
        let mut renderer = Renderer {
            raw_cr: plan.raw_cr,
            raw_whitespace: plan.raw_whitespace,
            scope: Vec::new(),
            out: String::new(),
        };
        if plan.declaration {
            renderer
                .out
                .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n");
        }
        for content in &plan.before {
            renderer.leaf(content);
            renderer.out.push('\n');
        }
        renderer.element(&plan.root);
        for content in &plan.after {
            renderer.out.push_str("\r\n");
            renderer.leaf(content);
        }
        renderer.out
    }
}

fn canonical_document(
    doc: &Document<'_>,
    options: &C14nOptions<'_>,
) -> Result<Vec<u8>, TestCaseError> {
    let mut out = Vec::new();
    canonicalize_document(doc, options, &mut out)
        .map_err(|err| TestCaseError::fail(format!("{:?}: {err}", options.method)))?;
    Ok(out)
}

fn canonical_subtree(
    node: Node<'_, '_>,
    options: &C14nOptions<'_>,
) -> Result<Vec<u8>, TestCaseError> {
    let mut out = Vec::new();
    canonicalize_subtree(node, options, &mut out)
        .map_err(|err| TestCaseError::fail(format!("{:?}: {err}", options.method)))?;
    Ok(out)
}

fn as_text(bytes: &[u8]) -> Result<&str, TestCaseError> {
    std::str::from_utf8(bytes).map_err(|err| TestCaseError::fail(format!("not UTF-8: {err}")))
}

proptest! {
    #![proptest_config(config(512))]

    /// c14n(parse(c14n(x))) == c14n(x) for every method, with and without an InclusiveNamespaces
    /// prefix list, for the whole document and for one element's subtree.
    #[test]
    fn canonicalization_is_idempotent(
        plan in document_plan(),
        apex in any::<Index>(),
        listed in prop::sample::subsequence(vec!["a", "b", "ds", "#default"], 0..=4),
    ) {
        let text = Renderer::document(&plan);
        let doc = parse(&text)?;
        let elements: Vec<Node<'_, '_>> = doc.descendants().filter(Node::is_element).collect();
        let apex = elements[apex.index(elements.len())];
        for method in C14nMethod::ALL {
            let prefix_lists: &[&[&str]] = if method.is_exclusive() { &[&[], &listed] } else { &[&[]] };
            for prefixes in prefix_lists {
                let options = C14nOptions { method, inclusive_prefixes: prefixes, exclude: None };

                let first = canonical_document(&doc, &options)?;
                let reparsed_text = as_text(&first)?;
                let reparsed = parse(reparsed_text)?;
                let second = canonical_document(&reparsed, &options)?;
                prop_assert_eq!(
                    as_text(&second)?, reparsed_text,
                    "{:?} {:?}: document not idempotent; source:\n{}", method, prefixes, text
                );

                let first = canonical_subtree(apex, &options)?;
                let reparsed_text = as_text(&first)?;
                let reparsed = parse(reparsed_text)?;
                let whole = canonical_document(&reparsed, &options)?;
                let subtree = canonical_subtree(reparsed.root_element(), &options)?;
                prop_assert_eq!(
                    as_text(&whole)?, reparsed_text,
                    "{:?} {:?}: subtree not idempotent; source:\n{}", method, prefixes, text
                );
                prop_assert_eq!(as_text(&subtree)?, reparsed_text);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The test signer and the second opinion: `xmlsec1` (Debian package `xmlsec1`), whose
// canonicalization is libxml2's, never samlkit's. A missing xmlsec1 fails the tests.

fn sample_key_files() -> (PathBuf, PathBuf) {
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/keys");
    (keys.join("idp-signing.key"), keys.join("idp-signing.crt"))
}

/// A fresh file name for one xmlsec1 run.
fn scratch_file(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "samlkit-properties-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir.join(name)
}

/// `xmlsec1` with the ID attributes of SAML registered, on `document`; `None` when it refuses.
fn xmlsec1(arguments: &[&std::ffi::OsStr], document: &str, output: Option<&Path>) -> Option<()> {
    let input = scratch_file("input.xml");
    std::fs::write(&input, document).expect("a scratch file");
    let mut command = Command::new("xmlsec1");
    command.args(arguments);
    command.args(["--id-attr:ID", &format!("{}:Assertion", ns::SAML)]);
    command.args(["--id-attr:ID", &format!("{}:Response", ns::SAMLP)]);
    if let Some(output) = output {
        command.arg("--output").arg(output);
    }
    let result = command.arg(&input).output().unwrap_or_else(|err| {
        panic!("xmlsec1 cannot run ({err}): install the Debian package xmlsec1")
    });
    std::fs::remove_dir_all(input.parent().unwrap()).ok();
    result.status.success().then_some(())
}

/// Has `xmlsec1 --sign` fill DigestValue and SignatureValue of the template's one signature
/// with the sample key, the way an IdP signs.
fn sign(template: &str) -> Result<String, TestCaseError> {
    let (key, certificate) = sample_key_files();
    let pair = format!("{},{}", key.display(), certificate.display());
    let output = scratch_file("signed.xml");
    let signed = xmlsec1(
        &["--sign".as_ref(), "--privkey-pem".as_ref(), pair.as_ref()],
        template,
        Some(&output),
    );
    prop_assert!(signed.is_some(), "xmlsec1 cannot sign:\n{}", template);
    let text = std::fs::read_to_string(&output).expect("xmlsec1's output");
    std::fs::remove_dir_all(output.parent().unwrap()).ok();
    Ok(text)
}

/// True when `xmlsec1 --verify` accepts the document's first signature with the sample
/// certificate as the only key (KeyInfo ignored).
fn xmlsec1_verifies(document: &str) -> bool {
    let (_, certificate) = sample_key_files();
    xmlsec1(
        &[
            "--verify".as_ref(),
            "--enabled-key-data".as_ref(),
            "key-name".as_ref(),
            "--pubkey-cert-pem".as_ref(),
            certificate.as_os_str(),
        ],
        document,
        None,
    )
    .is_some()
}

/// An attribute value of a generated assertion: text, possibly split by a comment (which
/// exclusive C14N without comments drops) or a processing instruction, possibly typed.
#[derive(Debug, Clone)]
struct ValuePlan {
    text: String,
    split_at: Option<(Index, bool)>,
    xsi_type: bool,
}

#[derive(Debug, Clone)]
struct SignedPlan {
    assertion_prefix: Option<&'static str>,
    ds_prefix: Option<&'static str>,
    /// The assertion namespace declared on the Response, so exclusive C14N must render it on
    /// the assertion.
    declare_on_response: bool,
    /// A declaration on the assertion that nothing uses, which exclusive C14N drops.
    unused_declaration: bool,
    line_end: &'static str,
    raw_cr: bool,
    issuer: String,
    name_id: String,
    claims: Vec<(String, Vec<ValuePlan>)>,
}

fn signed_plan() -> impl Strategy<Value = SignedPlan> {
    let value = (
        xml_string(0..16),
        prop::option::of((any::<Index>(), any::<bool>())),
        any::<bool>(),
    )
        .prop_map(|(text, split_at, xsi_type)| ValuePlan {
            text,
            split_at,
            xsi_type,
        });
    (
        prop::sample::select(vec![None, Some("saml"), Some("saml2"), Some("ds")]),
        prop::sample::select(vec![None, Some("ds"), Some("dsig"), Some("saml")]),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec!["", "\n", "\r\n"]),
        any::<bool>(),
        (xml_string(0..16), xml_string(0..16)),
        vec((xml_string(1..12), vec(value, 0..3)), 0..4),
    )
        .prop_map(
            |(
                assertion_prefix,
                ds_prefix,
                declare_on_response,
                unused_declaration,
                line_end,
                raw_cr,
                (issuer, name_id),
                claims,
            )| SignedPlan {
                assertion_prefix,
                ds_prefix,
                declare_on_response,
                unused_declaration,
                line_end,
                raw_cr,
                issuer,
                name_id,
                claims,
            },
        )
}

impl SignedPlan {
    /// The unsigned Response with a signature template inside its assertion.
    fn template(&self) -> String {
        let nl = self.line_end;
        let saml = ns::SAML;
        let (p, assertion_ns) = match self.assertion_prefix {
            Some(prefix) => (format!("{prefix}:"), format!("xmlns:{prefix}=\"{saml}\"")),
            None => (String::new(), format!("xmlns=\"{saml}\"")),
        };
        let (d, ds_ns) = match self.ds_prefix {
            Some(prefix) => (
                format!("{prefix}:"),
                format!(" xmlns:{prefix}=\"{}\"", ns::DS),
            ),
            None => (String::new(), format!(" xmlns=\"{}\"", ns::DS)),
        };
        // A prefixed assertion namespace may live on the Response; a default one may not,
        // since the Response's own children would move into it.
        let on_response = self.declare_on_response && self.assertion_prefix.is_some();
        let response_ns = if on_response {
            format!(" {assertion_ns}")
        } else {
            String::new()
        };
        let assertion_own_ns = if on_response {
            String::new()
        } else {
            format!(" {assertion_ns}")
        };
        let unused = if self.unused_declaration {
            " xmlns:unused=\"urn:example:unused\""
        } else {
            ""
        };
        let text = |value: &str| escape_text(value, self.raw_cr);
        let mut xml = format!(
            "<samlp:Response xmlns:samlp=\"{}\"{response_ns} xmlns:xsi=\"{XSI}\" xmlns:xs=\"{XS}\" \
             ID=\"_response\" Version=\"2.0\" IssueInstant=\"2026-11-28T09:00:00Z\">{nl}\
             <{p}Assertion{assertion_own_ns}{unused} ID=\"_assertion\" Version=\"2.0\" \
             IssueInstant=\"2026-11-28T09:00:00Z\">{nl}<{p}Issuer>{}</{p}Issuer>{nl}\
             <{d}Signature{ds_ns}><{d}SignedInfo><{d}CanonicalizationMethod Algorithm=\"{EXC_C14N}\"/>\
             <{d}SignatureMethod Algorithm=\"{RSA_SHA256}\"/><{d}Reference URI=\"#_assertion\">\
             <{d}Transforms><{d}Transform Algorithm=\"{ENVELOPED}\"/>\
             <{d}Transform Algorithm=\"{EXC_C14N}\"/></{d}Transforms>\
             <{d}DigestMethod Algorithm=\"{SHA256}\"/><{d}DigestValue>0</{d}DigestValue>\
             </{d}Reference></{d}SignedInfo><{d}SignatureValue>0</{d}SignatureValue>\
             </{d}Signature>{nl}<{p}Subject><{p}NameID>{}</{p}NameID></{p}Subject>{nl}\
             <{p}AttributeStatement>{nl}",
            ns::SAMLP,
            text(&self.issuer),
            text(&self.name_id),
        );
        for (name, values) in &self.claims {
            xml.push_str(&format!(
                "<{p}Attribute Name=\"{}\">",
                escape_attribute(name, '"', false)
            ));
            for value in values {
                let typed = if value.xsi_type {
                    " xsi:type=\"xs:string\""
                } else {
                    ""
                };
                let body = match value.split_at {
                    None => text(&value.text),
                    Some((at, comment)) => {
                        let boundaries: Vec<usize> = value
                            .text
                            .char_indices()
                            .map(|(i, _)| i)
                            .chain([value.text.len()])
                            .collect();
                        let split = boundaries[at.index(boundaries.len())];
                        let markup = if comment {
                            "<!--split-->"
                        } else {
                            "<?split here?>"
                        };
                        format!(
                            "{}{markup}{}",
                            text(&value.text[..split]),
                            text(&value.text[split..])
                        )
                    }
                };
                xml.push_str(&format!(
                    "<{p}AttributeValue{typed}>{body}</{p}AttributeValue>"
                ));
            }
            xml.push_str(&format!("</{p}Attribute>{nl}"));
        }
        xml.push_str(&format!(
            "</{p}AttributeStatement>{nl}</{p}Assertion>{nl}</samlp:Response>"
        ));
        xml
    }
}

// ---------------------------------------------------------------------------------------------
// Tree comparison

/// A tree flattened into what XML-DSig protects: names with prefixes and namespaces,
/// attributes, merged text and processing instructions; comments and the excluded signature
/// left out, as exclusive C14N without comments leaves them out.
#[derive(Debug, PartialEq, Eq)]
enum Event {
    Start {
        qname: String,
        namespace: Option<String>,
        attributes: Vec<(Option<String>, String, String)>,
    },
    Text(String),
    Pi(String, Option<String>),
    End,
}

fn flatten(node: Node<'_, '_>, excluded: Option<NodeId>, events: &mut Vec<Event>) {
    if Some(node.id()) == excluded || node.is_comment() {
        return;
    }
    if let Some(text) = node.text().filter(|_| node.is_text()) {
        match events.last_mut() {
            Some(Event::Text(previous)) => previous.push_str(text),
            _ => events.push(Event::Text(text.to_string())),
        }
        return;
    }
    if let Some(pi) = node.pi() {
        events.push(Event::Pi(
            pi.target.to_string(),
            pi.value.map(str::to_string),
        ));
        return;
    }
    let mut attributes: Vec<(Option<String>, String, String)> = node
        .attributes()
        .map(|a| {
            (
                a.namespace().map(str::to_string),
                a.name().to_string(),
                a.value().to_string(),
            )
        })
        .collect();
    attributes.sort();
    events.push(Event::Start {
        qname: element_qname(node, node.document().input_text()).to_string(),
        namespace: node.tag_name().namespace().map(str::to_string),
        attributes,
    });
    for child in node.children() {
        flatten(child, excluded, events);
    }
    events.push(Event::End);
}

/// Verifies `text` with the sample trust, then re-parses the exclusive canonical form of every
/// verified assertion (its covering signature excluded, as the verifier digests it) and
/// compares that tree with the assertion's.
fn check_digested_bytes_reparse(text: &str) -> Result<usize, TestCaseError> {
    let doc = parse(text)?;
    let trust = sample_trust();
    let report = verify_document(&doc, &trust, &VerifyOptions { now: NOW });
    prop_assert_eq!(report.verdict, Verdict::Verified, "not verified:\n{}", text);
    let mut checked = 0;
    for assertion in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Assertion")
    {
        let Some(verified) = report.verified(assertion) else {
            continue;
        };
        let location = &report.signatures[verified.signature_index()].location;
        let signature = doc
            .descendants()
            .find(|n| is_ds(*n, "Signature") && n.range().start == location.start)
            .expect("the covering signature");
        let digested = exclusive(assertion, Some(signature.id()));
        let digested = as_text(&digested)?;
        let reparsed = parse(digested)?;

        let mut original = Vec::new();
        flatten(assertion, Some(signature.id()), &mut original);
        let mut again = Vec::new();
        flatten(reparsed.root_element(), None, &mut again);
        prop_assert_eq!(&again, &original, "digested bytes:\n{}", digested);
        checked += 1;
    }
    Ok(checked)
}

#[test]
fn the_digested_bytes_of_the_sample_assertion_reparse_to_the_same_tree() {
    let checked = check_digested_bytes_reparse(SAMPLE).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        checked, 1,
        "the sample's one assertion is verified and checked"
    );
}

proptest! {
    #![proptest_config(config(256))]

    /// Documents signed here verify, and the bytes the verifier digested re-parse to the tree
    /// the claims are read from.
    #[test]
    fn the_digested_bytes_of_generated_signed_assertions_reparse_to_the_same_tree(
        plan in signed_plan(),
    ) {
        let signed = sign(&plan.template())?;
        let checked = check_digested_bytes_reparse(&signed)?;
        prop_assert_eq!(checked, 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations of the signed sample

/// Short byte strings an insertion may add: markup characters, whitespace, entities, a comment.
const INSERTIONS: [&str; 12] = [
    "<", ">", " ", "\"", "'", "=", "/", "x", "&amp;", "\r\n", "<!--c-->", "<x/>",
];

#[derive(Debug, Clone)]
enum ValueEdit {
    Replace(String),
    Append(char),
    ChangeCharacter(Index, char),
}

#[derive(Debug, Clone)]
enum Mutation {
    FlipByte {
        at: Index,
        mask: u8,
    },
    Insert {
        at: Index,
        bytes: &'static str,
    },
    Delete {
        at: Index,
        len: usize,
    },
    EditAttribute {
        which: Index,
        edit: ValueEdit,
    },
    MoveElement {
        which: Index,
        to: Index,
    },
    CommentInText {
        which: Index,
        at: Index,
    },
    /// An element renamed with a prefix: declared for the element's own namespace (same
    /// expanded name, different qualified name), or left to whatever it is bound to in scope
    /// (`samlp` is the protocol namespace; the others are unbound).
    ChangePrefix {
        which: Index,
        prefix: &'static str,
        declare: bool,
    },
    /// Meant to be invisible to XML-DSig: the quotes of one start tag's attributes.
    Requote {
        which: Index,
    },
    /// Meant to be invisible: one character of a value written as a character reference.
    CharacterReference {
        at: Index,
    },
    /// Meant to be invisible: whitespace added inside a start tag.
    WhitespaceInTag {
        which: Index,
        whitespace: &'static str,
    },
}

impl Mutation {
    fn kind(&self) -> &'static str {
        match self {
            Mutation::FlipByte { .. } => "byte flip",
            Mutation::Insert { .. } => "insertion",
            Mutation::Delete { .. } => "deletion",
            Mutation::EditAttribute { .. } => "attribute edit",
            Mutation::MoveElement { .. } => "element move",
            Mutation::CommentInText { .. } => "comment in text",
            Mutation::ChangePrefix { .. } => "prefix change",
            Mutation::Requote { .. } => "quote style",
            Mutation::CharacterReference { .. } => "character reference",
            Mutation::WhitespaceInTag { .. } => "whitespace in tag",
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let edit = prop_oneof![
        xml_string(0..8).prop_map(ValueEdit::Replace),
        xml_char().prop_map(ValueEdit::Append),
        (any::<Index>(), xml_char()).prop_map(|(at, c)| ValueEdit::ChangeCharacter(at, c)),
    ];
    prop_oneof![
        6 => (any::<Index>(), 1..=0x7Fu8).prop_map(|(at, mask)| Mutation::FlipByte { at, mask }),
        4 => (any::<Index>(), prop::sample::select(INSERTIONS.to_vec()))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        4 => (any::<Index>(), 1..8usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        4 => (any::<Index>(), edit).prop_map(|(which, edit)| Mutation::EditAttribute { which, edit }),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(which, to)| Mutation::MoveElement { which, to }),
        3 => (any::<Index>(), prop::sample::select(vec!["saml", "ds", "p", "samlp"]), any::<bool>())
            .prop_map(|(which, prefix, declare)| Mutation::ChangePrefix { which, prefix, declare }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(which, at)| Mutation::CommentInText { which, at }),
        1 => any::<Index>().prop_map(|which| Mutation::Requote { which }),
        1 => any::<Index>().prop_map(|at| Mutation::CharacterReference { at }),
        1 => (any::<Index>(), prop::sample::select(vec![" ", "\n", "\t", "\r\n "]))
            .prop_map(|(which, whitespace)| Mutation::WhitespaceInTag { which, whitespace }),
    ]
}

/// The signed sample and the places a mutation may touch: the signed assertion, its
/// signature included, except the KeyInfo certificate (which no signature covers, by design:
/// trust comes from the configured keys, not from the message).
struct Target<'a, 'i> {
    text: &'i str,
    doc: &'a Document<'i>,
    positions: Vec<usize>,
    /// Elements of the assertion outside KeyInfo, the assertion itself included.
    elements: Vec<Node<'a, 'i>>,
    text_nodes: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> Target<'a, 'i> {
    fn new(doc: &'a Document<'i>) -> Target<'a, 'i> {
        let assertion = doc
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == "Assertion")
            .expect("the sample's assertion");
        let key_info = assertion
            .descendants()
            .find(|n| is_ds(*n, "KeyInfo"))
            .expect("the sample's KeyInfo");
        let outside_key_info =
            |n: &Node<'_, '_>| !n.ancestors().any(|ancestor| ancestor == key_info);
        let positions = assertion
            .range()
            .filter(|at| !key_info.range().contains(at))
            .collect();
        Target {
            text: doc.input_text(),
            doc,
            positions,
            elements: assertion
                .descendants()
                .filter(Node::is_element)
                .filter(outside_key_info)
                .collect(),
            text_nodes: assertion
                .descendants()
                .filter(Node::is_text)
                .filter(outside_key_info)
                .collect(),
        }
    }

    fn splice(&self, range: std::ops::Range<usize>, with: &str) -> Vec<u8> {
        let mut bytes = self.text.as_bytes()[..range.start].to_vec();
        bytes.extend_from_slice(with.as_bytes());
        bytes.extend_from_slice(&self.text.as_bytes()[range.end..]);
        bytes
    }

    /// The end of the start tag of `element`, just before `>` or `/>`.
    fn start_tag_close(&self, element: Node<'_, '_>) -> usize {
        let end = samlkit_parse::xml::start_tag_end(self.text, element.range().start)
            .expect("a complete start tag");
        if self.text.as_bytes()[end - 2] == b'/' {
            end - 2
        } else {
            end - 1
        }
    }

    fn apply(&self, mutation: &Mutation) -> Vec<u8> {
        let bytes = self.text.as_bytes();
        match mutation {
            Mutation::FlipByte { at, mask } => {
                let mut out = bytes.to_vec();
                out[self.positions[at.index(self.positions.len())]] ^= mask;
                out
            }
            Mutation::Insert {
                at,
                bytes: inserted,
            } => {
                let at = self.positions[at.index(self.positions.len())];
                self.splice(at..at, inserted)
            }
            Mutation::Delete { at, len } => {
                let at = self.positions[at.index(self.positions.len())];
                self.splice(at..(at + len).min(bytes.len()), "")
            }
            Mutation::EditAttribute { which, edit } => {
                let attributes: Vec<roxmltree::Attribute<'_, '_>> =
                    self.elements.iter().flat_map(|e| e.attributes()).collect();
                let attribute = &attributes[which.index(attributes.len())];
                let range = attribute.range_value();
                let quote = char::from(bytes[range.start - 1]);
                let mut value = attribute.value().to_string();
                match edit {
                    ValueEdit::Replace(new) => value = new.clone(),
                    ValueEdit::Append(c) => value.push(*c),
                    ValueEdit::ChangeCharacter(at, c) => {
                        let chars: Vec<(usize, char)> = value.char_indices().collect();
                        if chars.is_empty() {
                            value.push(*c);
                        } else {
                            let (i, old) = chars[at.index(chars.len())];
                            value.replace_range(i..i + old.len_utf8(), &c.to_string());
                        }
                    }
                }
                self.splice(range, &escape_attribute(&value, quote, false))
            }
            Mutation::MoveElement { which, to } => {
                // Any element but the assertion, to before or after any element of the
                // document outside it (the Response's children included).
                let moved = self.elements[1 + which.index(self.elements.len() - 1)];
                let range = moved.range();
                let targets: Vec<usize> = self
                    .doc
                    .descendants()
                    .filter(Node::is_element)
                    .flat_map(|n| [n.range().start, n.range().end])
                    .filter(|at| !(range.start..=range.end).contains(at))
                    .collect();
                let target = targets[to.index(targets.len())];
                let fragment = &self.text[range.clone()];
                let mut out = self.text.to_string();
                if target < range.start {
                    out.replace_range(range.clone(), "");
                    out.insert_str(target, fragment);
                } else {
                    out.insert_str(target, fragment);
                    out.replace_range(range, "");
                }
                out.into_bytes()
            }
            Mutation::CommentInText { which, at } => {
                let node = self.text_nodes[which.index(self.text_nodes.len())];
                let range = node.range();
                // Character boundaries of the source text, outside entity references.
                let source = &self.text[range.clone()];
                let mut boundaries = Vec::new();
                let mut in_reference = false;
                for (i, c) in source.char_indices().chain([(source.len(), ' ')]) {
                    if !in_reference {
                        boundaries.push(range.start + i);
                    }
                    match c {
                        '&' => in_reference = true,
                        ';' => in_reference = false,
                        _ => {}
                    }
                }
                let at = boundaries[at.index(boundaries.len())];
                self.splice(at..at, "<!--c-->")
            }
            Mutation::ChangePrefix {
                which,
                prefix,
                declare,
            } => {
                let element = self.elements[which.index(self.elements.len())];
                let qname = element_qname(element, self.text);
                let local = element.tag_name().name();
                let uri = element.tag_name().namespace().unwrap_or_default();
                let range = element.range();
                let mut out = self.text.to_string();
                let self_closing = self.text[..range.end].ends_with("/>");
                if !self_closing {
                    let end_tag = range.end - qname.len() - 3;
                    out.replace_range(end_tag..range.end, &format!("</{prefix}:{local}>"));
                }
                let declaration = if *declare {
                    format!(" xmlns:{prefix}=\"{uri}\"")
                } else {
                    String::new()
                };
                out.replace_range(
                    range.start..range.start + 1 + qname.len(),
                    &format!("<{prefix}:{local}{declaration}"),
                );
                out.into_bytes()
            }
            Mutation::Requote { which } => {
                let with_attributes: Vec<&Node<'_, '_>> = self
                    .elements
                    .iter()
                    .filter(|e| e.attributes().len() > 0)
                    .collect();
                let element = with_attributes[which.index(with_attributes.len())];
                let mut out = bytes.to_vec();
                for attribute in element.attributes() {
                    let range = attribute.range_value();
                    if !self.text[range.clone()].contains('\'') {
                        let quote = if bytes[range.start - 1] == b'"' {
                            b'\''
                        } else {
                            b'"'
                        };
                        out[range.start - 1] = quote;
                        out[range.end] = quote;
                    }
                }
                out
            }
            Mutation::CharacterReference { at } => {
                // A character of a text node or attribute value that is not part of a reference.
                let mut places: Vec<std::ops::Range<usize>> =
                    self.text_nodes.iter().map(|n| n.range()).collect();
                places.extend(
                    self.elements
                        .iter()
                        .flat_map(|e| e.attributes())
                        .map(|a| a.range_value()),
                );
                let candidates: Vec<(usize, char)> = places
                    .iter()
                    .flat_map(|range| {
                        self.text[range.clone()]
                            .char_indices()
                            .filter(|(_, c)| !matches!(c, '&' | ';' | '#'))
                            .map(move |(i, c)| (range.start + i, c))
                    })
                    .collect();
                let (position, c) = candidates[at.index(candidates.len())];
                self.splice(
                    position..position + c.len_utf8(),
                    &format!("&#x{:X};", u32::from(c)),
                )
            }
            Mutation::WhitespaceInTag { which, whitespace } => {
                let element = self.elements[which.index(self.elements.len())];
                let at = self.start_tag_close(element);
                self.splice(at..at, whitespace)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Bucket {
    Unparseable,
    NotVerified,
    Invisible,
}

/// Sorts one mutated document into its bucket, failing when a signature verifies although what
/// it covers canonicalizes differently from the original.
fn classify(
    mutated: &[u8],
    trust: &TrustStore,
    original_assertion: &[u8],
    original_signed_info: &[u8],
) -> Result<Bucket, TestCaseError> {
    let Ok(text) = std::str::from_utf8(mutated) else {
        return Ok(Bucket::Unparseable);
    };
    let Ok(doc) = parse_xml(text, &Limits::default()) else {
        return Ok(Bucket::Unparseable);
    };
    let report = verify_document(&doc, trust, &VerifyOptions { now: NOW });
    let verified_signatures: Vec<_> = report
        .signatures
        .iter()
        .filter(|s| s.outcome == SignatureOutcome::Verified)
        .collect();
    let assertions_covered = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Assertion")
        .any(|n| report.verified(n).is_some());
    if report.verdict != Verdict::Verified && !assertions_covered {
        return Ok(Bucket::NotVerified);
    }
    prop_assert!(
        !verified_signatures.is_empty(),
        "verdict {:?} without a verified signature:\n{}",
        report.verdict,
        text
    );
    for signature in verified_signatures {
        let node = doc
            .descendants()
            .find(|n| is_ds(*n, "Signature") && n.range().start == signature.location.start)
            .expect("the verified signature");
        let signed = node.parent_element().expect("a signed parent");
        let signed_info = ds_child(node, "SignedInfo").expect("SignedInfo");
        let signed_now = exclusive(signed, Some(node.id()));
        let signed_info_now = exclusive(signed_info, None);
        prop_assert_eq!(
            as_text(&signed_now)?,
            as_text(original_assertion)?,
            "a signature verifies over changed content (verdict {:?}):\n{}",
            report.verdict,
            text
        );
        prop_assert_eq!(
            as_text(&signed_info_now)?,
            as_text(original_signed_info)?,
            "a signature verifies over a changed SignedInfo:\n{}",
            text
        );
    }
    // A second opinion with another canonicalizer: what samlkit verifies, xmlsec1 verifies
    // (both require the schema order of a signature's parts).
    prop_assert!(
        xmlsec1_verifies(text),
        "samlkit verifies a signature that xmlsec1 rejects (verdict {:?}):\n{}",
        report.verdict,
        text
    );
    Ok(Bucket::Invisible)
}

#[test]
fn mutations_of_the_signed_sample_never_verify_unless_invisible_to_xml_dsig() {
    const CASES: u32 = 2048;
    let doc = parse_xml(SAMPLE, &Limits::default()).expect("the sample parses");
    let trust = sample_trust();
    let report = verify_document(&doc, &trust, &VerifyOptions { now: NOW });
    assert_eq!(
        report.verdict,
        Verdict::Verified,
        "the unmodified sample verifies"
    );
    assert!(
        xmlsec1_verifies(SAMPLE),
        "xmlsec1 verifies the unmodified sample"
    );
    let assertion = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "Assertion")
        .expect("the assertion");
    let signature = ds_child(assertion, "Signature").expect("the signature");
    let original_assertion = exclusive(assertion, Some(signature.id()));
    let original_signed_info = exclusive(ds_child(signature, "SignedInfo").unwrap(), None);
    let target = Target::new(&doc);

    let counts: RefCell<BTreeMap<(&'static str, Bucket), usize>> = RefCell::default();
    let config = config(CASES);
    let cases = config.cases as usize;
    let mut runner = TestRunner::new(config);
    let result = runner.run(&mutation(), |mutation| {
        let mutated = target.apply(&mutation);
        let bucket = classify(&mutated, &trust, &original_assertion, &original_signed_info)?;
        *counts
            .borrow_mut()
            .entry((mutation.kind(), bucket))
            .or_default() += 1;
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }

    let counts = counts.into_inner();
    let total: usize = counts.values().sum();
    let in_bucket = |bucket: Bucket| -> usize {
        counts
            .iter()
            .filter(|((_, b), _)| *b == bucket)
            .map(|(_, n)| n)
            .sum()
    };
    eprintln!("mutations by kind and outcome ({total} in all):");
    for ((kind, bucket), count) in &counts {
        eprintln!("  {kind:>20}  {bucket:?}: {count}");
    }
    let invisible = in_bucket(Bucket::Invisible);
    eprintln!(
        "unparseable {}, not verified {}, invisible {invisible}",
        in_bucket(Bucket::Unparseable),
        in_bucket(Bucket::NotVerified)
    );
    assert_eq!(total, cases);
    // Most mutations must reach the verifier and be refused there, or the property is vacuous.
    assert!(
        in_bucket(Bucket::NotVerified) * 2 > total,
        "fewer than half the mutations reached the verifier and failed"
    );
    assert!(
        invisible * 5 < total,
        "{invisible} of {total} mutations were invisible to XML-DSig; the mutations are too weak"
    );
}
