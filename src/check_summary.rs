//! What `samlkit check` did and did not check. Each cross-check between the parts of a
//! deployment runs only when samlkit.toml gives both sides; the summary lists every one as
//! run or skipped (with why, and the setting that would enable it). "Ready to deploy" needs at
//! least the IdP metadata and the SP's settings checked against each other, which only a
//! captured sample response does: it carries the IdP's issuer and signature on one side and the
//! Audience, Recipient and claims the SP needs on the other. Without one, a clean run is "not
//! ready" (exit 1), never a pass that checked nothing.

use std::fmt::Write as _;

use colored::{ColoredString, Colorize};
use serde_json::{json, Value};

use crate::exit;
use crate::explain::plural;

/// Whether a file setting was given, and if so whether the file could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileSetting {
    NotSet,
    Unreadable,
    Read,
}

/// What samlkit.toml gave and what could be read: the input of every decision here.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub idp_metadata: FileSetting,
    /// `[idp] metadata_certs` or `metadata_fingerprints` given.
    pub metadata_signer_set: bool,
    pub sp_metadata: FileSetting,
    pub sp_entity_id_set: bool,
    pub acs_url_set: bool,
    /// `[check] samples` listed, and how many of them could be read as responses.
    pub samples_listed: usize,
    pub samples_read: usize,
    pub warn_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Run; the text says on what.
    Ran(String),
    /// Not run; the text says why and what would enable it.
    Skipped(String),
}

/// One row of the summary table.
#[derive(Debug, Clone)]
pub struct CrossCheck {
    /// Stable name in the JSON summary.
    pub id: &'static str,
    pub what: &'static str,
    pub status: Status,
}

/// The cross-check whose run makes a deployment "ready": the IdP against the SP's settings.
const IDP_AGAINST_SP_SETTINGS: &str = "samples-against-sp-settings";

impl Coverage {
    pub fn cross_checks(&self) -> Vec<CrossCheck> {
        let idp_read = self.idp_metadata == FileSetting::Read;
        let samples = self.samples_status();
        let sp_metadata = match self.sp_metadata {
            FileSetting::NotSet => Err("no `metadata` in [sp]".to_string()),
            FileSetting::Unreadable => Err("the SP metadata could not be read".to_string()),
            FileSetting::Read => Ok(()),
        };
        let idp_metadata = if idp_read {
            Ok(())
        } else {
            Err("the IdP metadata could not be read".to_string())
        };
        let needs = |requirements: &[&Result<(), String>], ran: String| -> Status {
            match requirements.iter().find_map(|r| r.as_ref().err()) {
                Some(why) => Status::Skipped(why.clone()),
                None => Status::Ran(ran),
            }
        };
        let setting = |set: bool, name: &str, section: &str| {
            if set {
                Ok(())
            } else {
                Err(format!("no `{name}` in [{section}]"))
            }
        };
        let entity_id = setting(self.sp_entity_id_set, "entity_id", "sp");
        let acs_url = setting(self.acs_url_set, "acs_url", "sp");
        let signer = if self.metadata_signer_set {
            Ok(())
        } else {
            Err("no `metadata_certs` or `metadata_fingerprints` in [idp]".to_string())
        };
        let samples_ran = plural(self.samples_read, "sample");
        let against_settings = match (&samples, &entity_id) {
            (Ok(()), Ok(())) if !self.acs_url_set => {
                format!("{samples_ran}: Audience, claims (no `acs_url` in [sp]: not Recipient)")
            }
            _ => format!("{samples_ran}: Audience, Recipient, claims"),
        };
        let certificates = match (idp_read, self.sp_metadata == FileSetting::Read) {
            (true, true) => Ok("IdP and SP metadata".to_string()),
            (true, false) => Ok("IdP metadata".to_string()),
            (false, true) => Ok("SP metadata".to_string()),
            (false, false) => Err("no metadata could be read".to_string()),
        };
        vec![
            CrossCheck {
                id: "idp-metadata-signature",
                what: "IdP metadata's own signature",
                status: needs(&[&idp_metadata, &signer], "IdP metadata".into()),
            },
            CrossCheck {
                id: "certificate-expiry",
                what: "certificates valid for warn_days more days",
                status: match certificates {
                    Ok(on) => Status::Ran(format!("{on} ({} days)", self.warn_days)),
                    Err(why) => Status::Skipped(why),
                },
            },
            CrossCheck {
                id: "sp-metadata-entity-id",
                what: "SP metadata entityID = [sp] entity_id",
                status: needs(&[&sp_metadata, &entity_id], "SP metadata".into()),
            },
            CrossCheck {
                id: "sp-metadata-acs-url",
                what: "[sp] acs_url is an ACS of the SP metadata",
                status: needs(&[&sp_metadata, &acs_url], "SP metadata".into()),
            },
            CrossCheck {
                id: "samples-issuer",
                what: "samples' Issuer = IdP entityID",
                status: needs(&[&idp_metadata, &samples], samples_ran.clone()),
            },
            CrossCheck {
                id: "samples-signing-key",
                what: "samples' signing key in the IdP metadata",
                status: needs(&[&idp_metadata, &samples], samples_ran.clone()),
            },
            CrossCheck {
                id: IDP_AGAINST_SP_SETTINGS,
                what: "samples against the SP settings",
                status: needs(&[&idp_metadata, &samples, &entity_id], against_settings),
            },
            CrossCheck {
                id: "samples-signed-as-sp-wants",
                what: "samples signed as the SP metadata asks",
                status: needs(&[&sp_metadata, &samples], samples_ran),
            },
        ]
    }

