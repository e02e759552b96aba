//! The identity-provider and service-provider data under `crates/samlkit-lint/data/`: every
//! IdP × fix-kind cell has a cited text or is explicitly neutral, placeholders are known, no
//! IdP's text names another IdP's console, detection picks the right IdP, and
//! `docs/idp-fixes.md` is what the data renders to.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use samlkit_lint::console_data::{
    console_data, embedded_file_names, fill, markdown, parse_idp, parse_sp, placeholders,
    ConsoleData, DetectPatterns, DetectedFrom, FixCell, FixKind, SigningRequirement, SpFixKind,
    ValueKind, ENTRA_ID,
};
use samlkit_lint::idp::Fix;
use samlkit_lint::Profile;

fn data() -> &'static ConsoleData {
    match console_data() {
        Ok(data) => data,
        Err(e) => panic!("embedded console data does not load: {e}"),
    }
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `Fix` the rules produce (other than free text) has a data kind.
fn kind_of(fix: &Fix<'_>) -> Option<FixKind> {
    fix.kind()
}

/// Values for every placeholder, as a finding would give them.
const SAMPLE_VALUES: &[(&str, &str)] = &[
    ("name", "Email"),
    ("source", "user.mail"),
    ("claim", "Email"),
    (
        "format",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    ),
    ("url", "https://sp.example.com/saml/acs"),
    ("entity_id", "https://sp.example.com/saml"),
];

/// The placeholder a kind's text must show, so the admin sees the value to enter.
fn required_placeholder(kind: FixKind) -> Option<&'static str> {
    match kind {
        FixKind::AddClaim | FixKind::ClearClaimNamespace => Some("name"),
        FixKind::PopulateSource => Some("claim"),
        FixKind::NameIdFormat => Some("format"),
        FixKind::ReplyUrl => Some("url"),
        FixKind::Identifier => Some("entity_id"),
        _ => None,
    }
}

#[test]
fn every_fix_variant_has_a_data_kind_and_every_kind_is_known() {
    let fixes = [
        Fix::AddClaim {
            name: "Email",
            source: "user.mail",
        },
        Fix::ClearClaimNamespace { name: "Email" },
        Fix::PopulateSource {
            claim: "Email",
            source: "user.mail",
        },
        Fix::NameIdFormat {
            format: "f",
            source: "s",
        },
        Fix::ReplyUrl { url: "u" },
        Fix::Identifier { entity_id: "e" },
        Fix::SignResponse,
        Fix::SignAssertion,
        Fix::RefreshMetadata,
        Fix::AssignUser,
        Fix::Clock,
        Fix::GroupsOverage,
        Fix::AwsRole,
        Fix::AwsRoleSessionName,
        Fix::AwsSessionDuration,
    ];
    let kinds: BTreeSet<FixKind> = fixes.iter().filter_map(kind_of).collect();
    assert_eq!(kinds.len(), fixes.len(), "two Fix variants share a kind");
    let extra: Vec<FixKind> = FixKind::ALL
        .into_iter()
        .filter(|k| !kinds.contains(k))
        .collect();
    assert_eq!(extra, vec![], "kinds without a Fix variant");
    assert_eq!(kind_of(&Fix::Text("x".into())), None);
}

#[test]
fn every_file_under_data_is_embedded() {
    let (idps, sps) = embedded_file_names();
    for (dir, embedded) in [("idps", idps), ("sps", sps)] {
        let on_disk: BTreeSet<String> = std::fs::read_dir(crate_dir().join("data").join(dir))
            .expect("data directory exists")
            .map(|e| {
                e.expect("readable entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.ends_with(".toml"))
            .collect();
        let embedded: BTreeSet<String> = embedded.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            on_disk, embedded,
            "data/{dir}/ and the embedded list differ"
        );
    }
}

#[test]
fn the_fourteen_identity_providers_are_there_with_unique_ids() {
    let ids: Vec<&str> = data().idps.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "entra-id",
            "adfs",
            "okta",
            "google",
            "keycloak",
            "onelogin",
            "pingone",
            "pingfederate",
            "auth0",
            "jumpcloud",
            "shibboleth",
            "simplesamlphp",
            "authentik",
            "zitadel",
        ]
    );
    for idp in &data().idps {
        assert_eq!(
            format!("{}.toml", idp.id),
            embedded_file_names().0[ids.iter().position(|i| *i == idp.id).unwrap()],
            "file name and id differ"
        );
    }
}

