//! The secure parser and the typed model: limits, namespace matching, whole-text reading and the
//! fields of each view.

use samlkit_parse::model::{Metadata, SamlMessage};
use samlkit_parse::time::Zone;
use samlkit_parse::{parse_xml, read_message, InputError, Limits};

const ENTRA: &str = include_str!("../../../samples/entra-response-unsigned.xml");

fn parse(text: &str) -> Result<roxmltree::Document<'_>, InputError> {
    parse_xml(text, &Limits::default())
}

#[test]
fn entra_response_fields_are_read_with_spans() {
    let doc = parse(ENTRA).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!("not a response")
    };
    let header = &response.header;
    assert_eq!(
        header.id.as_ref().unwrap().value,
        "_5f8a1c2e-7d3b-4b9a-9e1f-2a6c4d8e0b13"
    );
    let destination = header.destination.as_ref().unwrap();
    assert_eq!(
        destination.value,
        "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml"
    );
    assert_eq!(&ENTRA[destination.span.clone()], destination.value);
    assert_eq!(
        response.in_response_to.as_ref().unwrap().value,
        "_a7f3e9c1d2b4"
    );
    let issuer = header.issuer.as_ref().unwrap();
    assert_eq!(
        issuer.value.as_str(),
        "https://sts.windows.net/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/"
    );
    assert_eq!(&ENTRA[issuer.value.span.clone()], issuer.value.as_str());
    assert!(response.status.as_ref().unwrap().is_success());
    let issued = header.issue_instant.as_ref().unwrap();
    assert_eq!(
        issued.instant().unwrap().to_string(),
        "2026-11-28T09:00:00.123Z"
    );

    assert_eq!(response.assertions.len(), 1);
    let assertion = &response.assertions[0];
    let name_id = assertion
        .subject
        .as_ref()
        .unwrap()
        .name_id
        .as_ref()
        .unwrap();
    assert_eq!(name_id.value.as_str(), "alice@contoso.example");
    assert_eq!(
        name_id.format.as_ref().unwrap().value,
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    );
    let confirmation = &assertion.subject.as_ref().unwrap().confirmations[0];
    assert!(confirmation.is_bearer());
    let data = confirmation.data.as_ref().unwrap();
    assert_eq!(data.recipient.as_ref().unwrap().value, destination.value);
    assert_eq!(
        data.not_on_or_after
            .as_ref()
            .unwrap()
            .instant()
            .unwrap()
            .to_string(),
        "2026-11-28T10:10:00.107Z"
    );
    let conditions = assertion.conditions.as_ref().unwrap();
    let audiences: Vec<&str> = conditions.audiences().map(|a| a.as_str()).collect();
    assert_eq!(
        audiences,
        ["https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml"]
    );
    assert_eq!(assertion.attributes.len(), 13);
    let groups = assertion
        .attributes_named("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups")
        .next()
        .unwrap();
    assert_eq!(groups.values.len(), 12);
    let email = assertion.attributes_named("Email").next().unwrap();
    assert_eq!(email.values[0].text.as_str(), "alice@contoso.example");
    let statement = &assertion.authn_statements[0];
    assert_eq!(
        statement.class_ref.as_ref().unwrap().as_str(),
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    );
    assert!(assertion.signatures.is_empty() && header.signatures.is_empty());
}

#[test]
fn doctype_is_refused_before_anything_else() {
    let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>"#;
    let err = parse(xxe).unwrap_err();
    assert!(matches!(err, InputError::Doctype { .. }));
    let message = err.to_string();
    assert!(
        message.contains("DOCTYPE") && message.contains("line 2, column 1"),
        "{message}"
    );
}

#[test]
fn truncated_xml_names_the_open_element() {
    let cut = &ENTRA[..ENTRA.find("<AttributeStatement>").unwrap() + 40];
    let err = parse(cut).unwrap_err();
    assert_eq!(
        err.to_string().split(" (opened").next().unwrap(),
        "looks truncated: the XML ends inside <Attribute>"
    );
    let cut = &ENTRA[..ENTRA.find("<Conditions").unwrap()];
    let err = parse(cut).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("looks truncated: the XML ends inside <Assertion>"),
        "{err}"
    );
}

