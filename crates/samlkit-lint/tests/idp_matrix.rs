//! Every recognised identity provider × the common failures: responses in each IdP's own shape
//! (Issuer form, NameID format, attribute naming, element order) are built from a template and
//! explained. Each case asserts the finding code, the IdP detected (and what from), and that
//! the fix is that IdP's own text from `data/idps/` (or the neutral one) and names no other
//! IdP's console.

mod common;

use common::now;
use samlkit_lint::console_data::console_data;
use samlkit_lint::explain::Setup;
use samlkit_lint::idp::{Fix, Idp};
use samlkit_lint::{LintOptions, Profile, Report, Rule};
use samlkit_verify::trust::TrustStore;

const SP: &str = "https://sp.example.com/saml";
const ACS: &str = "https://sp.example.com/saml/acs";
const EMAIL_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
const UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
const PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
const TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

/// How one IdP shapes its responses.
#[derive(Clone, Copy)]
struct Shape {
    id: &'static str,
    issuer: &'static str,
    name_id_format: &'static str,
    /// The e-mail attribute as this IdP names it by default: (Name, NameFormat, FriendlyName).
    email_attribute: (&'static str, Option<&'static str>, Option<&'static str>),
    /// Other attributes the IdP sends by default.
    extra_attributes: &'static [(&'static str, &'static str)],
}

const BASIC: Option<&str> = Some("urn:oasis:names:tc:SAML:2.0:attrname-format:basic");
const URI: Option<&str> = Some("urn:oasis:names:tc:SAML:2.0:attrname-format:uri");

const SHAPES: &[Shape] = &[
    Shape {
        id: "entra-id",
        issuer: "https://sts.windows.net/7c4e2f1a-9b3d-4b8e-a1f0-3c2d1e0f9a8b/",
        name_id_format: EMAIL_FORMAT,
        email_attribute: (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            None,
            None,
        ),
        extra_attributes: &[(
            "http://schemas.microsoft.com/identity/claims/tenantid",
            "7c4e2f1a",
        )],
    },
    Shape {
        id: "adfs",
        issuer: "http://fs.contoso.com/adfs/services/trust",
        name_id_format: UNSPECIFIED,
        email_attribute: (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            None,
            None,
        ),
        extra_attributes: &[("http://schemas.xmlsoap.org/claims/Group", "Domain Users")],
    },
    Shape {
        id: "okta",
        issuer: "http://www.okta.com/exk1a2b3c4d5e6f7g8h9",
        name_id_format: UNSPECIFIED,
        email_attribute: ("email", BASIC, None),
        extra_attributes: &[("firstName", "Ada")],
    },
    Shape {
        id: "google",
        issuer: "https://accounts.google.com/o/saml2?idpid=C01abcd2e",
        name_id_format: EMAIL_FORMAT,
        email_attribute: ("mail", BASIC, None),
        extra_attributes: &[],
    },
    Shape {
        id: "keycloak",
        issuer: "https://sso.example.org/realms/staff",
        name_id_format: UNSPECIFIED,
        email_attribute: ("email", BASIC, None),
        extra_attributes: &[("Role", "default-roles-staff")],
    },
    Shape {
        id: "onelogin",
        issuer: "https://app.onelogin.com/saml/metadata/7c4e2f1a-9b3d-4b8e",
        name_id_format: EMAIL_FORMAT,
        email_attribute: ("User.email", BASIC, None),
        extra_attributes: &[("User.FirstName", "Ada")],
    },
    Shape {
        id: "pingone",
        issuer: "https://auth.pingone.com/0a7f1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d",
        name_id_format: UNSPECIFIED,
        email_attribute: ("mail", BASIC, None),
        extra_attributes: &[],
    },
    Shape {
        id: "auth0",
        issuer: "urn:dev-k8s2x1.us.auth0.com",
        name_id_format: UNSPECIFIED,
        email_attribute: (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            URI,
            None,
        ),
        extra_attributes: &[("http://schemas.auth0.com/nickname", "ada")],
    },
    Shape {
        id: "jumpcloud",
        issuer: "JumpCloud",
        name_id_format: EMAIL_FORMAT,
        email_attribute: ("email", BASIC, None),
        extra_attributes: &[("memberOf", "engineering")],
    },
    Shape {
        id: "shibboleth",
        issuer: "https://idp.example.edu/idp/shibboleth",
        name_id_format: TRANSIENT,
        email_attribute: ("urn:oid:0.9.2342.19200300.100.1.3", URI, Some("mail")),
        extra_attributes: &[("urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "ada@example.edu")],
    },
    Shape {
        id: "simplesamlphp",
        issuer: "https://idp.example.net/simplesaml/saml2/idp/metadata.php",
        name_id_format: TRANSIENT,
        email_attribute: ("mail", BASIC, None),
        extra_attributes: &[],
    },
    Shape {
        id: "authentik",
        issuer: "https://auth.example.com/application/saml/wiki/metadata/",
        name_id_format: PERSISTENT,
        email_attribute: (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            URI,
            None,
        ),
        extra_attributes: &[("http://schemas.goauthentik.io/2021/02/saml/username", "ada")],
    },
    Shape {
        id: "zitadel",
        issuer: "https://example-abc123.zitadel.cloud/saml/v2/metadata",
        name_id_format: UNSPECIFIED,
        email_attribute: ("Email", BASIC, None),
        extra_attributes: &[],
    },
];

/// What to break in the response.
#[derive(Clone, Copy, Debug)]
enum Failure {
    None,
    AudiencePlaceholder,
    DestinationElsewhere,
    Expired,
}

fn response(shape: &Shape, failure: Failure) -> String {
    let audience = match failure {
        Failure::AudiencePlaceholder => "{audience}",
        _ => SP,
    };
    let destination = match failure {
        Failure::DestinationElsewhere => "https://old.example.com/saml/acs",
        _ => ACS,
    };
    let (before, after) = match failure {
        Failure::Expired => ("2026-11-28T07:00:00Z", "2026-11-28T07:05:00Z"),
        _ => ("2026-11-28T09:00:00Z", "2026-11-28T09:10:00Z"),
    };
    let issued = match failure {
        Failure::Expired => "2026-11-28T07:00:00Z",
        _ => "2026-11-28T09:00:00Z",
    };
    let (name, format, friendly) = shape.email_attribute;
    let attribute = |name: &str, format: Option<&str>, friendly: Option<&str>, value: &str| {
        let format = format.map_or(String::new(), |f| format!(" NameFormat=\"{f}\""));
        let friendly = friendly.map_or(String::new(), |f| format!(" FriendlyName=\"{f}\""));
        format!(
            "<saml:Attribute Name=\"{name}\"{format}{friendly}><saml:AttributeValue>{value}</saml:AttributeValue></saml:Attribute>"
        )
    };
    let mut attributes = attribute(name, format, friendly, "ada@example.com");
    for (extra, value) in shape.extra_attributes {
        attributes.push_str(&attribute(extra, format, None, value));
    }
    let issuer = shape.issuer;
    let name_id_format = shape.name_id_format;
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="{issued}" Destination="{destination}"><saml:Issuer>{issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1" Version="2.0" IssueInstant="{issued}"><saml:Issuer>{issuer}</saml:Issuer><saml:Subject><saml:NameID Format="{name_id_format}">ada@example.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{after}" Recipient="{destination}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{before}" NotOnOrAfter="{after}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{issued}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion></samlp:Response>"#
    )
}

fn explain(xml: &str, options: LintOptions) -> Report {
    let decoded = common::decoded_bytes(xml.as_bytes());
    let setup = Setup::new(TrustStore::new(), options);
    samlkit_lint::explain(&decoded, &setup)
        .expect("the response is judged")
        .report
}

fn options(profile: Profile) -> LintOptions {
    let mut options = LintOptions::new(now());
    options.profile = profile;
    options.sp_entity_id = Some(SP.to_string());
    options.acs_url = Some(ACS.to_string());
    options
}

/// The fix of the first finding with `code`, after checking the IdP detected.
fn fix_of<'r>(report: &'r Report, rule: Rule, shape: &Shape) -> &'r str {
    let code = rule.code();
    assert_eq!(report.idp.id(), shape.id, "{}: IdP detected", shape.id);
    let finding = report
        .findings
        .iter()
        .find(|f| f.is(rule))
        .unwrap_or_else(|| {
            let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
            panic!("{}: no {code} among {codes:?}", shape.id)
        });
    finding
        .fix
        .as_deref()
        .unwrap_or_else(|| panic!("{}: {code} has no fix", shape.id))
}

/// No finding's fix names the console of an IdP other than the one detected.
fn names_no_other_console(report: &Report, shape: &Shape) {
    let data = console_data().expect("the data loads");
    for finding in &report.findings {
        let Some(fix) = &finding.fix else { continue };
        for other in data.idps.iter().filter(|i| i.id != shape.id) {
            for term in &other.console_terms {
                assert!(
                    !fix.contains(term.as_str()),
                    "{} ({}): fix names {}'s `{term}`: {fix}",
                    shape.id,
                    finding.code,
                    other.id
                );
            }
        }
        if shape.id != "entra-id" {
            assert!(!fix.contains("user.mail"), "{}: {fix}", shape.id);
        }
    }
}

fn idp(shape: &Shape) -> Idp {
    Idp::from_name(shape.id).expect("a known IdP")
}

#[test]
fn every_shape_is_recognised_from_its_issuer_and_passes_when_nothing_is_wrong() {
    for shape in SHAPES {
        let report = explain(&response(shape, Failure::None), options(Profile::Generic));
        assert_eq!(report.idp.id(), shape.id);
        let detection = report.idp_detected_from.as_ref().expect("detected");
        assert_eq!(detection.from, "issuer", "{}", shape.id);
        assert_eq!(detection.value, shape.issuer);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["idp"], shape.id);
        assert_eq!(json["idp_detected_from"]["from"], "issuer");
        names_no_other_console(&report, shape);
    }
}