#[test]
fn every_cell_has_a_cited_text_or_is_explicitly_neutral() {
    for idp in &data().idps {
        for kind in FixKind::ALL {
            match idp.cell(kind) {
                Some(FixCell::Console(cited)) => {
                    assert!(
                        !cited.text.trim().is_empty(),
                        "{} {kind}: empty text",
                        idp.id
                    );
                    for url in std::iter::once(&cited.source).chain(&cited.see_also) {
                        assert!(
                            url.starts_with("https://"),
                            "{} {kind}: source {url}",
                            idp.id
                        );
                    }
                }
                Some(FixCell::Neutral { reason }) => {
                    assert!(
                        reason.len() > 20,
                        "{} {kind}: the neutral mark needs a reason",
                        idp.id
                    )
                }
                None => panic!("{} has no cell for {kind}", idp.id),
            }
        }
        for fact in &idp.facts {
            assert!(
                fact.source.starts_with("https://"),
                "{}: fact source {}",
                idp.id,
                fact.source
            );
        }
    }
    for (kind, cited) in &data().neutral {
        assert!(
            cited.source.starts_with("https://"),
            "neutral {kind}: source"
        );
    }
}

#[test]
fn placeholders_are_known_and_the_value_to_enter_is_shown() {
    for idp in &data().idps {
        for kind in FixKind::ALL {
            let Some(FixCell::Console(cited)) = idp.cell(kind) else {
                continue;
            };
            let used = placeholders(&cited.text).expect("template parses");
            for name in &used {
                assert!(
                    kind.placeholders(&idp.id).contains(name),
                    "{} {kind}: unknown placeholder {{{name}}}",
                    idp.id
                );
            }
            if let Some(required) = required_placeholder(kind) {
                assert!(
                    used.contains(&required),
                    "{} {kind}: never shows {{{required}}}",
                    idp.id
                );
            }
            let filled = fill(&cited.text, SAMPLE_VALUES).expect("fills");
            assert!(
                !filled.contains("{name}") && !filled.contains("{url}"),
                "{filled}"
            );
        }
    }
    for (kind, cited) in &data().neutral {
        if let Some(required) = required_placeholder(*kind) {
            assert!(
                cited.text.contains(&format!("{{{required}}}")),
                "neutral {kind}"
            );
        }
    }
}

#[test]
fn entra_source_attribute_names_reach_only_entra_texts() {
    for idp in data().idps.iter().filter(|i| i.id != ENTRA_ID) {
        for kind in FixKind::ALL {
            if let Some(FixCell::Console(cited)) = idp.cell(kind) {
                assert!(
                    !cited.text.contains("{source}"),
                    "{} {kind} uses {{source}}",
                    idp.id
                );
                assert!(
                    !cited.text.contains("user.mail"),
                    "{} {kind} names user.mail",
                    idp.id
                );
            }
        }
    }
    assert!(data()
        .neutral
        .values()
        .all(|c| !c.text.contains("{source}")));
}

/// Every text samlkit might show for one IdP, with what it is.
fn texts_of(data: &ConsoleData, id: &str) -> Vec<(String, String)> {
    let idp = data.idp(id).expect("known IdP");
    let mut texts = Vec::new();
    for kind in FixKind::ALL {
        match idp.cell(kind) {
            Some(FixCell::Console(c)) => texts.push((format!("{id} {kind}"), c.text.clone())),
            Some(FixCell::Neutral { reason }) => {
                texts.push((format!("{id} {kind} reason"), reason.clone()))
            }
            None => {}
        }
    }
    texts
}

