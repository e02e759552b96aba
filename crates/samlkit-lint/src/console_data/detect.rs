//! How an identity provider is recognised from what it sends: Issuer and entityID prefixes,
//! endpoints, and the shape of the IDs it generates.

use super::*;

/// How an identity provider is recognised. Every list is matched case-sensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectPatterns {
    /// Prefixes of the Issuer / metadata entityID.
    #[serde(default)]
    pub issuer_prefixes: Vec<String>,
    /// Suffixes of the Issuer / metadata entityID.
    #[serde(default)]
    pub issuer_suffixes: Vec<String>,
    /// Substrings of the Issuer / metadata entityID.
    #[serde(default)]
    pub issuer_contains: Vec<String>,
    /// Substrings of the IdP's endpoints (SingleSignOnService, metadata URL, Destination of
    /// requests sent to it).
    #[serde(default)]
    pub endpoint_contains: Vec<String>,
    /// Prefixes of attribute Names only this IdP sends by default: a weaker hint than the
    /// Issuer, used only when nothing else matched.
    #[serde(default)]
    pub attribute_name_prefixes: Vec<String>,
    /// The shape of the IDs the IdP gives its Responses and assertions, for IdPs whose Issuer
    /// is free text (PingFederate, JumpCloud) or a custom domain. The weakest hint: used only
    /// when nothing else matched, and only when every ID of the message has the shape.
    #[serde(default)]
    pub message_ids: Vec<IdShape>,
}

/// Which characters make up a generated message ID (after its fixed prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdAlphabet {
    /// `0-9` only.
    Digits,
    /// `A-Z` and `0-9`, with at least one letter.
    UpperAlnum,
    /// `A-Z a-z 0-9 . _ -` with both an upper- and a lower-case letter.
    MixedCaseUrlSafe,
}

/// The shape of a generated message ID: a fixed prefix, then `length` (or at least
/// `min_length`) characters of one alphabet.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdShape {
    #[serde(default)]
    pub prefix: String,
    pub alphabet: IdAlphabet,
    #[serde(default)]
    pub length: Option<usize>,
    #[serde(default)]
    pub min_length: Option<usize>,
}

impl IdShape {
    /// Whether `id` has this shape.
    pub fn matches(&self, id: &str) -> bool {
        let Some(rest) = id.strip_prefix(self.prefix.as_str()) else {
            return false;
        };
        let count = rest.chars().count();
        if self.length.is_some_and(|n| count != n) || self.min_length.is_some_and(|n| count < n) {
            return false;
        }
        match self.alphabet {
            IdAlphabet::Digits => !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()),
            IdAlphabet::UpperAlnum => {
                rest.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                    && rest.chars().any(|c| c.is_ascii_uppercase())
            }
            IdAlphabet::MixedCaseUrlSafe => {
                rest.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                    && rest.chars().any(|c| c.is_ascii_uppercase())
                    && rest.chars().any(|c| c.is_ascii_lowercase())
            }
        }
    }

    /// The shape in words, for "detected from" and the generated docs.
    pub fn describe(&self) -> String {
        let alphabet = match self.alphabet {
            IdAlphabet::Digits => "digits",
            IdAlphabet::UpperAlnum => "upper-case letters and digits",
            IdAlphabet::MixedCaseUrlSafe => "mixed-case letters, digits and `._-`",
        };
        let count = match (self.length, self.min_length) {
            (Some(n), _) => format!("{n} "),
            (None, Some(n)) => format!("{n} or more "),
            (None, None) => String::new(),
        };
        let prefix = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("`{}` then ", self.prefix)
        };
        format!("{prefix}{count}{alphabet}")
    }
}

/// Which pattern recognised an identity provider, for "detected from" in reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectedFrom {
    IssuerPrefix(String),
    IssuerSuffix(String),
    IssuerContains(String),
    Endpoint(String),
    AttributeNamePrefix(String),
    /// Every Response / assertion ID has this shape (described in words).
    MessageId(String),
}

impl DetectPatterns {
    /// The pattern an Issuer or entityID matches, if any.
    pub fn match_issuer(&self, issuer: &str) -> Option<DetectedFrom> {
        let issuer = issuer.trim();
        if let Some(p) = self
            .issuer_prefixes
            .iter()
            .find(|p| issuer.starts_with(p.as_str()))
        {
            return Some(DetectedFrom::IssuerPrefix(p.clone()));
        }
        if let Some(s) = self
            .issuer_suffixes
            .iter()
            .find(|s| issuer.ends_with(s.as_str()))
        {
            return Some(DetectedFrom::IssuerSuffix(s.clone()));
        }
        self.issuer_contains
            .iter()
            .find(|c| issuer.contains(c.as_str()))
            .map(|c| DetectedFrom::IssuerContains(c.clone()))
    }

    /// The pattern an endpoint URL matches, if any.
    pub fn match_endpoint(&self, url: &str) -> Option<DetectedFrom> {
        self.endpoint_contains
            .iter()
            .find(|c| url.contains(c.as_str()))
            .map(|c| DetectedFrom::Endpoint(c.clone()))
    }

    /// The pattern an attribute Name matches, if any.
    pub fn match_attribute_name(&self, name: &str) -> Option<DetectedFrom> {
        self.attribute_name_prefixes
            .iter()
            .find(|p| name.starts_with(p.as_str()))
            .map(|p| DetectedFrom::AttributeNamePrefix(p.clone()))
    }

    /// The shape every one of a message's IDs has, if any (no IDs: no match).
    pub fn match_message_ids(&self, ids: &[&str]) -> Option<DetectedFrom> {
        if ids.is_empty() {
            return None;
        }
        self.message_ids
            .iter()
            .find(|shape| ids.iter().all(|id| shape.matches(id)))
            .map(|shape| DetectedFrom::MessageId(shape.describe()))
    }
}
