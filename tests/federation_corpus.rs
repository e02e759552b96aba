//! The federation rule sets over real metadata: the SWITCHaai and UK federation aggregates and
//! the nine SPID identity providers of tests/corpus-interop, and every metadata file of
//! tests/corpus. For each, how many entities every federation rule reports is pinned (a rule
//! missing from a table must report nothing), and a few counts are re-derived from the files'
//! text here, independently of samlkit.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{json_lines, manifest, repo_root, samlkit};

const NOW: &str = "2026-12-01T10:00:00Z";
const INTEROP: &str = "tests/corpus-interop";
const SWITCH: &str = "java-opensaml/metadata.switchaai_signed.xml";
const UK: &str = "java-opensaml/ukfederation-metadata.xml";
const FEDERATION_AREAS: &[&str] = &[
    "edugain/",
    "ukf/",
    "saml2int/",
    "sirtfi/",
    "rands/",
    "incommon/",
    "keys/",
];

/// Entities linted, files refused, and entities per federation code over `files`.
struct Tally {
    entities: u64,
    refused: Vec<PathBuf>,
    by_code: BTreeMap<String, u64>,
}

fn tally(files: &[PathBuf]) -> Tally {
    let mut tally = Tally {
        entities: 0,
        refused: Vec::new(),
        by_code: BTreeMap::new(),
    };
    for file in files {
        let output = samlkit()
            .args([
                "metadata", "--rules", "all", "--format", "json", "--now", NOW,
            ])
            .arg(file)
            .output()
            .unwrap();
        for line in json_lines(&output.stdout) {
            match line["kind"].as_str() {
                Some("document") => tally.entities += line["entity_count"].as_u64().unwrap(),
                Some("summary") => {
                    for rule in line["rules"].as_array().unwrap() {
                        let code = rule["code"].as_str().unwrap();
                        if FEDERATION_AREAS.iter().any(|area| code.starts_with(area)) {
                            *tally.by_code.entry(code.to_string()).or_default() +=
                                rule["entities"].as_u64().unwrap();
                        }
                    }
                }
                Some(_) => {}
                None => {
                    assert_eq!(output.status.code(), Some(2), "{}", file.display());
                    tally.refused.push(file.clone());
                }
            }
        }
    }
    tally
}

fn expect(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs
        .iter()
        .map(|(code, n)| (code.to_string(), *n))
        .collect()
}

fn interop(relative: &str) -> PathBuf {
    repo_root().join(INTEROP).join(relative)
}

/// The text of each EntityDescriptor of an aggregate, cut at the element's tags.
fn entity_texts(text: &str) -> Vec<&str> {
    text.split("<EntityDescriptor ")
        .skip(1)
        .map(|rest| rest.split("</EntityDescriptor>").next().unwrap())
        .collect()
}

#[test]
fn switchaai_aggregate() {
    let tally = tally(&[interop(SWITCH)]);
    assert_eq!(tally.entities, 113);
    assert_eq!(
        tally.by_code,
        expect(&[
            ("edugain/email-not-mailto", 113),
            ("edugain/entity-id-duplicate", 1),
            ("edugain/mdui-missing", 113),
            ("edugain/namespace-missing", 1),
            ("edugain/organization-empty", 9),
            ("edugain/publication-info-missing", 1),
            ("edugain/registration-info-missing", 113),
            ("edugain/valid-until-missing", 1),
            ("incommon/idp-no-error-url", 13),
            ("incommon/no-administrative-contact", 3),
            ("incommon/no-display-name", 113),
            ("incommon/no-https-logo", 113),
            ("incommon/no-privacy-statement", 113),
            ("incommon/no-security-contact", 113),
            ("sirtfi/not-asserted", 113),
            ("ukf/location-not-https", 11),
        ])
    );
    // Re-derived from the text: no entity writes mailto:, nine have an empty OrganizationURL,
    // eleven have an endpoint outside https, one entityID is listed twice.
    let text = std::fs::read_to_string(interop(SWITCH)).unwrap();
    let entities = entity_texts(&text);
    assert_eq!(entities.len(), 113);
    assert!(
        !text.contains("mailto:") && !text.contains("RegistrationInfo") && !text.contains("UIInfo")
    );
    assert_eq!(
        entities
            .iter()
            .filter(|e| e.contains("<OrganizationURL xml:lang=\"en\"/>"))
            .count(),
        9
    );
    let plain_http = entities
        .iter()
        .filter(|e| {
            e.split("Location=\"")
                .skip(1)
                .any(|l| !l.starts_with("https://"))
        })
        .count();
    assert_eq!(plain_http, 11);
    let mut ids: Vec<&str> = entities
        .iter()
        .map(|e| e.split('"').nth(1).unwrap())
        .collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before - ids.len(), 1);
}