    fn samples_status(&self) -> Result<(), String> {
        match (self.samples_listed, self.samples_read) {
            (0, _) => Err("no `samples` in [check]".into()),
            (_, 0) => Err("no sample could be read".into()),
            _ => Ok(()),
        }
    }

    /// Why the deployment cannot be called ready even without errors; `None` when the IdP
    /// metadata and the SP's settings were checked against each other.
    pub fn not_ready_because(&self) -> Option<String> {
        let decisive = self
            .cross_checks()
            .into_iter()
            .find(|check| check.id == IDP_AGAINST_SP_SETTINGS)?;
        match decisive.status {
            Status::Ran(_) => None,
            Status::Skipped(why) => Some(format!(
                "the IdP metadata was not checked against the SP settings ({why})"
            )),
        }
    }

    /// The gate's exit code: the parts' code, raised to "problems" when nothing tied the IdP
    /// to the SP's settings.
    pub fn exit_code(&self, parts_exit_code: u8) -> u8 {
        if parts_exit_code == exit::OK && self.not_ready_because().is_some() {
            exit::PROBLEMS
        } else {
            parts_exit_code
        }
    }

    /// The verdict line of the text report, from the parts' exit code and totals.
    pub fn verdict_line(
        &self,
        parts_exit_code: u8,
        errors: usize,
        warnings: usize,
    ) -> ColoredString {
        let counts = format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
        match (parts_exit_code, self.not_ready_because()) {
            (exit::OK, Some(why)) => format!("✗ Not ready to deploy: no errors, but {why}")
                .red()
                .bold(),
            (exit::OK, None) if warnings > 0 => format!(
                "✓ Ready to deploy: no errors ({})",
                plural(warnings, "warning")
            )
            .green()
            .bold(),
            (exit::OK, None) => "✓ Ready to deploy: no problems found".green().bold(),
            _ => format!("✗ Not ready to deploy: {counts}").red().bold(),
        }
    }

    /// The table of cross-checks run and skipped, for the text report.
    pub fn render_table(&self) -> String {
        let checks = self.cross_checks();
        let width = checks
            .iter()
            .map(|c| c.what.chars().count())
            .max()
            .unwrap_or(0);
        let mut out = format!("  {}\n", "Cross-checks".dimmed());
        for check in &checks {
            let (mark, word, detail) = match &check.status {
                Status::Ran(on) => ("✓".green().bold(), "ran    ", on.normal()),
                Status::Skipped(why) => ("–".yellow().bold(), "skipped", why.yellow()),
            };
            let _ = writeln!(out, "    {mark} {word}  {:<width$}  {detail}", check.what);
        }
        if self.not_ready_because().is_some() {
            let _ = writeln!(
                out,
                "  {} a SAMLResponse captured from one sign-in (browser developer tools, \
                 SAML-tracer) ties the IdP to the SP settings: list it in `samples` in [check], \
                 with `now` set to when it was captured",
                "hint:".cyan().bold()
            );
        }
        out
    }

