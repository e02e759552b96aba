//! What decryption found: which parts were decrypted with which key and algorithms, which
//! algorithms are weak, and which parts could not be read.

use samlkit_verify::report::{MissingInput, Severity as VerifierSeverity};
use samlkit_verify::xmlenc::DocumentDecryption;

use crate::report::{Finding, Report};
use crate::rules::Rule;

/// Adds decryption's findings to the report of the (decrypted) response. `arrived` is the text
/// as it arrived; `decrypted`: anything was decrypted, so the report's spans point into the
/// decrypted text rather than `arrived`.
pub(super) fn add_decryption_findings(
    report: &mut Report,
    decryption: &DocumentDecryption,
    arrived: &str,
    decrypted: bool,
) {
    // The linter's note lists what can be read without the key; the decryption failure for a
    // missing key carries it on.
    let readable = report
        .findings
        .iter()
        .find(|f| f.is(Rule::EncryptedAssertionUnread))
        .and_then(|f| f.message.split_once("readable without it: "))
        .map(|(_, readable)| readable.to_string());
    let mut notes: Vec<Finding> = Vec::new();
    for element in &decryption.elements {
        match &element.result {
            Ok(done) => {
                notes.push(Finding::new(
                    Rule::AssertionDecrypted,
                    format!(
                        "the {} was encrypted ({}); decrypted with {}",
                        element.wrapper, done.description, done.key_label
                    ),
                ));
                for weak in done
                    .findings
                    .iter()
                    .filter(|f| f.severity >= VerifierSeverity::Warning)
                {
                    let mut finding = Finding::new(Rule::WeakEncryption, weak.message.clone());
                    if let Some(fix) = &weak.fix {
                        finding = finding.fix(fix.clone());
                    }
                    notes.push(finding);
                }
            }
            Err(failure) => {
                let mut finding = Finding::new(
                    Rule::EncryptedAssertionUnread,
                    format!(
                        "the {} could not be decrypted: {}",
                        element.wrapper, failure.message
                    ),
                );
                if let Some(fix) = &failure.fix {
                    finding = finding.fix(fix.clone());
                }
                finding.missing = failure.missing;
                if let (Some(MissingInput::SpDecryptionKey), Some(readable)) =
                    (failure.missing, &readable)
                {
                    finding.message = format!(
                        "the {} is encrypted for the service provider and no SP decryption key \
                         was given, so its signature, subject and claims cannot be checked \
                         (not a missing signature): {}; readable without the key: {readable}",
                        element.wrapper, failure.message
                    )
                    .into();
                }
                // Spans point into the arrived text, which is what is shown when nothing was
                // decrypted.
                if !decrypted && element.round == 0 {
                    finding.location =
                        Some(samlkit_parse::xml::line_column(arrived, failure.span.start));
                    finding = finding.at(failure.span.start..failure.span.end);
                }
                notes.push(finding);
            }
        }
    }
    if notes.iter().any(|f| f.is(Rule::EncryptedAssertionUnread)) {
        // The decryption failures say more than the linter's generic note.
        report
            .findings
            .retain(|f| !f.is(Rule::EncryptedAssertionUnread));
    }
    for note in notes {
        report.add(note);
    }
}
