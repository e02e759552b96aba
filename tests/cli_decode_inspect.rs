//! `samlkit decode` and `samlkit inspect` end to end: every input form, several messages, and
//! each bad-input error with its message and exit code 2.

mod common;

use base64::Engine as _;
use common::{corpus_file, json_lines, samlkit};
use std::io::Write;

const SAMPLE_B64: &str = "samples/entra-response.b64";
const SAMPLE_XML: &str = "samples/entra-response.xml";
const NOW: &str = "2026-11-28T09:05:00Z";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn sample_xml() -> String {
    std::fs::read_to_string(common::repo_root().join(SAMPLE_XML)).unwrap()
}

fn temp_file(contents: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    file.write_all(contents).unwrap();
    file
}

fn authn_request_xml() -> &'static str {
    r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a7f3e9c1d2b4" Version="2.0" IssueInstant="2026-11-28T08:59:50Z" Destination="https://login.microsoftonline.com/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/saml2" AssertionConsumerServiceURL="https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml"><saml:Issuer>https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml</saml:Issuer></samlp:AuthnRequest>"#
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn inspect_reads_the_sample_and_says_who_for_whom_until_when() {
    let output = samlkit()
        .args(["inspect", SAMPLE_B64, "--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 1);
    let summary = &lines[0];
    assert_eq!(summary["form"], "base64");
    assert_eq!(summary["kind"], "response");
    let response = &summary["response"];
    assert_eq!(
        response["issuer"]["value"],
        "https://sts.windows.net/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/"
    );
    assert_eq!(response["status"]["success"], true);
    let assertion = &response["assertions"][0];
    assert_eq!(
        assertion["subject"]["name_id"]["value"],
        "alice@contoso.example"
    );
    assert_eq!(
        assertion["subject"]["format"],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    );
    assert_eq!(
        assertion["conditions"]["validity"],
        "valid, expires in 1 h 5 min"
    );
    assert_eq!(
        assertion["conditions"]["audiences"][0],
        "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml"
    );
    let email = assertion["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Email")
        .expect("the Email attribute");
    assert_eq!(email["values"][0], "alice@contoso.example");
    let signature = &assertion["signatures"][0];
    assert_eq!(signature["on"], "Assertion");
    assert_eq!(
        signature["signature_method"],
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    );
    let cert = &signature["certificates"][0];
    assert_eq!(
        cert["subject"],
        "CN=Microsoft Azure Federated SSO Certificate"
    );
    assert_eq!(cert["sha256"].as_str().unwrap().len(), 32 * 3 - 1);
}

#[test]
fn inspect_text_is_plain_when_piped_and_relative_times_follow_now() {
    let output = samlkit()
        .args(["inspect", SAMPLE_B64, "--now", "2026-11-28T13:10:00Z"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour when piped");
    assert!(text.contains("expired 3 h ago"), "{text}");
    assert!(
        text.contains("alice@contoso.example (unspecified)"),
        "{text}"
    );
    assert!(
        text.contains("CN=Microsoft Azure Federated SSO Certificate"),
        "{text}"
    );
}

#[test]
fn colour_can_be_forced_and_no_color_is_honoured_in_auto_mode() {
    let forced = samlkit()
        .args(["--color", "always", "inspect", SAMPLE_B64, "--now", NOW])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains('\u{1b}'));
    let no_color = samlkit()
        .env("NO_COLOR", "1")
        .args(["inspect", SAMPLE_B64, "--now", NOW])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&no_color.stdout).contains('\u{1b}'));
}

#[test]
fn metadata_gets_its_own_summary() {
    let output = samlkit()
        .args([
            "inspect",
            "samples/entra-federation-metadata.xml",
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let summary = &json_lines(&output.stdout)[0];
    assert_eq!(summary["kind"], "entity-descriptor");
    let entity = &summary["metadata"]["entities"][0];
    assert_eq!(
        entity["entity_id"]["value"],
        "https://sts.windows.net/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/"
    );
    let roles: Vec<&str> = entity["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "IDPSSODescriptor",
            "RoleDescriptor (fed:SecurityTokenServiceType)"
        ]
    );
    let idp = &entity["roles"][0];
    assert_eq!(
        idp["single_sign_on"][1]["location"],
        "https://login.microsoftonline.com/7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c/saml2"
    );
    let validity = idp["keys"][0]["certificates"][0]["validity"]
        .as_str()
        .unwrap();
    assert!(validity.starts_with("valid until "), "{validity}");
}

#[test]
fn decode_pretty_prints_and_raw_gives_the_exact_bytes() {
    let pretty = samlkit().args(["decode", SAMPLE_B64]).output().unwrap();
    assert_eq!(pretty.status.code(), Some(0));
    let text = String::from_utf8(pretty.stdout).unwrap();
    assert!(
        text.contains("\n  <samlp:Status>\n    <samlp:StatusCode"),
        "{text}"
    );
    assert!(text.contains("\n    <Issuer>https://sts.windows.net/"));

    let raw = samlkit()
        .args(["decode", "--raw", SAMPLE_B64])
        .output()
        .unwrap();
    assert_eq!(raw.status.code(), Some(0));
    let mut expected = sample_xml().into_bytes();
    expected.push(b'\n');
    assert_eq!(raw.stdout, expected);
}

#[test]
fn stdin_and_dash_read_standard_input() {
    let b64_text = std::fs::read(common::repo_root().join(SAMPLE_B64)).unwrap();
    for args in [vec!["decode", "--raw"], vec!["decode", "--raw", "-"]] {
        let output = samlkit()
            .args(&args)
            .write_stdin(b64_text.clone())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        assert!(output.stdout.starts_with(b"<samlp:Response"));
    }
}

#[test]
fn every_input_form_is_detected_and_reported() {
    let xml = sample_xml();
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&xml);
    let folded: String = b64(xml.as_bytes())
        .as_bytes()
        .chunks(76)
        .map(|c| format!("  {}\r\n", String::from_utf8_lossy(c)))
        .collect();
    let form_body = format!(
        "SAMLResponse={}&RelayState=%2Fapps%2Fchat",
        percent(&b64(xml.as_bytes()))
    );
    let redirect = format!(
        "https://login.microsoftonline.com/t/saml2?SAMLRequest={}&RelayState=abc",
        percent(&b64(&deflate(authn_request_xml().as_bytes())))
    );
    let cases: Vec<(Vec<u8>, &str, &str)> = vec![
        (xml.clone().into_bytes(), "xml", "response"),
        (
            [b"\xef\xbb\xbf".as_slice(), xml.as_bytes()].concat(),
            "xml",
            "response",
        ),
        (url_safe.into_bytes(), "base64", "response"),
        (folded.into_bytes(), "base64", "response"),
        (
            percent(&b64(xml.as_bytes())).into_bytes(),
            "url-encoded-base64",
            "response",
        ),
        (form_body.into_bytes(), "form-body", "response"),
        (redirect.into_bytes(), "redirect-url", "authn-request"),
    ];
    for (input, form, kind) in cases {
        let file = temp_file(&input, ".txt");
        let output = samlkit()
            .args(["inspect", "--format", "json", "--now", NOW])
            .arg(file.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{form}: {stderr}");
        let summary = &json_lines(&output.stdout)[0];
        assert_eq!(summary["form"], form);
        assert_eq!(summary["kind"], kind, "{form}");
        if form == "form-body" {
            assert_eq!(summary["relay_state"], "/apps/chat");
            assert_eq!(summary["binding"], "http-post");
        }
        if form == "redirect-url" {
            assert_eq!(summary["binding"], "http-redirect");
            assert_eq!(summary["relay_state"], "abc");
        }
    }
}

#[test]
fn utf16_input_is_transcoded() {
    let xml = sample_xml();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>{xml}").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let file = temp_file(&utf16, ".xml");
    let output = samlkit()
        .args(["inspect", "--format", "json", "--now", NOW])
        .arg(file.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let summary = &json_lines(&output.stdout)[0];
    assert_eq!(summary["kind"], "response");
    assert!(summary["encoding_note"]
        .as_str()
        .unwrap()
        .contains("UTF-16"));
}

#[test]
fn a_har_with_several_messages_yields_each_in_order() {
    let xml = sample_xml();
    let redirect_url = format!(
        "https://login.microsoftonline.com/t/saml2?SAMLRequest={}",
        percent(&b64(&deflate(authn_request_xml().as_bytes())))
    );
    let har = serde_json::json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "browser", "version": "1"},
            "entries": [
                {
                    "startedDateTime": "2026-11-28T08:59:50.000Z",
                    "request": {"method": "GET", "url": "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/", "headers": [], "queryString": []},
                    "response": {"status": 302, "headers": []}
                },
                {
                    "startedDateTime": "2026-11-28T08:59:51.000Z",
                    "request": {"method": "GET", "url": redirect_url, "headers": [], "queryString": []},
                    "response": {"status": 200, "headers": []}
                },
                {
                    "startedDateTime": "2026-11-28T09:00:01.000Z",
                    "request": {
                        "method": "POST",
                        "url": "https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml",
                        "headers": [],
                        "postData": {
                            "mimeType": "application/x-www-form-urlencoded",
                            "text": format!("SAMLResponse={}&RelayState=q", percent(&b64(xml.as_bytes())))
                        }
                    },
                    "response": {"status": 302, "headers": []}
                }
            ]
        }
    });
    let file = temp_file(har.to_string().as_bytes(), ".har");
    let output = samlkit()
        .args(["inspect", "--format", "json", "--now", NOW])
        .arg(file.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["kind"], "authn-request");
    assert_eq!(lines[0]["form"], "har");
    assert_eq!(lines[0]["captured_at"], "2026-11-28T08:59:51.000Z");
    assert!(lines[0]["source"]
        .as_str()
        .unwrap()
        .contains("#2 GET https://login.microsoftonline.com/t/saml2"));
    assert_eq!(lines[1]["kind"], "response");
    assert_eq!(lines[1]["relay_state"], "q");
    assert!(lines[1]["source"]
        .as_str()
        .unwrap()
        .contains("#3 POST https://a1b2c3d4.chat"));
}