    /// The summary line's fields for `--format json`.
    pub fn json_fields(&self) -> serde_json::Map<String, Value> {
        let checks: Vec<Value> = self
            .cross_checks()
            .iter()
            .map(|check| {
                let (status, detail) = match &check.status {
                    Status::Ran(on) => ("ran", on),
                    Status::Skipped(why) => ("skipped", why),
                };
                json!({ "id": check.id, "check": check.what, "status": status, "detail": detail })
            })
            .collect();
        let mut fields = serde_json::Map::new();
        fields.insert("ready".into(), self.not_ready_because().is_none().into());
        fields.insert("not_ready_because".into(), self.not_ready_because().into());
        fields.insert("cross_checks".into(), checks.into());
        fields
    }

    /// Adds to a SARIF log why the deployment is not ready and which cross-checks were
    /// skipped, as tool notifications (they belong to no file).
    pub fn annotate_sarif(&self, log: &mut Value) {
        let Some(notifications) = log
            .pointer_mut("/runs/0/invocations/0/toolExecutionNotifications")
            .and_then(Value::as_array_mut)
        else {
            return;
        };
        if let Some(why) = self.not_ready_because() {
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("not ready to deploy: {why}") },
            }));
        }
        for check in self.cross_checks() {
            if let Status::Skipped(why) = check.status {
                notifications.push(json!({
                    "level": "note",
                    "message": { "text": format!("not checked: {}: {why}", check.what) },
                }));
            }
        }
    }
}

/// The metadata report's "Signature" line when the signature was not checked, in `check`'s
/// words: the IdP metadata's signer is a setting, the SP metadata's is never checked.
pub fn unchecked_signature_hint(role: &str) -> &'static str {
    if role == "idp-metadata" {
        "set `metadata_certs` or `metadata_fingerprints` in [idp]"
    } else {
        "`check` does not verify the SP metadata's signature"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> Coverage {
        Coverage {
            idp_metadata: FileSetting::Read,
            metadata_signer_set: true,
            sp_metadata: FileSetting::Read,
            sp_entity_id_set: true,
            acs_url_set: true,
            samples_listed: 1,
            samples_read: 1,
            warn_days: 30,
        }
    }

    fn skipped(coverage: &Coverage) -> Vec<&'static str> {
        coverage
            .cross_checks()
            .into_iter()
            .filter(|c| matches!(c.status, Status::Skipped(_)))
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn everything_given_runs_every_cross_check_and_is_ready() {
        let coverage = complete();
        assert!(skipped(&coverage).is_empty());
        assert_eq!(coverage.not_ready_because(), None);
        assert_eq!(coverage.exit_code(exit::OK), exit::OK);
        assert_eq!(coverage.exit_code(exit::PROBLEMS), exit::PROBLEMS);
    }

    #[test]
    fn without_samples_nothing_links_the_idp_to_the_sp_settings() {
        let coverage = Coverage {
            samples_listed: 0,
            samples_read: 0,
            sp_metadata: FileSetting::NotSet,
            metadata_signer_set: false,
            ..complete()
        };
        // Only the certificates' horizon runs on metadata alone.
        let ran: Vec<&str> = coverage
            .cross_checks()
            .into_iter()
            .filter(|c| matches!(c.status, Status::Ran(_)))
            .map(|c| c.id)
            .collect();
        assert_eq!(ran, ["certificate-expiry"]);
        let why = coverage.not_ready_because().unwrap();
        assert!(why.contains("no `samples` in [check]"), "{why}");
        assert_eq!(coverage.exit_code(exit::OK), exit::PROBLEMS);
        assert_eq!(coverage.exit_code(exit::BAD_INPUT), exit::BAD_INPUT);
    }

    #[test]
    fn samples_without_the_sp_identifier_are_not_enough() {
        let coverage = Coverage {
            sp_entity_id_set: false,
            ..complete()
        };
        assert_eq!(
            skipped(&coverage),
            ["sp-metadata-entity-id", "samples-against-sp-settings"]
        );
        assert!(coverage
            .not_ready_because()
            .unwrap()
            .contains("no `entity_id` in [sp]"));
    }

    #[test]
    fn unreadable_samples_or_metadata_skip_what_depends_on_them() {
        let coverage = Coverage {
            samples_read: 0,
            ..complete()
        };
        assert!(coverage
            .not_ready_because()
            .unwrap()
            .contains("no sample could be read"));
        let coverage = Coverage {
            idp_metadata: FileSetting::Unreadable,
            ..complete()
        };
        assert_eq!(
            skipped(&coverage),
            [
                "idp-metadata-signature",
                "samples-issuer",
                "samples-signing-key",
                "samples-against-sp-settings"
            ]
        );
    }
}
