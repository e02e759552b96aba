//! The rule table as a library user sees it (every code unique, kebab-case, read back as its
//! rule; `samlkit rules` snapshots the whole set), and the rules whose severity depends on the profile, judged through the
//! library as docs/rules.md says.

mod common;

use std::collections::HashSet;

use common::*;
use samlkit_lint::{Profile, Rule, Severity};

#[test]
fn every_code_is_unique_and_reads_back_as_its_rule() {
    let mut seen = HashSet::new();
    for rule in Rule::ALL {
        let code = rule.code();
        assert!(seen.insert(code), "{code} is used twice");
        assert_eq!(Rule::from_code(code), Some(*rule));
        assert!(
            code.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/'),
            "{code} is not kebab-case"
        );
        assert_eq!(code.split('/').count(), 2, "{code} is not area/name");
    }
}

/// The unsigned sample with its NameID taken out.
fn without_name_id() -> Vec<u8> {
    let text = String::from_utf8(read("samples/entra-response-unsigned.xml")).unwrap();
    let start = text.find("<NameID").expect("the sample has a NameID");
    let end = text.find("</NameID>").unwrap() + "</NameID>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

fn name_id_missing_severity(profile: Profile) -> Severity {
    let explained = samlkit_lint::explain(&decoded_bytes(&without_name_id()), &setup(profile))
        .expect("the response is read");
    explained
        .report
        .findings
        .iter()
        .find(|f| f.is(Rule::NameIdMissing))
        .map(|f| f.severity)
        .expect("nameid/missing is reported")
}

#[test]
fn a_missing_name_id_is_an_error_for_service_provider_profiles_and_a_warning_otherwise() {
    assert_eq!(
        name_id_missing_severity(Profile::Generic),
        Severity::Warning
    );
    for profile in Profile::ALL.iter().filter(|p| **p != Profile::Generic) {
        assert_eq!(
            name_id_missing_severity(*profile),
            Severity::Error,
            "{}",
            profile.name()
        );
    }
    let description = Rule::NameIdMissing.info().description;
    assert!(
        description.contains("depends on the profile"),
        "{description}"
    );
}