#[test]
fn audience_placeholder_gets_the_idps_identifier_field() {
    for shape in SHAPES {
        let report = explain(
            &response(shape, Failure::AudiencePlaceholder),
            options(Profile::Generic),
        );
        let fix = fix_of(&report, Rule::Placeholder, shape);
        let expected = Fix::Identifier { entity_id: SP }.text(idp(shape));
        assert!(fix.contains(&expected), "{}: {fix}", shape.id);
        names_no_other_console(&report, shape);
    }
}

#[test]
fn destination_mismatch_gets_the_idps_acs_field() {
    for shape in SHAPES {
        let report = explain(
            &response(shape, Failure::DestinationElsewhere),
            options(Profile::Generic),
        );
        let fix = fix_of(&report, Rule::DestinationMismatch, shape);
        let expected = Fix::ReplyUrl { url: ACS }.text(idp(shape));
        assert!(fix.contains(&expected), "{}: {fix}", shape.id);
        names_no_other_console(&report, shape);
    }
}

#[test]
fn expired_assertions_get_the_idps_clock_fix_and_adfs_names_not_before_skew() {
    for shape in SHAPES {
        let report = explain(
            &response(shape, Failure::Expired),
            options(Profile::Generic),
        );
        let fix = fix_of(&report, Rule::Expired, shape);
        assert!(
            fix.contains(&Fix::Clock.text(idp(shape))),
            "{}: {fix}",
            shape.id
        );
        assert_eq!(fix.contains("-NotBeforeSkew"), shape.id == "adfs", "{fix}");
        names_no_other_console(&report, shape);
    }
}