#[test]
fn no_text_names_another_identity_providers_console() {
    let data = data();
    for idp in &data.idps {
        for (what, text) in texts_of(data, &idp.id) {
            for other in data.idps.iter().filter(|o| o.id != idp.id) {
                for term in &other.console_terms {
                    assert!(
                        !text.contains(term.as_str()),
                        "{what} names {}'s `{term}`: {text}",
                        other.id
                    );
                }
            }
        }
    }
    let shared: Vec<(String, String)> = data
        .neutral
        .iter()
        .map(|(k, c)| (format!("neutral {k}"), c.text.clone()))
        .chain(data.sps.iter().flat_map(|sp| {
            sp.fixes
                .iter()
                .map(move |(k, c)| (format!("{} {}", sp.profile, k.as_str()), c.text.clone()))
        }))
        .collect();
    for (what, text) in shared {
        for idp in &data.idps {
            for term in &idp.console_terms {
                assert!(
                    !text.contains(term.as_str()),
                    "{what} names {}'s `{term}`",
                    idp.id
                );
            }
        }
    }
}

#[test]
fn keycloak_never_gets_an_entra_or_okta_console() {
    for (what, text) in texts_of(data(), "keycloak") {
        for foreign in [
            "Entra",
            "Okta",
            "Basic SAML Configuration",
            "user.mail",
            "Attributes & Claims",
        ] {
            assert!(!text.contains(foreign), "{what} contains {foreign}");
        }
    }
    let sign = data()
        .fix_text(Some("keycloak"), FixKind::SignResponse, &[])
        .unwrap();
    assert!(sign.contains("Sign documents"), "{sign}");
}

#[test]
fn issuers_are_recognised_by_their_documented_shapes() {
    let cases = [
        (
            "https://sts.windows.net/7c4e2f1a-9b3d-4c1e-8f00-2b7a0c9d1e55/",
            "entra-id",
        ),
        ("http://www.okta.com/exk1a2b3c4d5e6f7g8h9", "okta"),
        (
            "https://accounts.google.com/o/saml2?idpid=C01abc2de",
            "google",
        ),
        ("http://fs.example.com/adfs/services/trust", "adfs"),
        ("https://kc.example.com/realms/main", "keycloak"),
        ("https://kc.example.com/auth/realms/main", "keycloak"),
        ("https://app.onelogin.com/saml/metadata/402470", "onelogin"),
        (
            "https://auth.pingone.eu/0a7af83d-4ed9-4510-93cd-506fe835f69a",
            "pingone",
        ),
        ("urn:dev-elu2z98r.auth0.com", "auth0"),
        ("urn:dev-h3g6rnzyw4uphcnl.us.auth0.com", "auth0"),
        ("https://idp.example.edu/idp/shibboleth", "shibboleth"),
        (
            "https://idp.example.org/simplesaml/saml2/idp/metadata.php",
            "simplesamlphp",
        ),
        (
            "https://idp.example.org/simplesaml/module.php/saml/idp/metadata",
            "simplesamlphp",
        ),
        (
            "https://auth.example.com/application/saml/grafana/metadata/",
            "authentik",
        ),
        ("https://zitadel.example.com/saml/v2/metadata", "zitadel"),
    ];
    for (issuer, expected) in cases {
        let matches = ids_where(|d| d.match_issuer(issuer).is_some());
        assert_eq!(matches, [expected], "Issuer {issuer}");
    }
    assert!(data()
        .detect_issuer("https://idp.example.org/saml")
        .is_none());
    assert!(data().detect_issuer("urn:amazon:webservices").is_none());
    let (idp, from) = data().detect_issuer("http://www.okta.com/exk1").unwrap();
    assert_eq!(
        (idp.id.as_str(), from),
        (
            "okta",
            DetectedFrom::IssuerPrefix("http://www.okta.com/".into())
        )
    );
}

/// The ids of the identity providers whose detection patterns satisfy `test`.
fn ids_where(test: impl Fn(&DetectPatterns) -> bool) -> Vec<String> {
    data()
        .idps
        .iter()
        .filter(|idp| test(&idp.detect))
        .map(|idp| idp.id.clone())
        .collect()
}