#[test]
fn depth_and_node_limits_give_clear_errors() {
    let deep = "<a>".repeat(300) + &"</a>".repeat(300);
    let err = parse(&deep).unwrap_err();
    assert!(
        matches!(err, InputError::TooDeep { limit: 256, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("deeper than 256 levels"));

    let limits = Limits {
        max_nodes: 100,
        ..Limits::default()
    };
    let wide = format!("<r>{}</r>", "<x/>".repeat(200));
    let err = parse_xml(&wide, &limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the XML has more than 100 nodes; refusing to go on"
    );

    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    let err = parse_xml("<r>0123456789</r>", &limits).unwrap_err();
    assert!(err.to_string().contains("over the limit of 10 bytes"));
}

// At the limit and one past it, with the document's node count on both sides of the
// shortcut that skips the walk (a document of at most `max_depth + 1` nodes): depth is
// counted from the document node, so `max_depth` nested elements pass and one more does not;
// text (whitespace too) is a node one level below its element.
#[test]
fn the_depth_limit_holds_exactly_at_its_boundary() {
    let limits = Limits {
        max_depth: 6,
        ..Limits::default()
    };
    let nested = |levels: usize, text: &str| {
        format!("{}{text}{}", "<a>".repeat(levels), "</a>".repeat(levels))
    };
    for (text, allowed) in [("", 6), ("x", 5), (" ", 5)] {
        let within = nested(allowed, text);
        assert!(parse_xml(&within, &limits).is_ok(), "{within}");
        let beyond = nested(allowed + 1, text);
        let err = parse_xml(&beyond, &limits).unwrap_err();
        assert!(
            matches!(err, InputError::TooDeep { limit: 6, .. }),
            "{beyond}: {err}"
        );
    }
    // Siblings add nodes without depth.
    let wide = format!("<a>{}{}</a>", "<b/>".repeat(20), nested(5, ""));
    assert!(parse_xml(&wide, &limits).is_ok());
    let wide = format!("<a>{}{}</a>", "<b/>".repeat(20), nested(6, ""));
    assert!(matches!(
        parse_xml(&wide, &limits).unwrap_err(),
        InputError::TooDeep { limit: 6, .. }
    ));
}

#[test]
fn a_million_levels_of_nesting_end_in_an_error_not_a_crash() {
    let deep = "<a>".repeat(1_000_000) + &"</a>".repeat(1_000_000);
    let err = parse(&deep).unwrap_err();
    assert!(matches!(err, InputError::TooDeep { .. }), "{err}");
}

#[test]
fn elements_match_by_namespace_not_prefix() {
    // A Response in a look-alike namespace, written with the usual prefix.
    let fake = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocoI"/>"#;
    let doc = parse(fake).unwrap();
    let err = read_message(&doc).unwrap_err();
    assert!(err.to_string().contains("look-alike"), "{err}");

    // An assertion with an odd prefix is still an assertion; a look-alike child is not.
    let odd = r#"<x:Response xmlns:x="urn:oasis:names:tc:SAML:2.0:protocol" ID="r"><y:Assertion xmlns:y="urn:oasis:names:tc:SAML:2.0:assertion" ID="a1"/><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion " ID="a2"/></x:Response>"#;
    let doc = parse(odd).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!()
    };
    assert_eq!(response.assertions.len(), 1);
    assert_eq!(response.assertions[0].id.as_ref().unwrap().value, "a1");
}

#[test]
fn namespaced_id_never_shadows_the_plain_id() {
    let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:p="urn:evil" p:ID="evil" ID="good"/>"#;
    let doc = parse(xml).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!()
    };
    assert_eq!(response.header.id.as_ref().unwrap().value, "good");
    let only_namespaced = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:p="urn:evil" p:ID="evil"/>"#;
    let doc = parse(only_namespaced).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!()
    };
    assert!(response.header.id.is_none());
}

#[test]
fn name_id_reads_whole_through_comment_injection() {
    let xml = ENTRA.replace(
        ">alice@contoso.example</NameID>",
        ">admin@contoso.example<!---->.evil.example</NameID>",
    );
    let doc = parse(&xml).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!()
    };
    let name_id = response.assertions[0]
        .subject
        .as_ref()
        .unwrap()
        .name_id
        .clone()
        .unwrap();
    assert_eq!(name_id.value.as_str(), "admin@contoso.example.evil.example");
    assert!(name_id.value.mixed_content);
}

