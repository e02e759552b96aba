//! The front end's side of a missing input: the libraries say what is missing
//! ([`MissingInput`]), and only the command knows how its user gives it — a flag on the command
//! line, or a setting of samlkit.toml for `check`, which reads nothing else ([`HintStyle`]).
//! Applied to findings before any rendering, so text, JSON and SARIF read the same fix.

use samlkit_verify::MissingInput;

/// How a command tells its user to give what is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintStyle {
    /// Command-line flags: `explain`, `verify`, `inspect`, `decode`, `metadata`, the web page.
    Flags,
    /// samlkit.toml settings: `check`.
    ConfigSettings,
}

impl HintStyle {
    /// What gives `missing`, as a clause: "pass --sp-key …", "set `keys` … in samlkit.toml".
    pub fn how_to_give(self, missing: MissingInput) -> &'static str {
        match self {
            HintStyle::Flags => flags_for(missing),
            HintStyle::ConfigSettings => settings_for(missing),
        }
    }

    /// `text` followed by how to give the missing input, when one is missing.
    pub fn with_hint(self, text: &str, missing: Option<MissingInput>) -> String {
        match missing {
            Some(missing) => format!("{text} ({})", self.how_to_give(missing)),
            None => text.to_string(),
        }
    }

    /// Adds the hint to a fix (or makes it the fix) when the finding names a missing input.
    fn hint_fix<T>(self, fix: &mut Option<T>, missing: Option<MissingInput>)
    where
        T: std::ops::Deref<Target = str> + From<String>,
    {
        let Some(input) = missing else { return };
        let hinted = match fix.as_deref() {
            Some(text) => self.with_hint(text, missing),
            None => self.how_to_give(input).to_string(),
        };
        *fix = Some(T::from(hinted));
    }

    /// Adds hints to the linter's findings.
    pub fn add_hints(self, findings: &mut [samlkit_lint::Finding]) {
        for finding in findings {
            self.hint_fix(&mut finding.fix, finding.missing);
        }
    }
}

fn flags_for(missing: MissingInput) -> &'static str {
    match missing {
        MissingInput::IdpTrust => {
            "pass --idp-metadata <IdP metadata XML file>, --idp-cert <PEM/DER certificate file> \
             or --idp-fingerprint <SHA-256 of the signing certificate>"
        }
        MissingInput::SpDecryptionKey => "pass --sp-key <PEM private key file>",
        MissingInput::MetadataSigner => {
            "pass --cert <certificate file of the metadata's signer> or --fingerprint <its \
             SHA-256>"
        }
        MissingInput::JudgingInstant => "pass --now <RFC 3339 instant, e.g. 2026-11-28T09:05:00Z>",
    }
}

fn settings_for(missing: MissingInput) -> &'static str {
    match missing {
        MissingInput::IdpTrust => {
            "set `metadata` to the IdP's metadata XML file, `certs` to its signing certificate \
             files or `fingerprints` to their SHA-256, in the [idp] section of samlkit.toml"
        }
        MissingInput::SpDecryptionKey => {
            "set `keys` to the SP's PEM private key files in the [sp] section of samlkit.toml"
        }
        MissingInput::MetadataSigner => {
            "set `metadata_certs` (the certificate files of the key that signs this metadata) \
             or `metadata_fingerprints` (their SHA-256) in the [idp] section of samlkit.toml"
        }
        MissingInput::JudgingInstant => {
            "set `now` to an RFC 3339 instant, e.g. 2026-11-28T09:05:00Z, in the [check] section \
             of samlkit.toml"
        }
    }
}

/// `text` followed by the flags that give the missing input, when one is missing.
pub fn with_flag_hint(text: &str, missing: Option<MissingInput>) -> String {
    HintStyle::Flags.with_hint(text, missing)
}

/// Adds flag hints to the verifier's findings, the document's and each signature's.
pub fn add_verifier_flag_hints<'f>(
    findings: impl IntoIterator<Item = &'f mut samlkit_verify::Finding>,
) {
    for finding in findings {
        HintStyle::Flags.hint_fix(&mut finding.fix, finding.missing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_INPUTS: [MissingInput; 4] = [
        MissingInput::IdpTrust,
        MissingInput::SpDecryptionKey,
        MissingInput::MetadataSigner,
        MissingInput::JudgingInstant,
    ];

    #[test]
    fn a_missing_input_gets_its_flags_and_other_fixes_stay_as_they_are() {
        let mut with_fix = Some("give the IdP's metadata".to_string());
        HintStyle::Flags.hint_fix(&mut with_fix, Some(MissingInput::IdpTrust));
        assert_eq!(
            with_fix.as_deref(),
            Some(
                "give the IdP's metadata (pass --idp-metadata <IdP metadata XML file>, --idp-cert \
                 <PEM/DER certificate file> or --idp-fingerprint <SHA-256 of the signing \
                 certificate>)"
            )
        );
        let mut without_fix: Option<String> = None;
        HintStyle::Flags.hint_fix(&mut without_fix, Some(MissingInput::SpDecryptionKey));
        assert_eq!(
            without_fix.as_deref(),
            Some("pass --sp-key <PEM private key file>")
        );
        let mut nothing_missing = Some("fix the clock".to_string());
        HintStyle::ConfigSettings.hint_fix(&mut nothing_missing, None);
        assert_eq!(nothing_missing.as_deref(), Some("fix the clock"));
    }

    #[test]
    fn config_settings_name_samlkit_toml_and_never_a_flag() {
        for missing in ALL_INPUTS {
            let hint = HintStyle::ConfigSettings.how_to_give(missing);
            assert!(hint.contains("samlkit.toml"), "{missing:?}: {hint}");
            assert!(!hint.contains("--"), "{missing:?} names a flag: {hint}");
            let flags = HintStyle::Flags.how_to_give(missing);
            assert!(flags.starts_with("pass --"), "{missing:?}: {flags}");
        }
        let mut fix = Some("give the SP's private decryption key".to_string());
        HintStyle::ConfigSettings.hint_fix(&mut fix, Some(MissingInput::SpDecryptionKey));
        assert_eq!(
            fix.as_deref(),
            Some(
                "give the SP's private decryption key (set `keys` to the SP's PEM private key \
                 files in the [sp] section of samlkit.toml)"
            )
        );
    }
}