#[test]
fn several_inputs_are_reported_separately_with_the_highest_exit_code() {
    let bad = temp_file(b"   ", ".txt");
    let output = samlkit()
        .args(["inspect", "--format", "json", "--now", NOW, SAMPLE_B64])
        .arg(bad.path())
        .arg("samples/entra-federation-metadata.xml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["kind"], "response");
    assert_eq!(lines[1]["error"], "the input is empty");
    assert_eq!(lines[2]["kind"], "entity-descriptor");
}

/// Runs `inspect` on `input` and returns stderr, asserting exit code 2.
fn bad_input(input: &[u8], extra: &[&str]) -> String {
    let file = temp_file(input, ".txt");
    let output = samlkit()
        .arg("inspect")
        .args(extra)
        .arg(file.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[test]
fn base64_that_is_not_xml_says_what_it_starts_with() {
    let stderr = bad_input(
        b64(b"hello, this is not a SAML message at all").as_bytes(),
        &[],
    );
    assert!(
        stderr.contains("base64 decoded, but the result is not XML (starts with \"hello, this is"),
        "{stderr}"
    );
}

#[test]
fn truncated_xml_names_the_element_it_ends_in() {
    let xml = sample_xml();
    let cut = &xml[..xml.find("<Conditions").unwrap()];
    let stderr = bad_input(b64(cut.as_bytes()).as_bytes(), &[]);
    assert!(
        stderr.contains("looks truncated: the XML ends inside <Assertion>"),
        "{stderr}"
    );
}

#[test]
fn a_request_where_a_response_is_expected_is_named() {
    let stderr = bad_input(authn_request_xml().as_bytes(), &["--expect", "response"]);
    assert!(
        stderr.contains("this is a SAMLRequest (AuthnRequest), not a SAMLResponse"),
        "{stderr}"
    );
}

#[test]
fn a_har_without_saml_says_how_many_requests_were_scanned() {
    let har = serde_json::json!({"log": {"entries": [
        {"startedDateTime": "2026-11-28T09:00:00Z", "request": {"method": "GET", "url": "https://example.org/", "headers": []}, "response": {"status": 200, "headers": []}},
        {"startedDateTime": "2026-11-28T09:00:01Z", "request": {"method": "GET", "url": "https://example.org/app.js", "headers": []}, "response": {"status": 200, "headers": []}}
    ]}});
    let stderr = bad_input(har.to_string().as_bytes(), &[]);
    assert!(
        stderr.contains("no SAML message found in this HAR (2 requests scanned)"),
        "{stderr}"
    );
}

#[test]
fn a_doctype_is_refused_with_its_position() {
    let stderr = bad_input(
        &std::fs::read(corpus_file("ruby-saml/attackxee.xml")).unwrap(),
        &[],
    );
    assert!(stderr.contains("DOCTYPE declaration at line 2"), "{stderr}");
}

#[test]
fn a_deflate_bomb_in_a_redirect_url_is_refused() {
    let bomb = deflate(&vec![b'<'; 64 * 1024 * 1024]);
    let url = format!(
        "https://idp.example/sso?SAMLRequest={}",
        percent(&b64(&bomb))
    );
    let stderr = bad_input(url.as_bytes(), &[]);
    assert!(stderr.contains("inflates to more than"), "{stderr}");
}

#[test]
fn an_undeclared_encoding_is_not_read_as_utf8() {
    let stderr = bad_input(
        b"<?xml version=\"1.0\" encoding=\"x-made-up\"?><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>",
        &[],
    );
    assert!(stderr.contains("x-made-up"), "{stderr}");
}

#[test]
fn a_forced_form_that_does_not_fit_is_an_error() {
    let stderr = bad_input(sample_xml().as_bytes(), &["--input-format", "har"]);
    assert!(stderr.contains("har"), "{stderr}");
}

#[test]
fn a_missing_file_is_named() {
    let output = samlkit()
        .args(["inspect", "no/such/file.b64"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("no/such/file.b64: cannot read the file"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let output = samlkit()
        .args(["inspect", "--format", "yaml", SAMPLE_B64])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = samlkit()
        .args(["inspect", "--now", "yesterday", SAMPLE_B64])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an xs:dateTime"));
}

/// The auto-submit page saved from the browser: the same message as the posted base64, and
/// `explain` says the same about it.
#[test]
fn autosubmit_page_is_read_like_the_value_it_posts() {
    const PAGE: &str = "samples/entra-autosubmit-page.html";
    let raw = samlkit().args(["decode", "--raw", PAGE]).output().unwrap();
    assert_eq!(raw.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(raw.stdout).unwrap().trim_end(),
        sample_xml()
    );

    let inspect = samlkit()
        .args(["inspect", "--format", "json", "--now", NOW, PAGE])
        .output()
        .unwrap();
    let summary = &json_lines(&inspect.stdout)[0];
    assert_eq!(summary["form"], "html-form");
    assert_eq!(summary["binding"], "http-post");
    assert_eq!(summary["relay_state"], "/chat?tab=new&source=sso");

    let explain = |input: &str| {
        let (code, mut report) = common::explain_sample_setup(std::path::Path::new(input), NOW);
        report.as_object_mut().unwrap().remove("source");
        (code, report)
    };
    let (page_code, page_report) = explain(PAGE);
    let (b64_code, b64_report) = explain(SAMPLE_B64);
    assert_eq!(page_code, 0);
    assert_eq!(page_code, b64_code);
    assert_eq!(page_report, b64_report);
}

/// The Entra ID error page instead of a SAMLResponse: still exit 2, but the error says what
/// the AADSTS code in it means and where to fix it.
#[test]
fn an_entra_error_page_is_explained_by_its_aadsts_code() {
    let text = "Sign in\nSorry, but we're having trouble signing you in.\n\
                AADSTS50105: Your administrator has configured the application to block users \
                unless they are specifically granted ('assigned') access to the application.\n";
    let html = format!(
        "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>\
         <form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"ctx\" value=\"x\">\
         </form><div id=\"error\">{text}</div></body></html>"
    );
    for (page, suffix) in [(text.to_string(), ".txt"), (html, ".html")] {
        let file = temp_file(page.as_bytes(), suffix);
        let output = samlkit()
            .args(["explain", "--format", "json"])
            .arg(file.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{suffix}");
        let report = &json_lines(&output.stdout)[0];
        assert_eq!(report["verdict"], "error");
        let error = report["error"].as_str().unwrap();
        assert!(
            error.contains("AADSTS50105: the signed-in user is not assigned to the application"),
            "{suffix}: {error}"
        );
        assert!(error.contains("Users and groups"), "{suffix}: {error}");
    }
}