#[test]
fn email_under_the_idps_own_name_gets_its_attribute_mapping_fix() {
    for shape in SHAPES {
        let report = explain(
            &response(shape, Failure::None),
            options(Profile::AmazonQBusiness),
        );
        if shape.email_attribute.0 == "Email" {
            continue;
        }
        let fix = fix_of(&report, Rule::ClaimMissing, shape);
        let expected = Fix::AddClaim {
            name: "Email",
            source: "user.mail",
        }
        .text(idp(shape));
        assert!(fix.contains(&expected), "{}: {fix}", shape.id);
        names_no_other_console(&report, shape);
    }
}

#[test]
fn a_nameid_format_the_sp_refuses_gets_the_idps_nameid_setting() {
    for shape in SHAPES {
        let report = explain(
            &response(shape, Failure::None),
            options(Profile::AwsIdentityCenter),
        );
        if shape.name_id_format == EMAIL_FORMAT {
            assert!(!report.has(Rule::NameIdFormat));
            continue;
        }
        let fix = fix_of(&report, Rule::NameIdFormat, shape);
        let kind_text = Fix::NameIdFormat {
            format: "Email address",
            source: "user.mail",
        }
        .text(idp(shape));
        assert!(fix.contains(&kind_text), "{}: {fix}", shape.id);
        names_no_other_console(&report, shape);
    }
}