#[test]
fn endpoints_and_attribute_names_recognise_idps_without_a_telling_issuer() {
    let endpoint = |url: &str| ids_where(|d| d.match_endpoint(url).is_some());
    assert_eq!(
        endpoint("https://sso.jumpcloud.com/saml2/grafana"),
        ["jumpcloud"]
    );
    assert_eq!(
        endpoint("https://pf.example.com:9031/idp/SSO.saml2"),
        ["pingfederate"]
    );
    assert_eq!(endpoint("https://fs.example.com/adfs/ls/"), ["adfs"]);
    assert_eq!(
        endpoint("https://example.onelogin.com/trust/saml2/http-post/sso/42"),
        ["onelogin"]
    );
    assert_eq!(
        endpoint("https://idp.example.edu/idp/profile/SAML2/POST/SSO"),
        ["shibboleth"]
    );
    assert!(endpoint("https://idp.example.org/sso").is_empty());
    let by_attribute = |name: &str| ids_where(|d| d.match_attribute_name(name).is_some());
    assert_eq!(
        by_attribute("http://schemas.goauthentik.io/2021/02/saml/uid"),
        ["authentik"]
    );
    assert_eq!(by_attribute("http://schemas.auth0.com/picture"), ["auth0"]);
    assert!(
        by_attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress")
            .is_empty()
    );
}

#[test]
fn fix_text_uses_the_idps_own_console_or_the_neutral_text() {
    let data = data();
    let okta = data
        .fix_text(
            Some("okta"),
            FixKind::ReplyUrl,
            &[("url", "https://sp.example.com/acs")],
        )
        .unwrap();
    assert!(okta.starts_with("Okta Admin Console"), "{okta}");
    assert!(okta.contains("`https://sp.example.com/acs`"), "{okta}");
    // OneLogin is recognised but has no citable page: neutral, and nothing from Entra.
    let onelogin = data
        .fix_text(
            Some("onelogin"),
            FixKind::Identifier,
            &[("entity_id", "urn:sp")],
        )
        .unwrap();
    assert_eq!(
        onelogin,
        fill(
            &data.neutral[&FixKind::Identifier].text,
            &[("entity_id", "urn:sp")]
        )
        .unwrap()
    );
    assert!(!onelogin.contains("Basic SAML Configuration"));
    // An unknown IdP gets the neutral text too.
    let unknown = data.fix_text(None, FixKind::SignResponse, &[]).unwrap();
    assert_eq!(unknown, data.neutral[&FixKind::SignResponse].text);
    // AD FS clock findings name NotBeforeSkew.
    let adfs = data.fix_text(Some("adfs"), FixKind::Clock, &[]).unwrap();
    assert!(
        adfs.contains("Set-AdfsRelyingPartyTrust") && adfs.contains("-NotBeforeSkew"),
        "{adfs}"
    );
    // A missing value is not silently left as a brace.
    assert_eq!(data.fix_text(Some("okta"), FixKind::ReplyUrl, &[]), None);
}

#[test]
fn aws_facts_both_role_orders_and_session_duration_bounds() {
    let neutral = &data().neutral[&FixKind::AwsRole].text;
    assert!(neutral.contains("either order"), "{neutral}");
    let duration = &data().neutral[&FixKind::AwsSessionDuration].text;
    assert!(
        duration.contains("900") && duration.contains("43200"),
        "{duration}"
    );
    let iam = data().sp("aws-iam").expect("aws-iam profile");
    let role = iam
        .requirements
        .attributes
        .iter()
        .find(|a| a.name == "https://aws.amazon.com/SAML/Attributes/Role")
        .expect("Role attribute");
    assert_eq!((role.required, role.value), (true, ValueKind::AwsRolePair));
    assert!(iam
        .requirements
        .attributes
        .iter()
        .any(|a| a.value == ValueKind::AwsSessionDuration && !a.required));
    for idp in &data().idps {
        if let Some(FixCell::Console(c)) = idp.cell(FixKind::AwsSessionDuration) {
            assert!(
                c.text.contains("900") && c.text.contains("43200"),
                "{}: {}",
                idp.id,
                c.text
            );
        }
    }
}

