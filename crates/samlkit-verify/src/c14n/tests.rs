//! Canonicalization of SAML-shaped documents and the corner cases of each method.

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
    assert_eq!(
        subtree(sig, C14nMethod::Exclusive10, &[], Some(sig.id())),
        ""
    );
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
    let text =
        r#"<a xml:base="foo/bar"><b xml:base=".."><c xml:base=".."><d xml:base="x"/></c></b></a>"#;
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
fn relative_namespace_uri_is_refused() {
    let doc = Document::parse(r#"<a xmlns:p="rel/ns"><p:b/></a>"#).unwrap();
    for method in C14nMethod::ALL {
        let mut out = Vec::new();
        let err = canonicalize_document(&doc, &C14nOptions::new(method), &mut out)
            .expect_err("relative URI");
        assert!(
            matches!(err, C14nError::RelativeNamespaceUri { .. }),
            "{err}"
        );
    }
    // Also where exclusive canonicalization would not render the declaration (nothing uses
    // the prefix): the document is refused, not canonicalized without it.
    let doc = Document::parse(r#"<a xmlns:p="rel/ns"><b/></a>"#).unwrap();
    for method in [C14nMethod::Exclusive10, C14nMethod::Exclusive10WithComments] {
        let err = canonicalize_document(&doc, &C14nOptions::new(method), &mut Vec::new())
            .expect_err("relative URI, unused");
        assert!(
            matches!(err, C14nError::RelativeNamespaceUri { .. }),
            "{err}"
        );
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
    assert_eq!(
        C14nMethod::from_uri("http://www.w3.org/2001/10/xml-exc-c14n"),
        None
    );
}

#[test]
fn many_namespaces_and_a_long_prefix_list_stay_linear() {
    // Both the declarations and the PrefixList come from the message being verified.
    let mut text = String::from("<r");
    for i in 0..2000 {
        text.push_str(&format!(" xmlns:p{i}=\"urn:n{i}\""));
    }
    text.push('>');
    for i in 0..5000 {
        text.push_str(&format!("<p{}:e a=\"1\"/>", i % 2000));
    }
    text.push_str("</r>");
    let doc = Document::parse(&text).unwrap();
    let names: Vec<String> = (0..20_000).map(|i| format!("p{i}")).collect();
    let prefixes: Vec<&str> = names.iter().map(String::as_str).collect();
    let start = std::time::Instant::now();
    for method in [C14nMethod::Exclusive10, C14nMethod::Inclusive10] {
        let options = C14nOptions {
            method,
            inclusive_prefixes: &prefixes,
            exclude: None,
        };
        let mut out = Vec::new();
        canonicalize_document(&doc, &options, &mut out).unwrap();
        // Every binding is rendered once, on the root.
        assert_eq!(
            String::from_utf8(out).unwrap().matches("xmlns:").count(),
            2000
        );
    }
    // Quadratic work here would take minutes; linear work takes milliseconds.
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
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
    let doc = Document::parse_with_options(&text, opt).expect("parses");
    for method in [C14nMethod::Exclusive10, C14nMethod::Inclusive10] {
        let mut out = Vec::new();
        canonicalize_document(&doc, &C14nOptions::new(method), &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with(r#"<p:e xmlns:p="urn:p"><p:e><p:e>"#));
        assert_eq!(s.matches("xmlns").count(), 1);
        assert_eq!(s.matches("</p:e>").count(), depth);
    }
}

#[test]
fn a_subtree_of_anything_but_an_element_is_refused_by_its_kind() {
    let doc = Document::parse("<r><!--c--><?p x?>text</r>").unwrap();
    let root = doc.root_element();
    let options = C14nOptions::new(C14nMethod::Exclusive10);
    let expected = [
        ("a comment", 0),
        ("a processing instruction", 1),
        ("a text node", 2),
    ];
    let children: Vec<Node<'_, '_>> = root.children().collect();
    for (kind, index) in expected {
        let err = canonicalize_subtree(children[index], &options, &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("canonicalization of a subtree needs an element node, got {kind}")
        );
    }
    let err = canonicalize_subtree(doc.root(), &options, &mut Vec::new()).unwrap_err();
    assert!(err.to_string().ends_with("got the document root"), "{err}");
}

#[test]
fn an_excluded_node_outside_the_document_element_is_left_out() {
    let doc = Document::parse("<!--before--><r/><!--after-->").unwrap();
    let after = doc.root().last_child().unwrap();
    assert!(after.is_comment());
    let mut options = C14nOptions::new(C14nMethod::Inclusive10WithComments);
    let mut out = Vec::new();
    canonicalize_document(&doc, &options, &mut out).unwrap();
    assert_eq!(out, b"<!--before-->\n<r></r>\n<!--after-->");
    options.exclude = Some(after.id());
    let mut out = Vec::new();
    canonicalize_document(&doc, &options, &mut out).unwrap();
    assert_eq!(out, b"<!--before-->\n<r></r>");
}

/// A namespace binding: prefix (`None` for the default namespace) and URI.
type Binding = (Option<String>, String);

/// `own_bindings` of each element of `text`, by local name: the bindings it reports as the
/// element's own.
fn own_bindings_of(text: &str) -> Vec<(String, Vec<Binding>)> {
    let doc = Document::parse(text).unwrap();
    let mut out = Vec::new();
    doc.descendants()
        .filter(|n| n.is_element())
        .map(|n| {
            own_bindings(n, &mut out);
            let own = out
                .iter()
                .map(|(prefix, uri)| (prefix.map(str::to_string), uri.to_string()))
                .collect();
            (n.tag_name().name().to_string(), own)
        })
        .collect()
}

#[test]
fn own_bindings_are_the_declarations_an_element_makes_itself() {
    let found = own_bindings_of(
        r#"<a xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q"><b/><c xmlns:p="urn:p2"/><d xmlns=""><e/></d></a>"#,
    );
    let own = |name: &str| {
        found
            .iter()
            .find(|(element, _)| element == name)
            .map(|(_, own)| own.clone())
            .unwrap()
    };
    // Nothing declared, nothing inherited changed: no own bindings (none re-rendered).
    assert_eq!(own("b"), Vec::new());
    assert_eq!(own("e"), Vec::new());
    assert_eq!(
        own("c"),
        vec![(Some("p".to_string()), "urn:p2".to_string())]
    );
    let root = own("a");
    for binding in [(None, "urn:d"), (Some("p"), "urn:p"), (Some("q"), "urn:q")] {
        let binding = (binding.0.map(str::to_string), binding.1.to_string());
        assert!(root.contains(&binding), "{root:?}");
    }
}

#[test]
fn a_namespace_uri_is_absolute_when_it_starts_with_a_scheme() {
    for uri in ["urn:x", "http://x/", "a+b-c.d:x", "z:", ""] {
        assert!(check_absolute(Some("p"), uri).is_ok(), "{uri}");
    }
    for uri in ["1urn:x", ":x", "ab", "a/b:c", "+a:b", "rel/ns"] {
        assert!(
            matches!(
                check_absolute(Some("p"), uri),
                Err(C14nError::RelativeNamespaceUri { .. })
            ),
            "{uri}"
        );
    }
}

#[test]
fn xml_base_values_join_as_rfc_3986_resolves_them() {
    use super::xml_base::join_uri_references as join;
    // A base path with a slash only at its start keeps it; one without a slash stays relative.
    assert_eq!(join("/file", "ref"), "/ref");
    assert_eq!(join("file", "ref"), "ref");
    assert_eq!(join("http://x/dir/file", "ref"), "http://x/dir/ref");
    assert_eq!(join("http://x", "ref"), "http://x/ref");
    // A colon first is no scheme: ":ref" is a relative path.
    assert_eq!(join("http://x/dir/", ":ref"), "http://x/dir/:ref");
    assert_eq!(join("http://x/a/b", "urn:y"), "urn:y");
}