#[test]
fn unsigned_responses_get_the_idps_signing_switch() {
    for shape in SHAPES {
        let report = explain(&response(shape, Failure::None), options(Profile::Slack));
        let fix = fix_of(&report, Rule::ResponseNotSigned, shape);
        assert!(
            fix.contains(&Fix::SignResponse.text(idp(shape))),
            "{}: {fix}",
            shape.id
        );
        names_no_other_console(&report, shape);
    }
}

#[test]
fn pingfederate_with_its_free_form_issuer_is_named_by_the_override() {
    let shape = Shape {
        id: "pingfederate",
        issuer: "https://sso.example.com",
        ..SHAPES[2]
    };
    let mut options = options(Profile::Generic);
    options.idp = Idp::from_name("PingFederate");
    let report = explain(&response(&shape, Failure::DestinationElsewhere), options);
    let fix = fix_of(&report, Rule::DestinationMismatch, &shape);
    assert!(
        fix.contains(&Fix::ReplyUrl { url: ACS }.text(idp(&shape))),
        "{fix}"
    );
    names_no_other_console(&report, &shape);
}

#[test]
fn idp_override_wins_over_the_issuer() {
    let shape = &SHAPES[2];
    let mut options = options(Profile::Generic);
    options.idp = Idp::from_name("keycloak");
    let report = explain(&response(shape, Failure::AudiencePlaceholder), options);
    assert_eq!(report.idp.id(), "keycloak");
    assert_eq!(report.idp_detected_from.as_ref().unwrap().from, "override");
}

#[test]
fn an_unknown_issuer_is_recognised_from_attribute_names_only_one_idp_sends() {
    let shape = Shape {
        id: "auth0",
        issuer: "https://login.example.com/custom-issuer",
        ..*SHAPES.iter().find(|s| s.id == "auth0").unwrap()
    };
    let report = explain(&response(&shape, Failure::None), options(Profile::Generic));
    assert_eq!(report.idp.id(), "auth0");
    assert_eq!(
        report.idp_detected_from.as_ref().unwrap().from,
        "attribute-name"
    );
}

#[test]
fn a_rotated_certificate_gets_the_idps_own_rollover_steps_after_the_verifiers_advice() {
    use samlkit_verify::report::{Finding as VerifierFinding, FindingCode, Severity};
    for shape in SHAPES {
        let idp = idp(shape);
        let verifier = VerifierFinding {
            code: FindingCode::UntrustedKey,
            severity: Severity::Error,
            message: "signed by another key".to_string(),
            fix: Some(
                "if the IdP rotated its signing certificate, give its current metadata".into(),
            ),
            span: None,
            missing: None,
        };
        let finding = samlkit_lint::catalogue::from_verifier(&verifier, idp);
        let fix = finding.fix.expect("a fix");
        assert!(fix.starts_with("if the IdP rotated"), "{fix}");
        assert!(
            fix.contains(&Fix::RefreshMetadata.text(idp)),
            "{}: {fix}",
            shape.id
        );
    }
}