#[test]
fn every_service_provider_profile_has_its_data() {
    for profile in Profile::ALL.into_iter().filter(|p| *p != Profile::Generic) {
        let sp = data()
            .sp(profile.name())
            .unwrap_or_else(|| panic!("no data/sps for {}", profile.name()));
        assert!(
            sp.requirements.source.starts_with("https://"),
            "{}",
            sp.profile
        );
        for (kind, cited) in &sp.fixes {
            assert!(
                cited.source.starts_with("https://"),
                "{} {}",
                sp.profile,
                kind.as_str()
            );
            assert!(
                placeholders(&cited.text).expect("parses").is_empty(),
                "{} {}",
                sp.profile,
                kind.as_str()
            );
        }
        for words in &sp.errors {
            assert!(
                words.source.starts_with("https://"),
                "{}: {}",
                sp.profile,
                words.words
            );
        }
    }
    assert_eq!(
        data().sp("slack").unwrap().requirements.signing,
        SigningRequirement::Response
    );
    let q = data().sp("amazon-q-business").unwrap();
    assert!(q.errors.iter().any(|e| e.words == "Permission needed"));
}

#[test]
fn web_experience_advice_belongs_to_amazon_q_business_only() {
    for sp in &data().sps {
        let has_start = sp.fixes.contains_key(&SpFixKind::StartSignIn);
        let mentions = sp.fixes.values().any(|c| c.text.contains("web experience"));
        if sp.profile == "amazon-q-business" {
            assert!(has_start && mentions);
        } else {
            assert!(
                !has_start && !mentions,
                "{} talks of the web experience",
                sp.profile
            );
        }
    }
    for idp in &data().idps {
        for (what, text) in texts_of(data(), &idp.id) {
            assert!(!text.contains("web experience"), "{what}");
        }
    }
}

#[test]
fn bad_data_files_are_refused_with_the_file_and_the_cell_named() {
    let okta = include_str!("../data/idps/okta.toml");
    let refused = |text: &str| match parse_idp("okta.toml", text) {
        Ok(_) => panic!("a broken okta.toml was accepted"),
        Err(e) => e.to_string(),
    };
    let cases: [(String, &[&str]); 5] = [
        (
            okta.replace("[fix.clock]", "[fix.clock-removed]"),
            &["data/okta.toml:", "clock-removed"],
        ),
        (cut_table(okta, "[fix.clock]"), &["no [fix.clock]"]),
        (
            okta.replace(
                "(SP Entity ID): `{entity_id}`",
                "(SP Entity ID): `{audience}`",
            ),
            &["[fix.identifier]", "{audience}"],
        ),
        (
            okta.replacen("\"https://help.okta.com", "\"http://help.okta.com", 1),
            &["not an https:// URL"],
        ),
        (
            okta.replace("reason = \"Okta documents no clock-skew", "note = \""),
            &["[fix.clock] is neutral without a `reason`"],
        ),
    ];
    for (text, expected) in cases {
        let err = refused(&text);
        for part in expected {
            assert!(err.contains(part), "expected {part:?} in: {err}");
        }
    }

    let broken = "profile = \"mine\"\nname = \"Mine\"\n[requirements]\nsigning = \"sometimes\"\nsource = \"https://x\"\n";
    let err = parse_sp("mine.toml", broken).unwrap_err().to_string();
    assert!(
        err.starts_with("data/mine.toml:") && err.contains("sometimes"),
        "{err}"
    );
}

/// The text with one `[table]` (up to the next table) removed.
fn cut_table(text: &str, header: &str) -> String {
    let start = text.find(header).expect("table present");
    let end = text[start + header.len()..]
        .find("\n[")
        .map(|i| start + header.len() + i + 1)
        .unwrap_or(text.len());
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn docs_idp_fixes_md_is_what_the_data_renders_to() {
    let path: PathBuf = crate_dir().join("../../docs/idp-fixes.md");
    let rendered = markdown(data());
    if std::env::var_os("SAMLKIT_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &rendered).expect("docs/idp-fixes.md is writable");
    }
    let committed = std::fs::read_to_string(Path::new(&path)).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/idp-fixes.md is stale: run `SAMLKIT_UPDATE_DOCS=1 cargo test -p samlkit-lint --test console_data`"
    );
    assert!(rendered.contains("## Keycloak (`keycloak`)"));
    assert!(rendered.contains("*neutral*"));
}
