//! A finding's code, typed: the linter's rules, the signature verifier's codes and the rules of
//! the federation rule sets under one type. Reports, the catalogue and front ends hold a
//! [`Code`] and compare codes as values; the text (`claims/required-missing`) is only what JSON,
//! SARIF and the text report show.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use samlkit_verify::report::FindingCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::federation::{FederationRule, RuleSet};
use crate::rules::{Rule, Severity};

/// Which rule a finding reports. Serialised as its stable text, e.g. `nameid/format`,
/// `signature/digest-mismatch`, `sirtfi/security-contact-missing`; ordered by that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// A rule of the linter: messages, and metadata's enterprise checks (`metadata/…`).
    Rule(Rule),
    /// A finding of the signature verifier, reported under `signature/…` or `cert/…`.
    Verifier(FindingCode),
    /// A rule of a federation rule set (`edugain/…`, `ukf/…`, `sirtfi/…`, …).
    Federation(FederationRule),
}

impl Code {
    /// Every code, in the catalogue's order: linter rules, verifier codes, federation rules.
    pub fn all() -> impl Iterator<Item = Code> {
        let rules = Rule::ALL.iter().copied().map(Code::Rule);
        let verifier = FindingCode::ALL.iter().copied().map(Code::Verifier);
        let federation = FederationRule::ALL.iter().copied().map(Code::Federation);
        rules.chain(verifier).chain(federation)
    }

    /// The stable text of the code, as JSON and SARIF carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Rule(rule) => rule.code(),
            Code::Verifier(code) => code.qualified(),
            Code::Federation(rule) => rule.code(),
        }
    }

    /// The area the code belongs to: the text before its slash (`claims`, `signature`,
    /// `edugain`, …).
    pub fn area(self) -> &'static str {
        let code = self.as_str();
        code.split_once('/').map_or(code, |(area, _)| area)
    }

    /// The federation rule set a code belongs to, for federation rules.
    pub fn rule_set(self) -> Option<RuleSet> {
        match self {
            Code::Federation(_) => RuleSet::from_name(self.area()),
            Code::Rule(_) | Code::Verifier(_) => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Code::Rule(rule) => rule.info().title,
            Code::Verifier(code) => code.info().title,
            Code::Federation(rule) => rule.info().title,
        }
    }

    /// The severity the catalogue lists; a finding carries the one it was emitted with, which
    /// for a few codes depends on the situation or the profile (their description says when).
    pub fn severity(self) -> Severity {
        match self {
            Code::Rule(rule) => rule.info().severity,
            Code::Verifier(code) => code.info().severity.into(),
            Code::Federation(rule) => rule.info().severity,
        }
    }

    /// What the code means and why it matters, for the rules page.
    pub fn description(self) -> &'static str {
        match self {
            Code::Rule(rule) => rule.info().description,
            Code::Verifier(code) => code.info().description,
            Code::Federation(rule) => rule.info().description,
        }
    }
}

impl From<Rule> for Code {
    fn from(rule: Rule) -> Code {
        Code::Rule(rule)
    }
}

impl From<FindingCode> for Code {
    fn from(code: FindingCode) -> Code {
        Code::Verifier(code)
    }
}

impl From<FederationRule> for Code {
    fn from(rule: FederationRule) -> Code {
        Code::Federation(rule)
    }
}

/// The text, padded as the format asks (`{:<44}` lines codes up in columns).
impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Ordered by the text, so sorted lists read as they always have (`metadata/…` before
/// `signature/…`).
impl Ord for Code {
    fn cmp(&self, other: &Code) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A text that is no code samlkit reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no rule has the code '{}'", self.0)
    }
}

impl std::error::Error for UnknownCode {}

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Code, UnknownCode> {
        Code::all()
            .find(|code| code.as_str() == text)
            .ok_or_else(|| UnknownCode(text.to_string()))
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_text_and_serde() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::all() {
            assert!(seen.insert(code.as_str()), "{code} is used twice");
            assert_eq!(code.as_str().parse::<Code>(), Ok(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), code);
        }
        assert_eq!(
            "signature/no-such-thing".parse::<Code>(),
            Err(UnknownCode("signature/no-such-thing".into()))
        );
        assert!(serde_json::from_str::<Code>("\"nameid/nope\"").is_err());
        assert_eq!(
            format!("[{:<16}]", Code::Rule(Rule::NameIdFormat)),
            "[nameid/format   ]"
        );
    }

    #[test]
    fn the_text_is_the_one_each_table_gives() {
        assert_eq!(Code::Rule(Rule::NameIdFormat).as_str(), "nameid/format");
        assert_eq!(
            Code::Verifier(FindingCode::DigestMismatch).as_str(),
            "signature/digest-mismatch"
        );
        assert_eq!(
            Code::Verifier(FindingCode::KeyInfoCertificateNotTrusted).as_str(),
            "cert/keyinfo-certificate-not-trusted"
        );
        for code in FindingCode::ALL {
            let info = code.info();
            assert_eq!(
                Code::Verifier(*code).as_str(),
                format!("{}/{}", info.family.as_str(), info.code)
            );
            assert_eq!(Code::Verifier(*code).area(), info.family.as_str());
        }
        for rule in FederationRule::ALL {
            let code = Code::Federation(*rule);
            assert_eq!(code.rule_set().map(RuleSet::name), Some(code.area()));
        }
    }

    #[test]
    fn codes_sort_by_their_text() {
        let mut codes = [
            Code::Verifier(FindingCode::DigestMismatch),
            Code::Rule(Rule::MetadataNoRole),
            Code::Rule(Rule::NameIdFormat),
            Code::Verifier(FindingCode::WeakRsaKey),
        ];
        codes.sort();
        let texts: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            texts,
            [
                "cert/weak-rsa-key",
                "metadata/no-role",
                "nameid/format",
                "signature/digest-mismatch"
            ]
        );
    }
}