#[test]
fn status_levels_message_and_detail() {
    let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/></samlp:StatusCode><samlp:StatusMessage>AADSTS50105: The signed in user is not assigned.</samlp:StatusMessage><samlp:StatusDetail><Cause>user</Cause></samlp:StatusDetail></samlp:Status></samlp:Response>"#;
    let doc = parse(xml).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!()
    };
    let status = response.status.unwrap();
    assert!(!status.is_success());
    assert_eq!(
        status.code.unwrap().value,
        "urn:oasis:names:tc:SAML:2.0:status:Requester"
    );
    assert_eq!(
        status.sub_codes[0].value,
        "urn:oasis:names:tc:SAML:2.0:status:RequestDenied"
    );
    assert!(status.message.unwrap().as_str().starts_with("AADSTS50105"));
    assert_eq!(status.detail.unwrap().as_str(), "user");
}

#[test]
fn non_utc_offsets_are_noted_not_rejected() {
    let xml = ENTRA.replace(
        "IssueInstant=\"2026-11-28T09:00:00.123Z\"",
        "IssueInstant=\"2026-11-28T10:00:00.123+01:00\"",
    );
    let doc = parse(&xml).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!()
    };
    let issued = response.header.issue_instant.unwrap();
    let parsed = issued.parsed.unwrap();
    assert_eq!(parsed.zone, Zone::Offset(60));
    assert_eq!(parsed.instant.to_string(), "2026-11-28T09:00:00.123Z");
}

#[test]
fn entra_federation_metadata_with_ws_fed_roles_and_two_keys() {
    let xml = r#"<EntityDescriptor ID="_m" entityID="https://sts.windows.net/t/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">
<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>QUFB</X509Certificate></X509Data></KeyInfo></KeyDescriptor></RoleDescriptor>
<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>QUFB
QkJC</X509Certificate></X509Data></KeyInfo></KeyDescriptor><KeyDescriptor><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>Q0ND</X509Certificate></X509Data></KeyInfo></KeyDescriptor><KeyDescriptor use="encryption"/><SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/t/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/t/saml2"/></IDPSSODescriptor></EntityDescriptor>"#;
    let doc = parse(xml).unwrap();
    let SamlMessage::Metadata(Metadata::Entity(entity)) = read_message(&doc).unwrap() else {
        panic!()
    };
    assert_eq!(entity.entity_id_str(), "https://sts.windows.net/t/");
    assert_eq!(entity.other_roles.len(), 1);
    assert_eq!(
        entity.other_roles[0].xsi_type.as_ref().unwrap().value,
        "fed:SecurityTokenServiceType"
    );
    let idp = &entity.idp_roles[0];
    assert!(idp.role.supports_saml2());
    // Certificate text is kept as written; readers skip its whitespace when they decode.
    let signing: Vec<String> = idp
        .role
        .signing_keys()
        .flat_map(|k| k.key_info.certificates.iter())
        .map(|c| c.value.split_ascii_whitespace().collect())
        .collect();
    assert_eq!(signing, ["QUFBQkJC", "Q0ND"]);
    assert_eq!(
        idp.single_sign_on[0].location.as_ref().unwrap().value,
        "https://login.microsoftonline.com/t/saml2"
    );
}

#[test]
fn nested_entities_descriptors_are_flattened_in_document_order() {
    let xml = r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="fed"><md:EntityDescriptor entityID="a"/><md:EntitiesDescriptor><md:EntityDescriptor entityID="b"/></md:EntitiesDescriptor><md:EntityDescriptor entityID="c"/></md:EntitiesDescriptor>"#;
    let doc = parse(xml).unwrap();
    let SamlMessage::Metadata(metadata) = read_message(&doc).unwrap() else {
        panic!()
    };
    let ids: Vec<&str> = metadata
        .entities()
        .iter()
        .map(|e| e.entity_id_str())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[test]
fn requests_and_logout_messages_are_recognised() {
    let request = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-11-28T09:00:00Z" AssertionConsumerServiceURL="https://sp.example/acs"><saml:Issuer>https://sp.example</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" AllowCreate="true"/></samlp:AuthnRequest>"#;
    let doc = parse(request).unwrap();
    let message = read_message(&doc).unwrap();
    let err = message.expect_response().unwrap_err();
    assert_eq!(
        err.to_string(),
        "this is a SAMLRequest (AuthnRequest), not a SAMLResponse"
    );
    let SamlMessage::AuthnRequest(request) = message else {
        panic!()
    };
    assert_eq!(
        request.assertion_consumer_service_url.unwrap().value,
        "https://sp.example/acs"
    );
    assert!(request.name_id_policy.unwrap().allow_create.unwrap().value);

    let logout = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l"><saml:NameID>bob</saml:NameID><samlp:SessionIndex>s1</samlp:SessionIndex></samlp:LogoutRequest>"#;
    let doc = parse(logout).unwrap();
    let SamlMessage::LogoutRequest(logout) = read_message(&doc).unwrap() else {
        panic!()
    };
    assert_eq!(logout.name_id.unwrap().value.as_str(), "bob");
    assert_eq!(logout.session_indexes[0].as_str(), "s1");
}

#[test]
fn assertions_outside_their_place_are_reported_not_read() {
    let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r"><samlp:Extensions><saml:Assertion ID="hidden"/></samlp:Extensions><saml:Assertion ID="real"/></samlp:Response>"#;
    let doc = parse(xml).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!()
    };
    assert_eq!(response.assertions.len(), 1);
    assert_eq!(response.misplaced_assertions.len(), 1);
    assert_eq!(
        samlkit_parse::xml::plain_attribute(response.misplaced_assertions[0], "ID")
            .unwrap()
            .value(),
        "hidden"
    );
}

