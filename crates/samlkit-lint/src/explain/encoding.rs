//! The bytes against the XML declaration: a document that declares one encoding and is written
//! in another reads differently in every parser that trusts the declaration.

use samlkit_parse::decode::{encoding_declaration_mismatch, DecodedMessage};

use crate::report::Finding;
use crate::rules::Rule;

/// The finding for a declaration that names another encoding than the message's bytes are in.
pub(super) fn encoding_finding(decoded: &DecodedMessage) -> Option<Finding> {
    let mismatch = encoding_declaration_mismatch(decoded.bytes())?;
    let declaration_end = decoded
        .xml
        .starts_with("<?xml")
        .then(|| decoded.xml.find("?>").map(|end| end + 2))
        .flatten()
        .unwrap_or(0);
    let mut finding = Finding::new(
        Rule::EncodingMismatch,
        format!(
            "the XML declaration says encoding=\"{}\", but the bytes are {}; samlkit read them \
             as {}, while a service provider that obeys the declaration refuses the message or \
             reads other characters than the ones shown here",
            mismatch.declared, mismatch.actual, mismatch.read_as
        ),
    )
    .expected(format!("a declaration that names {}", mismatch.actual))
    .actual(format!("encoding=\"{}\"", mismatch.declared))
    .fix(format!(
        "declare encoding=\"{}\" (or none, for UTF-8) where the message is produced",
        mismatch.actual
    ));
    if declaration_end > 0 {
        finding = finding.at(0..declaration_end);
        finding.location = Some(samlkit_parse::xml::line_column(&decoded.xml, 0));
    }
    Some(finding)
}
