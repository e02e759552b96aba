//! Secure parsing and the typed model: any text either fails with an error or yields a view
//! whose spans all lie inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlkit_parse::model::SamlMessage;
use samlkit_parse::{parse_xml, read_message, Limits};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = parse_xml(text, &Limits::default()) else { return };
    let Ok(message) = read_message(&doc) else { return };
    let len = text.len();
    match &message {
        SamlMessage::Response(response) => {
            for assertion in &response.assertions {
                if let Some(subject) = &assertion.subject {
                    if let Some(name_id) = &subject.name_id {
                        assert!(name_id.value.span.end <= len);
                    }
                }
                for attribute in &assertion.attributes {
                    for value in &attribute.values {
                        assert!(value.text.span.end <= len);
                    }
                }
            }
            if let Some(issuer) = &response.header.issuer {
                assert!(issuer.value.span.end <= len);
            }
        }
        SamlMessage::Metadata(metadata) => {
            for entity in metadata.entities() {
                if let Some(id) = &entity.entity_id {
                    assert!(id.span.end <= len);
                }
            }
        }
        _ => {}
    }
});