#[test]
fn every_built_in_profile_round_trips_through_a_profile_file() {
    use samlkit_lint::console_data::sp_to_toml;
    for profile in Profile::ALL.into_iter().filter(|p| *p != Profile::Generic) {
        let entry = profile.entry().expect("a built-in profile has data");
        let text = sp_to_toml(entry).expect("the profile writes as TOML");
        let custom = Profile::from_file("custom.toml", &text).expect("the file reads back");
        assert_eq!(custom.entry(), Some(entry), "{}", profile.name());
        assert_eq!(custom.name(), profile.name());
        assert_eq!(
            custom.accepted_name_id_formats(),
            profile.accepted_name_id_formats()
        );
        assert_eq!(custom.default_audiences(), profile.default_audiences());
        assert_eq!(
            custom.default_user_id_attribute(),
            profile.default_user_id_attribute()
        );
    }
}

#[test]
fn a_custom_profile_requires_its_attributes_and_response_signature() {
    let text = r#"
profile = "intranet"
name = "Intranet portal"

[requirements]
name_id_formats = ["urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"]
signing = "response"
source = "https://intranet.example.com/docs/saml"

[[requirements.attributes]]
name = "employeeNumber"
required = true
value = "non-empty"
source = "https://intranet.example.com/docs/saml"
"#;
    let profile = Profile::from_file("intranet.toml", text).expect("the profile reads");
    assert_eq!(profile.name(), "intranet");
    let shape = SHAPES.iter().find(|s| s.id == "okta").unwrap();
    let report = explain(&response(shape, Failure::None), options(profile));
    assert_eq!(report.profile, "intranet");
    let missing = fix_of(&report, Rule::ClaimMissing, shape);
    assert!(missing.contains(
        &Fix::AddClaim {
            name: "employeeNumber",
            source: ""
        }
        .text(idp(shape))
    ));
    fix_of(&report, Rule::ResponseNotSigned, shape);
    fix_of(&report, Rule::NameIdFormat, shape);
    names_no_other_console(&report, shape);
}

#[test]
fn a_broken_profile_file_is_an_error_naming_the_file() {
    let err = Profile::from_file("mine.toml", "profile = \"x\"\n").unwrap_err();
    assert_eq!(err.file, "mine.toml");
    assert!(err.message.contains("name"), "{}", err.message);
}

#[test]
fn aws_role_pairs_are_accepted_in_either_order_and_session_duration_gets_a_fix() {
    let shape = SHAPES.iter().find(|s| s.id == "adfs").unwrap();
    const ROLE: &str = "arn:aws:iam::123456789012:role/Admin";
    const PROVIDER: &str = "arn:aws:iam::123456789012:saml-provider/ADFS";
    for (role_value, duration) in [
        (format!("{ROLE},{PROVIDER}"), "3600"),
        (format!("{PROVIDER},{ROLE}"), "50000"),
    ] {
        let xml = response(shape, Failure::None)
            .replace(SP, "https://signin.aws.amazon.com/saml")
            .replace(ACS, "https://signin.aws.amazon.com/saml")
            .replace(
                "<saml:AttributeStatement>",
                &format!(
                    "<saml:AttributeStatement><saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/Role\"><saml:AttributeValue>{role_value}</saml:AttributeValue></saml:Attribute><saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"><saml:AttributeValue>ada@example.com</saml:AttributeValue></saml:Attribute><saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/SessionDuration\"><saml:AttributeValue>{duration}</saml:AttributeValue></saml:Attribute>"
                ),
            );
        let report = explain(
            &xml,
            LintOptions {
                profile: Profile::AwsIam,
                ..LintOptions::new(now())
            },
        );
        let format_findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.is(Rule::ClaimValueFormat))
            .collect();
        if duration == "3600" {
            assert!(format_findings.is_empty(), "{format_findings:?}");
        } else {
            assert_eq!(format_findings.len(), 1, "{format_findings:?}");
            let fix = format_findings[0].fix.as_deref().unwrap();
            assert!(
                fix.contains(&Fix::AwsSessionDuration.text(idp(shape))),
                "{fix}"
            );
            assert!(
                fix.contains("-NotBeforeSkew") || fix.contains("SessionDuration"),
                "{fix}"
            );
        }
    }
}
