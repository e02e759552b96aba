//! Every response, assertion, metadata and redirect file in the corpus decodes and inspects,
//! or fails with the specific reason its MANIFEST row implies.

mod common;

use common::{json_lines, manifest, samlkit};

/// What the MANIFEST's structure summary says about a file that is not well-formed, and the
/// words samlkit's error must contain for it.
fn expected_failure(file: &str, structure: &str) -> Option<&'static str> {
    // Files whose MANIFEST row calls them attacks or invalid, and which samlkit refuses before
    // any signature check because their root is not a SAML element at all.
    // Upstream libraries that match elements by local name accept them; samlkit matches by
    // namespace URI (a look-alike is not an assertion), so these are refused as not SAML.
    const NOT_SAML: &[&str] = &[
        // samael's XPointer attack sample: a Response with no namespace.
        "samael/xpointer_attack_signed.xml",
        // boxyhq fixtures whose SAML namespace declarations were lost when they were edited:
        // `<Response xmlns:saml2p="…">` with the prefix never used.
        "boxyhq-saml20/certificates/oktaEncResponse.xml",
        "boxyhq-saml20/certificates/oneloginEncResponse.xml",
        "boxyhq-saml20/saml20.validAssertion.xml",
    ];
    if NOT_SAML.contains(&file) {
        Some("look-alike")
    } else if structure.contains("input amplification") {
        Some("DOCTYPE")
    } else if structure.contains("junk after document element") {
        Some("content after the root element")
    } else if structure.contains("unbound prefix") {
        Some("namespace prefix")
    } else if structure.contains("root=EntityDescriptor2") {
        Some("not a SAML message or metadata")
    } else {
        None
    }
}

fn kind_for_root(root: &str) -> &'static str {
    match root {
        "Response" => "response",
        "Assertion" => "assertion",
        "EntityDescriptor" => "entity-descriptor",
        "EntitiesDescriptor" => "entities-descriptor",
        "LogoutRequest" => "logout-request",
        "LogoutResponse" => "logout-response",
        "AuthnRequest" => "authn-request",
        "Envelope" => "artifact-response",
        other => panic!("MANIFEST names an unexpected root {other}"),
    }
}

#[test]
fn every_message_and_metadata_file_inspects_or_fails_for_its_reason() {
    let rows: Vec<_> = manifest()
        .into_iter()
        .filter(|row| {
            matches!(
                row.kind.as_str(),
                "response" | "assertion" | "metadata" | "redirect"
            )
        })
        .collect();
    assert!(rows.len() > 200, "the corpus lost files: {}", rows.len());
    let mut checked_issuers = 0;
    for row in &rows {
        let output = samlkit()
            .args([
                "inspect",
                "--format",
                "json",
                "--now",
                "2020-01-01T00:00:00Z",
            ])
            .arg(row.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if let Some(reason) = expected_failure(&row.file, row.structure()) {
            assert_eq!(
                output.status.code(),
                Some(2),
                "{}: expected exit 2",
                row.file
            );
            assert!(
                stderr.contains(reason),
                "{}: error should mention {reason:?}, got: {stderr}",
                row.file
            );
            continue;
        }
        assert_eq!(
            output.status.code(),
            Some(0),
            "{} should inspect cleanly; stderr: {stderr}",
            row.file
        );
        let lines = json_lines(&output.stdout);
        assert_eq!(lines.len(), 1, "{}: one message expected", row.file);
        let summary = &lines[0];
        if let Some(root) = row.structure_field("root") {
            assert_eq!(summary["kind"], kind_for_root(root), "{}: kind", row.file);
        }
        if let Some(issuer) = row.structure_field("issuer") {
            let found = [
                &summary["response"]["issuer"]["value"],
                &summary["response"]["assertions"][0]["issuer"]["value"],
                &summary["assertion"]["issuer"]["value"],
                &summary["logout_request"]["issuer"]["value"],
                &summary["logout_response"]["issuer"]["value"],
            ];
            // The MANIFEST's generator read the first text node; samlkit reads the whole text
            // content (an Issuer with markup inside, as in samael's ancestor attack, reads
            // longer), so the MANIFEST's value must begin what samlkit reports.
            assert!(
                found
                    .iter()
                    .any(|v| v.as_str().is_some_and(|s| s.starts_with(issuer))),
                "{}: issuer {issuer} not found in {found:?}",
                row.file
            );
            checked_issuers += 1;
        }
        if let Some(entity_id) = row.structure_field("entityID") {
            let entities = summary["metadata"]["entities"].as_array().unwrap();
            // For an EntitiesDescriptor the summary names the group (its Name).
            assert!(
                summary["metadata"]["group_name"].as_str() == Some(entity_id)
                    || entities
                        .iter()
                        .any(|e| e["entity_id"]["value"].as_str() == Some(entity_id)),
                "{}: entityID {entity_id} not among the entities",
                row.file
            );
            if let Some(count) = row.structure_field("entities") {
                assert_eq!(
                    summary["metadata"]["entity_count"].as_u64(),
                    count.parse::<u64>().ok(),
                    "{}: entity count",
                    row.file
                );
            }
        }
        if let Some(format) = row.structure_field("nameid-format") {
            let name_id_format = summary["response"]["assertions"][0]["subject"]["format"]
                .as_str()
                .or(summary["assertion"]["subject"]["format"].as_str());
            if let Some(found) = name_id_format {
                assert!(
                    found.ends_with(format),
                    "{}: NameID format {found} vs {format}",
                    row.file
                );
            }
        }
    }
    assert!(
        checked_issuers > 100,
        "only {checked_issuers} issuers compared"
    );
}