/// Inputs the fuzz targets found crashing, each named after what it found; they must now read
/// without a panic.
#[test]
fn fuzz_regressions_read_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let messages = samlkit_parse::decode::decode_input(&bytes, None, &Limits::default());
        for message in messages.into_iter().flatten() {
            if let Ok(doc) = parse(&message.xml) {
                let _ = read_message(&doc);
            }
        }
        count += 1;
    }
    assert!(count >= 1);
}

#[test]
fn a_time_with_a_multibyte_character_is_read_as_unparseable() {
    let xml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/regressions/time-with-multibyte-character.xml"),
    )
    .unwrap();
    let doc = parse(&xml).unwrap();
    let SamlMessage::Response(response) = read_message(&doc).unwrap() else {
        panic!()
    };
    let unreadable: Vec<&str> = response.assertions[0]
        .subject
        .as_ref()
        .unwrap()
        .confirmations
        .iter()
        .filter_map(|c| c.data.as_ref()?.not_on_or_after.as_ref())
        .filter(|t| t.parsed.is_err())
        .map(|t| t.text.value)
        .collect();
    assert_eq!(unreadable, ["2019-05-14T20:36:1ť"]);
}

// Found by the c14n_differential fuzz target: roxmltree accepts `:ersion="2.0"`, which is not
// namespace-well-formed and which other parsers read differently.
#[test]
fn names_with_an_empty_prefix_or_local_part_are_refused() {
    for xml in [
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" :ID="evil"/>"#,
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r" :ersion="2.0"/>"#,
    ] {
        let err = parse(xml).unwrap_err();
        assert!(
            err.to_string().contains("empty prefix or local part"),
            "{err}"
        );
    }
}

// The exact check of every start tag runs only where a colon could begin or end a name; every
// place such a name can stand must still be found, next to text that merely holds colons.
#[test]
fn every_form_of_an_empty_prefix_or_local_part_is_refused() {
    for xml in [
        "<a xmlns:p=\"urn:x\"><p:b\t:c=\"1\"/></a>",
        "<a xmlns:p=\"urn:x\"><p:b c:=\"1\"/></a>",
        "<a xmlns:p=\"urn:x\"><p:b\nc:\n=\"1\"/></a>",
        "<a xmlns:p=\"urn:x\"><b>Note: urn:x https://x/</b><p:c d:=\"1\"/></a>",
        "<a xmlns:p=\"urn:x\"><p: x=\"1\"/></a>",
        "<a xmlns:p=\"urn:x\"><p:/></a>",
    ] {
        match parse(xml) {
            Err(err) => assert!(
                err.to_string().contains("empty prefix or local part")
                    || err.to_string().contains("malformed")
                    || err.to_string().contains("not well-formed"),
                "{xml}: {err}"
            ),
            Ok(_) => panic!("accepted {xml:?}"),
        }
    }
    assert!(parse(
        "<a xmlns:p=\"urn:x\"><p:b c=\"urn:oasis:names https://x/\">Note: yes</p:b></a>"
    )
    .is_ok());
}

// Found by the c14n_differential fuzz target: `:xmlns=""` is not an attribute roxmltree lists,
// but other parsers read it as one.
#[test]
fn a_namespace_declaration_with_an_empty_prefix_is_refused() {
    let err = parse(r#"<ensmlx :xmlns=""/>"#).unwrap_err();
    assert!(
        err.to_string().contains("':xmlns' has an empty prefix"),
        "{err}"
    );
    // Ordinary declarations and values holding colons are fine.
    assert!(parse(r#"<a xmlns:b="urn:b" b:c="x:y" d=':z'/>"#).is_ok());
}