#[test]
fn uk_federation_aggregate() {
    let tally = tally(&[interop(UK)]);
    assert_eq!(tally.entities, 111);
    assert_eq!(
        tally.by_code,
        expect(&[
            ("edugain/mdui-missing", 111),
            ("edugain/namespace-missing", 1),
            ("edugain/publication-info-missing", 1),
            ("edugain/registration-info-missing", 111),
            ("edugain/valid-until-missing", 1),
            ("incommon/idp-no-error-url", 52),
            ("incommon/no-administrative-contact", 10),
            ("incommon/no-display-name", 111),
            ("incommon/no-https-logo", 111),
            ("incommon/no-privacy-statement", 111),
            ("incommon/no-security-contact", 111),
            ("sirtfi/not-asserted", 111),
            ("ukf/location-not-https", 1),
        ])
    );
    // Re-derived: 52 IdP roles, none with an errorURL; every e-mail address is a mailto: URI.
    let text = std::fs::read_to_string(interop(UK)).unwrap();
    assert_eq!(text.matches("<IDPSSODescriptor").count(), 52);
    assert!(!text.contains("errorURL"));
    assert_eq!(
        text.matches("<EmailAddress>").count(),
        text.matches("<EmailAddress>mailto:").count()
    );
    let without_admin = entity_texts(&text)
        .iter()
        .filter(|e| !e.contains("contactType=\"administrative\""))
        .count();
    assert_eq!(without_admin, 10);
}

#[test]
fn spid_identity_providers() {
    let files: Vec<PathBuf> = [
        "aruba", "infocert", "intesa", "lepida", "namirial", "poste", "register", "sielte", "tim",
    ]
    .iter()
    .map(|name| interop(&format!("spid-go/{name}.xml")))
    .collect();
    let tally = tally(&files);
    assert_eq!(tally.entities, 9);
    assert_eq!(
        tally.by_code,
        expect(&[
            ("edugain/cache-duration-out-of-range", 3),
            ("edugain/mdui-missing", 9),
            ("edugain/namespace-missing", 9),
            ("edugain/no-technical-or-support-contact", 9),
            ("edugain/publication-info-missing", 9),
            ("edugain/registration-info-missing", 9),
            ("edugain/root-not-entities-descriptor", 9),
            ("edugain/valid-until-missing", 9),
            ("incommon/idp-no-error-url", 9),
            ("incommon/no-administrative-contact", 9),
            ("incommon/no-display-name", 9),
            ("incommon/no-https-logo", 9),
            ("incommon/no-privacy-statement", 9),
            ("incommon/no-security-contact", 9),
            ("incommon/no-technical-contact", 9),
            ("keys/certificate-expired", 5),
            ("saml2int/attribute-name-format", 9),
            ("sirtfi/not-asserted", 9),
        ])
    );
    // Re-derived: each file is one EntityDescriptor (SPID publishes no aggregate).
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        assert_eq!(
            text.matches("EntityDescriptor ").count(),
            1,
            "{}",
            file.display()
        );
    }
}

#[test]
fn every_metadata_file_of_the_corpus() {
    let files: Vec<PathBuf> = manifest()
        .iter()
        .filter(|row| row.kind == "metadata")
        .map(|row| row.path())
        .collect();
    assert_eq!(files.len(), 34);
    let tally = tally(&files);
    let refused: Vec<&Path> = tally
        .refused
        .iter()
        .map(|p| p.strip_prefix(repo_root().join("tests/corpus")).unwrap())
        .collect();
    // Its root is <EntityDescriptor2>: not metadata at all.
    assert_eq!(
        refused,
        [Path::new(
            "python3-saml/metadata/noentity_metadata_settings1.xml"
        )]
    );
    assert_eq!(tally.entities, 210);
    assert_eq!(
        tally.by_code,
        expect(&[
            ("edugain/cache-duration-out-of-range", 4),
            ("edugain/email-not-mailto", 81),
            ("edugain/entity-attributes-in-role", 1),
            ("edugain/entity-id-duplicate", 1),
            ("edugain/entity-id-invalid", 2),
            ("edugain/mdui-missing", 206),
            ("edugain/namespace-missing", 33),
            ("edugain/no-technical-or-support-contact", 124),
            ("edugain/publication-info-missing", 33),
            ("edugain/registration-info-missing", 210),
            ("edugain/root-not-entities-descriptor", 29),
            ("edugain/valid-until-missing", 31),
            ("incommon/idp-no-error-url", 66),
            ("incommon/no-administrative-contact", 207),
            ("incommon/no-display-name", 206),
            ("incommon/no-https-logo", 206),
            ("incommon/no-privacy-statement", 209),
            ("incommon/no-security-contact", 210),
            ("incommon/no-technical-contact", 127),
            ("keys/certificate-expired", 166),
            ("keys/rsa-under-1024", 1),
            ("keys/rsa-under-2048", 36),
            ("saml2int/attribute-name-format", 1),
            ("saml2int/idp-excludes-transient", 12),
            ("saml2int/idp-no-signing-key", 1),
            ("saml2int/sp-excludes-nameid-formats", 4),
            ("sirtfi/not-asserted", 210),
            ("ukf/location-invalid-url", 1),
            ("ukf/location-not-https", 8),
            ("ukf/location-space", 2),
        ])
    );
}
