//! The command-line side of a missing input: the libraries say what is missing
//! ([`MissingInput`]), and only the command knows which flag gives it. Applied to findings
//! before any rendering, so text, JSON and SARIF read the same fix.

use samlkit_verify::MissingInput;

/// The flags that give a missing input.
pub fn flag_hint(missing: MissingInput) -> &'static str {
    match missing {
        MissingInput::IdpTrust => {
            "--idp-metadata <IdP metadata XML file>, --idp-cert <PEM/DER certificate file> or \
             --idp-fingerprint <SHA-256 of the signing certificate>"
        }
        MissingInput::SpDecryptionKey => "--sp-key <PEM private key file>",
        MissingInput::MetadataSigner => {
            "--cert <certificate file of the metadata's signer> or --fingerprint <its SHA-256>"
        }
        MissingInput::JudgingInstant => "--now <RFC 3339 instant, e.g. 2026-11-28T09:05:00Z>",
    }
}

/// `text` followed by the flags that give the missing input, when one is missing.
pub fn with_flag_hint(text: &str, missing: Option<MissingInput>) -> String {
    match missing {
        Some(missing) => format!("{text} (pass {})", flag_hint(missing)),
        None => text.to_string(),
    }
}

/// Adds the flags to a fix (or makes them the fix) when the finding names a missing input.
fn hint_fix(fix: &mut Option<String>, missing: Option<MissingInput>) {
    let Some(input) = missing else { return };
    *fix = Some(match fix.as_deref() {
        Some(text) => with_flag_hint(text, missing),
        None => format!("pass {}", flag_hint(input)),
    });
}

/// Adds flag hints to the linter's findings.
pub fn add_flag_hints(findings: &mut [samlkit_lint::Finding]) {
    for finding in findings {
        hint_fix(&mut finding.fix, finding.missing);
    }
}

/// Adds flag hints to the verifier's findings, the document's and each signature's.
pub fn add_verifier_flag_hints<'f>(
    findings: impl IntoIterator<Item = &'f mut samlkit_verify::Finding>,
) {
    for finding in findings {
        hint_fix(&mut finding.fix, finding.missing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_input_gets_its_flags_and_other_fixes_stay_as_they_are() {
        let mut with_fix = Some("give the IdP's metadata".to_string());
        hint_fix(&mut with_fix, Some(MissingInput::IdpTrust));
        assert_eq!(
            with_fix.as_deref(),
            Some(
                "give the IdP's metadata (pass --idp-metadata <IdP metadata XML file>, --idp-cert \
                 <PEM/DER certificate file> or --idp-fingerprint <SHA-256 of the signing \
                 certificate>)"
            )
        );
        let mut without_fix = None;
        hint_fix(&mut without_fix, Some(MissingInput::SpDecryptionKey));
        assert_eq!(
            without_fix.as_deref(),
            Some("pass --sp-key <PEM private key file>")
        );
        let mut nothing_missing = Some("fix the clock".to_string());
        hint_fix(&mut nothing_missing, None);
        assert_eq!(nothing_missing.as_deref(), Some("fix the clock"));
    }
}
