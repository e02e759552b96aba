//! A gate's policy: how a caller judges some rules differently from their defaults — the
//! `samlkit check` CI gate fails on a certificate that expires soon, and names its own setting
//! where a finding's fix names a flag it does not have. Adjustments are keyed by [`Rule`] and
//! applied by the library before the verdict is reached, never to rendered findings.

use crate::report::Finding;
use crate::rules::{Rule, Severity};

/// One change to the findings of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjustment {
    /// Raise the severity to at least this, saying why at the end of the message.
    Raise { severity: Severity, reason: String },
    /// Replace the fix (the caller knows better how its user gives what is missing).
    Fix(String),
    /// Leave the findings out: the caller has no use for them.
    Drop,
}

/// The adjustments a caller asks for; empty by default (every rule as documented).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    adjustments: Vec<(Rule, Adjustment)>,
}

impl Policy {
    pub fn new() -> Policy {
        Policy::default()
    }

    /// Raises `rule`'s findings to at least `severity`; `reason` is appended to their message.
    pub fn raise(mut self, rule: Rule, severity: Severity, reason: impl Into<String>) -> Policy {
        let reason = reason.into();
        self.adjustments
            .push((rule, Adjustment::Raise { severity, reason }));
        self
    }

    /// Replaces the fix of `rule`'s findings.
    pub fn fix(mut self, rule: Rule, fix: impl Into<String>) -> Policy {
        self.adjustments.push((rule, Adjustment::Fix(fix.into())));
        self
    }

    /// Leaves `rule`'s findings out.
    pub fn drop(mut self, rule: Rule) -> Policy {
        self.adjustments.push((rule, Adjustment::Drop));
        self
    }

    /// A deployment gate: a certificate that expires within the warning window fails
    /// (`reason` says so at the end of the message).
    pub fn fail_on_expiring_certificates(self, reason: impl Into<String>) -> Policy {
        self.raise(
            Rule::MetadataCertificateExpiresSoon,
            Severity::Error,
            reason,
        )
    }

    /// How the note that the metadata's own signature was not checked reads: with `Some`, its
    /// fix names how the caller's user gives the metadata's signer; with `None` the note is
    /// left out (the caller has no way to check that signature).
    pub fn unchecked_metadata_signature(self, fix: Option<&str>) -> Policy {
        match fix {
            Some(fix) => self.fix(Rule::MetadataSignatureNotChecked, fix),
            None => self.drop(Rule::MetadataSignatureNotChecked),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.adjustments.is_empty()
    }

    /// Applies every adjustment, in the order they were asked for.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        for (rule, adjustment) in &self.adjustments {
            match adjustment {
                Adjustment::Drop => findings.retain(|finding| !finding.is(*rule)),
                Adjustment::Fix(fix) => findings
                    .iter_mut()
                    .filter(|finding| finding.is(*rule))
                    .for_each(|finding| {
                        // The caller's fix says how to give what is missing, in its own terms.
                        finding.fix = Some(fix.clone().into());
                        finding.missing = None;
                    }),
                Adjustment::Raise { severity, reason } => findings
                    .iter_mut()
                    .filter(|finding| finding.is(*rule) && finding.severity < *severity)
                    .for_each(|finding| {
                        finding.severity = *severity;
                        finding.message.to_mut().push_str(reason);
                    }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raises_fixes_and_drops_only_the_named_rules() {
        let mut findings = vec![
            Finding::new(Rule::MetadataCertificateExpiresSoon, "expires in 3 days"),
            Finding::new(Rule::MetadataSignatureNotChecked, "not checked"),
            Finding::new(Rule::UnsolicitedResponse, "no InResponseTo"),
        ];
        Policy::new()
            .raise(
                Rule::MetadataCertificateExpiresSoon,
                Severity::Error,
                " (the gate fails on it)",
            )
            .drop(Rule::MetadataSignatureNotChecked)
            .fix(Rule::UnsolicitedResponse, "allow IdP-initiated sign-in")
            .apply(&mut findings);
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].severity, Severity::Error);
        assert_eq!(
            findings[0].message,
            "expires in 3 days (the gate fails on it)"
        );
        assert_eq!(findings[1].severity, Severity::Info);
        assert_eq!(
            findings[1].fix.as_deref(),
            Some("allow IdP-initiated sign-in")
        );
    }

    #[test]
    fn never_lowers_a_severity() {
        let mut findings = vec![Finding::new(Rule::Expired, "expired")];
        Policy::new()
            .raise(Rule::Expired, Severity::Warning, " (lowered?)")
            .apply(&mut findings);
        assert_eq!(findings[0].severity, Severity::Error);
        assert_eq!(findings[0].message, "expired");
    }
}
